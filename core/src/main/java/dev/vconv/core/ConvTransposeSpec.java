package dev.vconv.core;

import java.util.Objects;

/**
 * The parameters of a 2D transposed convolution with the semantics of PyTorch's {@code nn.ConvTranspose2d}
 * / {@code F.conv_transpose2d}: weight {@code [cin, cout/groups, kh, kw]}, stride, padding (cropped from
 * each side of the full transposed output), output padding (extra rows/columns at the bottom/right),
 * dilation, groups and bias, each separately for height and width. Only zero padding exists, as in PyTorch.
 *
 * <pre>
 * hout = (h - 1)*sh - 2*ph + dh*(kh - 1) + oph + 1          (likewise wout)
 * full[b, g*C' + o, y*sh + i*dh, x*sw + j*dw] += in[b, c, y, x] * weight[c, o, i, j]   (c in group g, C' = cout/groups)
 * out[b, :, Y, X] = full[b, :, Y + ph, X + pw] + bias
 * </pre>
 * It is the adjoint of the forward convolution with the same kernel, stride, padding and dilation: the
 * input gradient of {@link ConvSpec}'s convolution.
 */
public final class ConvTransposeSpec {
    private final int inChannels;
    private final int outChannels;
    private final int kernelH;
    private final int kernelW;
    private final int strideH;
    private final int strideW;
    private final int padH;
    private final int padW;
    private final int outputPadH;
    private final int outputPadW;
    private final int dilationH;
    private final int dilationW;
    private final int groups;
    private final boolean bias;

    private ConvTransposeSpec(Builder b) {
        this.inChannels = b.inChannels;
        this.outChannels = b.outChannels;
        this.kernelH = b.kernelH;
        this.kernelW = b.kernelW;
        this.strideH = b.strideH;
        this.strideW = b.strideW;
        this.padH = b.padH;
        this.padW = b.padW;
        this.outputPadH = b.outputPadH;
        this.outputPadW = b.outputPadW;
        this.dilationH = b.dilationH;
        this.dilationW = b.dilationW;
        this.groups = b.groups;
        this.bias = b.bias;
    }

    public static Builder builder(int inChannels, int outChannels, int kernelSize) {
        return new Builder(inChannels, outChannels, kernelSize, kernelSize);
    }

    public static Builder builder(int inChannels, int outChannels, int kernelH, int kernelW) {
        return new Builder(inChannels, outChannels, kernelH, kernelW);
    }

    public int inChannels() { return inChannels; }
    public int outChannels() { return outChannels; }
    public int kernelH() { return kernelH; }
    public int kernelW() { return kernelW; }
    public int strideH() { return strideH; }
    public int strideW() { return strideW; }
    public int padH() { return padH; }
    public int padW() { return padW; }
    public int outputPadH() { return outputPadH; }
    public int outputPadW() { return outputPadW; }
    public int dilationH() { return dilationH; }
    public int dilationW() { return dilationW; }
    public int groups() { return groups; }
    public boolean hasBias() { return bias; }
    public int inChannelsPerGroup() { return inChannels / groups; }
    public int outChannelsPerGroup() { return outChannels / groups; }

    /** The weight's shape, {@code [cin, cout/groups, kh, kw]} (PyTorch's transposed layout). */
    public Shape weightShape() {
        return Shape.of(inChannels, outChannelsPerGroup(), kernelH, kernelW);
    }

    public Shape biasShape() {
        return bias ? Shape.of(outChannels) : null;
    }

    /**
     * The forward convolution this one is the adjoint of: {@code cout -> cin} channels, the same kernel,
     * stride, padding, dilation and groups, no bias. Its weight layout {@code [cin, cout/groups, kh, kw]} is
     * exactly this spec's.
     */
    public ConvSpec adjoint() {
        return ConvSpec.builder(outChannels, inChannels, kernelH, kernelW).stride(strideH, strideW).padding(padH, padW)
                .dilation(dilationH, dilationW).groups(groups).bias(false).build();
    }

    /** {@code (h - 1)*sh - 2*ph + dh*(kh - 1) + oph + 1}. */
    public long outputHeight(int h) {
        return (long) (h - 1) * strideH - 2L * padH + (long) dilationH * (kernelH - 1) + outputPadH + 1;
    }

    /** {@code (w - 1)*sw - 2*pw + dw*(kw - 1) + opw + 1}. */
    public long outputWidth(int w) {
        return (long) (w - 1) * strideW - 2L * padW + (long) dilationW * (kernelW - 1) + outputPadW + 1;
    }

    /** The output shape for an input shape, with PyTorch's checks. */
    public Shape outputShape(Shape input) {
        Objects.requireNonNull(input, "input");
        int rank = input.rank();
        if (rank != 3 && rank != 4) {
            throw new IllegalArgumentException("Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d, but got input of size: "
                    + input);
        }
        int c = input.dim(rank - 3);
        int h = input.dim(rank - 2);
        int w = input.dim(rank - 1);
        if (c != inChannels) {
            throw new IllegalArgumentException("Given transposed=1, weight of size " + weightShape() + ", expected input" + input
                    + " to have " + inChannels + " channels, but got " + c + " channels instead");
        }
        if (h == 0 || w == 0) {
            throw new IllegalArgumentException("Expected input to have non-zero height and width, but got input of size: " + input);
        }
        long hout = outputHeight(h);
        long wout = outputWidth(w);
        if (hout < 1 || wout < 1) {
            throw new IllegalArgumentException("Given input size per channel: (" + h + " x " + w + "). Calculated output size per channel: ("
                    + hout + " x " + wout + "). Output size is too small");
        }
        long rows = rank == 4 ? input.dim(0) : 1;
        if (rows * outChannels * hout * wout > Integer.MAX_VALUE - 8 || hout > Integer.MAX_VALUE / 2 || wout > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("output of conv_transpose2d on input " + input + " would have " + rows * outChannels * hout * wout
                    + " elements, more than a Java array can hold");
        }
        return rank == 4 ? Shape.of(input.dim(0), outChannels, (int) hout, (int) wout) : Shape.of(outChannels, (int) hout, (int) wout);
    }

    /**
     * The spec with the output padding that gives the requested output size, as PyTorch's
     * {@code output_size} argument: each size must lie between the size without output padding and that
     * plus {@code stride - 1}.
     */
    public ConvTransposeSpec withOutputSize(Shape input, int outH, int outW) {
        ConvTransposeSpec base = toBuilder().outputPadding(0, 0).build();
        Shape smallest = base.outputShape(input);       // checks the input: rank 3 or 4, channels, sizes
        int rank = input.rank();
        long minH = smallest.dim(rank - 2);
        long minW = smallest.dim(rank - 1);
        long maxH = minH + strideH - 1;
        long maxW = minW + strideW - 1;
        if (outH < minH || outH > maxH || outW < minW || outW > maxW) {
            throw new IllegalArgumentException("requested an output size of [" + outH + ", " + outW + "], but valid sizes range from ["
                    + minH + ", " + minW + "] to [" + maxH + ", " + maxW + "] (for an input of [" + input.dim(rank - 2) + ", "
                    + input.dim(rank - 1) + "])");
        }
        return toBuilder().outputPadding((int) (outH - minH), (int) (outW - minW)).build();
    }

    /** Checks every tensor of a call, before anything is written. */
    public void checkForward(Tensor input, Tensor weight, Tensor bias, Tensor output) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(weight, "weight");
        Objects.requireNonNull(output, "output");
        if (!weight.shape().equals(weightShape())) {
            throw new IllegalArgumentException("weight must have size [in_channels, out_channels/groups, kh, kw] = " + weightShape()
                    + ", but got weight of size " + weight.shape());
        }
        OperandChecks.checkBias(this.bias, biasShape(), bias);
        OperandChecks.checkOutput(outputShape(input.shape()), input, weight, bias, output);
    }

    public Builder toBuilder() {
        return new Builder(inChannels, outChannels, kernelH, kernelW).stride(strideH, strideW).padding(padH, padW)
                .outputPadding(outputPadH, outputPadW).dilation(dilationH, dilationW).groups(groups).bias(bias);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConvTransposeSpec s && inChannels == s.inChannels && outChannels == s.outChannels && kernelH == s.kernelH
                && kernelW == s.kernelW && strideH == s.strideH && strideW == s.strideW && padH == s.padH && padW == s.padW
                && outputPadH == s.outputPadH && outputPadW == s.outputPadW && dilationH == s.dilationH && dilationW == s.dilationW
                && groups == s.groups && bias == s.bias;
    }

    @Override
    public int hashCode() {
        return Objects.hash(inChannels, outChannels, kernelH, kernelW, strideH, strideW, padH, padW, outputPadH, outputPadW,
                dilationH, dilationW, groups, bias);
    }

    @Override
    public String toString() {
        return "ConvTranspose2d(" + inChannels + ", " + outChannels + ", kernel_size=(" + kernelH + ", " + kernelW + "), stride=("
                + strideH + ", " + strideW + "), padding=(" + padH + ", " + padW + "), output_padding=(" + outputPadH + ", "
                + outputPadW + "), dilation=(" + dilationH + ", " + dilationW + "), groups=" + groups + ", bias=" + bias + ")";
    }

    /** Builds a {@link ConvTransposeSpec}; PyTorch's defaults; {@link #build()} validates with PyTorch's messages. */
    public static final class Builder {
        private final int inChannels;
        private final int outChannels;
        private final int kernelH;
        private final int kernelW;
        private int strideH = 1;
        private int strideW = 1;
        private int padH;
        private int padW;
        private int outputPadH;
        private int outputPadW;
        private int dilationH = 1;
        private int dilationW = 1;
        private int groups = 1;
        private boolean bias = true;
        private PaddingMode paddingMode = PaddingMode.ZEROS;

        private Builder(int inChannels, int outChannels, int kernelH, int kernelW) {
            this.inChannels = inChannels;
            this.outChannels = outChannels;
            this.kernelH = kernelH;
            this.kernelW = kernelW;
        }

        public Builder stride(int stride) { return stride(stride, stride); }

        public Builder stride(int strideH, int strideW) {
            this.strideH = strideH;
            this.strideW = strideW;
            return this;
        }

        public Builder padding(int padding) { return padding(padding, padding); }

        public Builder padding(int padH, int padW) {
            this.padH = padH;
            this.padW = padW;
            return this;
        }

        public Builder outputPadding(int outputPadding) { return outputPadding(outputPadding, outputPadding); }

        public Builder outputPadding(int outputPadH, int outputPadW) {
            this.outputPadH = outputPadH;
            this.outputPadW = outputPadW;
            return this;
        }

        public Builder dilation(int dilation) { return dilation(dilation, dilation); }

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

        /** Only {@link PaddingMode#ZEROS} is accepted (at {@link #build()}), as in PyTorch. */
        public Builder paddingMode(PaddingMode paddingMode) {
            this.paddingMode = Objects.requireNonNull(paddingMode, "paddingMode");
            return this;
        }

        public ConvTransposeSpec build() {
            if (paddingMode != PaddingMode.ZEROS) {
                throw new IllegalArgumentException("Only \"zeros\" padding mode is supported for ConvTranspose2d, but got padding_mode='"
                        + paddingMode.torchName() + "'");
            }
            // The shared rules (channels, groups, kernel, stride, dilation, padding) have one home: ConvSpec.
            ConvSpec.builder(inChannels, outChannels, kernelH, kernelW).stride(strideH, strideW).padding(padH, padW)
                    .dilation(dilationH, dilationW).groups(groups).build();
            if (outputPadH < 0 || outputPadW < 0) {
                throw new IllegalArgumentException("negative output_padding is not supported, but got output_padding=(" + outputPadH + ", "
                        + outputPadW + ")");
            }
            if ((outputPadH >= strideH && outputPadH >= dilationH) || (outputPadW >= strideW && outputPadW >= dilationW)) {
                throw new IllegalArgumentException("output padding must be smaller than either stride or dilation, but got output_padding_height: "
                        + outputPadH + " output_padding_width: " + outputPadW + " stride_height: " + strideH + " stride_width: " + strideW
                        + " dilation_height: " + dilationH + " dilation_width: " + dilationW);
            }
            return new ConvTransposeSpec(this);
        }
    }
}
