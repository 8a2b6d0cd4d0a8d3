package dev.vconv.simd;

/**
 * The depthwise micro-kernel: a stretch of output columns of one channel, vectorised along it.
 *
 * <pre>
 * out[outOff + ox] = bias + sum_t  w[wOff + t] * src[taps[t] + ox]        ox &lt; wout, t &lt; taps.length
 * </pre>
 * Each tap's source is contiguous in {@code ox} because the plan has split the padded input plane into
 * stride phases (see {@link DepthwisePath}); the sum runs over the taps in order with one fused multiply-add
 * each, vector lanes and the scalar tail alike, so every element gets the same rounding.
 */
interface DepthwiseKernel {

    /** Columns of the widest step of {@link #row}: a {@code wout} that is a multiple of it runs only that step. */
    int step();

    void row(float[] out, int outOff, int wout, float bias, float[] src, int[] taps, float[] w, int wOff, boolean relu);
}
