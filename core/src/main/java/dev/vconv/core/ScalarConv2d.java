package dev.vconv.core;

/**
 * The scalar engine: per image and group, im2col ({@link ScalarIm2col}) then the blocked GEMM
 * ({@link ScalarGemm}) {@code out[g] = W[g] * cols + bias}. A 1x1 convolution with stride 1 and no
 * padding skips im2col: the input planes already are the matrix {@code [cin/groups x h*w]}.
 */
final class ScalarConv2d implements Conv2d, Conv2dBackward, ConvTranspose2d {
    static final ScalarConv2d INSTANCE = new ScalarConv2d();

    private ScalarConv2d() {
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void forward(ConvSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor output) {
        spec.checkForward(input, weight, bias, output);
        Nchw in = Nchw.of(input.shape());
        int hout = spec.outputHeight(in.h());
        int wout = spec.outputWidth(in.w());
        int p = hout * wout;
        int k = spec.reductionLength();
        int cinG = spec.inChannelsPerGroup();
        int coutG = spec.outChannelsPerGroup();
        boolean direct = isPointwise(spec);
        float[] x = input.data();
        float[] w = weight.data();
        float[] y = output.data();
        if (!direct && (long) k * p > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the scalar engine's im2col buffer for " + spec + " on input " + input.shape()
                    + " would need (cin/groups*kh*kw) x (hout*wout) = " + k + " x " + p + " elements, more than a Java array can hold");
        }
        float[] cols = direct ? null : new float[k * p];
        for (int n = 0; n < in.n(); n++) {
            int image = n * in.imageSize();
            for (int g = 0; g < spec.groups(); g++) {
                int outOff = (n * spec.outChannels() + g * coutG) * p;
                for (int oc = 0; oc < coutG; oc++) {
                    float b = bias == null ? 0f : bias.data()[g * coutG + oc];
                    java.util.Arrays.fill(y, outOff + oc * p, outOff + (oc + 1) * p, b);
                }
                if (direct) {
                    ScalarGemm.multiplyAdd(coutG, p, k, w, g * coutG * k, k, x, image + g * cinG * p, p, y, outOff, p);
                } else {
                    ScalarIm2col.fill(spec, in, x, image, g, cols);
                    ScalarGemm.multiplyAdd(coutG, p, k, w, g * coutG * k, k, cols, 0, p, y, outOff, p);
                }
            }
        }
    }

    @Override
    public ConvGradients backward(ConvSpec spec, Tensor input, Tensor weight, Tensor gradOutput) {
        return ScalarConvTraining.backward(spec, input, weight, gradOutput);
    }

    @Override
    public void forward(ConvTransposeSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor output) {
        ScalarConvTraining.transpose(spec, input, weight, bias, output);
    }

    /** A 1x1 kernel, stride 1, no padding: the input is already the GEMM's B matrix. */
    static boolean isPointwise(ConvSpec spec) {
        return spec.kernelH() == 1 && spec.kernelW() == 1 && spec.strideH() == 1 && spec.strideW() == 1
                && !spec.hasPadding();
    }
}
