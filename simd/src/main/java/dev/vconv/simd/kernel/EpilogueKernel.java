package dev.vconv.simd.kernel;

import dev.vconv.core.Activation;
import dev.vconv.core.Epilogue;

/**
 * A fused epilogue's element-wise step ({@link Epilogue}), vectorised: for {@code i < n},
 * <pre>
 * dst[d + i] = act(src[s + i] + alpha * r[ro + i])        the add rounded once, as Math.fma(alpha, r, src)
 * dst[d + i] = act(src[s + i])                            where r is null
 * </pre>
 * Each element is read before it is written, so {@code dst} may be {@code src} or {@code r} at the same offset (an
 * in-place epilogue, a residual that is the output). The exact activations (identity, ReLU, clamp, LeakyReLU,
 * hardswish) and the residual add give {@link Activation#apply}'s bits; SiLU, sigmoid, tanh and GELU-tanh are
 * computed in double lanes from the float argument and rounded once, as {@code apply} is, with the Vector API's
 * exp and tanh (within {@link Epilogue#TRANSCENDENTAL_ULPS} of {@code apply}); GELU's erf has no vector form here:
 * it runs one element at a time through {@code apply}. Per width a class of its own, generated from
 * {@code F32Epilogue.java.in}.
 */
public interface EpilogueKernel {

    void apply(Activation act, float alpha, float[] src, int s, float[] r, int ro, float[] dst, int d, int n);
}
