package dev.vconv.simd.kernel;

import dev.vconv.simd.layout.PhasePlanes;

/**
 * Splits a stretch of floats into its even and odd elements: the two width phases of a stride-2 input row
 * ({@link PhasePlanes}, {@code DepthwiseRunner}).
 *
 * <pre>
 * even[e + t] = src[s + 2t],   odd[o + t] = src[s + 2t + 1]        t &lt; n
 * </pre>
 * At 512 bits {@link F32Split512} does it with two-vector permutes; at 256 and 128 bits {@link F32Split256} and
 * {@link F32Split128} with one-vector permutes and blends (AVX2 has no two-vector permute). A 256-bit
 * version with two-vector permutes sometimes stayed in the Vector API's boxing fallback when it ran after
 * 512-bit code in the same JVM; the plain loop these replaced was slower (docs/KERNELS.md, C2 rules and tuning
 * table).
 */
public interface StrideSplit {

    void split(float[] src, int s, float[] even, int e, float[] odd, int o, int n);
}
