package dev.vconv.simd.plan;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.Nchw;
import dev.vconv.core.Shape;
import dev.vconv.simd.kernel.GemmKernel;
import dev.vconv.simd.kernel.VectorWidth;
import dev.vconv.simd.layout.PhasePlanes;

import java.util.Arrays;
import java.util.Locale;

/**
 * Decides everything about a convolution on the SIMD engine, once, and says why: the path, its micro-kernel and
 * cache blocks, where its operands come from, the depthwise kernels, how a call is cut into tasks and on how many
 * threads they run ({@link PlanDecision}). A value: the same spec, input shape, width and thread count always get
 * the same decision, and the decision is unit-tested by itself. The constants of the cost model are calibrated
 * measurements: docs/KERNELS.md, tuning table, gives the figures behind each.
 */
public final class ConvPlanner {

    /** The kind of convolution before its input shape is known: depthwise, pointwise or general; and why. */
    public record Choice(Path path, String reason) {
    }

    private ConvPlanner() {
    }

    /**
     * Packing B costs about as much as this many output channels' worth of micro-kernel work on the same columns:
     * the implicit path's dropped columns are weighed against it. Calibrated on the suite's layers, both paths
     * forced: docs/KERNELS.md, tuning table.
     */
    static final double PACKING_COST = 24;

    /**
     * Pixel rows gathering from the planes cost, per output element, about as much more as this many steps of
     * the reduction: its transpose into the output, and whatever else a short reduction does not amortise. Packed
     * pixel rows count packing instead ({@link #PACKING_COST}). Calibrated on the suite's layers, both paths
     * forced: docs/KERNELS.md, tuning table.
     */
    static final double GATHER_COST = 50;

    /** Below this many FLOPs a call runs on the calling thread only: waking workers would cost more. */
    public static final long PARALLEL_MIN_FLOPS = 2_000_000L;

    /**
     * The same for the wrapped depthwise kernels, several times slower per FLOP than the GEMM kernels, so that a call
     * of fewer FLOPs already pays for waking a second thread (MobileNetV2's narrow layers: docs/KERNELS.md, tuning
     * table).
     */
    public static final long WRAPPED_PARALLEL_MIN_FLOPS = 500_000L;

    /** The implicit path's workspace C per thread stays under this many floats (1 MiB): output channels are split. */
    static final int IMPLICIT_C_FLOATS = 1 << 18;

    /**
     * Up to how many threads the implicit path builds its planes per thread ({@link PlanDecision.Copies#PRIVATE}).
     * A shared copy is built by all threads, each writing lines that the other read in the call before; with the
     * two vCPUs of this machine kind that sometimes cost half of a 2-thread call. Private copies repeat the build on
     * every thread, so they pay only for few threads.
     */
    static final int PRIVATE_PLANES_THREADS = 2;

    /**
     * The GEMM FLOPs per plane element ({@code 2 * cout/groups * kh * kw}) from which private planes pay for
     * building them on every thread (ResNeXt's 72 do not, 3x3 s2's 2,304 do: docs/KERNELS.md, tuning table).
     */
    static final long PRIVATE_PLANES_MIN_WORK = 512;

    /** Groups per thread from which the implicit path's tasks are whole groups ({@link PlanDecision.Copies#GROUPS}). */
    static final int GROUP_TASKS_PER_THREAD = 4;

    /**
     * Winograd's input transform of one tile of one input channel (its padded rows, windows and transform), and its
     * output transform of one tile of one output channel (with the store and epilogue), each counted as this many
     * multiply-adds of GEMM tile work per lane (the 36 of a tile and channel pair count 36); and a GEMM column of a
     * one-vector tile (a block's last columns) as this many of a whole panel's, its loads not hidden behind its
     * FMAs. From the 512-bit transforms and GEMM timed apart on 64x56 and 256x14: docs/KERNELS.md, tuning table.
     */
    static final double WINOGRAD_INPUT_COST = 1000;
    static final double WINOGRAD_OUTPUT_COST = 1000;
    static final double WINOGRAD_VECTOR_COLUMN_COST = 2;
    /**
     * With the tiles as the GEMMs' rows: the output transform of one tile of one output channel, across channels (its
     * outputs stored one float at a time into the channels' rows), per F(4x4) tile, as {@link #WINOGRAD_OUTPUT_COST}.
     */
    static final double WINOGRAD_ROWS_OUTPUT_COST = 1500;
    /**
     * With the tiles as the GEMMs' rows: a float of a transformed-filter panel read again by each further {@code MR}-row
     * pass over a block's tiles, per pass (one unit: the loads of the first pass, from the cache, are not hidden
     * behind its FMAs). 7x7's 16 F(2x2) tiles: two passes of 8x3v ran 1.67-1.91 ms, four of 4x4v 1.77-2.18.
     */
    static final double WINOGRAD_ROW_PASS_COST = 1;
    /**
     * A float of the transformed filter read per block beyond what the GEMM's loads hide: where U is larger than
     * {@link #WINOGRAD_CACHED_FILTER_FLOATS} it streams from memory (512x7's F(4x4) U is 36 MiB: four tiles use each
     * float four times).
     */
    static final double WINOGRAD_FILTER_COST = 4;
    /** Transformed filters up to this many floats are taken to stay in the last-level cache between calls (32 MiB). */
    static final long WINOGRAD_CACHED_FILTER_FLOATS = 1L << 23;
    /**
     * How much longer the tasks of one call may end, handed out whole blocks to the threads, than a shared input
     * transform's even split (its own stage, and V read from another thread's cache) before the input is shared: 3 %.
     */
    static final double WINOGRAD_SHARED_INPUT_COST = 0.03;

    /** The floats of a Winograd block's transformed input ({@code 36 x cin x J}), at least a panel of tiles: L2. */
    static final int WINOGRAD_BLOCK_FLOATS = 1 << 17;

    /**
     * The decision for {@code spec} on inputs of {@code inputShape} at {@code width}, on up to {@code threads} threads,
     * among the direct paths only (every output one running sum): {@link #plan(ConvSpec, Shape, VectorWidth, int,
     * boolean)} without Winograd.
     */
    public static PlanDecision plan(ConvSpec spec, Shape inputShape, VectorWidth width, int threads) {
        return plan(spec, inputShape, width, threads, false);
    }

    /**
     * The decision for {@code spec} on inputs of {@code inputShape} at {@code width}, on up to {@code threads} threads:
     * with {@code winograd}, {@link Path#WINOGRAD} where it applies ({@link #winogradApplies}) and its cost
     * ({@link #winogradWork}) is below the cheapest direct path's; without, only the paths whose every output is
     * one running sum.
     */
    public static PlanDecision plan(ConvSpec spec, Shape inputShape, VectorWidth width, int threads, boolean winograd) {
        Nchw in = Nchw.of(inputShape);
        if (in.n() == 0) {
            return empty(spec, width);
        }
        Choice kind = choose(spec);
        if (kind.path() == Path.DEPTHWISE) {
            DepthwiseVariant variant = DepthwiseVariant.of(spec, width, in.h(), in.w());
            if (!(variant instanceof DepthwiseVariant.Planes) || PhasePlanes.serves(spec, in.h(), in.w())) {
                return depthwise(spec, inputShape, width, threads, variant, kind.reason());
            }
            // A degenerate layer (a stride or padding far beyond the image): the packed GEMM, sized by the output.
            return decide(Path.PACKED_GEMM, costs(spec, inputShape, width), spec, inputShape, width, threads,
                    kind.reason() + "; but " + PLANES_TOO_LARGE);
        }
        Costs costs = costs(spec, inputShape, width);
        Path path;
        String reason;
        if (winograd && winogradApplies(spec) && winogradFits(spec, inputShape, width)) {
            double direct = Math.min(costs.pixelRows, Math.min(costs.implicit, costs.packed)) * spec.reductionLength();
            WinogradForm form = winogradForm(spec, inputShape, width);
            String compared = String.format(Locale.ROOT, "Winograd %s work %.0f against the direct paths' least %.0f (%s)",
                    form.text, form.work, direct, costs.text);
            if (form.work < direct) {
                return winograd(spec, inputShape, width, threads, form, compared + ": Winograd");
            }
            costs = new Costs(costs.pixel, costs.gather, costs.implicit, costs.packed, costs.pixelRows, compared);
        }
        if (costs.pixelRows < costs.packed && costs.pixelRows < costs.implicit) {
            path = Path.PIXEL_ROWS;
            reason = costs.text + ": output pixels as rows, output channels fill the vectors";
        } else if (kind.path() == Path.POINTWISE) {
            path = Path.POINTWISE;
            reason = kind.reason() + "; " + costs.text;
        } else if (costs.implicit < costs.packed) {
            path = Path.IMPLICIT_GEMM;
            reason = costs.text + ": implicit GEMM, the padded input read in place";
        } else {
            path = Path.PACKED_GEMM;
            reason = kind.reason() + "; " + costs.text;
        }
        return decide(path, costs, spec, inputShape, width, threads, reason);
    }

    /**
     * The decision for {@code spec} on {@code path}, everything else decided as {@link #plan} would (tests: the
     * paths agree bit for bit). {@link Path#DEPTHWISE} takes the phase planes ({@link DepthwiseVariant.Planes}),
     * the anchor the direct and wrapped kernels are checked against; {@link Path#POINTWISE} needs a 1x1 kernel at
     * stride 1 without padding.
     *
     * @throws IllegalArgumentException if {@code path} cannot compute {@code spec}
     */
    public static PlanDecision plan(Path path, ConvSpec spec, Shape inputShape, VectorWidth width, int threads) {
        Path kind = choose(spec).path();
        String reason = "asked for " + path;
        if (path == Path.DEPTHWISE || kind == Path.DEPTHWISE) {
            if (path != kind) {
                throw new IllegalArgumentException("the " + path + " path cannot compute " + spec + " (a " + kind + " convolution)");
            }
            return depthwise(spec, inputShape, width, threads, new DepthwiseVariant.Planes(), reason);
        }
        if (path == Path.POINTWISE && kind != Path.POINTWISE) {
            throw new IllegalArgumentException("the POINTWISE path needs a 1x1 kernel at stride 1 without padding, not " + spec);
        }
        if (path == Path.WINOGRAD) {
            if (!winogradApplies(spec)) {
                throw new IllegalArgumentException("the WINOGRAD path needs a 3x3 kernel at stride 1, dilation 1, one group, not " + spec);
            }
            WinogradForm form = winogradForm(spec, inputShape, width);
            return winograd(spec, inputShape, width, threads, form, reason + ": " + form.text);
        }
        return decide(path, costs(spec, inputShape, width), spec, inputShape, width, threads, reason);
    }

    /** Why a path that reads the phase planes is not taken where they do not {@link PhasePlanes#serves serve}. */
    static final String PLANES_TOO_LARGE = "the phase planes would be sized by the stride, or by padding and dilation far "
            + "beyond the image, not by the output: a path sized by the output";

    /**
     * An empty batch: nothing to compute, and nothing sized by the image, whose output plane may not even fit an
     * int (PyTorch returns the empty output). A packed GEMM decision of no task on one thread; the plan makes no
     * runner for it.
     */
    private static PlanDecision empty(ConvSpec spec, VectorWidth width) {
        GemmKernel kernel = width.gemmFor(spec.outChannelsPerGroup());
        return new PlanDecision.PackedGemm(width, kernel, width.blocking(kernel), 0, 1, 0, 1, "an empty batch: nothing to compute");
    }

    /** The decision on one of the GEMM paths. */
    private static PlanDecision decide(Path path, Costs costs, ConvSpec spec, Shape inputShape, VectorWidth width, int threads,
                                       String reason) {
        Nchw in = Nchw.of(inputShape);
        int coutG = spec.outChannelsPerGroup();
        int hout = spec.outputHeight(in.h());
        int wout = spec.outputWidth(in.w());
        int p = hout * wout;
        long flops = spec.flops(inputShape);
        if (path == Path.PIXEL_ROWS) {
            GemmKernel kernel = costs.pixel.kernel();
            int mr = kernel.mr();
            int nr = kernel.nr();
            VectorWidth.Blocking blocking = width.blocking(kernel);
            PlanDecision.Source source = !costs.gather ? PlanDecision.Source.PACKED
                    : PhasePlanes.gathersInPlace(spec) ? PlanDecision.Source.INPUT : PlanDecision.Source.PHASE_PLANES;
            PhasePlanes planes = source == PlanDecision.Source.PHASE_PLANES ? new PhasePlanes(spec, in.h(), in.w(), nr) : null;
            int panels = Math.ceilDiv(coutG, nr);
            int pixelPanels = Math.ceilDiv(p, mr);
            int packedSize = 0;
            if (source == PlanDecision.Source.PACKED) {
                packedSize = workspace(spec, inputShape,
                        (long) spec.groups() * Math.ceilDiv(spec.reductionLength(), blocking.kc()) * blocking.kc() * pixelPanels * mr);
            }
            // Tasks per image: one per (group, channel panel), the pixel panels split further to share them evenly.
            double[] panelCosts = new double[spec.groups() * panels];
            Arrays.fill(panelCosts, 1);
            int splits = TaskSplits.evenSplits(panelCosts, pixelPanels, threads,
                    TaskSplits.fineSplits(spec.groups() * panels, pixelPanels, threads, 1));
            int tasks = spec.groups() * panels * splits;
            int used = threads(flops, PARALLEL_MIN_FLOPS, threads, tasks);
            boolean privatePlanes = source == PlanDecision.Source.PHASE_PLANES && privatePlanes(spec, used);
            int wholeImages = source == PlanDecision.Source.PACKED ? 0 : wholeImages(in.n(), used);
            return new PlanDecision.PixelRows(width, kernel, blocking, source, planes, packedSize, splits, tasks, wholeImages,
                    privatePlanes, used, reason);
        }
        GemmKernel kernel = width.gemmFor(coutG);
        int mr = kernel.mr();
        int nr = kernel.nr();
        int panels = Math.ceilDiv(coutG, mr);
        if (path == Path.PACKED_GEMM) {
            VectorWidth.Blocking blocking = TaskSplits.evenColumnBlocks(width.blocking(kernel), p, nr, in.n() * spec.groups(),
                    threads, panels, mr);
            int columnBlocks = Math.ceilDiv(p, blocking.nc());
            int coarse = in.n() * spec.groups() * columnBlocks;
            // Few coarse tasks (a small image, one group): also split the output channels, so every thread works.
            int splits = TaskSplits.balancedSplits(coarse, panels, threads, 1);
            workspace(spec, inputShape, (long) Math.min(spec.reductionLength(), blocking.kc())
                    * Math.ceilDiv(Math.min(p, blocking.nc()), nr) * nr);
            int tasks = coarse * splits;
            return new PlanDecision.PackedGemm(width, kernel, blocking, columnBlocks, splits, tasks,
                    threads(flops, PARALLEL_MIN_FLOPS, threads, tasks), reason);
        }
        PhasePlanes planes = new PhasePlanes(spec, in.h(), in.w(), nr);
        int coarse = spec.groups() * planes.blocks;
        double[] blockCosts = new double[coarse];                   // task order: group, then column block
        for (int c = 0; c < coarse; c++) {
            blockCosts[c] = planes.blockColumns(c % planes.blocks);
        }
        int minimum = Math.ceilDiv(panels * mr * planes.maxBlockColumns, IMPLICIT_C_FLOATS);
        // Pointwise reads B from the input itself, all of it again for every split of the output channels: as few
        // splits as give every thread a task, not four tasks each (1x1 1024to256 at 2 threads: 2 tasks, not 8).
        int from = path == Path.POINTWISE
                ? Math.min(panels, Math.max(minimum, Math.ceilDiv(threads, coarse)))
                : TaskSplits.fineSplits(coarse, panels, threads, minimum);
        int splits = TaskSplits.evenSplits(blockCosts, panels, threads, from);
        int tasks = coarse * splits;
        int used = threads(flops, PARALLEL_MIN_FLOPS, threads, tasks);
        if (path == Path.POINTWISE) {
            return new PlanDecision.Pointwise(width, kernel, planes, splits, tasks, wholeImages(in.n(), used), used, reason);
        }
        PlanDecision.Copies copies = spec.groups() > 1 && spec.groups() >= GROUP_TASKS_PER_THREAD * used
                ? PlanDecision.Copies.GROUPS
                : privatePlanes(spec, used) ? PlanDecision.Copies.PRIVATE : PlanDecision.Copies.SHARED;
        return new PlanDecision.ImplicitGemm(width, kernel, planes, splits, tasks,
                copies == PlanDecision.Copies.GROUPS ? 0 : wholeImages(in.n(), used), copies, used, reason);
    }

    /** Whether Winograd's F(4x4, 3x3) computes {@code spec}: a 3x3 kernel, stride 1, dilation 1, one group. */
    public static boolean winogradApplies(ConvSpec spec) {
        return spec.kernelH() == 3 && spec.kernelW() == 3 && spec.strideH() == 1 && spec.strideW() == 1
                && spec.dilationH() == 1 && spec.dilationW() == 1 && spec.groups() == 1;
    }

    /**
     * Whether Winograd's arrays stay well inside a Java array (the transformed filter, a block's transformed input,
     * a block's padded rows): past that the direct paths, which degrade more gracefully, take the layer.
     */
    private static boolean winogradFits(ConvSpec spec, Shape inputShape, VectorWidth width) {
        Nchw in = Nchw.of(inputShape);
        long tilesW = Math.ceilDiv((long) spec.outputWidth(in.w()), 4);
        long tiles = tilesW * Math.ceilDiv((long) spec.outputHeight(in.h()), 4);
        long limit = 1L << 28;
        return 36L * roundUp(spec.outChannels(), width.gemm.mr()) * spec.inChannels() < limit
                && tiles < limit && 36L * spec.inChannels() * roundUp(Math.min(tiles, 1 << 12), width.bits / Float.SIZE) < limit
                && (4 * tiles / tilesW + 6) * (4 * tilesW + 2) < limit;
    }

    /**
     * Tiles of a Winograd block: whole vectors of tiles, at least a GEMM panel, its V ({@code (m+2)^2 x cin x J})
     * within {@link #WINOGRAD_BLOCK_FLOATS}.
     */
    private static int winogradBlockTiles(int cin, int tiles, int positions, VectorWidth width) {
        int lanes = width.bits / Float.SIZE;
        int vectors = Math.max(width.gemm.nr() / lanes, WINOGRAD_BLOCK_FLOATS / (positions * cin * lanes));
        return Math.min(tiles, vectors * lanes);
    }

    /** A Winograd variant and its cost ({@link #winogradForm}). */
    record WinogradForm(int tile, boolean tileRows, GemmKernel kernel, double work, String text) {
    }

    /**
     * The least costly Winograd variant for {@code spec}: F(4x4, 3x3) with the tiles in the GEMM kernel's vectors
     * ({@link #winogradWork}), or F(4x4, 3x3) or F(2x2, 3x3) with the tiles as the GEMMs' rows
     * ({@link #winogradRowsWork}, each with the width's kernel of the least work); the first of equal costs.
     */
    static WinogradForm winogradForm(ConvSpec spec, Shape inputShape, VectorWidth width) {
        WinogradForm best = new WinogradForm(4, false, width.gemm, winogradWork(spec, inputShape, width), "F(4x4,3x3)");
        for (int m : new int[] {4, 2}) {
            for (GemmKernel kernel : width.gemmKernels()) {
                double work = winogradRowsWork(spec, inputShape, width, m, kernel);
                if (work < best.work) {
                    best = new WinogradForm(m, true, kernel, work, "F(" + m + "x" + m + ",3x3) tiles as rows of " + kernel.name());
                }
            }
        }
        return best;
    }

    /**
     * The decision for {@code spec} on Winograd's F({@code tile} x {@code tile}, 3x3), the tiles as the GEMMs' rows
     * ({@code tileRows}) or in its vectors, everything else as {@link #plan} decides it; for tests, which run each
     * variant.
     *
     * @throws IllegalArgumentException if Winograd cannot compute {@code spec}, the tile is not 4 or 2, or F(2x2)
     *                                  is asked for without tile rows
     */
    public static PlanDecision winograd(ConvSpec spec, Shape inputShape, VectorWidth width, int threads, int tile, boolean tileRows) {
        if (!winogradApplies(spec)) {
            throw new IllegalArgumentException("the WINOGRAD path needs a 3x3 kernel at stride 1, dilation 1, one group, not " + spec);
        }
        if (tile != 4 && (tile != 2 || !tileRows)) {
            throw new IllegalArgumentException("Winograd's tile must be 4, or 2 with tiles as rows, but got " + tile
                    + (tileRows ? " with" : " without") + " tiles as rows");
        }
        if (Nchw.of(inputShape).n() == 0) {
            return empty(spec, width);
        }
        GemmKernel kernel = width.gemm;
        double work = tileRows ? Double.MAX_VALUE : winogradWork(spec, inputShape, width);
        if (tileRows) {
            for (GemmKernel k : width.gemmKernels()) {
                double w = winogradRowsWork(spec, inputShape, width, tile, k);
                if (w < work) {
                    work = w;
                    kernel = k;
                }
            }
        }
        String text = "F(" + tile + "x" + tile + ",3x3)" + (tileRows ? " tiles as rows of " + kernel.name() : "");
        return winograd(spec, inputShape, width, threads, new WinogradForm(tile, tileRows, kernel, work, text), "asked for " + text);
    }

    /**
     * Winograd's F(4x4) cost per image, tiles in the vectors, in the units of the direct paths' tile work times the
     * reduction length: per block, the GEMM columns it computes (whole {@code NR} panels, then whole vectors, these
     * counted {@link #WINOGRAD_VECTOR_COLUMN_COST} times) times {@code 36 * roundUp(cout, MR) * cin}, plus every
     * column times {@code WINOGRAD_INPUT_COST * cin + WINOGRAD_OUTPUT_COST * cout}.
     */
    static double winogradWork(ConvSpec spec, Shape inputShape, VectorWidth width) {
        Nchw in = Nchw.of(inputShape);
        int tiles = Math.ceilDiv(spec.outputHeight(in.h()), 4) * Math.ceilDiv(spec.outputWidth(in.w()), 4);
        int cin = spec.inChannels();
        int cout = spec.outChannels();
        int nr = width.gemm.nr();
        int lanes = width.bits / Float.SIZE;
        int j = winogradBlockTiles(cin, tiles, 36, width);
        long panelCols = 0;
        long vectorCols = 0;
        for (int first = 0; first < tiles; first += j) {
            int count = Math.min(j, tiles - first);
            panelCols += count / nr * nr;
            vectorCols += roundUp(count % nr, lanes);
        }
        double gemm = 36.0 * roundUp(cout, width.gemm.mr()) * cin;
        return (panelCols + WINOGRAD_VECTOR_COLUMN_COST * vectorCols) * gemm
                + (panelCols + vectorCols) * (WINOGRAD_INPUT_COST * cin + WINOGRAD_OUTPUT_COST * cout)
                + filterWork(36L * roundUp(cout, width.gemm.mr()) * cin, tiles, j);
    }

    /**
     * Winograd's F(m x m) cost per image with the tiles as the GEMMs' rows on {@code kernel}, in the same units: per
     * block, its tiles in whole {@code MR}-row tiles (and each pass, {@link #WINOGRAD_ROW_PASS_COST}) times
     * {@code (m+2)^2 * roundUp(cout, NR) * cin}; every tile's
     * input and output transforms ({@link #WINOGRAD_INPUT_COST}, {@link #WINOGRAD_ROWS_OUTPUT_COST}, per F(4x4) tile,
     * scaled by the positions); and the filter where it streams from memory ({@link #WINOGRAD_FILTER_COST}).
     */
    static double winogradRowsWork(ConvSpec spec, Shape inputShape, VectorWidth width, int m, GemmKernel kernel) {
        Nchw in = Nchw.of(inputShape);
        int tiles = Math.ceilDiv(spec.outputHeight(in.h()), m) * Math.ceilDiv(spec.outputWidth(in.w()), m);
        int positions = (m + 2) * (m + 2);
        int cin = spec.inChannels();
        int cout = spec.outChannels();
        int j = winogradBlockTiles(cin, tiles, positions, width);
        long rows = 0;
        for (int first = 0; first < tiles; first += j) {
            rows += roundUp(Math.min(j, tiles - first), kernel.mr());
        }
        double scale = positions / 36.0;
        double passes = (double) rows / kernel.mr();
        return (rows + WINOGRAD_ROW_PASS_COST * passes) * positions * roundUp(cout, kernel.nr()) * cin
                + tiles * scale * (WINOGRAD_INPUT_COST * cin + WINOGRAD_ROWS_OUTPUT_COST * cout)
                + filterWork((long) positions * roundUp(cout, kernel.nr()) * cin, tiles, j);
    }

    /** The filter's floats read per image ({@code floats} a block) where they stream from memory, else nothing. */
    private static double filterWork(long floats, int tiles, int j) {
        return floats > WINOGRAD_CACHED_FILTER_FLOATS ? WINOGRAD_FILTER_COST * floats * Math.ceilDiv(tiles, j) : 0;
    }

    /**
     * The Winograd decision for {@code form}: blocks of tiles, their count per image; blocks handed out whole to the
     * threads where that shares them well enough ({@link #WINOGRAD_SHARED_INPUT_COST}), else the input transformed
     * once per image into a shared copy and the output channels split as far as tasks share them evenly.
     */
    private static PlanDecision.Winograd winograd(ConvSpec spec, Shape inputShape, VectorWidth width, int threads,
                                                  WinogradForm form, String reason) {
        Nchw in = Nchw.of(inputShape);
        int m = form.tile();
        int positions = (m + 2) * (m + 2);
        int tilesH = Math.ceilDiv(spec.outputHeight(in.h()), m);
        int tilesW = Math.ceilDiv(spec.outputWidth(in.w()), m);
        int tiles = tilesH * tilesW;
        int j = winogradBlockTiles(spec.inChannels(), tiles, positions, width);
        int blocks = Math.ceilDiv(tiles, j);
        GemmKernel kernel = form.kernel();
        int channelsPerPanel = form.tileRows() ? kernel.nr() : kernel.mr();
        workspace(spec, inputShape, (long) positions * roundUp(spec.outChannels(), channelsPerPanel) * spec.inChannels());
        int panels = Math.ceilDiv(spec.outChannels(), channelsPerPanel);
        double[] whole = new double[in.n() * blocks];
        for (int t = 0; t < whole.length; t++) {
            whole[t] = Math.min(j, tiles - t % blocks * j);
        }
        boolean shared = threads > 1 && panels > 1
                && TaskSplits.makespan(whole, threads) > (double) in.n() * tiles / threads * (1 + WINOGRAD_SHARED_INPUT_COST);
        long blockV = (long) positions * spec.inChannels() * roundUp(j, width.bits / Float.SIZE);
        workspace(spec, inputShape, shared ? blockV * blocks : blockV);
        int splits = shared ? TaskSplits.fineSplits(blocks, panels, threads, 2) : 1;
        int chunks = shared ? Math.min(spec.inChannels(), Math.ceilDiv(4 * threads, blocks)) : 0;
        int tasks = shared ? blocks * splits : in.n() * blocks;
        int inputTasks = blocks * chunks;
        String how = shared ? "; the input transformed once by " + inputTasks + " tasks, the output channels in " + splits
                + " splits" : "; each block's tasks transform its input";
        return new PlanDecision.Winograd(width, kernel, m, form.tileRows(), tilesH, tilesW, j, blocks, inputTasks, splits, tasks,
                threads(spec.flops(inputShape), PARALLEL_MIN_FLOPS, threads, Math.max(tasks, inputTasks)),
                reason + "; " + tiles + " tiles of " + m + "x" + m + " in blocks of " + j + how);
    }

    /** The depthwise decision with the kernels of {@code variant}. */
    private static PlanDecision.Depthwise depthwise(ConvSpec spec, Shape inputShape, VectorWidth width, int threads,
                                                    DepthwiseVariant variant, String reason) {
        Nchw in = Nchw.of(inputShape);
        PhasePlanes planes = variant instanceof DepthwiseVariant.Planes
                ? new PhasePlanes(spec, in.h(), in.w(), width.gemmFor(spec.outChannelsPerGroup()).nr()) : null;
        int channels = in.n() * spec.inChannels();
        int perTask = TaskSplits.depthwiseTaskChannels(channels, spec.flops(inputShape) / channels, threads);
        int tasks = Math.ceilDiv(channels, perTask);
        long parallelMin = variant instanceof DepthwiseVariant.Wrapped ? WRAPPED_PARALLEL_MIN_FLOPS : PARALLEL_MIN_FLOPS;
        String kernels = switch (variant) {
            case DepthwiseVariant.Direct d -> "the direct kernels, reading the input (interior vectors from column "
                    + d.first() + " to " + d.last() + ")";
            case DepthwiseVariant.Wrapped w -> "the wrapped kernels, along the whole channel across row ends";
            case DepthwiseVariant.Planes pl -> "the phase planes of each channel";
        };
        return new PlanDecision.Depthwise(width, variant, planes, perTask, tasks,
                threads(spec.flops(inputShape), parallelMin, threads, tasks), reason + "; " + kernels);
    }

    /** Threads a call uses: one below {@code parallelMin} FLOPs, else at most one per task. */
    private static int threads(long flops, long parallelMin, int threads, int tasks) {
        return flops < parallelMin ? 1 : Math.max(1, Math.min(threads, tasks));
    }

    /**
     * Whether each of {@code threads} threads builds its own copy of the phase planes ({@link #PRIVATE_PLANES_THREADS},
     * {@link #PRIVATE_PLANES_MIN_WORK}).
     */
    private static boolean privatePlanes(ConvSpec spec, int threads) {
        return threads > 1 && threads <= PRIVATE_PLANES_THREADS
                && 2L * spec.outChannelsPerGroup() * spec.kernelH() * spec.kernelW() >= PRIVATE_PLANES_MIN_WORK;
    }

    /**
     * Images of a batch that go to the threads one image per task, in whole rounds, on the paths whose image tasks
     * need nothing shared (each thread builds its own planes of the image, or reads the input itself): the threads
     * then meet once for them instead of after every image. The rest are split among the threads an image at a time.
     */
    private static int wholeImages(int images, int threads) {
        return threads > 1 ? images / threads * threads : 0;
    }

    /** Checks that a workspace of {@code floats} fits a Java array; returns it as an int. */
    private static int workspace(ConvSpec spec, Shape inputShape, long floats) {
        if (floats > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the SIMD engine's workspace for " + spec + " on input " + inputShape + " would need "
                    + floats + " floats, more than a Java array can hold");
        }
        return (int) floats;
    }

    /** The cost model's figures for the GEMM paths, worked out once: the planner picks by them and decides with them. */
    private record Costs(VectorWidth.PixelKernel pixel, boolean gather, double implicit, double packed, double pixelRows,
                         String text) {
    }

    /**
     * The path for {@code spec} on inputs of {@code inputShape}: depthwise as {@link #choose(ConvSpec)};
     * otherwise the cheapest of the GEMM paths by the micro-kernel work each does, in
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
    private static Costs costs(ConvSpec spec, Shape inputShape, VectorWidth width) {
        int coutG = spec.outChannelsPerGroup();
        GemmKernel kernel = width.gemmFor(coutG);
        int mr = kernel.mr();
        int nr = kernel.nr();
        int h = inputShape.dims()[inputShape.rank() - 2];
        int w = inputShape.dims()[inputShape.rank() - 1];
        int hout = spec.outputHeight(h);
        int wout = spec.outputWidth(w);
        long p = (long) hout * wout;
        boolean planes = PhasePlanes.serves(spec, h, w);
        int wq = planes ? PhasePlanes.rowStride(spec, w) : 0;
        int k = spec.reductionLength();
        boolean pointwise = choose(spec).path() == Path.POINTWISE;
        double packing = 1 + PACKING_COST / coutG;
        long rows = roundUp(coutG, mr);
        double implicit = planes ? PhasePlanes.columns(hout, wq, nr) * (double) rows : Double.POSITIVE_INFINITY;
        double packed = pointwise
                ? PhasePlanes.columns(1, (int) p, nr) * (double) rows
                : packedColumns(p, width.blocking(kernel).nc(), nr) * (double) rows * packing;
        // Without the planes, pixel rows gather only from the input itself (no padding), else they pack.
        boolean gather = gathersPixels(spec, width, p) && (planes || PhasePlanes.gathersInPlace(spec));
        VectorWidth.PixelKernel pixel = cheapestPixelKernel(width, p, coutG, gather);
        double pixelRows = pixelWork(pixel, p, coutG, gather) * (gather ? 1 + GATHER_COST / k : packing);
        String pixelCost = gather
                ? String.format(Locale.ROOT, "gathered from %s, counted as %.0f more reduction rows of %d",
                        PhasePlanes.gathersInPlace(spec) ? "the input in place" : "the planes", GATHER_COST, k)
                : String.format(Locale.ROOT, "packed, counted as %.0f output channels of %d", PACKING_COST, coutG);
        String implicitCost = planes
                ? String.format(Locale.ROOT, "%.0f (%d output rows of %d padded columns, %d kept)", implicit, hout, wq, wout)
                : "none (" + PLANES_TOO_LARGE + ")";
        String text = String.format(Locale.ROOT, "tile work: implicit %s, %s %.0f, pixel rows %.0f (%s; %s)",
                implicitCost, pointwise ? "pointwise" : "packed GEMM", packed, pixelRows, pixel.kernel().name(), pixelCost);
        return new Costs(pixel, gather, implicit, packed, pixelRows, text);
    }

    /**
     * The pixel-rows kernel of {@code width} for {@code spec} with {@code p} output pixels: of the kernels that serve
     * the way {@code im2col^T} is read ({@link #gathersPixels}), the least tile work,
     * {@code roundUp(p, MR) * roundUp(cout/g, NR)} times the kernel's relative cost (on AVX-512, gathering, 6x4v
     * for 64, 128, 256 or 512 channels; 7x3v for 48, 96 or 144).
     */
    public static VectorWidth.PixelKernel pixelKernel(VectorWidth width, ConvSpec spec, long p) {
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
     * building planes for it copies the input only to read each value once. Without padding
     * ({@link PhasePlanes#gathersInPlace}: any kernel gathers from the input itself then, with nothing built), a
     * 1x1 kernel gathers where that costs less: the least gathering tile work times {@code 1 + GATHER_COST / K} against the least packed
     * tile work times {@code 1 + PACKING_COST / (cout/g)}. The 1x1 layers measured both ways: docs/KERNELS.md,
     * tuning table.
     */
    public static boolean gathersPixels(ConvSpec spec, VectorWidth width, long p) {
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
        return full * nc + Math.ceilDiv(rest, nr) * (long) nr;
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
        return new Choice(Path.PACKED_GEMM, "general case: kernel " + spec.kernelH() + "x" + spec.kernelW() + ", stride "
                + spec.strideH() + "x" + spec.strideW() + ", dilation " + spec.dilationH() + "x" + spec.dilationW()
                + ", groups " + spec.groups() + ": im2col fused into the packing of B");
    }
}
