package dev.vconv.core;

import java.util.Objects;

/**
 * The parameters of a 2D convolution with the semantics of PyTorch's {@code nn.Conv2d} /
 * {@code torch.nn.functional.conv2d}: NCHW float32 input, weight {@code [cout, cin/groups, kh, kw]},
 * stride, padding per side (or {@code 'same'} / {@code 'valid'}) with a padding mode, dilation, groups and
 * an optional bias, each separately for height and width.
 *
 * <p>Immutable; built once by {@link Builder}, which validates every parameter with PyTorch's wording.
 * Shapes of the tensors of a call are checked by {@link #checkForward}. With {@code p} the padded input,
 * {@code g = o / (cout/groups)} and {@code C = cin/groups}:
 * <pre>
 * out[b, o, y, x] = bias[o] + sum_{c &lt; C, i &lt; kh, j &lt; kw} p[b, g*C + c, y*sh + i*dh, x*sw + j*dw] * weight[o, c, i, j]
 * hout = floor((h + top + bottom - dh*(kh-1) - 1) / sh) + 1          (likewise wout)
 * </pre>
 */
public final class ConvSpec {

    /** How the padding was given; {@code SAME} and {@code VALID} are resolved to amounts at build time. */
    public enum PaddingKind { EXPLICIT, SAME, VALID }

    private final int inChannels;
    private final int outChannels;
    private final int kernelH;
    private final int kernelW;
    private final int strideH;
    private final int strideW;
    private final int padTop;
    private final int padBottom;
    private final int padLeft;
    private final int padRight;
    private final PaddingKind paddingKind;
    private final PaddingMode paddingMode;
    private final int dilationH;
    private final int dilationW;
    private final int groups;
    private final boolean bias;

    private ConvSpec(Builder b, int padTop, int padBottom, int padLeft, int padRight) {
        this.inChannels = b.inChannels;
        this.outChannels = b.outChannels;
        this.kernelH = b.kernelH;
        this.kernelW = b.kernelW;
        this.strideH = b.strideH;
        this.strideW = b.strideW;
        this.padTop = padTop;
        this.padBottom = padBottom;
        this.padLeft = padLeft;
        this.padRight = padRight;
        this.paddingKind = b.paddingKind;
        this.paddingMode = b.paddingMode;
        this.dilationH = b.dilationH;
        this.dilationW = b.dilationW;
        this.groups = b.groups;
        this.bias = b.bias;
    }

    /** A builder for a square kernel, like {@code nn.Conv2d(in_channels, out_channels, kernel_size)}. */
    public static Builder builder(int inChannels, int outChannels, int kernelSize) {
        return new Builder(inChannels, outChannels).kernel(kernelSize, kernelSize);
    }

    /** A builder for a {@code kernelH x kernelW} kernel. */
    public static Builder builder(int inChannels, int outChannels, int kernelH, int kernelW) {
        return new Builder(inChannels, outChannels).kernel(kernelH, kernelW);
    }

    /** A builder preset with every parameter of this spec. */
    public Builder toBuilder() {
        Builder b = new Builder(inChannels, outChannels).kernel(kernelH, kernelW).stride(strideH, strideW)
                .dilation(dilationH, dilationW).groups(groups).bias(bias).paddingMode(paddingMode);
        return switch (paddingKind) {
            case SAME -> b.paddingSame();
            case VALID -> b.paddingValid();
            case EXPLICIT -> b.padding(padTop, padBottom, padLeft, padRight);
        };
    }

    public int inChannels() { return inChannels; }
    public int outChannels() { return outChannels; }
    public int kernelH() { return kernelH; }
    public int kernelW() { return kernelW; }
    public int strideH() { return strideH; }
    public int strideW() { return strideW; }
    public int padTop() { return padTop; }
    public int padBottom() { return padBottom; }
    public int padLeft() { return padLeft; }
    public int padRight() { return padRight; }
    public PaddingKind paddingKind() { return paddingKind; }
    public PaddingMode paddingMode() { return paddingMode; }
    public int dilationH() { return dilationH; }
    public int dilationW() { return dilationW; }
    public int groups() { return groups; }
    public boolean hasBias() { return bias; }

    /** Input channels per group, {@code cin / groups}. */
    public int inChannelsPerGroup() { return inChannels / groups; }

    /** Output channels per group, {@code cout / groups}. */
    public int outChannelsPerGroup() { return outChannels / groups; }

    /** Length of each output's reduction, {@code (cin/groups) * kh * kw}. */
    public int reductionLength() { return inChannelsPerGroup() * kernelH * kernelW; }

    /** True when some padding is non-zero. */
    public boolean hasPadding() { return (padTop | padBottom | padLeft | padRight) != 0; }

    /** Span of the dilated kernel in height, {@code dh*(kh-1) + 1}. */
    public int dilatedKernelH() { return dilationH * (kernelH - 1) + 1; }

    /** Span of the dilated kernel in width, {@code dw*(kw-1) + 1}. */
    public int dilatedKernelW() { return dilationW * (kernelW - 1) + 1; }

    /** The weight's shape, {@code [cout, cin/groups, kh, kw]}. */
    public Shape weightShape() {
        return Shape.of(outChannels, inChannelsPerGroup(), kernelH, kernelW);
    }

    /** The bias's shape {@code [cout]}, or {@code null} without bias. */
    public Shape biasShape() {
        return bias ? Shape.of(outChannels) : null;
    }

    /** Output height for input height {@code h}: {@code floor((h + top + bottom - dh*(kh-1) - 1)/sh) + 1}. */
    public int outputHeight(int h) {
        return outputSize(h, padTop, padBottom, dilatedKernelH(), strideH);
    }

    /** Output width for input width {@code w}. */
    public int outputWidth(int w) {
        return outputSize(w, padLeft, padRight, dilatedKernelW(), strideW);
    }

    private static int outputSize(int size, int before, int after, int span, int stride) {
        long padded = (long) size + before + after;
        return (int) Math.floorDiv(padded - span, stride) + 1;
    }

    /**
     * The output shape for an input shape ({@code [n, cin, h, w]} or unbatched {@code [cin, h, w]}),
     * after the checks of {@link #checkInput}.
     */
    public Shape outputShape(Shape input) {
        checkInput(input);
        int[] d = input.dims();
        int rank = d.length;
        int hout = outputHeight(d[rank - 2]);
        int wout = outputWidth(d[rank - 1]);
        Shape out = rank == 4 ? Shape.of(d[0], outChannels, hout, wout) : Shape.of(outChannels, hout, wout);
        return out;
    }

    /** FLOPs of one forward call on this input: {@code 2 * n * cout * hout * wout * (cin/groups) * kh * kw}. */
    public long flops(Shape input) {
        Shape out = outputShape(input);
        long n = out.rank() == 4 ? out.dim(0) : 1;
        long hw = (long) out.dim(out.rank() - 2) * out.dim(out.rank() - 1);
        return 2L * n * outChannels * hw * reductionLength();
    }

    /**
     * Checks an input shape against this spec with PyTorch's messages: rank 3 or 4, the channel count, the
     * kernel against the padded input, and the limits of reflect and circular padding.
     */
    public void checkInput(Shape input) {
        Objects.requireNonNull(input, "input");
        int rank = input.rank();
        if (rank != 3 && rank != 4) {
            throw new IllegalArgumentException("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: "
                    + input);
        }
        int c = input.dim(rank - 3);
        int h = input.dim(rank - 2);
        int w = input.dim(rank - 1);
        if (c != inChannels) {
            throw new IllegalArgumentException("Given groups=" + groups + ", weight of size " + weightShape()
                    + ", expected input" + input + " to have " + inChannels + " channels, but got " + c
                    + " channels instead");
        }
        if (h == 0 || w == 0) {
            throw new IllegalArgumentException("Expected input to have non-zero height and width, but got input of size: "
                    + input);
        }
        long paddedH = (long) h + padTop + padBottom;
        long paddedW = (long) w + padLeft + padRight;
        if (paddedH > Integer.MAX_VALUE - 8 || paddedW > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("padded input size (" + paddedH + " x " + paddedW + ") of input " + input
                    + " must stay below " + (Integer.MAX_VALUE - 8) + " so that its indices fit an int");
        }
        if (paddedH < dilatedKernelH() || paddedW < dilatedKernelW()) {
            throw new IllegalArgumentException("Calculated padded input size per channel: (" + paddedH + " x " + paddedW
                    + "). Kernel size: (" + dilatedKernelH() + " x " + dilatedKernelW()
                    + "). Kernel size can't be greater than actual input size");
        }
        switch (paddingMode) {
            case REFLECT -> {
                if (padTop >= h || padBottom >= h) {
                    throw reflectError(padTop, padBottom, rank - 2, input);
                }
                if (padLeft >= w || padRight >= w) {
                    throw reflectError(padLeft, padRight, rank - 1, input);
                }
            }
            case CIRCULAR -> {
                if (padTop > h || padBottom > h) {
                    throw circularError("height", padTop, padBottom, h, input);
                }
                if (padLeft > w || padRight > w) {
                    throw circularError("width", padLeft, padRight, w, input);
                }
            }
            default -> { }
        }
        int rows = rank == 4 ? input.dim(0) : 1;
        long outElems = (long) rows * outChannels * outputHeight(h) * outputWidth(w);
        if (outElems > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("output of input " + input + " would have " + outElems
                    + " elements, more than a Java array can hold");
        }
    }

    private static IllegalArgumentException reflectError(int before, int after, int dim, Shape input) {
        return new IllegalArgumentException("Padding size should be less than the corresponding input dimension, but got: padding ("
                + before + ", " + after + ") at dimension " + dim + " of input " + input + " (padding_mode='reflect')");
    }

    private static IllegalArgumentException circularError(String dim, int before, int after, int size, Shape input) {
        return new IllegalArgumentException("Padding value causes wrapping around more than once: padding_mode='circular' needs "
                + "padding <= input " + dim + ", but got padding (" + before + ", " + after + ") for " + dim + " " + size
                + " of input " + input);
    }

    /**
     * Checks every tensor of a forward call before anything is written: input (as {@link #checkInput}),
     * weight {@code [cout, cin/groups, kh, kw]}, bias {@code [cout]} exactly when this spec has one, and the
     * output's shape; the output must not share its array with any operand.
     */
    public void checkForward(Tensor input, Tensor weight, Tensor bias, Tensor output) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(weight, "weight");
        Objects.requireNonNull(output, "output");
        checkParameters(weight, bias);
        OperandChecks.checkOutput(outputShape(input.shape()), input, weight, bias, output);
    }

    /**
     * Checks the operands of a backward call: the input (as {@link #checkInput}), the weight, and
     * {@code gradOutput} of the output's size.
     */
    public void checkBackward(Tensor input, Tensor weight, Tensor gradOutput) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(gradOutput, "gradOutput");
        checkWeight(weight);
        Shape expected = outputShape(input.shape());
        if (!gradOutput.shape().equals(expected)) {
            throw new IllegalArgumentException("gradOutput must have the output's size " + expected + " for input of size "
                    + input.shape() + ", but got gradOutput of size " + gradOutput.shape());
        }
    }

    /** Checks the weight's shape against this spec. */
    public void checkWeight(Tensor weight) {
        Objects.requireNonNull(weight, "weight");
        if (!weight.shape().equals(weightShape())) {
            throw new IllegalArgumentException("weight must have size [out_channels, in_channels/groups, kh, kw] = "
                    + weightShape() + ", but got weight of size " + weight.shape());
        }
    }

    /** Checks weight and bias against this spec. */
    public void checkParameters(Tensor weight, Tensor bias) {
        checkWeight(weight);
        OperandChecks.checkBias(this.bias, biasShape(), bias);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConvSpec s && inChannels == s.inChannels && outChannels == s.outChannels
                && kernelH == s.kernelH && kernelW == s.kernelW && strideH == s.strideH && strideW == s.strideW
                && padTop == s.padTop && padBottom == s.padBottom && padLeft == s.padLeft && padRight == s.padRight
                && paddingKind == s.paddingKind && paddingMode == s.paddingMode && dilationH == s.dilationH
                && dilationW == s.dilationW && groups == s.groups && bias == s.bias;
    }

    @Override
    public int hashCode() {
        return Objects.hash(inChannels, outChannels, kernelH, kernelW, strideH, strideW, padTop, padBottom, padLeft,
                padRight, paddingKind, paddingMode, dilationH, dilationW, groups, bias);
    }

    /** Reads like the {@code nn.Conv2d} constructor call. */
    @Override
    public String toString() {
        String padding = switch (paddingKind) {
            case SAME -> "'same' (" + padTop + ", " + padBottom + ", " + padLeft + ", " + padRight + ")";
            case VALID -> "'valid'";
            case EXPLICIT -> "(" + padTop + ", " + padBottom + ", " + padLeft + ", " + padRight + ")";
        };
        return "Conv2d(" + inChannels + ", " + outChannels + ", kernel_size=(" + kernelH + ", " + kernelW + "), stride=("
                + strideH + ", " + strideW + "), padding=" + padding + ", dilation=(" + dilationH + ", " + dilationW
                + "), groups=" + groups + ", bias=" + bias + ", padding_mode='" + paddingMode.torchName() + "')";
    }

    /**
     * Builds a {@link ConvSpec} with PyTorch's conveniences: one int for both dimensions, or a value each
     * for height and width. Defaults are PyTorch's: stride 1, padding 0, dilation 1, groups 1, bias on,
     * padding mode zeros. {@link #build()} validates everything at once.
     */
    public static final class Builder {
        private final int inChannels;
        private final int outChannels;
        private int kernelH;
        private int kernelW;
        private int strideH = 1;
        private int strideW = 1;
        private int padTop;
        private int padBottom;
        private int padLeft;
        private int padRight;
        private PaddingKind paddingKind = PaddingKind.EXPLICIT;
        private PaddingMode paddingMode = PaddingMode.ZEROS;
        private int dilationH = 1;
        private int dilationW = 1;
        private int groups = 1;
        private boolean bias = true;

        private Builder(int inChannels, int outChannels) {
            this.inChannels = inChannels;
            this.outChannels = outChannels;
        }

        public Builder kernel(int kernelH, int kernelW) {
            this.kernelH = kernelH;
            this.kernelW = kernelW;
            return this;
        }

        public Builder stride(int stride) {
            return stride(stride, stride);
        }

        public Builder stride(int strideH, int strideW) {
            this.strideH = strideH;
            this.strideW = strideW;
            return this;
        }

        /** The same padding on all four sides. */
        public Builder padding(int padding) {
            return padding(padding, padding);
        }

        /** {@code padH} rows on top and bottom, {@code padW} columns left and right, as PyTorch's pair. */
        public Builder padding(int padH, int padW) {
            return padding(padH, padH, padW, padW);
        }

        /** Each side separately (what {@code F.pad} followed by an unpadded convolution does). */
        public Builder padding(int top, int bottom, int left, int right) {
            this.padTop = top;
            this.padBottom = bottom;
            this.padLeft = left;
            this.padRight = right;
            this.paddingKind = PaddingKind.EXPLICIT;
            return this;
        }

        /**
         * {@code padding='same'}: the output is as large as the input. The total {@code d*(k-1)} per dimension
         * is split as PyTorch does, the extra row or column (when odd) going to the bottom or right. Only
         * for stride 1.
         */
        public Builder paddingSame() {
            this.paddingKind = PaddingKind.SAME;
            return this;
        }

        /** {@code padding='valid'}: no padding. */
        public Builder paddingValid() {
            this.paddingKind = PaddingKind.VALID;
            return this;
        }

        public Builder paddingMode(PaddingMode paddingMode) {
            this.paddingMode = Objects.requireNonNull(paddingMode, "paddingMode");
            return this;
        }

        public Builder dilation(int dilation) {
            return dilation(dilation, dilation);
        }

        public Builder dilation(int dilationH, int dilationW) {
            this.dilationH = dilationH;
            this.dilationW = dilationW;
            return this;
        }

        public Builder groups(int groups) {
            this.groups = groups;
            return this;
        }

        public Builder bias(boolean bias) {
            this.bias = bias;
            return this;
        }

        /** Validates every parameter, with PyTorch's messages, and builds the spec. */
        public ConvSpec build() {
            if (inChannels <= 0) {
                throw new IllegalArgumentException("in_channels must be a positive integer, but got in_channels=" + inChannels);
            }
            if (outChannels <= 0) {
                throw new IllegalArgumentException("out_channels must be a positive integer, but got out_channels=" + outChannels);
            }
            if (groups <= 0) {
                throw new IllegalArgumentException("groups must be a positive integer, but got groups=" + groups);
            }
            if (inChannels % groups != 0) {
                throw new IllegalArgumentException("in_channels must be divisible by groups, but got in_channels=" + inChannels
                        + ", groups=" + groups);
            }
            if (outChannels % groups != 0) {
                throw new IllegalArgumentException("out_channels must be divisible by groups, but got out_channels="
                        + outChannels + ", groups=" + groups);
            }
            if (kernelH <= 0 || kernelW <= 0) {
                throw new IllegalArgumentException("kernel_size must be positive, but got kernel_size=(" + kernelH + ", "
                        + kernelW + ")");
            }
            if (strideH <= 0 || strideW <= 0) {
                throw new IllegalArgumentException("non-positive stride is not supported, but got stride=(" + strideH + ", "
                        + strideW + ")");
            }
            if (dilationH <= 0 || dilationW <= 0) {
                throw new IllegalArgumentException("dilation should be greater than zero, but got dilation=(" + dilationH
                        + ", " + dilationW + ")");
            }
            long spanH = (long) dilationH * (kernelH - 1) + 1;
            long spanW = (long) dilationW * (kernelW - 1) + 1;
            if (spanH > Integer.MAX_VALUE / 2 || spanW > Integer.MAX_VALUE / 2) {
                throw new IllegalArgumentException("dilated kernel size dilation*(kernel_size-1)+1 = (" + spanH + " x " + spanW
                        + ") is too large: it must stay below " + Integer.MAX_VALUE / 2);
            }
            long product = (long) outChannels * (inChannels / groups) * kernelH * kernelW;
            if (product > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("weight of size [" + outChannels + ", " + inChannels / groups + ", " + kernelH
                        + ", " + kernelW + "] has " + product + " elements, more than a Java array can hold");
            }
            return switch (paddingKind) {
                case VALID -> new ConvSpec(this, 0, 0, 0, 0);
                case SAME -> {
                    if (strideH != 1 || strideW != 1) {
                        throw new IllegalArgumentException("padding='same' is not supported for strided convolutions, but got stride=("
                                + strideH + ", " + strideW + ")");
                    }
                    int totalH = (int) spanH - 1;
                    int totalW = (int) spanW - 1;
                    yield new ConvSpec(this, totalH / 2, totalH - totalH / 2, totalW / 2, totalW - totalW / 2);
                }
                case EXPLICIT -> {
                    if (padTop < 0 || padBottom < 0 || padLeft < 0 || padRight < 0) {
                        throw new IllegalArgumentException("negative padding is not supported, but got padding=(top=" + padTop
                                + ", bottom=" + padBottom + ", left=" + padLeft + ", right=" + padRight + ")");
                    }
                    if (padTop > Integer.MAX_VALUE / 4 || padBottom > Integer.MAX_VALUE / 4 || padLeft > Integer.MAX_VALUE / 4
                            || padRight > Integer.MAX_VALUE / 4) {
                        throw new IllegalArgumentException("padding must be at most " + Integer.MAX_VALUE / 4
                                + " per side, but got padding=(top=" + padTop + ", bottom=" + padBottom + ", left=" + padLeft
                                + ", right=" + padRight + ")");
                    }
                    yield new ConvSpec(this, padTop, padBottom, padLeft, padRight);
                }
            };
        }
    }
}
