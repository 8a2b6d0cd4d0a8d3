package dev.vconv.core.testing;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;

import static org.junit.jupiter.api.Assertions.fail;

/** Operands for test cases and the element-wise comparison every engine test uses. */
public final class ConvAsserts {

    private ConvAsserts() {
    }

    /** Seeded operands of a case: input, weight and bias (null when the spec has none). */
    public record Operands(Tensor input, Tensor weight, Tensor bias) {
        public static Operands of(ConvSpec spec, Shape inputShape, long seed) {
            Tensor input = Tensor.random(seed, inputShape.dims());
            Tensor weight = Tensor.random(seed + 1, spec.weightShape().dims());
            Tensor bias = spec.hasBias() ? Tensor.random(seed + 2, spec.outChannels()) : null;
            return new Operands(input, weight, bias);
        }
    }

    /**
     * Asserts {@code |actual - expected| <= 1e-4 * sqrt(K) * (1 + |expected|)} element by element, with
     * {@code K} the spec's reduction length (the conformance vectors' rule); a failure names the spec, the
     * input, the first bad position (n, c, y, x), the expected and the actual value.
     */
    public static void assertClose(ConvSpec spec, Shape input, Tensor expected, Tensor actual) {
        assertClose(spec + " on input " + input, expected, actual, spec.reductionLength());
    }

    /**
     * The same rule for any result tensor ({@code grad_input}, {@code grad_weight}, a transposed output...)
     * with its own reduction length {@code k}; {@code what} names it in a failure.
     */
    public static void assertClose(String what, Tensor expected, Tensor actual, int k) {
        if (!expected.shape().equals(actual.shape())) {
            fail(what + ": shape " + actual.shape() + " != expected " + expected.shape());
        }
        float[] e = expected.data();
        float[] a = actual.data();
        double scale = 1e-4 * Math.sqrt(Math.max(1, k));
        for (int i = 0; i < e.length; i++) {
            boolean same = Float.compare(e[i], a[i]) == 0
                    || Math.abs((double) a[i] - e[i]) <= scale * (1 + Math.abs((double) e[i]));
            if (!same) {
                fail(what + ": mismatch at " + position(expected.shape(), i) + ": expected " + e[i] + ", got " + a[i]
                        + " (tolerance " + scale * (1 + Math.abs((double) e[i])) + ")");
            }
        }
    }

    /** The NCHW position of flat index {@code i}, for failure messages. */
    public static String position(Shape shape, int i) {
        int[] d = shape.dims();
        int[] pos = new int[d.length];
        for (int axis = d.length - 1; axis >= 0; axis--) {
            pos[axis] = i % d[axis];
            i /= d[axis];
        }
        return java.util.Arrays.toString(pos);
    }

    /** A checksum of an array's bits, to prove an operand was not modified. */
    public static long checksum(float[] data) {
        long h = 1125899906842597L;
        for (float v : data) {
            h = 31 * h + Float.floatToRawIntBits(v);
        }
        return h;
    }
}
