package dev.vconv.consumer;

import dev.vconv.core.Conv2d;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.Engines;
import dev.vconv.core.Tensor;
import dev.vconv.simd.SimdEngines;

/**
 * What a user's program does: one convolution on the best engine, checked against the reference. Prints
 * {@code engine=} the engine {@code Engines.best()} chose, {@code max_abs_diff=} its largest difference from the
 * reference, {@code simd=} what {@code SimdEngines.simd()} gives (the engine, or the exception it throws), and
 * {@code layer=} whether it runs as a named module or on the class path. Exits 1 when the result is wrong.
 */
public final class Consumer {
    private Consumer() {
    }

    public static void main(String[] args) {
        ConvSpec spec = ConvSpec.builder(3, 8, 3).stride(2).padding(1).bias(true).build();
        Tensor input = Tensor.random(1, 2, 3, 17, 19);
        Tensor weight = Tensor.random(2, 8, 3, 3, 3);
        Tensor bias = Tensor.random(3, 8);

        Conv2d best = Engines.best();
        float[] actual = best.forward(spec, input, weight, bias).data();
        float[] expected = Engines.reference().forward(spec, input, weight, bias).data();
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
        }
        String simd;
        try {
            simd = SimdEngines.simd().name();
        } catch (RuntimeException e) {
            simd = e.getClass().getName() + ": " + e.getMessage();
        }
        System.out.println("layer=" + (Consumer.class.getModule().isNamed() ? "module " + Consumer.class.getModule().getName()
                : "class path"));
        System.out.println("engine=" + best.name());
        System.out.println("max_abs_diff=" + maxDiff);
        System.out.println("simd=" + simd);
        // 27 products of values in [-1, 1] per output: float rounding stays far below 1e-4.
        System.exit(maxDiff <= 1e-4 ? 0 : 1);
    }
}
