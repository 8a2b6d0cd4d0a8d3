package dev.vconv.simd.kernel;

import dev.vconv.core.Activation;
import dev.vconv.core.Epilogue;

/**
 * A fused epilogue's element-wise step ({@link Epilogue}), vectorised, on {@code rows} rows of {@code n} elements
 * (row {@code q} of each operand {@code ld} floats after row {@code q - 1}): for {@code q < rows}, {@code i < n},
 * <pre>
 * dst[d + q*ldd + i] = act(src[s + q*lds + i] + alpha * r[ro + q*ldr + i])   the add rounded once, as Math.fma(alpha, r, src)
 * dst[d + q*ldd + i] = act(src[s + q*lds + i])                                where r is null
 * </pre>
 * in one pass: each element of {@code src} and {@code r} is read once and each of {@code dst} written once, so
 * {@code dst} may be {@code src} or {@code r} at the same offsets (an in-place epilogue, a residual that is the
 * output). The exact activations (identity, ReLU, clamp, LeakyReLU, hardswish) and the residual add give
 * {@link Activation#apply}'s bits; SiLU, sigmoid, tanh and GELU-tanh are computed in double lanes from the float
 * argument and rounded once, as {@code apply} is, with the Vector API's exp and tanh (within
 * {@link Epilogue#TRANSCENDENTAL_ULPS} of {@code apply}); GELU's erf has no vector form here: it runs one element at a
 * time through {@code apply}. Per width a class of its own, generated from {@code F32Epilogue.java.in}.
 */
public interface EpilogueKernel {

    void apply(Activation act, float alpha, float[] src, int s, int lds, float[] r, int ro, int ldr,
               float[] dst, int d, int ldd, int rows, int n);

    /** One row of {@code n} elements. */
    default void apply(Activation act, float alpha, float[] src, int s, float[] r, int ro, float[] dst, int d, int n) {
        apply(act, alpha, src, s, 0, r, ro, 0, dst, d, 0, 1, n);
    }
}
