package dev.vconv.simd;

import dev.vconv.core.Conv2d;
import dev.vconv.core.Conv2dProvider;

/** Offers {@link SimdEngines#best()} to core's {@code Engines.best()} (found by {@link java.util.ServiceLoader}). */
public final class SimdConv2dProvider implements Conv2dProvider {

    @Override
    public Conv2d engine() {
        return SimdEngines.best();
    }
}
