package dev.vconv.core.net;

/**
 * The non-convolution ops of a network, written plainly on NCHW arrays: max pool and global average pool. Each
 * loop keeps its innermost index on contiguous memory so that C2 can vectorise it; none allocates.
 */
final class PlainOps {

    private PlainOps() {
    }

    /**
     * {@code nn.MaxPool2d(k, s, p)} of {@code planes} planes {@code h x w} into {@code hout x wout}. Separable: for
     * each output row, the max over the window's input rows into {@code row} (contiguous, vectorisable), then the
     * max over each window's columns of {@code row}. Padding never wins: the window is clipped to the image (every
     * window keeps at least one pixel because {@code p <= k / 2}). {@link Math#max} propagates NaN, as PyTorch does.
     *
     * @param row scratch of at least {@code w} floats
     */
    static void maxPool(float[] in, float[] out, int planes, int h, int w, int hout, int wout, int k, int s, int p,
                        float[] row) {
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
                for (int ox = 0; ox < wout; ox++) {
                    int x0 = Math.max(0, ox * s - p);
                    int x1 = Math.min(w, ox * s - p + k);
                    float m = row[x0];
                    for (int x = x0 + 1; x < x1; x++) {
                        m = Math.max(m, row[x]);
                    }
                    out[to + ox] = m;
                }
            }
        }
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
