package dev.vconv.simd.kernel;

/**
 * The depthwise micro-kernels for 3x3 kernels with padding 1 on every side, dilation 1 and zero padding, at
 * stride 1 or 2, on images whose output rows are too narrow for a {@link DirectDepthwiseKernel} (MobileNetV2's
 * 14x14 and 7x7 layers): a vector runs along the output columns {@code p = oy*wout + ox} of the whole channel,
 * across row ends, and writes straight into the output plane. Each tap reads {@code V} consecutive floats of a
 * source laid out with the output's row length {@code wout}, so a lane whose tap column falls outside its row
 * ({@code ox + kx - 1} outside {@code [0, wout)}) would read the neighbouring row's value: that value is replaced
 * by a zero before it is multiplied (so that {@code 0 * inf} gives NaN, as the planes' padding does), by the
 * per-vector lane masks of {@code DepthwiseVariant.wrappedMasks}. Padding rows are zero rows of the source.
 * <p>
 * The vectors start at {@code 0, V, 2V, ...}, the last one moved back to end at {@code count = hout*wout >= V}
 * (recomputing some outputs, to the same values), so exactly the {@code count} outputs are written; or, at
 * stride 1 on rows of {@code 3V/4} to {@code V}, in groups of four a row apart (see the 512-bit kernel). The sums
 * run in the order of the direct kernels at the same stride: {@code kx} outer at stride 1, {@code ky} outer at
 * stride 2, one fused multiply-add per tap. Same C2 rules as {@link DepthwiseKernel#row}: no flags, and bodies
 * longer than {@code FreqInlineSize}.
 */
public interface WrappedDepthwiseKernel {

    /** Lanes of one vector. */
    int lanes();

    /**
     * Stride 1 ({@code wout == w}): tap {@code (ky, kx)} of output {@code p} is {@code src[base + ky*wout + kx - 1 + p]},
     * where {@code src} holds a zero row, the channel's {@code hout} rows and another zero row from {@code base}
     * on, with at least one float before {@code base} and {@code V} after the last zero row. {@code masks} (from
     * {@code DepthwiseVariant.wrappedMasks}) give a vector whose first lane is at column {@code ox0} the lanes
     * {@code ox == 0} at {@code 2*ox0*V} and the lanes {@code ox == wout - 1} at {@code (2*ox0 + 1)*V}.
     */
    void wrapped3x3s1(float[] y, int yOff, int count, int wout, float bias, float[] src, int base, boolean[] masks,
                      float[] wt, int wOff);

    /**
     * Stride 2 on the four phase planes of {@link #split3x3s2} at {@code planes[0..3]} (even rows: even columns,
     * odd columns; odd rows: even columns, odd columns): tap {@code (ky, kx)} reads the plane of row phase
     * {@code ky != 1} and column phase {@code kx != 1}, at row {@code oy + (ky == 2 ? 1 : 0)} of an odd-row plane
     * (its row 0 being the padding row above the image) and column {@code ox - (kx == 0 ? 1 : 0)}. {@code masks}
     * give a vector whose first lane is at column {@code ox0} the lanes {@code ox == 0} at {@code ox0*V}.
     */
    void wrapped3x3s2(float[] y, int yOff, int count, int wout, float bias, float[] src, int[] planes, boolean[] masks,
                      float[] wt, int wOff);

    /** The widest input rows {@link #split3x3s2} takes. */
    int splitWidth();

    /**
     * Splits the {@code h x w} channel at {@code x[xOff]} ({@code w <= splitWidth()}) into the phase planes at
     * {@code planes[0..3]} of {@link #wrapped3x3s2}, rows of {@code wout = ceil(w / 2)}: input row {@code r} goes to
     * row {@code r / 2} of an even-row plane or row {@code (r + 1) / 2} of an odd-row plane; a column past the
     * image's end is written as a zero. Each row is written in whole vectors whose lanes past the row are zeros,
     * rows in order, so every plane needs {@code V} floats after its end; the rows of the odd-row planes that no
     * input row fills (the first, and the last when {@code h} is odd) must already be zero, and nothing here writes
     * anything but zeros there.
     */
    void split3x3s2(float[] x, int xOff, int h, int w, float[] dst, int[] planes, int wout);

    /**
     * Rows {@code [r, h)} of {@link #split3x3s2}, one float at a time: the kernels' splits leave them the rows whose
     * vector loads would read past the end of {@code x}, and an odd last row.
     */
    static void splitRows(float[] x, int xOff, int r, int h, int w, float[] dst, int[] planes, int wout) {
        for (; r < h; r++) {
            int from = xOff + r * w;
            int to = (r + 1) / 2 * wout;                  // odd row 2j + 1 is row j + 1 of its planes
            int e = ((r & 1) == 0 ? planes[0] : planes[2]) + to;
            int o = ((r & 1) == 0 ? planes[1] : planes[3]) + to;
            for (int j = 0; j < wout; j++) {
                dst[e + j] = x[from + 2 * j];
                dst[o + j] = 2 * j + 1 < w ? x[from + 2 * j + 1] : 0f;
            }
        }
    }
}
