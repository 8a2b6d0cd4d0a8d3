package dev.vconv.core.net;

/**
 * The non-convolution ops of a network, written plainly on NCHW arrays: max pool and global average pool. Each
 * loop keeps its innermost index on contiguous memory so that C2 can vectorise it; none allocates.
 */
final class PlainOps {

    private PlainOps() {
    }

    /**
     * {@code nn.MaxPool2d(k, s, p)} of {@code planes} planes {@code h x w} into {@code hout x wout}. Separable, and
     * each pass a contiguous loop: for each output row, the max over the window's input rows into {@code row[0, w)};
     * then the max of each {@code k} consecutive values of that into {@code row[w, 2w)} ({@code k - 1} passes); the
     * outputs whose window lies inside the row are every {@code s}-th of those, the few at the edges take the max
     * over their window clipped to the image. Padding never wins: every window keeps at least one pixel because
     * {@code p <= k / 2}. {@link Math#max} propagates NaN, as PyTorch does; it is associative and commutative, so
     * the order of the maxima does not change the result.
     *
     * @param row scratch of at least {@code 2 * w} floats
     */
    static void maxPool(float[] in, float[] out, int planes, int h, int w, int hout, int wout, int k, int s, int p,
                        float[] row) {
        int windows = w - k + 1;                                                    // windows inside a row
        int inside0 = Math.min(wout, Math.ceilDiv(p, s));                           // first ox with ox*s - p >= 0
        int inside1 = Math.max(inside0, Math.min(wout, Math.floorDiv(w - k + p, s) + 1));   // past the last with ox*s - p + k <= w
        for (int plane = 0; plane < planes; plane++) {
            int inPlane = plane * h * w;
            int outPlane = plane * hout * wout;
            for (int oy = 0; oy < hout; oy++) {
                int y0 = Math.max(0, oy * s - p);
                int y1 = Math.min(h, oy * s - p + k);
                System.arraycopy(in, inPlane + y0 * w, row, 0, w);
                for (int y = y0 + 1; y < y1; y++) {
                    int from = inPlane + y * w;
                    for (int x = 0; x < w; x++) {
                        row[x] = Math.max(row[x], in[from + x]);
                    }
                }
                int to = outPlane + oy * wout;
                if (inside1 > inside0) {
                    System.arraycopy(row, 0, row, w, windows);
                    for (int j = 1; j < k; j++) {
                        for (int x = 0; x < windows; x++) {
                            row[w + x] = Math.max(row[w + x], row[x + j]);
                        }
                    }
                    for (int ox = inside0; ox < inside1; ox++) {
                        out[to + ox] = row[w + ox * s - p];
                    }
                }
                for (int ox = 0; ox < inside0; ox++) {
                    out[to + ox] = clippedMax(row, ox * s - p, k, w);
                }
                for (int ox = inside1; ox < wout; ox++) {
                    out[to + ox] = clippedMax(row, ox * s - p, k, w);
                }
            }
        }
    }

    /** The max of {@code row[x0, x0 + k)} clipped to {@code [0, w)}. */
    private static float clippedMax(float[] row, int x0, int k, int w) {
        int from = Math.max(0, x0);
        int to = Math.min(w, x0 + k);
        float m = row[from];
        for (int x = from + 1; x < to; x++) {
            m = Math.max(m, row[x]);
        }
        return m;
    }

    /** {@code nn.AdaptiveAvgPool2d(1)}: the mean of each of {@code planes} planes of {@code hw} values, summed in double. */
    static void globalAvgPool(float[] in, float[] out, int planes, int hw) {
        for (int plane = 0; plane < planes; plane++) {
            int from = plane * hw;
            double sum = 0;
            for (int i = 0; i < hw; i++) {
                sum += in[from + i];
            }
            out[plane] = (float) (sum / hw);
        }
    }
}
