// Generated from simd/src/main/templates/F32Epilogue.java.in by dev.vconv.simd.kernel.generator.KernelGenerator: do not edit.
// Regenerate: ./mvnw -q -pl simd -am test -Dtest=GeneratedKernelsTest -Dvconv.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false
package dev.vconv.simd.kernel;

import dev.vconv.core.Activation;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link EpilogueKernel} on 128-bit vectors, in one pass: each vector of the source is loaded, the residual's
 * vector added ({@code fma}), the activation applied and the result stored, so each element is read and written
 * once. One method per activation, each with a loop without and a loop with the residual (no kind switch and no
 * residual test inside a loop); the transcendental ones in 2 double lanes at a time, from 2 floats. A
 * row's last vector ends at its last element: computed before the row's loop (so that an in-place row is read before
 * it is written) and stored after it, over elements the loop has stored with the same values; no element goes one
 * at a time but in rows shorter than a vector (and GELU's, through {@link Activation#apply}).
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
    public void apply(Activation act, float alpha, float[] src, int s, int lds, float[] r, int ro, int ldr,
                      float[] dst, int d, int ldd, int rows, int n) {
        switch (act.kind()) {
            case IDENTITY -> identity(act, alpha, src, s, lds, r, ro, ldr, dst, d, ldd, rows, n);
            case RELU -> relu(act, alpha, src, s, lds, r, ro, ldr, dst, d, ldd, rows, n);
            case CLAMP -> clamp(act, alpha, src, s, lds, r, ro, ldr, dst, d, ldd, rows, n);
            case LEAKY_RELU -> leaky(act, alpha, src, s, lds, r, ro, ldr, dst, d, ldd, rows, n);
            case HARDSWISH -> hardswish(act, alpha, src, s, lds, r, ro, ldr, dst, d, ldd, rows, n);
            case SIGMOID -> sigmoid(act, alpha, src, s, lds, r, ro, ldr, dst, d, ldd, rows, n);
            case SILU -> silu(act, alpha, src, s, lds, r, ro, ldr, dst, d, ldd, rows, n);
            case TANH -> tanh(act, alpha, src, s, lds, r, ro, ldr, dst, d, ldd, rows, n);
            case GELU_TANH -> geluTanh(act, alpha, src, s, lds, r, ro, ldr, dst, d, ldd, rows, n);
            case GELU -> {
                for (int row = 0; row < rows; row++) {
                    tail(act, alpha, src, s + row * lds, r, ro + row * ldr, dst, d + row * ldd, 0, n);
                }
            }
        }
    }

    /** Elements {@code [from, n)} of a row, one at a time: {@code act(fma(alpha, r, src))}, or {@code act(src)}. */
    private static void tail(Activation act, float alpha, float[] src, int s, float[] r, int ro, float[] dst, int d, int from, int n) {
        for (int i = from; i < n; i++) {
            dst[d + i] = act.apply(r == null ? src[s + i] : Math.fma(alpha, r[ro + i], src[s + i]));
        }
    }

    /** {@code fma(alpha, r, src)}, or a copy. */
    private static void identity(Activation act, float alpha, float[] src, int s, int lds, float[] r, int ro, int ldr,
                                 float[] dst, int d, int ldd, int rows, int n) {
        FloatVector a = FloatVector.broadcast(S, alpha);
        for (int row = 0; row < rows; row++) {
            int si = s + row * lds;
            int ri = ro + row * ldr;
            int di = d + row * ldd;
            if (r == null) {
                if (src != dst || si != di) {
                    System.arraycopy(src, si, dst, di, n);
                }
                continue;
            }
            int i = 0;
            if (n >= V) {
                int t = n - V;                   // the last V: read before the row is written, stored after it
                FloatVector last = FloatVector.fromArray(S, r, ri + t).fma(a, FloatVector.fromArray(S, src, si + t));
                for (; i < t; i += V) {
                    FloatVector.fromArray(S, r, ri + i).fma(a, FloatVector.fromArray(S, src, si + i)).intoArray(dst, di + i);
                }
                last.intoArray(dst, di + t);
                i = n;
            }
            tail(act, alpha, src, si, r, ri, dst, di, i, n);
        }
    }

    /** {@code x < 0 ? 0 : x}: NaN and -0.0 stay. */
    private static void relu(Activation act, float alpha, float[] src, int s, int lds, float[] r, int ro, int ldr,
                             float[] dst, int d, int ldd, int rows, int n) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector a = FloatVector.broadcast(S, alpha);
        for (int row = 0; row < rows; row++) {
            int si = s + row * lds;
            int ri = ro + row * ldr;
            int di = d + row * ldd;
            int i = 0;
            if (r == null) {
                if (n >= V) {
                    int t = n - V;                   // the last V: read before the row is written, stored after it
                    FloatVector xt = FloatVector.fromArray(S, src, si + t);
                    FloatVector last = xt.blend(zero, xt.lt(zero));
                    for (; i < t; i += V) {
                        FloatVector x = FloatVector.fromArray(S, src, si + i);
                        x.blend(zero, x.lt(zero)).intoArray(dst, di + i);
                    }
                    last.intoArray(dst, di + t);
                    i = n;
                }
            } else {
                if (n >= V) {
                    int t = n - V;                   // the last V: read before the row is written, stored after it
                    FloatVector xt = FloatVector.fromArray(S, r, ri + t).fma(a, FloatVector.fromArray(S, src, si + t));
                    FloatVector last = xt.blend(zero, xt.lt(zero));
                    for (; i < t; i += V) {
                        FloatVector x = FloatVector.fromArray(S, r, ri + i).fma(a, FloatVector.fromArray(S, src, si + i));
                        x.blend(zero, x.lt(zero)).intoArray(dst, di + i);
                    }
                    last.intoArray(dst, di + t);
                    i = n;
                }
            }
            tail(act, alpha, src, si, r, ri, dst, di, i, n);
        }
    }

    /** {@code x < min ? min : x > max ? max : x}. */
    private static void clamp(Activation act, float alpha, float[] src, int s, int lds, float[] r, int ro, int ldr,
                              float[] dst, int d, int ldd, int rows, int n) {
        FloatVector lo = FloatVector.broadcast(S, act.min());
        FloatVector hi = FloatVector.broadcast(S, act.max());
        FloatVector a = FloatVector.broadcast(S, alpha);
        for (int row = 0; row < rows; row++) {
            int si = s + row * lds;
            int ri = ro + row * ldr;
            int di = d + row * ldd;
            int i = 0;
            if (r == null) {
                if (n >= V) {
                    int t = n - V;                   // the last V: read before the row is written, stored after it
                    FloatVector xt = FloatVector.fromArray(S, src, si + t);
                    FloatVector last = xt.blend(lo, xt.lt(lo)).blend(hi, xt.compare(VectorOperators.GT, hi));
                    for (; i < t; i += V) {
                        FloatVector x = FloatVector.fromArray(S, src, si + i);
                        x.blend(lo, x.lt(lo)).blend(hi, x.compare(VectorOperators.GT, hi)).intoArray(dst, di + i);
                    }
                    last.intoArray(dst, di + t);
                    i = n;
                }
            } else {
                if (n >= V) {
                    int t = n - V;                   // the last V: read before the row is written, stored after it
                    FloatVector xt = FloatVector.fromArray(S, r, ri + t).fma(a, FloatVector.fromArray(S, src, si + t));
                    FloatVector last = xt.blend(lo, xt.lt(lo)).blend(hi, xt.compare(VectorOperators.GT, hi));
                    for (; i < t; i += V) {
                        FloatVector x = FloatVector.fromArray(S, r, ri + i).fma(a, FloatVector.fromArray(S, src, si + i));
                        x.blend(lo, x.lt(lo)).blend(hi, x.compare(VectorOperators.GT, hi)).intoArray(dst, di + i);
                    }
                    last.intoArray(dst, di + t);
                    i = n;
                }
            }
            tail(act, alpha, src, si, r, ri, dst, di, i, n);
        }
    }

    /** {@code x > 0 ? x : x * slope}. */
    private static void leaky(Activation act, float alpha, float[] src, int s, int lds, float[] r, int ro, int ldr,
                              float[] dst, int d, int ldd, int rows, int n) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector k = FloatVector.broadcast(S, act.negativeSlope());
        FloatVector a = FloatVector.broadcast(S, alpha);
        for (int row = 0; row < rows; row++) {
            int si = s + row * lds;
            int ri = ro + row * ldr;
            int di = d + row * ldd;
            int i = 0;
            if (r == null) {
                if (n >= V) {
                    int t = n - V;                   // the last V: read before the row is written, stored after it
                    FloatVector xt = FloatVector.fromArray(S, src, si + t);
                    FloatVector last = xt.mul(k).blend(xt, xt.compare(VectorOperators.GT, zero));
                    for (; i < t; i += V) {
                        FloatVector x = FloatVector.fromArray(S, src, si + i);
                        x.mul(k).blend(x, x.compare(VectorOperators.GT, zero)).intoArray(dst, di + i);
                    }
                    last.intoArray(dst, di + t);
                    i = n;
                }
            } else {
                if (n >= V) {
                    int t = n - V;                   // the last V: read before the row is written, stored after it
                    FloatVector xt = FloatVector.fromArray(S, r, ri + t).fma(a, FloatVector.fromArray(S, src, si + t));
                    FloatVector last = xt.mul(k).blend(xt, xt.compare(VectorOperators.GT, zero));
                    for (; i < t; i += V) {
                        FloatVector x = FloatVector.fromArray(S, r, ri + i).fma(a, FloatVector.fromArray(S, src, si + i));
                        x.mul(k).blend(x, x.compare(VectorOperators.GT, zero)).intoArray(dst, di + i);
                    }
                    last.intoArray(dst, di + t);
                    i = n;
                }
            }
            tail(act, alpha, src, si, r, ri, dst, di, i, n);
        }
    }

    /** {@code x * min(max(x + 3, 0), 6) / 6}, each step in float, in that order. */
    private static void hardswish(Activation act, float alpha, float[] src, int s, int lds, float[] r, int ro, int ldr,
                                  float[] dst, int d, int ldd, int rows, int n) {
        FloatVector zero = FloatVector.zero(S);
        FloatVector three = FloatVector.broadcast(S, 3f);
        FloatVector six = FloatVector.broadcast(S, 6f);
        FloatVector a = FloatVector.broadcast(S, alpha);
        for (int row = 0; row < rows; row++) {
            int si = s + row * lds;
            int ri = ro + row * ldr;
            int di = d + row * ldd;
            int i = 0;
            if (r == null) {
                if (n >= V) {
                    int t = n - V;                   // the last V: read before the row is written, stored after it
                    FloatVector xt = FloatVector.fromArray(S, src, si + t);
                    FloatVector last = xt.mul(xt.add(three).max(zero).min(six)).div(six);
                    for (; i < t; i += V) {
                        FloatVector x = FloatVector.fromArray(S, src, si + i);
                        x.mul(x.add(three).max(zero).min(six)).div(six).intoArray(dst, di + i);
                    }
                    last.intoArray(dst, di + t);
                    i = n;
                }
            } else {
                if (n >= V) {
                    int t = n - V;                   // the last V: read before the row is written, stored after it
                    FloatVector xt = FloatVector.fromArray(S, r, ri + t).fma(a, FloatVector.fromArray(S, src, si + t));
                    FloatVector last = xt.mul(xt.add(three).max(zero).min(six)).div(six);
                    for (; i < t; i += V) {
                        FloatVector x = FloatVector.fromArray(S, r, ri + i).fma(a, FloatVector.fromArray(S, src, si + i));
                        x.mul(x.add(three).max(zero).min(six)).div(six).intoArray(dst, di + i);
                    }
                    last.intoArray(dst, di + t);
                    i = n;
                }
            }
            tail(act, alpha, src, si, r, ri, dst, di, i, n);
        }
    }

    /** {@code 1 / (1 + exp(-x))} in double. */
    private static void sigmoid(Activation act, float alpha, float[] src, int s, int lds, float[] r, int ro, int ldr,
                                float[] dst, int d, int ldd, int rows, int n) {
        DoubleVector one = DoubleVector.broadcast(D, 1);
        FloatVector a = FloatVector.broadcast(H, alpha);
        for (int row = 0; row < rows; row++) {
            int si = s + row * lds;
            int ri = ro + row * ldr;
            int di = d + row * ldd;
            int i = 0;
            if (r == null) {
                if (n >= HV) {
                    int t = n - HV;                   // the last HV: read before the row is written, stored after it
                    DoubleVector xt = (DoubleVector) FloatVector.fromArray(H, src, si + t).convertShape(VectorOperators.F2D, D, 0);
                    DoubleVector yt = one.div(one.add(xt.neg().lanewise(VectorOperators.EXP)));
                    FloatVector last = yt.convertShape(VectorOperators.D2F, H, 0).reinterpretAsFloats();
                    for (; i < t; i += HV) {
                        DoubleVector x = (DoubleVector) FloatVector.fromArray(H, src, si + i).convertShape(VectorOperators.F2D, D, 0);
                        DoubleVector y = one.div(one.add(x.neg().lanewise(VectorOperators.EXP)));
                        y.convertShape(VectorOperators.D2F, H, 0).reinterpretAsFloats().intoArray(dst, di + i);
                    }
                    last.intoArray(dst, di + t);
                    i = n;
                }
            } else {
                if (n >= HV) {
                    int t = n - HV;                   // the last HV: read before the row is written, stored after it
                    FloatVector zt = FloatVector.fromArray(H, r, ri + t).fma(a, FloatVector.fromArray(H, src, si + t));
                    DoubleVector xt = (DoubleVector) zt.convertShape(VectorOperators.F2D, D, 0);
                    DoubleVector yt = one.div(one.add(xt.neg().lanewise(VectorOperators.EXP)));
                    FloatVector last = yt.convertShape(VectorOperators.D2F, H, 0).reinterpretAsFloats();
                    for (; i < t; i += HV) {
                        FloatVector z = FloatVector.fromArray(H, r, ri + i).fma(a, FloatVector.fromArray(H, src, si + i));
                        DoubleVector x = (DoubleVector) z.convertShape(VectorOperators.F2D, D, 0);
                        DoubleVector y = one.div(one.add(x.neg().lanewise(VectorOperators.EXP)));
                        y.convertShape(VectorOperators.D2F, H, 0).reinterpretAsFloats().intoArray(dst, di + i);
                    }
                    last.intoArray(dst, di + t);
                    i = n;
                }
            }
            tail(act, alpha, src, si, r, ri, dst, di, i, n);
        }
    }

    /** {@code x / (1 + exp(-x))} in double. */
    private static void silu(Activation act, float alpha, float[] src, int s, int lds, float[] r, int ro, int ldr,
                             float[] dst, int d, int ldd, int rows, int n) {
        DoubleVector one = DoubleVector.broadcast(D, 1);
        FloatVector a = FloatVector.broadcast(H, alpha);
        for (int row = 0; row < rows; row++) {
            int si = s + row * lds;
            int ri = ro + row * ldr;
            int di = d + row * ldd;
            int i = 0;
            if (r == null) {
                if (n >= HV) {
                    int t = n - HV;                   // the last HV: read before the row is written, stored after it
                    DoubleVector xt = (DoubleVector) FloatVector.fromArray(H, src, si + t).convertShape(VectorOperators.F2D, D, 0);
                    DoubleVector yt = xt.div(one.add(xt.neg().lanewise(VectorOperators.EXP)));
                    FloatVector last = yt.convertShape(VectorOperators.D2F, H, 0).reinterpretAsFloats();
                    for (; i < t; i += HV) {
                        DoubleVector x = (DoubleVector) FloatVector.fromArray(H, src, si + i).convertShape(VectorOperators.F2D, D, 0);
                        DoubleVector y = x.div(one.add(x.neg().lanewise(VectorOperators.EXP)));
                        y.convertShape(VectorOperators.D2F, H, 0).reinterpretAsFloats().intoArray(dst, di + i);
                    }
                    last.intoArray(dst, di + t);
                    i = n;
                }
            } else {
                if (n >= HV) {
                    int t = n - HV;                   // the last HV: read before the row is written, stored after it
                    FloatVector zt = FloatVector.fromArray(H, r, ri + t).fma(a, FloatVector.fromArray(H, src, si + t));
                    DoubleVector xt = (DoubleVector) zt.convertShape(VectorOperators.F2D, D, 0);
                    DoubleVector yt = xt.div(one.add(xt.neg().lanewise(VectorOperators.EXP)));
                    FloatVector last = yt.convertShape(VectorOperators.D2F, H, 0).reinterpretAsFloats();
                    for (; i < t; i += HV) {
                        FloatVector z = FloatVector.fromArray(H, r, ri + i).fma(a, FloatVector.fromArray(H, src, si + i));
                        DoubleVector x = (DoubleVector) z.convertShape(VectorOperators.F2D, D, 0);
                        DoubleVector y = x.div(one.add(x.neg().lanewise(VectorOperators.EXP)));
                        y.convertShape(VectorOperators.D2F, H, 0).reinterpretAsFloats().intoArray(dst, di + i);
                    }
                    last.intoArray(dst, di + t);
                    i = n;
                }
            }
            tail(act, alpha, src, si, r, ri, dst, di, i, n);
        }
    }

    /** {@code tanh(x)} in double. */
    private static void tanh(Activation act, float alpha, float[] src, int s, int lds, float[] r, int ro, int ldr,
                             float[] dst, int d, int ldd, int rows, int n) {
        FloatVector a = FloatVector.broadcast(H, alpha);
        for (int row = 0; row < rows; row++) {
            int si = s + row * lds;
            int ri = ro + row * ldr;
            int di = d + row * ldd;
            int i = 0;
            if (r == null) {
                if (n >= HV) {
                    int t = n - HV;                   // the last HV: read before the row is written, stored after it
                    DoubleVector xt = (DoubleVector) FloatVector.fromArray(H, src, si + t).convertShape(VectorOperators.F2D, D, 0);
                    FloatVector last = xt.lanewise(VectorOperators.TANH).convertShape(VectorOperators.D2F, H, 0).reinterpretAsFloats();
                    for (; i < t; i += HV) {
                        DoubleVector x = (DoubleVector) FloatVector.fromArray(H, src, si + i).convertShape(VectorOperators.F2D, D, 0);
                        x.lanewise(VectorOperators.TANH).convertShape(VectorOperators.D2F, H, 0).reinterpretAsFloats().intoArray(dst, di + i);
                    }
                    last.intoArray(dst, di + t);
                    i = n;
                }
            } else {
                if (n >= HV) {
                    int t = n - HV;                   // the last HV: read before the row is written, stored after it
                    FloatVector zt = FloatVector.fromArray(H, r, ri + t).fma(a, FloatVector.fromArray(H, src, si + t));
                    DoubleVector xt = (DoubleVector) zt.convertShape(VectorOperators.F2D, D, 0);
                    FloatVector last = xt.lanewise(VectorOperators.TANH).convertShape(VectorOperators.D2F, H, 0).reinterpretAsFloats();
                    for (; i < t; i += HV) {
                        FloatVector z = FloatVector.fromArray(H, r, ri + i).fma(a, FloatVector.fromArray(H, src, si + i));
                        DoubleVector x = (DoubleVector) z.convertShape(VectorOperators.F2D, D, 0);
                        x.lanewise(VectorOperators.TANH).convertShape(VectorOperators.D2F, H, 0).reinterpretAsFloats().intoArray(dst, di + i);
                    }
                    last.intoArray(dst, di + t);
                    i = n;
                }
            }
            tail(act, alpha, src, si, r, ri, dst, di, i, n);
        }
    }

    /** {@code x / (1 + exp(-2u))}, {@code u = sqrt(2/pi) * (x + 0.044715 x^3)}, in double. */
    private static void geluTanh(Activation act, float alpha, float[] src, int s, int lds, float[] r, int ro, int ldr,
                                 float[] dst, int d, int ldd, int rows, int n) {
        DoubleVector one = DoubleVector.broadcast(D, 1);
        DoubleVector c = DoubleVector.broadcast(D, SQRT_2_OVER_PI);
        DoubleVector k = DoubleVector.broadcast(D, GELU_TANH_KAPPA);
        DoubleVector minusTwo = DoubleVector.broadcast(D, -2);
        FloatVector a = FloatVector.broadcast(H, alpha);
        for (int row = 0; row < rows; row++) {
            int si = s + row * lds;
            int ri = ro + row * ldr;
            int di = d + row * ldd;
            int i = 0;
            if (r == null) {
                if (n >= HV) {
                    int t = n - HV;                   // the last HV: read before the row is written, stored after it
                    DoubleVector xt = (DoubleVector) FloatVector.fromArray(H, src, si + t).convertShape(VectorOperators.F2D, D, 0);
                    DoubleVector ut = c.mul(xt.add(k.mul(xt).mul(xt).mul(xt)));
                    DoubleVector yt = xt.div(one.add(minusTwo.mul(ut).lanewise(VectorOperators.EXP)));
                    FloatVector last = yt.convertShape(VectorOperators.D2F, H, 0).reinterpretAsFloats();
                    for (; i < t; i += HV) {
                        DoubleVector x = (DoubleVector) FloatVector.fromArray(H, src, si + i).convertShape(VectorOperators.F2D, D, 0);
                        DoubleVector u = c.mul(x.add(k.mul(x).mul(x).mul(x)));
                        DoubleVector y = x.div(one.add(minusTwo.mul(u).lanewise(VectorOperators.EXP)));
                        y.convertShape(VectorOperators.D2F, H, 0).reinterpretAsFloats().intoArray(dst, di + i);
                    }
                    last.intoArray(dst, di + t);
                    i = n;
                }
            } else {
                if (n >= HV) {
                    int t = n - HV;                   // the last HV: read before the row is written, stored after it
                    FloatVector zt = FloatVector.fromArray(H, r, ri + t).fma(a, FloatVector.fromArray(H, src, si + t));
                    DoubleVector xt = (DoubleVector) zt.convertShape(VectorOperators.F2D, D, 0);
                    DoubleVector ut = c.mul(xt.add(k.mul(xt).mul(xt).mul(xt)));
                    DoubleVector yt = xt.div(one.add(minusTwo.mul(ut).lanewise(VectorOperators.EXP)));
                    FloatVector last = yt.convertShape(VectorOperators.D2F, H, 0).reinterpretAsFloats();
                    for (; i < t; i += HV) {
                        FloatVector z = FloatVector.fromArray(H, r, ri + i).fma(a, FloatVector.fromArray(H, src, si + i));
                        DoubleVector x = (DoubleVector) z.convertShape(VectorOperators.F2D, D, 0);
                        DoubleVector u = c.mul(x.add(k.mul(x).mul(x).mul(x)));
                        DoubleVector y = x.div(one.add(minusTwo.mul(u).lanewise(VectorOperators.EXP)));
                        y.convertShape(VectorOperators.D2F, H, 0).reinterpretAsFloats().intoArray(dst, di + i);
                    }
                    last.intoArray(dst, di + t);
                    i = n;
                }
            }
            tail(act, alpha, src, si, r, ri, dst, di, i, n);
        }
    }
}
