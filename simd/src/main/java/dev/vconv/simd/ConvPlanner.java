package dev.vconv.simd;

import dev.vconv.core.ConvSpec;

/**
 * Chooses the path a convolution takes on the SIMD engine, and says why. A value: the same spec always gets
 * the same choice, and the choice is unit-tested by itself.
 */
public final class ConvPlanner {

    /** The paths of the SIMD engine. */
    public enum Path {
        /** 1x1 kernel, stride 1, no padding: the packed GEMM straight on the input planes, no im2col. */
        POINTWISE,
        /** groups == in_channels (any channel multiplier): a direct kernel vectorised along the output width. */
        DEPTHWISE,
        /** Everything else: im2col fused into the packing of B, then the packed GEMM. */
        GEMM
    }

    /** The planner's decision. */
    public record Choice(Path path, String reason) {
    }

    private ConvPlanner() {
    }

    public static Choice choose(ConvSpec spec) {
        if (spec.groups() == spec.inChannels() && spec.inChannels() > 1) {
            return new Choice(Path.DEPTHWISE, "groups == in_channels == " + spec.groups() + " (channel multiplier "
                    + spec.outChannelsPerGroup() + "): one input channel per group, a direct kernel along the width "
                    + "beats a GEMM with a reduction of " + spec.reductionLength());
        }
        if (spec.kernelH() == 1 && spec.kernelW() == 1 && spec.strideH() == 1 && spec.strideW() == 1 && !spec.hasPadding()) {
            return new Choice(Path.POINTWISE, "1x1 kernel, stride 1, no padding: the input planes already are the "
                    + "GEMM's B matrix [cin/groups x h*w]");
        }
        return new Choice(Path.GEMM, "general case: kernel " + spec.kernelH() + "x" + spec.kernelW() + ", stride "
                + spec.strideH() + "x" + spec.strideW() + ", dilation " + spec.dilationH() + "x" + spec.dilationW()
                + ", groups " + spec.groups() + ": im2col fused into the packing of B");
    }
}
