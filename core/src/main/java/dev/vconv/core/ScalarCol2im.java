package dev.vconv.core;

/**
 * col2im in plain Java, the adjoint of {@link ScalarIm2col}: adds every entry of a column matrix
 * {@code [channels*kh*kw][gridH*gridW]} (rows ordered {@code (c, ky, kx)}, columns {@code (oy, ox)}) onto the
 * image position its window read, {@code (map(oy*sh + ky*dh - top), map(ox*sw + kx*dw - left))}; entries
 * that fall on zero padding are dropped, and those on reflected, replicated or wrapped padding fold back onto
 * the position they were copied from. It serves the input gradient ({@code grid} = the output) and the
 * transposed convolution ({@code grid} = its input).
 */
public final class ScalarCol2im {

    private ScalarCol2im() {
    }

    /**
     * Adds {@code cols} into channels {@code [firstChannel, firstChannel + channels)} of the image at
     * {@code imageOffset} in {@code target}, whose planes are {@code h x w}. Geometry (kernel, stride,
     * dilation, top/left padding, padding mode) comes from {@code spec}.
     */
    public static void add(ConvSpec spec, float[] cols, int gridH, int gridW, int channels,
                           float[] target, int imageOffset, int firstChannel, int h, int w) {
        int kh = spec.kernelH();
        int kw = spec.kernelW();
        int p = gridH * gridW;
        PaddingMode mode = spec.paddingMode();
        int row = 0;
        for (int c = 0; c < channels; c++) {
            int plane = imageOffset + (firstChannel + c) * h * w;
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++, row++) {
                    for (int oy = 0; oy < gridH; oy++) {
                        int iy = mode.map(oy * spec.strideH() + ky * spec.dilationH() - spec.padTop(), h);
                        if (iy < 0) {
                            continue;
                        }
                        int src = row * p + oy * gridW;
                        int dst = plane + iy * w;
                        for (int ox = 0; ox < gridW; ox++) {
                            int ix = mode.map(ox * spec.strideW() + kx * spec.dilationW() - spec.padLeft(), w);
                            if (ix >= 0) {
                                target[dst + ix] += cols[src + ox];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * {@code dst[c][r] = src[srcOff + r*ld + c]} for {@code r < rows, c < cols}: the transpose of a row-major
     * {@code rows x cols} block with leading dimension {@code ld}, into a dense {@code cols x rows} array.
     */
    static void transpose(float[] src, int srcOff, int rows, int cols, int ld, float[] dst) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                dst[c * rows + r] = src[srcOff + r * ld + c];
            }
        }
    }
}
