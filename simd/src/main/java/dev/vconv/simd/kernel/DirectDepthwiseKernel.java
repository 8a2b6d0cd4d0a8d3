package dev.vconv.simd.kernel;

/**
 * The depthwise micro-kernels for 3x3 kernels at stride 1 or 2, dilation 1 and zero padding that read the input
 * channel directly: no padded planes are built and no row is split into its stride phases in memory. For output
 * row {@code oy} and column {@code ox} of one channel, with stride {@code s}:
 * <pre>
 * y[yOff + oy*wout + ox] = bias + sum  w[wOff + 3*ky + kx] * in(s*oy - padTop + ky, s*ox - padLeft + kx)
 * </pre>
 * with one fused multiply-add per tap, in the order of the kernel that reads the planes at that stride:
 * {@code kx} outer at stride 1 (as {@link DepthwiseKernel#rows3x3}), {@code ky} outer at stride 2 (as
 * {@link DepthwiseKernel#row}), so that every width gives the same bits. {@code in(r, c)} is
 * {@code x[xOff + r*w + c]} inside the image and a zero outside it, multiplied like the image's values (as the
 * planes' padding is), so that {@code 0 * inf} gives NaN there too; rows outside the image are read from
 * {@code zeros}: {@code w + 2V} zeros long, the row at {@code V} (the room around it lets a load start before the
 * row or end after it, as the stride-1 edge vectors' masked loads do).
 * <p>
 * The interior vectors may start at any column in {@code [first, last]}: the caller guarantees that each of them
 * reads inside its row ({@code DepthwiseVariant.direct}). Where {@code first > 0} an edge vector at column 0, and
 * where {@code last + V < wout} one at {@code wout - V}, read the first (last) {@code V} columns of each row at
 * stride 1, {@code 2V} at stride 2, and put zeros in the lanes that fall on padding; so {@code first <= V},
 * {@code wout - V <= last + V} and {@code w >= V} ({@code 2V} at stride 2). Interior vectors cover the columns
 * between the edge vectors, stepping by {@code V}, the last one moved back to end where the right edge vector
 * begins. An output that two vectors compute gets the same value from both (the same products in the same
 * order). Rows go in groups (four at stride 1, two at stride 2, which share the input rows they read), the last
 * group moved back to end at {@code hout}. Every output of the {@code hout x wout} plane is written, and nothing
 * else. Same C2 rules as {@link DepthwiseKernel#row}: no flags, and bodies longer than {@code FreqInlineSize}.
 */
public interface DirectDepthwiseKernel {

    /** Lanes of one vector. */
    int lanes();

    /**
     * Stride 1 in both directions, {@code hout >= 4}. {@code staging}, the calling thread's own, at least
     * {@link #stagingSize} floats and zero where this kernel has not written, takes a copy of the rows around
     * the edge vectors where their loads would leave {@code x}.
     */
    void rows3x3s1(float[] y, int yOff, int hout, int wout, float bias, float[] x, int xOff, int h, int w, int padTop,
                   int padLeft, int first, int last, float[] zeros, float[] staging, float[] wt, int wOff);

    /** The floats {@code rows3x3s1}'s {@code staging} needs for rows {@code w} wide. */
    int stagingSize(int w);

    /** Stride 2 in both directions, {@code hout >= 2}. */
    void rows3x3s2(float[] y, int yOff, int hout, int wout, float bias, float[] x, int xOff, int h, int w, int padTop,
                   int padLeft, int first, int last, float[] zeros, float[] wt, int wOff);
}
