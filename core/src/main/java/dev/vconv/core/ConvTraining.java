package dev.vconv.core;

import java.util.Objects;

/**
 * The backward and transposed convolutions of every engine but the reference, on the stages of the forward:
 * im2col or col2im (scalar, here) and a matrix product ({@link MatMul}: {@link MatMul#scalar()} for the scalar
 * engine, the packed GEMM for the SIMD engine). Per image and group {@code g}, with {@code cols = im2col(x)}
 * ({@code K x P}), {@code W_g} ({@code coutG x K}) and {@code gy_g} ({@code coutG x P}):
 * <pre>
 * grad_weight_g += gy_g * cols^T                       (summed over the batch)
 * grad_input     = col2im(W_g^T * gy_g)
 * grad_bias[o]   = sum of gy over n, y, x
 * transposed     = col2im(W_g^T * x_g) + bias           (W_g = the transposed weight's rows of group g)
 * </pre>
 */
public final class ConvTraining {

    private ConvTraining() {
    }

    /** The gradients for {@code dL/d(output)} = {@code gradOutput}, the products on {@code matMul}. */
    public static ConvGradients backward(MatMul matMul, ConvSpec spec, Tensor input, Tensor weight, Tensor gradOutput) {
        Objects.requireNonNull(spec, "spec");
        spec.checkBackward(input, weight, gradOutput);
        Tensor gx = Tensor.zeros(input.shape());
        Tensor gw = Tensor.zeros(weight.shape());
        Tensor gb = spec.hasBias() ? Tensor.zeros(spec.biasShape()) : null;
        backwardInto(matMul, spec, Nchw.of(input.shape()), input, weight.data(), gradOutput, gx.data(), gw.data(),
                gb == null ? null : gb.data(), new float[columnBufferSize(spec, input.shape())]);
        return new ConvGradients(gx, gw, gb);
    }

    /**
     * Floats of the column buffer {@link #backwardInto} needs: {@code K x P}; 0 for an empty batch, which has no
     * image to unfold whatever its size.
     *
     * @throws IllegalArgumentException if {@code K x P} is more than an array holds
     */
    public static int columnBufferSize(ConvSpec spec, Shape input) {
        Nchw in = Nchw.of(input);
        if (in.n() == 0) {
            return 0;
        }
        int k = spec.reductionLength();
        long p = (long) spec.outputHeight(in.h()) * spec.outputWidth(in.w());
        checkBuffer(spec, input, k, p);
        return (int) (k * p);
    }

    /**
     * The backward pass into the caller's arrays (overwritten; {@code gradBias} may be null), on checked operands
     * ({@code in} is the input's shape as NCHW), with a column buffer of {@link #columnBufferSize}: allocates
     * nothing itself, for plans. The same as zeroing the gradients and running {@link #backwardChannels} on every
     * group's channels {@code [0, cin/groups)}.
     */
    public static void backwardInto(MatMul matMul, ConvSpec spec, Nchw in, Tensor input, float[] weight, Tensor gradOutput,
                                    float[] gradInput, float[] gradWeight, float[] gradBias, float[] cols) {
        zeroGradients(gradInput, gradWeight, gradBias);
        for (int g = 0; g < spec.groups(); g++) {
            backwardChannels(matMul, spec, in, input.data(), weight, gradOutput.data(), gradInput, gradWeight, gradBias,
                    g, 0, spec.inChannelsPerGroup(), cols);
        }
    }

    /** Zeroes the gradients ({@code gradBias} may be null) before {@link #backwardChannels} adds onto them. */
    public static void zeroGradients(float[] gradInput, float[] gradWeight, float[] gradBias) {
        java.util.Arrays.fill(gradInput, 0f);
        java.util.Arrays.fill(gradWeight, 0f);
        if (gradBias != null) {
            java.util.Arrays.fill(gradBias, 0f);
        }
    }

    /**
     * The share of the backward pass that belongs to input channels {@code [from, to)} of group {@code g}
     * (counted within the group), over every image in order: their rows of {@code grad_input}, their columns of
     * {@code grad_weight_g} (the weight's entries for those channels), and, when {@code from == 0}, the group's
     * {@code grad_bias}. It adds onto gradients the caller has zeroed, and writes nothing else, so disjoint shares
     * may run on different threads at once. Each gradient element gets the same sums in the same order as in
     * {@link #backwardInto}: a share's products are rows or columns of the whole group's, and {@link MatMul} adds
     * each element's products in increasing {@code k}; so the results are the same bit for bit however the
     * channels are split. {@code cols} needs {@code (to - from)*kh*kw * P} floats.
     */
    public static void backwardChannels(MatMul matMul, ConvSpec spec, Nchw in, float[] x, float[] weight, float[] gy,
                                        float[] gradInput, float[] gradWeight, float[] gradBias, int g, int from, int to,
                                        float[] cols) {
        int hout = spec.outputHeight(in.h());
        int wout = spec.outputWidth(in.w());
        int p = hout * wout;
        int k = spec.reductionLength();
        int coutG = spec.outChannelsPerGroup();
        int cinG = spec.inChannelsPerGroup();
        int taps = spec.kernelH() * spec.kernelW();
        int rows = (to - from) * taps;     // this share's rows of cols, and columns of grad_weight_g
        int first = from * taps;
        for (int n = 0; n < in.n(); n++) {
            int gyOff = (n * spec.outChannels() + g * coutG) * p;
            ScalarIm2col.fill(spec, in, x, n * in.imageSize(), g, from, to, cols);
            // grad_weight_g[coutG x rows] += gy_g[coutG x P] * cols^T[P x rows]
            matMul.multiplyAdd(coutG, rows, p, gy, gyOff, p, false, cols, 0, p, true, gradWeight, g * coutG * k + first, k);
            // dcols[rows x P] = W_g^T[rows x coutG] * gy_g[coutG x P], then folded back onto the input
            java.util.Arrays.fill(cols, 0, rows * p, 0f);
            matMul.multiplyAdd(rows, p, coutG, weight, g * coutG * k + first, k, true, gy, gyOff, p, false, cols, 0, p);
            ScalarCol2im.add(spec, cols, hout, wout, to - from, gradInput, n * in.imageSize(), g * cinG + from, in.h(), in.w());
            if (gradBias != null && from == 0) {
                PlaneOps.addPlaneSums(gy, gyOff, coutG, p, gradBias, g * coutG);
            }
        }
    }

    /** The transposed convolution into {@code output}, the products on {@code matMul}. */
    public static void transpose(MatMul matMul, ConvTransposeSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor output) {
        spec.checkForward(input, weight, bias, output);
        ConvSpec geometry = spec.adjoint();
        Nchw in = Nchw.of(input.shape());
        Nchw out = Nchw.of(output.shape());
        int hw = in.h() * in.w();
        int cinG = spec.inChannelsPerGroup();
        int coutG = spec.outChannelsPerGroup();
        int k = coutG * spec.kernelH() * spec.kernelW();
        if (in.n() == 0) {
            return;                         // the empty output; h*w may not even fit an int
        }
        checkBuffer(geometry, input.shape(), k, hw);
        float[] y = output.data();
        float[] cols = new float[k * hw];
        PlaneOps.fillWithBias(output, bias);
        for (int g = 0; g < spec.groups(); g++) {
            for (int n = 0; n < in.n(); n++) {
                // cols[Kt x HW] = W_g^T[Kt x cinG] * x_g[cinG x HW]; W_g's rows are the group's input channels
                java.util.Arrays.fill(cols, 0f);
                matMul.multiplyAdd(k, hw, cinG, weight.data(), g * cinG * k, k, true,
                        input.data(), n * in.imageSize() + g * cinG * hw, hw, false, cols, 0, hw);
                ScalarCol2im.add(geometry, cols, in.h(), in.w(), coutG, y, n * out.imageSize(), g * coutG, out.h(), out.w());
            }
        }
    }

    private static void checkBuffer(ConvSpec spec, Shape input, int k, long p) {
        if (k * p > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the column buffer for " + spec + " on input " + input
                    + " would need " + k + " x " + p + " elements, more than a Java array can hold");
        }
    }
}
