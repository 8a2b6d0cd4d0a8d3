package dev.vconv.simd;

/**
 * The depthwise micro-kernel for 3x3 kernels at stride 2, dilation 1 and zero padding, read straight from the
 * input channel: no padded planes are built and no row is split into its stride phases in memory. Each input
 * row is loaded as pairs of vectors at {@code 2*ox - padLeft} (and one further), and two-vector permutes pick
 * the even and odd elements, which are the three taps of that row for a vector of outputs. Two output rows at a
 * time share the middle one of the five input rows they read. For output row {@code oy} and column {@code ox}:
 * <pre>
 * y[yOff + oy*wout + ox] = bias + sum_ky sum_kx  w[wOff + 3*ky + kx] * in(2*oy - padTop + ky, 2*ox - padLeft + kx)
 * </pre>
 * with {@code ky} outer and one fused multiply-add per tap, where {@code in(r, c)} is {@code x[xOff + r*w + c]}
 * for rows {@code 0 <= r < h}, and otherwise the zeros of {@code zeros} (at least {@code w} long): padding rows
 * are multiplied like image rows, so that {@code 0 * inf} gives NaN as under the planes of the other kernels.
 * <p>
 * The columns {@code [first, last + V)} go by vectors, stepping by {@code V} from {@code first}, the last vector
 * moved back to start at {@code last}; the caller guarantees that every one of them reads inside its row
 * ({@code 2*first - padLeft >= 0}, {@code 2*last - padLeft + 2*V + 1 <= w}, see {@link DepthwisePath#stride2}).
 * The columns left and right of them go by one edge vector each, at column 0 and at {@code wout - V}, which
 * reads the first (last) {@code 2V} columns of each row and puts zeros in the lanes that fall on padding; so
 * {@code first <= V}, {@code wout - V <= last + V} and {@code w >= 2V}. Any output that two vectors compute gets
 * the same value from both (the same products in the same order).
 * Rows go in pairs, the last pair moved back to end at {@code hout} ({@code hout >= 2}). Every output of the
 * {@code hout x wout} plane is written, and nothing else. Same C2 rules as {@link DepthwiseKernel#row}: no
 * flags, and a body longer than {@code FreqInlineSize}.
 */
interface DepthwiseS2Kernel {

    /** Lanes of one vector: the interior of a row must hold at least one. */
    int lanes();

    void rows3x3s2(float[] y, int yOff, int hout, int wout, float bias, float[] x, int xOff, int h, int w, int padTop,
                   int padLeft, int first, int last, float[] zeros, float[] wt, int wOff);
}
