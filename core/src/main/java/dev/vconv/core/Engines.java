package dev.vconv.core;

import java.util.ServiceLoader;

/** Finds engines: the naive reference, the scalar im2col + GEMM engine, and the best one available. */
public final class Engines {

    private Engines() {
    }

    /** The textbook loop nest: slow, obviously right; the specification for every other engine. */
    public static Conv2d reference() {
        return ReferenceConv2d.INSTANCE;
    }

    /** The scalar im2col + blocked GEMM engine, in plain Java. */
    public static Conv2d scalar() {
        return ScalarConv2d.INSTANCE;
    }

    /**
     * The fastest engine on this JVM: the first usable one from a {@link Conv2dProvider} on the class or
     * module path (the {@code simd} module's, which itself falls back to scalar with a logged reason), else
     * {@link #scalar()}.
     */
    public static Conv2d best() {
        return Best.ENGINE;
    }

    private static final class Best {
        static final Conv2d ENGINE = find();

        private static Conv2d find() {
            for (Conv2dProvider provider : ServiceLoader.load(Conv2dProvider.class, Engines.class.getClassLoader())) {
                Conv2d engine = provider.engine();
                if (engine != null) {
                    return engine;
                }
            }
            return scalar();
        }
    }
}
