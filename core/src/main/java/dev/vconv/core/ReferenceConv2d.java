package dev.vconv.core;

/**
 * The textbook convolution: the sliding-window loop nest over (n, g, oc, oy, ox, ic, ky, kx) with a
 * double accumulator, every padding mode by index mapping. Naive on purpose: it is the specification
 * every fast engine is tested against.
 *
 * <pre>
 * out[b, o, y, x] = bias[o] + sum_{c, i, j} in[b, g*C + c, map(y*sh + i*dh - top), map(x*sw + j*dw - left)] * w[o, c, i, j]
 * </pre>
 * where {@code map} is {@link PaddingMode#map} (zero where it gives -1), {@code C = cin/groups} and
 * {@code g = o / (cout/groups)}.
 */
final class ReferenceConv2d implements Conv2d, Conv2dBackward, ConvTranspose2d {
    static final ReferenceConv2d INSTANCE = new ReferenceConv2d();

    private ReferenceConv2d() {
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public void forward(ConvSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor output) {
        spec.checkForward(input, weight, bias, output);
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
        float[] y = output.data();
        for (int n = 0; n < in.n(); n++) {
            for (int g = 0; g < spec.groups(); g++) {
                for (int oc = g * coutG; oc < (g + 1) * coutG; oc++) {
                    for (int oy = 0; oy < hout; oy++) {
                        for (int ox = 0; ox < wout; ox++) {
                            double sum = bias == null ? 0.0 : bias.data()[oc];
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
                                        sum += (double) x[((n * in.c() + c) * in.h() + iy) * in.w() + ix]
                                                * w[((oc * cinG + ic) * kh + ky) * kw + kx];
                                    }
                                }
                            }
                            y[((n * spec.outChannels() + oc) * hout + oy) * wout + ox] = (float) sum;
                        }
                    }
                }
            }
        }
    }

    @Override
    public ConvGradients backward(ConvSpec spec, Tensor input, Tensor weight, Tensor gradOutput) {
        return ReferenceConv2dBackward.backward(spec, input, weight, gradOutput);
    }

    @Override
    public void forward(ConvTransposeSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor output) {
        ReferenceConvTranspose2d.forward(spec, input, weight, bias, output);
    }
}
