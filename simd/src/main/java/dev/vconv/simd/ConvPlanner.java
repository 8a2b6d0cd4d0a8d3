package dev.vconv.simd;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.Shape;

import java.util.Locale;

/**
 * Chooses the path a convolution takes on the SIMD engine, and says why. A value: the same spec always gets
 * the same choice, and the choice is unit-tested by itself.
 */
public final class ConvPlanner {

    /** The paths of the SIMD engine. */
    public enum Path {
        /**
         * 1x1 kernel, stride 1, no padding: the input planes are B; the micro-kernel reads them in place (the
         * implicit GEMM without a copy), nothing is packed.
         */
        POINTWISE,
        /** groups == in_channels (any channel multiplier): a direct kernel vectorised along the output width. */
        DEPTHWISE,
        /**
         * A padded, phase-split copy of the input read in place by the micro-kernel: no im2col, no packing of B,
         * at the price of computing {@code wq - wout} dropped columns per output row ({@link ImplicitPath}).
         */
        IMPLICIT,
        /**
         * Output pixels as the rows of the product and output channels as its vector columns
         * ({@code C^T = im2col^T * W^T}): for images too small to fill the micro-kernel's {@code NR} columns
         * (ResNet's 7x7 and 14x14 stages), where the output channels fill them instead.
         */
        PIXEL_ROWS,
        /** Everything else: im2col fused into the packing of B, then the packed GEMM. */
        GEMM
    }

    /** The planner's decision. */
    public record Choice(Path path, String reason) {
    }

    private ConvPlanner() {
    }

    /**
     * Packing B costs about as much as this many output channels' worth of micro-kernel work on the same
     * columns. Calibrated on the suite's layers at 512 bits (best calls, both paths forced): the implicit path won
     * on the ResNet 3x3 layers (64 to 512 channels) and lost by ~3 % on the DeepLab layers when their wide
     * padding made it compute 12 % (256 channels) and 23 % (128 channels) more columns; both sides break even
     * near 28. Since rows share their zero padding ({@link ImplicitPath#rowStride}) those are 7 % and 12.5 %,
     * and the implicit path ties (d2) or wins by ~5 % (d4).
     */
    static final double PACKING_COST = 24;

    /**
     * The path for {@code spec} on inputs of {@code inputShape} at {@code vectorBits}. Depthwise as
     * {@link #choose(ConvSpec)}; otherwise the cheapest of the GEMM paths by the micro-kernel work each does, in
     * whole {@code MR x NR} tiles, with packing counted as {@link #PACKING_COST} output channels of work:
     * <ul>
     * <li>implicit: {@code columns * roundUp(cout/g, MR)}, columns = output rows {@code wq} wide ({@link ImplicitPath#rowStride}) in whole
     *     {@code NR} panels ({@link ImplicitPath}); nothing packed;</li>
     * <li>packed GEMM (or pointwise, for 1x1 stride 1 unpadded): {@code roundUp(hout*wout, NR) * roundUp(cout/g, MR)},
     *     plus packing B;</li>
     * <li>pixel rows: {@code roundUp(hout*wout, MR) * roundUp(cout/g, NR)} for the width's pixel-rows kernel,
     *     plus packing.</li>
     * </ul>
     */
    public static Choice choose(ConvSpec spec, Shape inputShape, int vectorBits) {
        Choice base = choose(spec);
        if (base.path() == Path.DEPTHWISE) {
            return base;
        }
        VectorWidth width = VectorWidth.ofBits(vectorBits);
        int coutG = spec.outChannelsPerGroup();
        GemmKernel kernel = width.gemmFor(coutG);
        int mr = kernel.mr();
        int nr = kernel.nr();
        int h = inputShape.dims()[inputShape.rank() - 2];
        int w = inputShape.dims()[inputShape.rank() - 1];
        int hout = spec.outputHeight(h);
        int wout = spec.outputWidth(w);
        long p = (long) hout * wout;
        int wq = ImplicitPath.rowStride(spec, w);
        double packing = 1 + PACKING_COST / coutG;
        long rows = roundUp(coutG, mr);
        double implicit = ImplicitPath.columns(hout, wq, nr) * (double) rows;
        double packed = packedColumns(p, width.blocking(kernel).nc(), nr) * (double) rows * packing;
        GemmKernel pixel = width.pixelGemm;
        double pixelRows = roundUp(p, pixel.mr()) * (double) roundUp(coutG, pixel.nr()) * packing;
        String costs = String.format(Locale.ROOT, "tile work: implicit %.0f (%d output rows of %d padded columns, %d kept), "
                        + "%s %.0f, pixel rows %.0f (packing counted as %.0f output channels of %d)",
                implicit, hout, wq, wout, base.path() == Path.POINTWISE ? "pointwise" : "packed GEMM", packed, pixelRows, PACKING_COST, coutG);
        if (pixelRows < packed && pixelRows < implicit) {
            return new Choice(Path.PIXEL_ROWS, costs + ": output pixels as rows, output channels fill the vectors");
        }
        if (base.path() == Path.POINTWISE) {
            return new Choice(Path.POINTWISE, base.reason() + "; " + costs);
        }
        if (implicit < packed) {
            return new Choice(Path.IMPLICIT, costs + ": implicit GEMM, the padded input read in place");
        }
        return new Choice(Path.GEMM, base.reason() + "; " + costs);
    }

    private static long roundUp(long n, int m) {
        return (n + m - 1) / m * m;
    }

    /** Columns the packed GEMM computes for {@code p} output columns: blocks of {@code nc}, each in whole panels. */
    static long packedColumns(long p, int nc, int nr) {
        long full = p / nc;
        long rest = p % nc;
        return full * nc + Packing.ceilDiv((int) rest, nr) * (long) nr;
    }

    /** The path for {@code spec} whatever the input: depthwise, pointwise or the packed GEMM. */
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
