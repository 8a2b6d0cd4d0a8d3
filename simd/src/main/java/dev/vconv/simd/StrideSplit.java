package dev.vconv.simd;

/**
 * Splits a stretch of floats into its even and odd elements: the two width phases of a stride-2 input row
 * ({@link ImplicitPath}, {@link DepthwisePath}).
 *
 * <pre>
 * even[e + t] = src[s + 2t],   odd[o + t] = src[s + 2t + 1]        t &lt; n
 * </pre>
 * {@link #SCALAR} is a plain loop, used at 128 bits. At 512 bits {@link F32Split512} does it with two-vector
 * permutes; at 256 bits {@link F32Split256} with one-vector permutes and blends, the instructions AVX2 has (a
 * version with two-vector permutes sometimes stayed in the Vector API's boxing fallback when it ran after
 * 512-bit code in the same JVM; see {@code docs/KERNELS.md}).
 */
interface StrideSplit {

    void split(float[] src, int s, float[] even, int e, float[] odd, int o, int n);

    /** The plain loop. */
    StrideSplit SCALAR = (src, s, even, e, odd, o, n) -> {
        for (int t = 0; t < n; t++) {
            even[e + t] = src[s + 2 * t];
            odd[o + t] = src[s + 2 * t + 1];
        }
    };
}
