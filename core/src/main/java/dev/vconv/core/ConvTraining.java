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

    /** Floats of the column buffer {@link #backwardInto} needs: {@code K x P}. */
    public static int columnBufferSize(ConvSpec spec, Shape input) {
        Nchw in = Nchw.of(input);
        int k = spec.reductionLength();
        int p = spec.outputHeight(in.h()) * spec.outputWidth(in.w());
        checkBuffer(spec, input, k, p);
        return k * p;
    }

    /**
     * The backward pass into the caller's arrays (overwritten; {@code gradBias} may be null), on checked operands
     * ({@code in} is the input's shape as NCHW), with a column buffer of {@link #columnBufferSize}: allocates
     * nothing itself, for plans.
     */
    public static void backwardInto(MatMul matMul, ConvSpec spec, Nchw in, Tensor input, float[] weight, Tensor gradOutput,
                                    float[] gradInput, float[] gradWeight, float[] gradBias, float[] cols) {
        int hout = spec.outputHeight(in.h());
        int wout = spec.outputWidth(in.w());
        int p = hout * wout;
        int k = spec.reductionLength();
        int coutG = spec.outChannelsPerGroup();
        int cinG = spec.inChannelsPerGroup();
        float[] x = input.data();
        float[] gy = gradOutput.data();
        java.util.Arrays.fill(gradInput, 0f);
        java.util.Arrays.fill(gradWeight, 0f);
        if (gradBias != null) {
            java.util.Arrays.fill(gradBias, 0f);
        }
        for (int n = 0; n < in.n(); n++) {
            for (int g = 0; g < spec.groups(); g++) {
                int gyOff = (n * spec.outChannels() + g * coutG) * p;
                ScalarIm2col.fill(spec, in, x, n * in.imageSize(), g, cols);
                // grad_weight_g[coutG x K] += gy_g[coutG x P] * cols^T[P x K]
                matMul.multiplyAdd(coutG, k, p, gy, gyOff, p, false, cols, 0, p, true, gradWeight, g * coutG * k, k);
                // dcols[K x P] = W_g^T[K x coutG] * gy_g[coutG x P], then folded back onto the input
                java.util.Arrays.fill(cols, 0, k * p, 0f);
                matMul.multiplyAdd(k, p, coutG, weight, g * coutG * k, k, true, gy, gyOff, p, false, cols, 0, p);
                ScalarCol2im.add(spec, cols, hout, wout, cinG, gradInput, n * in.imageSize(), g * cinG, in.h(), in.w());
                if (gradBias != null) {
                    PlaneOps.addPlaneSums(gy, gyOff, coutG, p, gradBias, g * coutG);
                }
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

    private static void checkBuffer(ConvSpec spec, Shape input, int k, int p) {
        if ((long) k * p > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the column buffer for " + spec + " on input " + input
                    + " would need " + k + " x " + p + " elements, more than a Java array can hold");
        }
    }
}
