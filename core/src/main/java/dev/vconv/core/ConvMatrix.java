package dev.vconv.core;

/**
 * The convolution as a dense matrix (the textbook "unrolled kernel" form): for one image, each output
 * element is the inner product of the flattened input with the kernel placed at its window, zeros
 * elsewhere. Row {@code (oc, oy, ox)} of the matrix holds, at column {@code (c, iy, ix)}, the sum of the
 * weights that read that input position (more than one where a padding mode maps several padded
 * positions onto it). Without bias: {@code vec(conv(x)) = M * vec(x)}, and the gradient with respect to
 * the input is {@code M^T * vec(gradOutput)}. Only for small inputs: the matrix has
 * {@code (cout*hout*wout) x (cin*h*w)} entries.
 */
public final class ConvMatrix {
    private final int rows;
    private final int cols;
    private final double[] entries;

    private ConvMatrix(int rows, int cols, double[] entries) {
        this.rows = rows;
        this.cols = cols;
        this.entries = entries;
    }

    /** Builds the matrix of {@code spec} with {@code weight} for one unbatched image of {@code [cin, h, w]}. */
    public static ConvMatrix of(ConvSpec spec, Shape image, Tensor weight) {
        spec.checkWeight(weight);
        if (image.rank() != 3) {
            throw new IllegalArgumentException("ConvMatrix is built for one unbatched image [cin, h, w], but got size " + image);
        }
        Shape out = spec.outputShape(image);
        long size = (long) out.size() * image.size();
        if (size > 1 << 26) {
            throw new IllegalArgumentException("ConvMatrix of " + out.size() + " x " + image.size() + " entries is too large: "
                    + "it is meant for small inputs (at most 2^26 entries)");
        }
        int h = image.dim(1);
        int w = image.dim(2);
        int hout = out.dim(1);
        int wout = out.dim(2);
        int cinG = spec.inChannelsPerGroup();
        int coutG = spec.outChannelsPerGroup();
        double[] m = new double[(int) size];
        float[] k = weight.data();
        for (int oc = 0; oc < spec.outChannels(); oc++) {
            int g = oc / coutG;
            for (int oy = 0; oy < hout; oy++) {
                for (int ox = 0; ox < wout; ox++) {
                    int row = (oc * hout + oy) * wout + ox;
                    for (int ic = 0; ic < cinG; ic++) {
                        for (int ky = 0; ky < spec.kernelH(); ky++) {
                            int iy = spec.paddingMode().map(oy * spec.strideH() + ky * spec.dilationH() - spec.padTop(), h);
                            for (int kx = 0; kx < spec.kernelW() && iy >= 0; kx++) {
                                int ix = spec.paddingMode().map(ox * spec.strideW() + kx * spec.dilationW() - spec.padLeft(), w);
                                if (ix >= 0) {
                                    int col = ((g * cinG + ic) * h + iy) * w + ix;
                                    m[row * image.size() + col] += k[((oc * cinG + ic) * spec.kernelH() + ky) * spec.kernelW() + kx];
                                }
                            }
                        }
                    }
                }
            }
        }
        return new ConvMatrix(out.size(), image.size(), m);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public double get(int row, int col) {
        return entries[row * cols + col];
    }

    /** {@code M * v}. */
    public double[] multiply(float[] v) {
        checkLength("v", v.length, cols);
        double[] out = new double[rows];
        for (int r = 0; r < rows; r++) {
            double sum = 0;
            for (int c = 0; c < cols; c++) {
                sum += entries[r * cols + c] * v[c];
            }
            out[r] = sum;
        }
        return out;
    }

    /** {@code M^T * v}. */
    public double[] multiplyTransposed(float[] v) {
        checkLength("v", v.length, rows);
        double[] out = new double[cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c] += entries[r * cols + c] * v[r];
            }
        }
        return out;
    }

    private static void checkLength(String name, int length, int expected) {
        if (length != expected) {
            throw new IllegalArgumentException(name + " must have " + expected + " elements, but got " + length);
        }
    }
}
