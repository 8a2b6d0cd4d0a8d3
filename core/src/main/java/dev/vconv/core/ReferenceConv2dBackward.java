package dev.vconv.core;

import java.util.Objects;

/**
 * The backward pass of {@link ReferenceConv2d}, as naive as the forward: one walk over the same loop nest
 * (n, g, oc, oy, ox, ic, ky, kx), where each forward product {@code x[..] * w[..]} adds
 * {@code gy * w} to the input's gradient and {@code gy * x} to the weight's, with
 * {@code gy = gradOutput[n, oc, oy, ox]}. Padding modes fold back by the same index mapping: a padded value
 * copied from input position {@code map(i)} passes its gradient to that position. Accumulates in double.
 */
public final class ReferenceConv2dBackward {

    private ReferenceConv2dBackward() {
    }

    /** {@code dL/d(input)}, {@code dL/d(weight)} and {@code dL/d(bias)} for the given {@code dL/d(output)}. */
    public static ConvGradients backward(ConvSpec spec, Tensor input, Tensor weight, Tensor gradOutput) {
        Objects.requireNonNull(spec, "spec");
        spec.checkBackward(input, weight, gradOutput);
        Nchw in = Nchw.of(input.shape());
        int hout = spec.outputHeight(in.h());
        int wout = spec.outputWidth(in.w());
        int cinG = spec.inChannelsPerGroup();
        int coutG = spec.outChannelsPerGroup();
        int kh = spec.kernelH();
        int kw = spec.kernelW();
        PaddingMode mode = spec.paddingMode();
        float[] x = input.data();
        float[] w = weight.data();
        float[] gy = gradOutput.data();
        double[] gx = new double[x.length];
        double[] gw = new double[w.length];
        double[] gb = new double[spec.outChannels()];
        for (int n = 0; n < in.n(); n++) {
            for (int g = 0; g < spec.groups(); g++) {
                for (int oc = g * coutG; oc < (g + 1) * coutG; oc++) {
                    for (int oy = 0; oy < hout; oy++) {
                        for (int ox = 0; ox < wout; ox++) {
                            double grad = gy[((n * spec.outChannels() + oc) * hout + oy) * wout + ox];
                            gb[oc] += grad;
                            for (int ic = 0; ic < cinG; ic++) {
                                int c = g * cinG + ic;
                                for (int ky = 0; ky < kh; ky++) {
                                    int iy = mode.map(oy * spec.strideH() + ky * spec.dilationH() - spec.padTop(), in.h());
                                    if (iy < 0) {
                                        continue;
                                    }
                                    for (int kx = 0; kx < kw; kx++) {
                                        int ix = mode.map(ox * spec.strideW() + kx * spec.dilationW() - spec.padLeft(), in.w());
                                        if (ix < 0) {
                                            continue;
                                        }
                                        int xi = ((n * in.c() + c) * in.h() + iy) * in.w() + ix;
                                        int wi = ((oc * cinG + ic) * kh + ky) * kw + kx;
                                        gx[xi] += grad * w[wi];
                                        gw[wi] += grad * x[xi];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return new ConvGradients(Tensor.of(toFloat(gx), input.shape()), Tensor.of(toFloat(gw), weight.shape()),
                spec.hasBias() ? Tensor.of(toFloat(gb), spec.biasShape()) : null);
    }

    private static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
