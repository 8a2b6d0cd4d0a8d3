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
        compute(spec, input, weight.data(), bias == null ? null : bias.data(), output, columnBuffer(spec, input.shape()));
    }

    /**
     * A plan keeps copies of the weight and bias and one im2col buffer per calling thread, so repeated calls
     * do not allocate the (often megabytes large) column matrix again.
     */
    @Override
    public Conv2dPlan plan(ConvSpec spec, Shape inputShape, Tensor weight, Tensor bias) {
        spec.checkParameters(weight, bias);
        spec.checkInput(inputShape);
        float[] w = weight.data().clone();
        float[] b = bias == null ? null : bias.data().clone();
        columnBuffer(spec, inputShape); // reject sizes whose buffer cannot exist now, not at the first call
        ThreadLocal<float[]> columns = ThreadLocal.withInitial(() -> columnBuffer(spec, inputShape));
        return new AbstractConv2dPlan(spec, inputShape) {
            @Override
            public void forward(Tensor input, Tensor output) {
                checkCall(input, output);
                compute(spec, input, w, b, output, columns.get());
            }

            @Override
            public String toString() {
                return "scalar plan for " + spec + " on input " + inputShape;
            }
        };
    }

    /** The im2col buffer {@code K x P} for this input, or {@code null} for a pointwise spec (which needs none). */
    private static float[] columnBuffer(ConvSpec spec, Shape inputShape) {
        if (isPointwise(spec)) {
            return null;
        }
        Nchw in = Nchw.of(inputShape);
        long size = (long) spec.reductionLength() * spec.outputHeight(in.h()) * spec.outputWidth(in.w());
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the scalar engine's im2col buffer for " + spec + " on input " + inputShape
                    + " would need (cin/groups*kh*kw) x (hout*wout) = " + size + " elements, more than a Java array can hold");
        }
        return new float[(int) size];
    }

    /** The convolution proper, on checked operands; {@code cols} is the im2col buffer (null when pointwise). */
    private static void compute(ConvSpec spec, Tensor input, float[] w, float[] bias, Tensor output, float[] cols) {
        Nchw in = Nchw.of(input.shape());
        int p = spec.outputHeight(in.h()) * spec.outputWidth(in.w());
        int k = spec.reductionLength();
        int cinG = spec.inChannelsPerGroup();
        int coutG = spec.outChannelsPerGroup();
        float[] x = input.data();
        float[] y = output.data();
        for (int n = 0; n < in.n(); n++) {
            int image = n * in.imageSize();
            for (int g = 0; g < spec.groups(); g++) {
                int outOff = (n * spec.outChannels() + g * coutG) * p;
                for (int oc = 0; oc < coutG; oc++) {
                    float b = bias == null ? 0f : bias[g * coutG + oc];
                    java.util.Arrays.fill(y, outOff + oc * p, outOff + (oc + 1) * p, b);
                }
                if (cols == null) {
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
        return ConvTraining.backward(MatMul.scalar(), spec, input, weight, gradOutput);
    }

    @Override
    public void forward(ConvTransposeSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor output) {
        ConvTraining.transpose(MatMul.scalar(), spec, input, weight, bias, output);
    }

    /** A 1x1 kernel, stride 1, no padding: the input is already the GEMM's B matrix. */
    static boolean isPointwise(ConvSpec spec) {
        return spec.kernelH() == 1 && spec.kernelW() == 1 && spec.strideH() == 1 && spec.strideW() == 1
                && !spec.hasPadding();
    }
}
