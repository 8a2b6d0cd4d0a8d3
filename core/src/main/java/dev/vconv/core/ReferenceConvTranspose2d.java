package dev.vconv.core;

/**
 * The textbook transposed convolution: every input element scatters {@code in[b, c, y, x] * w[c, o, i, j]}
 * onto output position {@code (y*sh + i*dh - ph, x*sw + j*dw - pw)} when that lies inside the output
 * (the full transposed output cropped by the padding). Double accumulation; naive on purpose.
 */
final class ReferenceConvTranspose2d {

    private ReferenceConvTranspose2d() {
    }

    static void forward(ConvTransposeSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor output) {
        spec.checkForward(input, weight, bias, output);
        Nchw in = Nchw.of(input.shape());
        Nchw out = Nchw.of(output.shape());
        int cinG = spec.inChannelsPerGroup();
        int coutG = spec.outChannelsPerGroup();
        int kh = spec.kernelH();
        int kw = spec.kernelW();
        float[] x = input.data();
        float[] w = weight.data();
        double[] acc = new double[output.size()];
        for (int n = 0; n < in.n(); n++) {
            for (int c = 0; c < in.c(); c++) {
                int g = c / cinG;
                for (int y = 0; y < in.h(); y++) {
                    for (int xx = 0; xx < in.w(); xx++) {
                        double v = x[((n * in.c() + c) * in.h() + y) * in.w() + xx];
                        for (int o = 0; o < coutG; o++) {
                            int oc = g * coutG + o;
                            for (int i = 0; i < kh; i++) {
                                int oy = y * spec.strideH() + i * spec.dilationH() - spec.padH();
                                if (Integer.compareUnsigned(oy, out.h()) >= 0) {
                                    continue;
                                }
                                for (int j = 0; j < kw; j++) {
                                    int ox = xx * spec.strideW() + j * spec.dilationW() - spec.padW();
                                    if (Integer.compareUnsigned(ox, out.w()) >= 0) {
                                        continue;
                                    }
                                    acc[((n * out.c() + oc) * out.h() + oy) * out.w() + ox] += v * w[((c * coutG + o) * kh + i) * kw + j];
                                }
                            }
                        }
                    }
                }
            }
        }
        float[] y = output.data();
        int plane = out.h() * out.w();
        for (int i = 0; i < acc.length; i++) {
            double b = bias == null ? 0 : bias.data()[(i / plane) % out.c()];
            y[i] = (float) (acc[i] + b);
        }
    }
}
