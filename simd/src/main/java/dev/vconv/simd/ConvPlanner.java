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
         * at the price of computing {@code wq - wout} dropped columns per output row ({@link PhasePlanes}).
         */
        IMPLICIT,
        /**
         * Output pixels as the rows of the product and output channels as its vector columns
         * ({@code C^T = im2col^T * W^T}), {@code im2col^T} gathered from the implicit path's planes or packed: for
         * images too small to fill the micro-kernel's {@code NR} columns (ResNet's 7x7 and 14x14 stages), where
         * the output channels fill them instead, and at 512 bits for long reductions, where its 6x4v kernel
         * outruns the implicit path's.
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
     * near 28. Since rows share their zero padding ({@link PhasePlanes#rowStride}) those are 7 % and 12.5 %,
     * and the implicit path ties (d2) or wins by ~5 % (d4).
     */
    static final double PACKING_COST = 24;

    /**
     * Pixel rows gathering from the planes cost, per output element, about as much more as this many steps of
     * the reduction: its transpose into the output, and whatever else a short reduction does not amortise.
     * Calibrated on the suite at 512 bits (p50, both paths forced): conv1 (a reduction of 147) ran 24 % slower
     * gathered than on the implicit path, 3x3 64x56 (576) 3-4 % slower, inception's 1x7 (448) 0-2 % slower; 3x3
     * s2 128x56 (1152), lenet (800), DeepLab (1152, 2304) and the 14x14 and 7x7 stages ran 5-21 % faster. Packed
     * pixel rows count packing instead ({@link #PACKING_COST}), as before gathering existed.
     */
    static final double GATHER_COST = 50;

    /**
     * The path for {@code spec} on inputs of {@code inputShape} at {@code vectorBits}. Depthwise as
     * {@link #choose(ConvSpec)}; otherwise the cheapest of the GEMM paths by the micro-kernel work each does, in
     * whole {@code MR x NR} tiles, with packing counted as {@link #PACKING_COST} output channels of work:
     * <ul>
     * <li>implicit: {@code roundUp(hout*wq, NR) * roundUp(cout/g, MR)}: output rows {@code wq} wide
     *     ({@link PhasePlanes#rowStride}); nothing packed. The last panel runs in one-vector tiles, but they are
     *     slower per column (at 256 bits 4 accumulators do not cover the FMA latency), so it counts whole;</li>
     * <li>pointwise (1x1 stride 1 unpadded): {@code roundUp(hout*wout, NR) * roundUp(cout/g, MR)}; nothing
     *     packed;</li>
     * <li>packed GEMM: {@code roundUp(hout*wout, NR) * roundUp(cout/g, MR)} (per block of columns), plus packing B;</li>
     * <li>pixel rows: {@code roundUp(hout*wout, MR) * roundUp(cout/g, NR)} for the width's cheapest pixel-rows
     *     kernel ({@link #pixelKernel}) times the kernel's relative cost; gathering from the planes
     *     ({@link #gathersPixels}), times {@code 1 + GATHER_COST / K} ({@link #GATHER_COST}); packed, plus packing.</li>
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
        int wq = PhasePlanes.rowStride(spec, w);
        int k = spec.reductionLength();
        double packing = 1 + PACKING_COST / coutG;
        long rows = roundUp(coutG, mr);
        double implicit = PhasePlanes.columns(hout, wq, nr) * (double) rows;
        double packed = base.path() == Path.POINTWISE
                ? PhasePlanes.columns(1, (int) p, nr) * (double) rows
                : packedColumns(p, width.blocking(kernel).nc(), nr) * (double) rows * packing;
        boolean gather = gathersPixels(spec, width, p);
        VectorWidth.PixelKernel pixel = cheapestPixelKernel(width, p, coutG, gather);
        double pixelRows = pixelWork(pixel, p, coutG, gather) * (gather ? 1 + GATHER_COST / k : packing);
        String pixelCost = gather
                ? String.format(Locale.ROOT, "gathered from %s, counted as %.0f more reduction rows of %d",
                        PhasePlanes.gathersInPlace(spec) ? "the input in place" : "the planes", GATHER_COST, k)
                : String.format(Locale.ROOT, "packed, counted as %.0f output channels of %d", PACKING_COST, coutG);
        String costs = String.format(Locale.ROOT, "tile work: implicit %.0f (%d output rows of %d padded columns, %d kept), "
                        + "%s %.0f, pixel rows %.0f (%s; %s)",
                implicit, hout, wq, wout, base.path() == Path.POINTWISE ? "pointwise" : "packed GEMM", packed, pixelRows,
                pixel.kernel().name(), pixelCost);
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

    /**
     * The pixel-rows kernel of {@code width} for {@code spec} with {@code p} output pixels: of the kernels that serve
     * the way {@code im2col^T} is read ({@link #gathersPixels}), the least tile work,
     * {@code roundUp(p, MR) * roundUp(cout/g, NR)} times the kernel's relative cost (on AVX-512, gathering, 6x4v
     * for 64, 128, 256 or 512 channels; 7x3v for 48, 96 or 144).
     */
    static VectorWidth.PixelKernel pixelKernel(VectorWidth width, ConvSpec spec, long p) {
        return cheapestPixelKernel(width, p, spec.outChannelsPerGroup(), gathersPixels(spec, width, p));
    }

    /**
     * The pixel kernel of {@code width} with the least {@link #pixelWork} of those that gather ({@code gather}) or
     * pack; null if none does.
     */
    private static VectorWidth.PixelKernel cheapestPixelKernel(VectorWidth width, long p, int coutG, boolean gather) {
        VectorWidth.PixelKernel best = null;
        double least = Double.MAX_VALUE;
        for (VectorWidth.PixelKernel pixel : width.pixelKernels) {
            double work = pixelWork(pixel, p, coutG, gather);
            if (work < least) {                                   // NaN (a kernel that does not serve so) never is
                least = work;
                best = pixel;
            }
        }
        return best;
    }

    /** The tile work of {@code pixel} on {@code p} pixels and {@code coutG} channels, times its relative cost. */
    private static double pixelWork(VectorWidth.PixelKernel pixel, long p, int coutG, boolean gather) {
        return roundUp(p, pixel.kernel().mr()) * (double) roundUp(coutG, pixel.kernel().nr()) * pixel.work(gather);
    }

    /**
     * Whether the pixel-rows path, on {@code p} output pixels, gathers {@code im2col^T} from the planes rather than
     * packing it: where the width has a kernel that gathers, and the taps overlap. A 1x1 kernel's taps do not:
     * building planes for it copies the input only to read each value once (the strided 1x1 512to1024 layer ran
     * at 91-92 GFLOP/s gathering from planes against 95-97 packed). Without padding
     * ({@link PhasePlanes#gathersInPlace}: any kernel gathers from the input itself then, with nothing built), a
     * 1x1 kernel gathers where that costs less: the least gathering tile work times {@code 1 + GATHER_COST / K} against the least packed
     * tile work times {@code 1 + PACKING_COST / (cout/g)}. Hand-run loop, 1 thread, GFLOP/s: 1x1 1024to256 on
     * 14x14 107 gathering against 98 pointwise and 84 packed; 512to2048 on 7x7 94 gathering against 104 packed;
     * the strided 512to1024 on 28x28 97-98 gathering in place against 93-94 packed (196-198 against 184-186 at
     * 2 threads); the strided 1024to2048 on 14x14 (7x7 outputs) 88-95 gathering against 96-98 packed.
     */
    static boolean gathersPixels(ConvSpec spec, VectorWidth width, long p) {
        if (width.pixelKernels.stream().noneMatch(VectorWidth.PixelKernel::gathers)) {
            return false;
        }
        if (spec.kernelH() * spec.kernelW() > 1) {
            return true;
        }
        if (!PhasePlanes.gathersInPlace(spec)) {
            return false;
        }
        int coutG = spec.outChannelsPerGroup();
        VectorWidth.PixelKernel packs = cheapestPixelKernel(width, p, coutG, false);
        return packs == null || pixelWork(cheapestPixelKernel(width, p, coutG, true), p, coutG, true)
                * (1 + GATHER_COST / spec.reductionLength()) < pixelWork(packs, p, coutG, false) * (1 + PACKING_COST / coutG);
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
        if (spec.kernelH() == 1 && spec.kernelW() == 1 && PhasePlanes.planesAreTheInput(spec)) {
            return new Choice(Path.POINTWISE, "1x1 kernel, stride 1, no padding: the input planes already are the "
                    + "GEMM's B matrix [cin/groups x h*w]");
        }
        return new Choice(Path.GEMM, "general case: kernel " + spec.kernelH() + "x" + spec.kernelW() + ", stride "
                + spec.strideH() + "x" + spec.strideW() + ", dilation " + spec.dilationH() + "x" + spec.dilationW()
                + ", groups " + spec.groups() + ": im2col fused into the packing of B");
    }
}
