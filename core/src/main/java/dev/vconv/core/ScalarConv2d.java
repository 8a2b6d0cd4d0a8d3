package dev.vconv.core;

/**
 * The scalar engine: per image and group, im2col ({@link ScalarIm2col}) then the blocked GEMM
 * ({@link ScalarGemm}) {@code out[g] = epilogue(W[g] * cols + bias)}. A 1x1 convolution with stride 1 and no
 * padding skips im2col: the input planes already are the matrix {@code [cin/groups x h*w]}.
 *
 * <p>An {@link Epilogue} is fused into the GEMM: each block of output rows goes through it right after its last
 * reduction step ({@link ScalarGemm#convolve}), element by element with {@link Epilogue#apply(float, float)}'s
 * arithmetic, so the fused result equals this engine's plain output followed by the epilogue bit for bit, on
 * every activation. A residual that is the output itself is served by accumulating each block in a panel
 * instead of the output.
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
        forward(spec, input, weight, bias, Epilogue.NONE, null, output);
    }

    @Override
    public void forward(ConvSpec spec, Tensor input, Tensor weight, Tensor bias, Epilogue epilogue, Tensor residual,
                        Tensor output) {
        java.util.Objects.requireNonNull(spec, "spec");
        java.util.Objects.requireNonNull(epilogue, "epilogue");
        spec.checkForward(input, weight, bias, output);
        epilogue.checkResidual(output.shape(), residual);
        Workspace workspace = new Workspace(spec, input.shape());
        compute(spec, input, weight.data(), bias == null ? null : bias.data(), epilogue, residual, output, workspace);
    }

    @Override
    public Conv2dPlan plan(ConvSpec spec, Shape inputShape, Tensor weight, Tensor bias) {
        return plan(spec, inputShape, weight, bias, Epilogue.NONE);
    }

    /**
     * A plan keeps copies of the weight and bias and one workspace per calling thread (the im2col buffer, and
     * the accumulator panel once a call passes the output as its residual), so repeated calls allocate nothing.
     */
    @Override
    public Conv2dPlan plan(ConvSpec spec, Shape inputShape, Tensor weight, Tensor bias, Epilogue epilogue) {
        java.util.Objects.requireNonNull(epilogue, "epilogue");
        spec.checkParameters(weight, bias);
        spec.checkInput(inputShape);
        float[] w = weight.data().clone();
        float[] b = bias == null ? null : bias.data().clone();
        new Workspace(spec, inputShape); // reject sizes whose buffer cannot exist now, not at the first call
        ThreadLocal<Workspace> workspaces = ThreadLocal.withInitial(() -> new Workspace(spec, inputShape));
        return new AbstractConv2dPlan(spec, inputShape, epilogue) {
            @Override
            public void forward(Tensor input, Tensor output) {
                checkCall(input, output);
                compute(spec, input, w, b, epilogue, null, output, workspaces.get());
            }

            @Override
            public void forward(Tensor input, Tensor residual, Tensor output) {
                checkCall(input, residual, output);
                compute(spec, input, w, b, epilogue, residual, output, workspaces.get());
            }

            @Override
            public String toString() {
                return "scalar plan for " + spec + " on input " + inputShape + (epilogue.isNone() ? "" : " with epilogue " + epilogue);
            }
        };
    }

    /**
     * One thread's buffers for one spec and input shape: the im2col matrix {@code K x P} ({@code null} for a
     * pointwise spec, which needs none), and the GEMM's accumulator panel, made at the first call whose residual
     * is the output. An empty batch needs neither, whatever its image size: PyTorch returns its empty output.
     */
    private static final class Workspace {
        final float[] columns;
        final int panelSize;
        float[] panel;

        Workspace(ConvSpec spec, Shape inputShape) {
            Nchw in = Nchw.of(inputShape);
            if (in.n() == 0) {
                this.columns = null;
                this.panelSize = 0;
                return;
            }
            // P fits an int here: the output n * cout * P was checked against the largest array
            int p = spec.outputHeight(in.h()) * spec.outputWidth(in.w());
            this.columns = isPointwise(spec) ? null : new float[columnSize(spec, inputShape)];
            this.panelSize = ScalarGemm.panelSize(spec.outChannelsPerGroup(), p);
        }

        float[] panel() {
            if (panel == null) {
                panel = new float[panelSize];
            }
            return panel;
        }
    }

    /** The im2col buffer's size {@code K x P} for this input, checked to fit an array. */
    private static int columnSize(ConvSpec spec, Shape inputShape) {
        Nchw in = Nchw.of(inputShape);
        long size = (long) spec.reductionLength() * spec.outputHeight(in.h()) * spec.outputWidth(in.w());
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the scalar engine's im2col buffer for " + spec + " on input " + inputShape
                    + " would need (cin/groups*kh*kw) x (hout*wout) = " + size + " elements, more than a Java array can hold");
        }
        return (int) size;
    }

    /** The convolution proper, on checked operands, with the epilogue fused into the GEMM's stores. */
    private static void compute(ConvSpec spec, Tensor input, float[] w, float[] bias, Epilogue epilogue, Tensor residual,
                                Tensor output, Workspace workspace) {
        Nchw in = Nchw.of(input.shape());
        if (in.n() == 0) {
            return;                         // the empty output; P may not even fit an int
        }
        int p = spec.outputHeight(in.h()) * spec.outputWidth(in.w());
        int k = spec.reductionLength();
        int cinG = spec.inChannelsPerGroup();
        int coutG = spec.outChannelsPerGroup();
        float[] x = input.data();
        float[] y = output.data();
        float[] r = residual == null ? null : residual.data();
        float[] cols = workspace.columns;
        float[] panel = r == y ? workspace.panel() : null;
        for (int n = 0; n < in.n(); n++) {
            int image = n * in.imageSize();
            for (int g = 0; g < spec.groups(); g++) {
                int outOff = (n * spec.outChannels() + g * coutG) * p;
                if (cols == null) {
                    ScalarGemm.convolve(coutG, p, k, w, g * coutG * k, k, x, image + g * cinG * p, p,
                            bias, g * coutG, epilogue, r, y, outOff, p, panel);
                } else {
                    ScalarIm2col.fill(spec, in, x, image, g, cols);
                    ScalarGemm.convolve(coutG, p, k, w, g * coutG * k, k, cols, 0, p, bias, g * coutG, epilogue, r, y, outOff, p, panel);
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
