package dev.vconv.simd.kernel;

/**
 * The depthwise micro-kernel: a stretch of output columns of one channel, vectorised along it.
 *
 * <pre>
 * out[outOff + ox] = bias + sum_t  w[wOff + t] * src[taps[t] + ox]        ox &lt; wout, t &lt; taps.length
 * </pre>
 * Each tap's source is contiguous in {@code ox} because the plan has split the padded input plane into
 * stride phases (see {@code PhasePlanes}, {@code DepthwiseRunner}); the sum runs over the taps in order with one
 * fused multiply-add each, vector lanes and the scalar tail alike, so every element gets the same rounding.
 */
public interface DepthwiseKernel {

    /** Columns of the widest step of {@link #row}: a {@code wout} that is a multiple of it runs only that step. */
    int step();

    /**
     * The stretch {@code [0, wout)}. Two rules keep C2 from leaving the kernel in the Vector API's Java fallback,
     * which boxes every vector (hundreds of KB per call, caught by {@code AllocationTest} when the tests use a
     * second width after the first): no options such as a ReLU flag (the caller applies the ReLU while copying
     * the row out), and a body longer than C2's {@code FreqInlineSize} (325 bytes of bytecode; the scalar tail
     * is written out for that), so that the kernel is compiled by itself: inlined into the width-generic
     * caller next to another width's kernel, it kept the fallback.
     */
    void row(float[] out, int outOff, int wout, float bias, float[] src, int[] taps, float[] w, int wOff);

    /**
     * A 3x3 kernel read at stride 1 and dilation 1 in height ({@code taps[3*ky + kx] == taps[kx] + ky*wq}), over
     * {@code hout >= 4} output rows of {@code wout >= V} columns (one vector), written straight into the output
     * rows {@code y[yOff + oy*wout + ox]}: four output rows at a time share the six input rows they read, so each
     * tap column costs six loads for twelve fused multiply-adds instead of twelve (the kernel is bound by its
     * loads). Each output's sum runs {@code kx} outer, {@code ky} inner:
     * <pre>
     * y[yOff + oy*wout + ox] = bias + sum_kx sum_ky  w[wOff + 3*ky + kx] * src[taps[3*ky + kx] + oy*wq + ox]
     * </pre>
     * The last vector of a row and the last group of four rows move back to end at {@code wout} and {@code hout}
     * (recomputing some outputs, to the same values), so nothing outside the {@code hout x wout} outputs is
     * written and no source column past {@code wout} is read. Same rules as {@link #row}.
     */
    void rows3x3(float[] y, int yOff, int hout, int wout, int wq, float bias, float[] src, int[] taps, float[] w, int wOff);
}
