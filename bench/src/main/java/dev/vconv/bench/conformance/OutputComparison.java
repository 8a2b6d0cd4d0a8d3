package dev.vconv.bench.conformance;

import dev.vconv.core.Shape;

import java.util.Arrays;

/**
 * The element-wise comparison of an engine's output with a case's reference, by the rule of
 * {@code FORMAT.md}: {@code |got - ref| <= 1e-4 * sqrt(K) * (1 + |ref|)}, with {@code K} the reduction length,
 * and equality for exact (integer-valued) cases.
 *
 * @param passed         every element is within tolerance (or equal, for exact cases)
 * @param worstIndex     flat index of the element furthest from its reference, relative to its tolerance
 * @param expected       the reference value there
 * @param got            the engine's value there
 * @param tolerance      the tolerance there; {@code 0} for exact cases
 * @param worstRatio     {@code |got - ref| / tolerance} there (for exact cases, {@code |got - ref|});
 *                       infinite when {@code got} is NaN or infinite
 */
public record OutputComparison(boolean passed, int worstIndex, float expected, float got, double tolerance,
                               double worstRatio) {

    /** The relative tolerance factor of the rule, before scaling by {@code sqrt(K)}. */
    public static final double RELATIVE_TOLERANCE = 1e-4;

    /** Tolerance of one element with reference {@code ref} in a reduction of length {@code k}. */
    public static double tolerance(float ref, int k) {
        return RELATIVE_TOLERANCE * Math.sqrt(k) * (1 + Math.abs((double) ref));
    }

    /**
     * Compares {@code got} with {@code expected}, element by element.
     *
     * @throws IllegalArgumentException if the lengths differ
     */
    public static OutputComparison compare(float[] expected, float[] got, int reductionLength, boolean exact) {
        return compare(expected, got, exact, i -> tolerance(expected[i], reductionLength));
    }

    /**
     * The factor {@code L} of the fused rule for an activation: 1.5 (hardswish's steepest slope; GELU's is 1.13,
     * SiLU's 1.1, the others' at most 1), or the negative slope of a steeper LeakyReLU.
     */
    public static double activationSlope(dev.vconv.core.Activation activation) {
        return activation.kind() == dev.vconv.core.Activation.Kind.LEAKY_RELU
                ? Math.max(1.5, Math.abs(activation.negativeSlope())) : 1.5;
    }

    /**
     * The rule for {@code conv2d_fused} cases ({@code FORMAT.md}):
     * {@code |got - ref| <= 1e-4 * sqrt(K) * L * (1 + |pre| + |alpha * residual|)}, with {@code pre} the reference
     * value before the activation (after BatchNorm and residual add), {@code L} the activation's
     * {@link #activationSlope}; equality for exact cases.
     *
     * @param residual {@code null} when the case has none
     */
    public static OutputComparison compareFused(float[] expected, float[] got, float[] preActivation, float[] residual, float alpha,
                                                int reductionLength, double slope, boolean exact) {
        double scale = RELATIVE_TOLERANCE * Math.sqrt(reductionLength) * slope;
        return compare(expected, got, exact, i -> scale * (1 + Math.abs((double) preActivation[i])
                + (residual == null ? 0 : Math.abs((double) alpha * residual[i]))));
    }

    private static OutputComparison compare(float[] expected, float[] got, boolean exact, java.util.function.IntToDoubleFunction toleranceAt) {
        if (expected.length != got.length) {
            throw new IllegalArgumentException("got must have the expected's length " + expected.length + ", but has "
                    + got.length);
        }
        boolean passed = true;
        int worst = expected.length == 0 ? -1 : 0;
        double worstRatio = -1;
        for (int i = 0; i < expected.length; i++) {
            float ref = expected[i];
            float value = got[i];
            double tolerance = exact ? 0 : toleranceAt.applyAsDouble(i);
            boolean ok = exact ? sameValue(ref, value) : Math.abs((double) value - ref) <= tolerance;
            double ratio = ratio(ref, value, tolerance, ok);
            passed &= ok;
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worst = i;
            }
        }
        if (worst < 0) {
            return new OutputComparison(true, -1, Float.NaN, Float.NaN, 0, 0);
        }
        return new OutputComparison(passed, worst, expected[worst], got[worst], exact ? 0 : toleranceAt.applyAsDouble(worst),
                worstRatio);
    }

    /**
     * Exact comparison: the same float, except that {@code +0} equals {@code -0}. The sign of a zero sum depends
     * on the value the accumulator starts from, not on whether the convolution is right.
     */
    private static boolean sameValue(float ref, float got) {
        return ref == got || (Float.isNaN(ref) && Float.isNaN(got));
    }

    /** How far off an element is, in tolerances; a NaN or infinity where the reference is finite ranks worst. */
    private static double ratio(float ref, float got, double tolerance, boolean ok) {
        double diff = Math.abs((double) got - ref);
        if (Double.isNaN(diff)) {
            return ok ? 0 : Double.POSITIVE_INFINITY;
        }
        return tolerance == 0 ? diff : diff / tolerance;
    }

    /** The worst element's position as NCHW coordinates of {@code shape}, e.g. {@code [0, 3, 2, 1]}. */
    public String worstPosition(Shape shape) {
        int[] dims = shape.dims();
        int[] coordinates = new int[dims.length];
        int rest = worstIndex;
        for (int axis = dims.length - 1; axis >= 0; axis--) {
            coordinates[axis] = rest % dims[axis];
            rest /= dims[axis];
        }
        return Arrays.toString(coordinates);
    }

    /** One line about the worst element: position, expected, got, tolerance. */
    public String describeWorst(Shape shape) {
        String tolerancePart = tolerance == 0 ? "exact match required" : "tolerance " + String.format("%.3g", tolerance);
        return "worst element " + worstPosition(shape) + " (flat " + worstIndex + "): expected " + expected + ", got " + got
                + ", |diff| " + String.format("%.3g", Math.abs((double) got - expected)) + ", " + tolerancePart;
    }
}
