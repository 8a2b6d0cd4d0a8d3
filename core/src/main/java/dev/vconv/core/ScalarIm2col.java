package dev.vconv.core;

/**
 * im2col in plain Java: flattens every receptive field of one group of one image into a column, so
 * the convolution becomes the matrix product {@code W[coutG x K] * cols[K x P]}.
 *
 * <p>Layout: {@code cols} is row-major {@code [K][P]} with {@code K = (cin/groups)*kh*kw} rows ordered
 * {@code (ic, ky, kx)} (the order of the weight's last three axes) and {@code P = hout*wout} columns
 * ordered {@code (oy, ox)} (the order of the output plane). One index formula serves stride, dilation
 * and every padding mode: {@code iy = oy*sh + ky*dh - top}, mapped by {@link PaddingMode#map}.
 */
public final class ScalarIm2col {

    private ScalarIm2col() {
    }

    /**
     * Fills {@code cols} ({@code K x P}, from offset 0) for group {@code g} of the image that starts at
     * {@code imageOffset} in {@code x}.
     */
    public static void fill(ConvSpec spec, Nchw in, float[] x, int imageOffset, int g, float[] cols) {
        fill(spec, in, x, imageOffset, g, 0, spec.inChannelsPerGroup(), cols);
    }

    /**
     * The rows of input channels {@code [from, to)} of group {@code g} (counted within the group): the
     * {@code (to - from)*kh*kw} rows of {@link #fill(ConvSpec, Nchw, float[], int, int, float[]) fill} that
     * start at row {@code from*kh*kw}, written from offset 0 of {@code cols}.
     */
    public static void fill(ConvSpec spec, Nchw in, float[] x, int imageOffset, int g, int from, int to, float[] cols) {
        int hout = spec.outputHeight(in.h());
        int wout = spec.outputWidth(in.w());
        int p = hout * wout;
        int cinG = spec.inChannelsPerGroup();
        int kh = spec.kernelH();
        int kw = spec.kernelW();
        int sw = spec.strideW();
        PaddingMode mode = spec.paddingMode();
        int row = 0;
        for (int ic = from; ic < to; ic++) {
            int plane = imageOffset + (g * cinG + ic) * in.planeSize();
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++, row++) {
                    int offX = kx * spec.dilationW() - spec.padLeft();
                    // Output columns whose input column lies inside the image: ox*sw + offX in [0, w).
                    int oxLo = Math.min(wout, Math.max(0, ceilDiv(-offX, sw)));
                    int oxHi = Math.max(oxLo, Math.min(wout, ceilDiv(in.w() - offX, sw)));
                    for (int oy = 0; oy < hout; oy++) {
                        int dst = row * p + oy * wout;
                        int iy = mode.map(oy * spec.strideH() + ky * spec.dilationH() - spec.padTop(), in.h());
                        if (iy < 0) {
                            java.util.Arrays.fill(cols, dst, dst + wout, 0f);
                            continue;
                        }
                        int src = plane + iy * in.w();
                        // Border columns go through the padding mode; the interior is a plain (strided) copy.
                        for (int ox = 0; ox < oxLo; ox++) {
                            cols[dst + ox] = read(x, src, mode.map(ox * sw + offX, in.w()));
                        }
                        if (sw == 1 && oxHi > oxLo) {
                            System.arraycopy(x, src + oxLo + offX, cols, dst + oxLo, oxHi - oxLo);
                        } else {
                            for (int ox = oxLo; ox < oxHi; ox++) {
                                cols[dst + ox] = x[src + ox * sw + offX];
                            }
                        }
                        for (int ox = oxHi; ox < wout; ox++) {
                            cols[dst + ox] = read(x, src, mode.map(ox * sw + offX, in.w()));
                        }
                    }
                }
            }
        }
    }

    private static float read(float[] x, int rowStart, int ix) {
        return ix < 0 ? 0f : x[rowStart + ix];
    }

    static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
