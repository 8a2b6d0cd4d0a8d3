package dev.vconv.simd;

import dev.vconv.core.ConvGradients;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.ConvTransposeSpec;
import dev.vconv.core.Nchw;
import dev.vconv.core.PlaneOps;
import dev.vconv.core.ScalarCol2im;
import dev.vconv.core.ScalarIm2col;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;

import java.util.Arrays;
import java.util.Objects;

/**
 * The backward pass and the transposed convolution on the packed GEMM ({@link SimdGemm}), per image and
 * group {@code g}, with {@code cols = im2col(x)} ({@code K x P}), {@code W_g} ({@code coutG x K}) and
 * {@code gy_g} ({@code coutG x P}):
 * <pre>
 * grad_weight_g += gy_g * cols^T            (summed over the batch, image by image)
 * grad_input     = col2im(W_g^T * gy_g)     (padding modes fold back in col2im)
 * grad_bias[o]   = sum of gy over n, y, x
 * transposed     = col2im(W_g^T * x_g) + bias,  W_g = the transposed weight's rows of group g
 * </pre>
 * im2col and col2im are core's scalar stages; the products, where the FLOPs are, run on the micro-kernel.
 * Single-threaded, and it allocates its buffers per call (the forward's zero-allocation plans are not yet
 * carried over to training).
 */
final class SimdTraining {

    private SimdTraining() {
    }

    static ConvGradients backward(VectorWidth width, ConvSpec spec, Tensor input, Tensor weight, Tensor gradOutput) {
        Objects.requireNonNull(spec, "spec");
        spec.checkBackward(input, weight, gradOutput);
        Nchw in = Nchw.of(input.shape());
        int p = spec.outputHeight(in.h()) * spec.outputWidth(in.w());
        int hout = spec.outputHeight(in.h());
        int wout = spec.outputWidth(in.w());
        int k = spec.reductionLength();
        int coutG = spec.outChannelsPerGroup();
        int cinG = spec.inChannelsPerGroup();
        float[] cols = new float[checkedSize(spec, input.shape(), k, p)];
        float[] x = input.data();
        float[] w = weight.data();
        float[] gy = gradOutput.data();
        float[] gx = new float[x.length];
        float[] gw = new float[w.length];
        float[] gb = new float[spec.outChannels()];
        SimdGemm gemm = new SimdGemm(width);
        for (int n = 0; n < in.n(); n++) {
            for (int g = 0; g < spec.groups(); g++) {
                int gyOff = (n * spec.outChannels() + g * coutG) * p;
                ScalarIm2col.fill(spec, in, x, n * in.imageSize(), g, cols);
                // grad_weight_g[coutG x K] += gy_g[coutG x P] * cols^T[P x K]
                gemm.multiplyAdd(coutG, k, p, gy, gyOff, p, false, cols, 0, p, true, gw, g * coutG * k, k);
                // dcols[K x P] = W_g^T[K x coutG] * gy_g[coutG x P], then folded back onto the input
                Arrays.fill(cols, 0f);
                gemm.multiplyAdd(k, p, coutG, w, g * coutG * k, k, true, gy, gyOff, p, false, cols, 0, p);
                ScalarCol2im.add(spec, cols, hout, wout, cinG, gx, n * in.imageSize(), g * cinG, in.h(), in.w());
                PlaneOps.addPlaneSums(gy, gyOff, coutG, p, gb, g * coutG);
            }
        }
        return new ConvGradients(Tensor.of(gx, input.shape()), Tensor.of(gw, weight.shape()),
                spec.hasBias() ? Tensor.of(gb, spec.biasShape()) : null);
    }

    static void transpose(VectorWidth width, ConvTransposeSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor output) {
        spec.checkForward(input, weight, bias, output);
        ConvSpec geometry = spec.adjoint();
        Nchw in = Nchw.of(input.shape());
        Nchw out = Nchw.of(output.shape());
        int hw = in.h() * in.w();
        int cinG = spec.inChannelsPerGroup();
        int coutG = spec.outChannelsPerGroup();
        int kt = coutG * spec.kernelH() * spec.kernelW();
        float[] cols = new float[checkedSize(geometry, input.shape(), kt, hw)];
        float[] y = output.data();
        PlaneOps.fillWithBias(output, bias);
        SimdGemm gemm = new SimdGemm(width);
        for (int n = 0; n < in.n(); n++) {
            for (int g = 0; g < spec.groups(); g++) {
                // cols[Kt x HW] = W_g^T[Kt x cinG] * x_g[cinG x HW]; W_g's rows are the group's input channels
                Arrays.fill(cols, 0f);
                gemm.multiplyAdd(kt, hw, cinG, weight.data(), g * cinG * kt, kt, true,
                        input.data(), n * in.imageSize() + g * cinG * hw, hw, false, cols, 0, hw);
                ScalarCol2im.add(geometry, cols, in.h(), in.w(), coutG, y, n * out.imageSize(), g * coutG, out.h(), out.w());
            }
        }
    }

    private static int checkedSize(ConvSpec spec, Shape input, int rows, int cols) {
        long size = (long) rows * cols;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the SIMD engine's column buffer for " + spec + " on input " + input + " would need "
                    + rows + " x " + cols + " elements, more than a Java array can hold");
        }
        return (int) size;
    }
}
