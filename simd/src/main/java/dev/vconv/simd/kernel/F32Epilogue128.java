// Generated from simd/src/main/templates/F32Epilogue.java.in by dev.vconv.simd.kernel.generator.KernelGenerator: do not edit.
// Regenerate: ./mvnw -q -pl simd -am test -Dtest=GeneratedKernelsTest -Dvconv.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false
package dev.vconv.simd.kernel;

import dev.vconv.core.Activation;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link EpilogueKernel} on 128-bit vectors: the residual add in a first pass over the stretch (it is in cache),
 * then the activation, each activation a loop of its own (no kind switch inside a loop); the transcendental ones
 * in 2 double lanes at a time, from 2 floats. The last {@code n % V} elements (and GELU's) go one at a
 * time through {@link Activation#apply}.
 */
final class F32Epilogue128 implements EpilogueKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_128;
    static final VectorSpecies<Float> H = FloatVector.SPECIES_64;
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_128;
    static final int V = 4;
    static final int HV = 2;
    private static final double SQRT_2_OVER_PI = 0.7978845608028654;
    private static final double GELU_TANH_KAPPA = 0.044715;

    @Override
    public void apply(Activation act, float alpha, float[] src, int s, float[] r, int ro, float[] dst, int d, int n) {
        float[] from = src;
        int f = s;
        if (r != null) {
            residual(alpha, src, s, r, ro, dst, d, n);
            from = dst;
            f = d;
        }
        int done = switch (act.kind()) {
            case IDENTITY -> copy(from, f, dst, d, n);
            case RELU -> relu(from, f, dst, d, n);
            case CLAMP -> clamp(act.min(), act.max(), from, f, dst, d, n);
            case LEAKY_RELU -> leaky(act.negativeSlope(), from, f, dst, d, n);
            case HARDSWISH -> hardswish(from, f, dst, d, n);
            case SIGMOID -> sigmoid(from, f, dst, d, n);
            case SILU -> silu(from, f, dst, d, n);
            case TANH -> tanh(from, f, dst, d, n);
            case GELU_TANH -> geluTanh(from, f, dst, d, n);
            case GELU -> 0;
        };
        for (int i = done; i < n; i++) {
            dst[d + i] = act.apply(from[f + i]);
        }
    }

    /** {@code dst = fma(alpha, r, src)}, every element. */
    private static void residual(float alpha, float[] src, int s, float[] r, int ro, float[] dst, int d, int n) {
        FloatVector a = FloatVector.broadcast(S, alpha);
        int i = 0;
        for (; i + V <= n; i += V) {
            FloatVector.fromArray(S, r, ro + i).fma(a, FloatVector.fromArray(S, src, s + i)).intoArray(dst, d + i);
        }
        for (; i < n; i++) {
            dst[d + i] = Math.fma(alpha, r[ro + i], src[s + i]);
        }
    }

    private static int copy(float[] src, int s, float[] dst, int d, int n) {
        if (src != dst || s != d) {
            System.arraycopy(src, s, dst, d, n);
        }
        return n;
    }

    /** {@code x < 0 ? 0 : x}: NaN and -0.0 stay. */
    private static int relu(float[] src, int s, float[] dst, int d, int n) {
        FloatVector zero = FloatVector.zero(S);
        int i = 0;
        for (; i + V <= n; i += V) {
            FloatVector x = FloatVector.fromArray(S, src, s + i);
            x.blend(zero, x.lt(zero)).intoArray(dst, d + i);
        }
        return i;
    }

    /** {@code x < min ? min : x > max ? max : x}. */
    private static int clamp(float min, float max, float[] src, int s, float[] dst, int d, int n) {
        FloatVector lo = FloatVector.broadcast(S, min);
        FloatVector hi = FloatVector.broadcast(S, max);
        int i = 0;
        for (; i + V <= n; i += V) {
            FloatVector x = FloatVector.fromArray(S, src, s + i);
            x.blend(lo, x.lt(lo)).blend(hi, x.compare(VectorOperators.GT, hi)).intoArray(dst, d + i);
        }
        return i;
    }

    /** {@code x > 0 ? x : x * slope}. */
    private static int leaky(float slope, float[] src, int s, float[] dst, int d, int n) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector k = FloatVector.broadcast(S, slope);
        int i = 0;
        for (; i + V <= n; i += V) {
            FloatVector x = FloatVector.fromArray(S, src, s + i);
            x.mul(k).blend(x, x.compare(VectorOperators.GT, zero)).intoArray(dst, d + i);
        }
        return i;
    }

    /** {@code x * min(max(x + 3, 0), 6) / 6}, each step in float, in that order. */
    private static int hardswish(float[] src, int s, float[] dst, int d, int n) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector three = FloatVector.broadcast(S, 3f);
        FloatVector six = FloatVector.broadcast(S, 6f);
        int i = 0;
        for (; i + V <= n; i += V) {
            FloatVector x = FloatVector.fromArray(S, src, s + i);
            x.mul(x.add(three).max(zero).min(six)).div(six).intoArray(dst, d + i);
        }
        return i;
    }

    /** {@code 1 / (1 + exp(-x))} in double. */
    private static int sigmoid(float[] src, int s, float[] dst, int d, int n) {
        DoubleVector one = DoubleVector.broadcast(D, 1);
        int i = 0;
        for (; i + HV <= n; i += HV) {
            DoubleVector x = (DoubleVector) FloatVector.fromArray(H, src, s + i).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector y = one.div(one.add(x.neg().lanewise(VectorOperators.EXP)));
            y.convertShape(VectorOperators.D2F, H, 0).reinterpretAsFloats().intoArray(dst, d + i);
        }
        return i;
    }

    /** {@code x / (1 + exp(-x))} in double. */
    private static int silu(float[] src, int s, float[] dst, int d, int n) {
        DoubleVector one = DoubleVector.broadcast(D, 1);
        int i = 0;
        for (; i + HV <= n; i += HV) {
            DoubleVector x = (DoubleVector) FloatVector.fromArray(H, src, s + i).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector y = x.div(one.add(x.neg().lanewise(VectorOperators.EXP)));
            y.convertShape(VectorOperators.D2F, H, 0).reinterpretAsFloats().intoArray(dst, d + i);
        }
        return i;
    }

    /** {@code tanh(x)} in double. */
    private static int tanh(float[] src, int s, float[] dst, int d, int n) {
        int i = 0;
        for (; i + HV <= n; i += HV) {
            DoubleVector x = (DoubleVector) FloatVector.fromArray(H, src, s + i).convertShape(VectorOperators.F2D, D, 0);
            x.lanewise(VectorOperators.TANH).convertShape(VectorOperators.D2F, H, 0).reinterpretAsFloats().intoArray(dst, d + i);
        }
        return i;
    }

    /** {@code x / (1 + exp(-2u))}, {@code u = sqrt(2/pi) * (x + 0.044715 x^3)}, in double. */
    private static int geluTanh(float[] src, int s, float[] dst, int d, int n) {
        DoubleVector one = DoubleVector.broadcast(D, 1);
        DoubleVector c = DoubleVector.broadcast(D, SQRT_2_OVER_PI);
        DoubleVector k = DoubleVector.broadcast(D, GELU_TANH_KAPPA);
        DoubleVector minusTwo = DoubleVector.broadcast(D, -2);
        int i = 0;
        for (; i + HV <= n; i += HV) {
            DoubleVector x = (DoubleVector) FloatVector.fromArray(H, src, s + i).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector u = c.mul(x.add(k.mul(x).mul(x).mul(x)));
            DoubleVector y = x.div(one.add(minusTwo.mul(u).lanewise(VectorOperators.EXP)));
            y.convertShape(VectorOperators.D2F, H, 0).reinterpretAsFloats().intoArray(dst, d + i);
        }
        return i;
    }
}
