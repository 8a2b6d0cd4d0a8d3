package dev.vconv.simd;

import dev.vconv.core.AbstractConv2dPlan;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.Nchw;
import dev.vconv.core.PaddingMode;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;


/**
 * A convolution prepared once for one spec, input shape, weight and bias on the SIMD engine: the path is
 * chosen ({@link ConvPlanner}), the weights are packed into micro-kernel panels, the work is cut into tasks
 * and the per-thread workspaces are sized. {@link #forward(Tensor, Tensor)} then allocates nothing.
 *
 * <p>Tasks never split a reduction: a GEMM task owns whole output elements (an image, a group, a block of
 * output columns and a range of output-channel panels), a depthwise task owns the output channels of one
 * input channel. So the result is the same, bit for bit, at any thread count. A plan may be used from several
 * threads at once: each calling thread has its own call state and every thread its own workspace.
 */
public final class ConvPlan extends AbstractConv2dPlan {
    private final PlanDecision decision;
    private final VectorWidth width;
    private final GemmKernel kernel;       // the GEMM paths' micro-kernel
    private final VectorWidth.Blocking blocks;
    private final boolean relu;
    private final Nchw in;
    private final int hout;
    private final int wout;
    private final int p;
    private final int k;
    private final float[] packedWeights;   // GEMM paths: MR-row panels; depthwise: the weights as given
    private final float[] bias;            // null without bias
    private final float[] panelBias;       // implicit / pixel rows: the bias per channel of every panel, zero past coutG
    /**
     * Zero padding: the implicit and depthwise paths build the input planes into buffers of this plan only (per
     * caller or per thread), whose padding stays zero from their allocation on, so each call writes only the
     * image's own values into them.
     */
    private final boolean zeroPadding;
    /**
     * The padded, phase-split input's geometry (implicit, pointwise, depthwise; pixel rows, whose micro-kernel
     * gathers its A from these planes).
     */
    private final PhasePlanes implicit;
    /** Depthwise 3x3: the interior of the direct kernel ({@link DepthwisePath#direct}), or null without it. */
    private final int[] depthwiseDirect;
    private final float[] depthwiseZeros;  // with it: the zero row it reads for padding rows (never written)
    /** Depthwise 3x3 on narrow rows: the wrapped kernel's masks and layout ({@link DepthwisePath#wrapped}), or null. */
    private final DepthwiseVariant.Wrapped depthwiseWrapped;
    private final int[] tailRows;          // pointwise: row k of the copied last panel at k*NR
    /**
     * Pixel rows that gather: where output pixel {@code q} reads every tap at {@link #gatherRows}{@code [k]} on
     * from, for whole panels of {@code MR} pixels (the last panel repeats the last pixel): its column of the
     * implicit path's planes ({@code oy*wq + ox}), or in place its offset in the input
     * ({@code oy*sh*w + ox*sw}).
     */
    private final int[] pixels;
    /** Pixel rows that gather, without padding: gathered from the input itself; nothing is built. */
    private final boolean pixelsInPlace;
    /** Pixel rows that gather: where reduction row {@code k} of group 0 reads pixel 0 (planes or input). */
    private final int[] gatherRows;
    /** Pixel rows that gather: floats between one group's first input channel and the next group's. */
    private final int gatherGroupStride;
    /**
     * Pixel rows that do not gather: a 1x1 kernel (unless it gathers from the input in place), or a kernel that
     * does not gather ({@link ConvPlanner#gathersPixels}):
     * im2col's transpose is packed per image (floats of it, shared by a call), not gathered; or 0.
     */
    private final int packedPixelsSize;
    private final int panels;              // weight panels per group (MR channels; NR for pixel rows)
    private final int columnBlocks;        // NC blocks of the P output columns
    private final int panelSplits;         // ranges of panels per (image, group, column block)
    private final int tasks;               // per call; for the implicit path, per image
    private final int depthwiseTaskChannels;  // depthwise: input channels (of all images) per task
    private final int threads;
    /**
     * Implicit path, or pixel rows gathering from planes, on at most {@link #PRIVATE_PLANES_THREADS} threads, with
     * at least {@link #PRIVATE_PLANES_MIN_WORK} FLOPs per plane element: each thread builds the planes of an image
     * into its own buffer (its workspace) before its first GEMM task of that image, instead of the call's threads
     * building one shared copy channel by channel.
     */
    private final boolean privatePlanes;
    /**
     * Implicit path with groups enough to share ({@link #GROUP_TASKS_PER_THREAD} per thread) on more than one
     * thread: a task is a whole group, whose input channels the thread builds into its own planes and then
     * multiplies; no plane is built twice and none is shared.
     */
    private final boolean groupTasks;
    private final WorkerPool pool;
    private final ThreadLocal<Workspace> workspaces;
    private final ThreadLocal<Call> calls = ThreadLocal.withInitial(Call::new);

    /** A plan that runs {@code decision} ({@link ConvPlanner#plan}) for {@code weight} and {@code bias}. */
    ConvPlan(ConvSpec spec, Shape inputShape, Tensor weight, Tensor bias, PlanDecision decision, java.util.concurrent.Executor executor,
             boolean relu) {
        super(spec, inputShape);
        spec.checkParameters(weight, bias);
        this.decision = decision;
        this.width = decision.width();
        this.relu = relu;
        this.in = Nchw.of(inputShape);
        this.zeroPadding = spec.paddingMode() == PaddingMode.ZEROS;
        this.hout = spec.outputHeight(in.h());
        this.wout = spec.outputWidth(in.w());
        this.p = hout * wout;
        this.k = spec.reductionLength();
        this.bias = bias == null ? null : bias.data().clone();
        this.tasks = decision.tasks();
        this.threads = decision.threads();
        int[] pixelTable = null;
        int[] rowTable = null;
        int groupStride = 0;
        boolean inPlacePixels = false;
        int packedPixels = 0;
        int[] direct = null;
        DepthwiseVariant.Wrapped wrapped = null;
        int taskChannels = 0;
        boolean ownPlanes = false;
        boolean groups = false;
        switch (decision) {
            case PlanDecision.Depthwise d -> {
                this.kernel = null;
                this.blocks = null;
                if (d.variant() instanceof DepthwiseVariant.Direct dd) {
                    direct = new int[] {dd.first(), dd.last()};
                }
                wrapped = d.variant() instanceof DepthwiseVariant.Wrapped dw ? dw : null;
                taskChannels = d.channelsPerTask();
                this.packedWeights = weight.data().clone();
                this.implicit = d.planes();
                this.panelBias = null;
                this.panels = 0;
                this.columnBlocks = 0;
                this.panelSplits = 0;
                int[] interior = direct;
                DepthwiseVariant.Wrapped wrap = wrapped;
                int columns = implicit == null ? 0 : DepthwisePath.columns(implicit, width.depthwise);
                // The direct kernel's workspace is only the stride-1 kernel's staging rows (none at stride 2).
                int plane = wrap != null ? wrap.size()
                        : interior != null ? (spec.strideH() == 1 ? width.depthwiseDirect.stagingSize(in.w()) : 0)
                        : implicit.oneChannelSize(columns);
                int out = wrap != null || interior != null ? 0 : columns;   // the planes' output row
                this.workspaces = ThreadLocal.withInitial(() -> new Workspace(0, 0, 0, plane, out));
            }
            case PlanDecision.ImplicitGemm d -> {
                this.kernel = d.kernel();
                this.blocks = width.blocking(kernel);
                this.packedWeights = Packing.packWeights(spec, weight.data(), kernel.mr());
                this.implicit = d.planes();
                this.panels = Packing.ceilDiv(spec.outChannelsPerGroup(), kernel.mr());
                this.panelBias = panelBias(spec, this.bias, panels, kernel.mr());
                this.columnBlocks = implicit.blocks;
                this.panelSplits = d.panelSplits();
                ownPlanes = d.copies() == PlanDecision.Copies.PRIVATE;
                groups = d.copies() == PlanDecision.Copies.GROUPS;
                int cFloats = Packing.ceilDiv(panels, panelSplits) * kernel.mr() * implicit.maxBlockColumns;
                this.workspaces = ThreadLocal.withInitial(() -> new Workspace(cFloats, 0, 0, 0, 0));
            }
            case PlanDecision.Pointwise d -> {
                this.kernel = d.kernel();
                this.blocks = width.blocking(kernel);
                this.packedWeights = Packing.packWeights(spec, weight.data(), kernel.mr());
                this.implicit = d.geometry();
                this.panels = Packing.ceilDiv(spec.outChannelsPerGroup(), kernel.mr());
                this.panelBias = panelBias(spec, this.bias, panels, kernel.mr());
                this.columnBlocks = implicit.blocks;
                this.panelSplits = d.panelSplits();
                int cFloats = Packing.ceilDiv(panels, panelSplits) * kernel.mr() * implicit.maxBlockColumns;
                // Pointwise reads the input itself: the last, partial panel of columns comes from a copy (k x NR), so
                // that no read runs past the input array.
                int tail = k * kernel.nr();
                this.workspaces = ThreadLocal.withInitial(() -> new Workspace(cFloats, 0, 0, tail, 0));
            }
            case PlanDecision.PixelRows d -> {
                this.kernel = d.kernel();
                this.blocks = d.blocking();
                int mr = kernel.mr();
                int nr = kernel.nr();
                // Roles swapped: the weights packed in NR-column panels over the output channels (W^T's B panels).
                this.packedWeights = Packing.packWeights(spec, weight.data(), nr);
                // A = im2col^T, gathered from the planes: element (k, q) is B[k][p'] of the implicit GEMM,
                // planes[rows[k] + oy*wq + ox]. Unpadded, it is gathered from the input itself:
                // x[inputRows[k] + oy*sh*w + ox*sw].
                boolean pack = d.source() == PlanDecision.Source.PACKED;
                inPlacePixels = d.source() == PlanDecision.Source.INPUT;
                this.implicit = d.planes();
                this.panels = Packing.ceilDiv(spec.outChannelsPerGroup(), nr);
                this.panelBias = panelBias(spec, this.bias, panels, nr);
                int pixelPanels = Packing.ceilDiv(p, mr);
                if (pack) {
                    packedPixels = d.packedSize();
                } else {
                    pixelTable = new int[pixelPanels * mr];
                    for (int q = 0; q < pixelTable.length; q++) {
                        int last = Math.min(q, p - 1);
                        pixelTable[q] = inPlacePixels
                                ? last / wout * spec.strideH() * in.w() + last % wout * spec.strideW()
                                : last / wout * implicit.wq + last % wout;
                    }
                    rowTable = inPlacePixels ? PhasePlanes.inputRows(spec, in.h(), in.w()) : implicit.rows;
                    groupStride = inPlacePixels ? spec.inChannelsPerGroup() * in.h() * in.w() : implicit.groupStride;
                }
                this.columnBlocks = 1;
                this.panelSplits = d.pixelSplits();
                ownPlanes = d.privatePlanes();
                int transposed = Packing.ceilDiv(pixelPanels, panelSplits) * mr * nr;
                int row = pack ? p : 0;
                this.workspaces = ThreadLocal.withInitial(() -> new Workspace(0, 0, row, 0, transposed));
            }
            case PlanDecision.PackedGemm d -> {
                this.kernel = d.kernel();
                this.blocks = d.blocking();
                int mr = kernel.mr();
                int nr = kernel.nr();
                this.packedWeights = Packing.packWeights(spec, weight.data(), mr);
                this.implicit = null;
                this.panelBias = null;
                this.panels = Packing.ceilDiv(spec.outChannelsPerGroup(), mr);
                this.columnBlocks = d.columnBlocks();
                this.panelSplits = d.panelSplits();
                int packed = Math.min(k, blocks.kc()) * Packing.ceilDiv(Math.min(p, blocks.nc()), nr) * nr;
                int row = Math.min(p, blocks.nc());
                this.workspaces = ThreadLocal.withInitial(() -> new Workspace(packed, mr * nr, row, 0, 0));
            }
        }
        this.tailRows = new int[decision instanceof PlanDecision.Pointwise ? k : 0];
        for (int kk = 0; kk < tailRows.length; kk++) {
            tailRows[kk] = kk * kernel.nr();
        }
        this.depthwiseDirect = direct;
        this.depthwiseZeros = direct != null ? new float[in.w() + 2 * width.depthwiseDirect.lanes()] : null;
        this.depthwiseWrapped = wrapped;
        this.depthwiseTaskChannels = taskChannels;
        this.pixels = pixelTable;
        this.pixelsInPlace = inPlacePixels;
        this.gatherRows = rowTable;
        this.gatherGroupStride = groupStride;
        this.packedPixelsSize = packedPixels;
        this.pool = this.threads > 1 ? WorkerPool.of(executor, this.threads) : null;
        this.groupTasks = groups;
        this.privatePlanes = ownPlanes;
    }

    /** The bias of every channel of every group's panels of {@code mr} channels (zero past the group's, or no bias). */
    private static float[] panelBias(ConvSpec spec, float[] bias, int panels, int mr) {
        int coutG = spec.outChannelsPerGroup();
        float[] rows = new float[spec.groups() * panels * mr];
        for (int g = 0; g < spec.groups() && bias != null; g++) {
            System.arraycopy(bias, g * coutG, rows, g * panels * mr, coutG);
        }
        return rows;
    }

    /** Whether the pixel rows gather from the input itself ({@link PhasePlanes#gathersInPlace}; tests). */
    boolean pixelsInPlace() {
        return pixelsInPlace;
    }

    /** Whether each thread builds its own planes ({@link #PRIVATE_PLANES_THREADS}; tests). */
    boolean privatePlanes() {
        return privatePlanes;
    }

    /** Tasks per call, per image on the staged paths (tests). */
    int tasks() {
        return tasks;
    }

    /** Whether a task is a whole group ({@link #groupTasks}; tests). */
    boolean groupTasks() {
        return groupTasks;
    }

    /** What the planner decided for this plan. */
    PlanDecision decision() {
        return decision;
    }

    /** The path this plan takes: {@code PACKED_GEMM}, {@code IMPLICIT_GEMM}, {@code PIXEL_ROWS}, {@code POINTWISE} or {@code DEPTHWISE}. */
    public String path() {
        return decision.path().name();
    }

    /** Why the planner took this path, with the costs it compared. */
    public String reason() {
        return decision.reason();
    }

    /** Threads a call uses: at most the engine's count, fewer for small convolutions. */
    public int threads() {
        return threads;
    }

    @Override
    public void forward(Tensor input, Tensor output) {
        checkCall(input, output);
        Call call = calls.get();
        call.start(this, input.data(), output.data());
        try {
            if (groupTasks) {
                for (int n = 0; n < in.n(); n++) {
                    dispatch(call, Stage.GROUP, n, spec().groups(), n + 1 < in.n());
                }
            } else if (decision.path() == Path.IMPLICIT_GEMM
                    || decision.path() == Path.PIXEL_ROWS && !pixelsInPlace) {
                boolean pack = packedPixelsSize > 0;
                int first = 0;
                if (!pack) {
                    call.sequence++;                                       // the threads' own planes are stale
                    first = wholeImages(call);                             // each on the planes its thread builds
                }
                boolean shared = !privatePlanes && first < in.n();         // private: each thread builds its own
                if (shared) {
                    call.reservePlanes(pack ? packedPixelsSize : implicit.planesSize);
                }
                int builds = pack ? spec().groups() * Packing.ceilDiv(k, blocks.kc()) : spec().inChannels();
                for (int n = first; n < in.n(); n++) {
                    if (shared) {
                        dispatch(call, Stage.BUILD, n, builds, true);           // planes, or im2col's transpose packed
                    }
                    dispatch(call, Stage.GEMM, n, tasks, n + 1 < in.n());
                }
            } else if (decision.path() == Path.POINTWISE || decision.path() == Path.PIXEL_ROWS) {
                for (int n = wholeImages(call); n < in.n(); n++) {
                    dispatch(call, Stage.GEMM, n, tasks, n + 1 < in.n());   // on the input itself: nothing to build
                }
            } else {
                dispatch(call, Stage.ALL, 0, tasks, false);
            }
        } finally {
            call.finish();   // lets go of the plan and tensors even when a task or a caller's executor throws
        }
    }

    /**
     * A batch of at least as many images as threads, on the paths whose image tasks need nothing shared (each
     * thread builds its own planes of the image, or reads the input itself): the images of whole rounds, one
     * image per task ({@link Stage#IMAGE}), so that the threads meet once for them instead of after every image,
     * and no image's planes are built twice or read by another thread. Returns the first image left, which the
     * caller then splits among the threads as one image.
     */
    private int wholeImages(Call call) {
        int whole = threads > 1 ? in.n() / threads * threads : 0;
        if (whole > 0) {
            dispatch(call, Stage.IMAGE, 0, whole, whole < in.n());
        }
        return whole;
    }

    /**
     * Runs {@code count} tasks of {@code stage} (of image {@code n}) on the calling thread and the pool's workers;
     * {@code more}: another stage of this call follows at once (unless this one fails).
     */
    private void dispatch(Call call, Stage stage, int n, int count, boolean more) {
        call.stage = stage;
        call.image = n;
        WorkerPool.parallelize(pool, count, call,
                privatePlanes ? WorkerPool.ClaimOrder.CALLER_FRONT_HELPERS_BACK : WorkerPool.ClaimOrder.FRONT, more);
    }

    /**
     * What a batch of tasks does: everything (packed and depthwise paths), one stage of one image (implicit), a
     * whole group ({@link #groupTasks}), or a whole image ({@link #wholeImages}).
     */
    private enum Stage { ALL, BUILD, GEMM, GROUP, IMAGE }

    /** Runs one task of a stage: the unit of work threads claim. */
    private void runTask(Stage stage, int image, int task, float[] x, float[] y, float[] planes, Workspace ws) {
        switch (stage) {
            case IMAGE -> {                                // image 'task': its GEMM tasks in order, on this thread
                for (int t = 0; t < tasks; t++) {
                    gemmTask(task, t, true, x, y, planes, ws);
                }
            }
            case GEMM -> gemmTask(image, task, privatePlanes, x, y, planes, ws);
            case BUILD -> {
                if (packedPixelsSize > 0) {
                    packPixels(x, image, task, planes, ws);
                } else {
                    buildPlanes(x, image, task, task + 1, planes);
                }
            }
            case GROUP -> groupTask(x, y, image, task, ws);
            case ALL -> {
                if (decision.path() == Path.DEPTHWISE) {
                    int channels = in.n() * spec().inChannels();
                    for (int i = task * depthwiseTaskChannels; i < Math.min(channels, (task + 1) * depthwiseTaskChannels); i++) {
                        DepthwisePath.channel(spec(), implicit, width, x, i / spec().inChannels(), i % spec().inChannels(),
                                in.h(), in.w(), packedWeights, bias, y, ws.plane, ws.out, relu, zeroPadding, depthwiseDirect,
                                depthwiseZeros, depthwiseWrapped);
                    }
                    return;
                }
                int split = task % panelSplits;
                int rest = task / panelSplits;
                int jb = rest % columnBlocks;
                rest /= columnBlocks;
                int g = rest % spec().groups();
                int n = rest / spec().groups();
                gemm(x, y, n, g, jb * blocks.nc(), split * panels / panelSplits, (split + 1) * panels / panelSplits, ws);
            }
        }
    }

    /**
     * GEMM task {@code task} of image {@code image} on the implicit, pointwise or pixel-rows path; {@code own}: on
     * this thread's own planes, built as far as the task reads ({@link #ownPlanes}), not the call's shared ones.
     */
    private void gemmTask(int image, int task, boolean own, float[] x, float[] y, float[] planes, Workspace ws) {
        if (decision.path() == Path.PIXEL_ROWS) {
            // On own planes the pixel splits go outermost, so that the tasks taken from each end of the batch
            // (WorkerPool.ClaimOrder.CALLER_FRONT_HELPERS_BACK) read rows from each end of the image, and an image's tasks in order
            // build its rows in order.
            int channelTasks = spec().groups() * panels;
            int split = own ? task / channelTasks : task % panelSplits;
            int rest = own ? task % channelTasks : task / panelSplits;
            int mr = kernel.mr();
            int pixelPanels = Packing.ceilDiv(p, mr);
            int ipFrom = split * pixelPanels / panelSplits;
            int ipTo = (split + 1) * pixelPanels / panelSplits;
            if (ipFrom == ipTo) {
                return;
            }
            float[] a = pixelsInPlace ? x : own
                    ? ownPlanes(x, image, ws, ipFrom * mr / wout, (Math.min(p, ipTo * mr) - 1) / wout) : planes;
            pixelRows(a, pixelsInPlace ? image * in.imageSize() : 0, y, image, rest / panels, rest % panels, ipFrom, ipTo, ws);
            return;
        }
        int split = task % panelSplits;
        int rest = task / panelSplits;
        int block = rest % columnBlocks;
        int start = implicit.blockStart(block);
        int end = Math.min(implicit.columns, start + implicit.blockColumns(block));
        boolean pointwise = decision.path() == Path.POINTWISE;          // reads the input itself
        float[] b = own && !pointwise ? ownPlanes(x, image, ws, start / implicit.wq, (end - 1) / implicit.wq) : planes;
        implicitGemm(x, b, y, image, rest / columnBlocks, block, split * panels / panelSplits,
                (split + 1) * panels / panelSplits, ws);
    }

    /**
     * The BLIS loops for columns {@code [jc, jc+nc)} of group {@code g} of image {@code n}, output-channel panels
     * {@code [ipFrom, ipTo)}: C starts as the bias; then pc (reduction blocks; pack B) / jr (B panels) / ir
     * (A panels) / micro-kernel; then the fused ReLU, if asked for.
     */
    private void gemm(float[] x, float[] y, int n, int g, int jc, int ipFrom, int ipTo, Workspace ws) {
        int mr = kernel.mr();
        int nr = kernel.nr();
        int kcMax = blocks.kc();
        int nc = Math.min(blocks.nc(), p - jc);
        int coutG = spec().outChannelsPerGroup();
        int rowFrom = ipFrom * mr;
        int rowTo = Math.min(coutG, ipTo * mr);
        int image = n * in.imageSize();
        int cBase = (n * spec().outChannels() + g * coutG) * p + jc;
        for (int row = rowFrom; row < rowTo; row++) {
            java.util.Arrays.fill(y, cBase + row * p, cBase + row * p + nc, bias == null ? 0f : bias[g * coutG + row]);
        }
        for (int pc = 0; pc < k; pc += kcMax) {                          // reduction block: pack kc rows of B
            int kc = Math.min(kcMax, k - pc);
            Packing.packIm2col(spec(), x, image, in.h(), in.w(), g, wout, pc, kc, jc, nc, kernel, ws.packedB, ws.row);
            for (int jp = 0; jp * nr < nc; jp++) {                       // jr: one B panel, kept in L1
                int nrCur = Math.min(nr, nc - jp * nr);
                for (int ip = ipFrom; ip < ipTo; ip++) {                  // ir: the A panels stream past it
                    int mrCur = Math.min(mr, coutG - ip * mr);
                    int aOff = ((g * panels + ip) * k + pc) * mr;
                    int cOff = cBase + ip * mr * p + jp * nr;
                    if (mrCur == mr && nrCur == nr) {
                        kernel.tile(kc, packedWeights, aOff, ws.packedB, jp * kc * nr, y, cOff, p);
                    } else {
                        kernel.edgeTile(kc, packedWeights, aOff, ws.packedB, jp * kc * nr, y, cOff, p, mrCur, nrCur, ws.edge);
                    }
                }
            }
        }
        if (relu) {
            for (int row = rowFrom; row < rowTo; row++) {
                for (int i = cBase + row * p, end = i + nc; i < end; i++) {
                    y[i] = Math.max(y[i], 0f);
                }
            }
        }
    }

    /**
     * Pixel rows that pack (a 1x1 kernel, or a kernel that does not gather), first stage: reduction block
     * {@code task % kBlocks} of group {@code task / kBlocks} of im2col's transpose, packed in MR-pixel panels into
     * the call's shared buffer (block {@code b} of group {@code g} at {@code (g*kBlocks + b) * kc*pixels}).
     */
    private void packPixels(float[] x, int n, int task, float[] packed, Workspace ws) {
        int mr = kernel.mr();
        int kBlocks = Packing.ceilDiv(k, blocks.kc());
        int g = task / kBlocks;
        int pc = task % kBlocks * blocks.kc();
        int kc = Math.min(blocks.kc(), k - pc);
        int pixels = Packing.ceilDiv(p, mr) * mr;
        Packing.packIm2col(spec(), x, n * in.imageSize(), in.h(), in.w(), g, wout, pc, kc, 0, p, mr, ws.row, packed,
                task * blocks.kc() * pixels);
    }

    /**
     * Pixel rows: output-channel panel {@code jp} of group {@code g} of image {@code n} for pixel panels
     * {@code [ipFrom, ipTo)}: {@code C^T = im2col^T * W^T} in a workspace (pixels x NR channels) that starts as the
     * bias in every row; pc (reduction blocks) / ir (pixel panels) / micro-kernel against the channel panel's
     * weights (packed at plan time), its A gathered from the planes {@code a} (or the input, at {@code aBase})
     * ({@link GemmKernel#tileGather}: the tap's row plus the pixel's column), or read from the packed transpose
     * {@code a} ({@link #packedPixelsSize}); then C^T is transposed into the output, with the ReLU.
     */
    private void pixelRows(float[] a, int aBase, float[] y, int n, int g, int jp, int ipFrom, int ipTo, Workspace ws) {
        int mr = kernel.mr();
        int nr = kernel.nr();
        int coutG = spec().outChannelsPerGroup();
        int kBlocks = Packing.ceilDiv(k, blocks.kc());
        float[] ct = ws.out;
        for (int r = 0; r < (ipTo - ipFrom) * mr; r++) {
            System.arraycopy(panelBias, (g * panels + jp) * nr, ct, r * nr, nr);
        }
        int pixelCount = Packing.ceilDiv(p, mr) * mr;
        for (int b = 0; b < kBlocks; b++) {
            int pc = b * blocks.kc();
            int kc = Math.min(blocks.kc(), k - pc);
            int bOff = ((g * panels + jp) * k + pc) * nr;
            if (packedPixelsSize > 0) {                                  // a: the packed blocks of im2col's transpose
                int block = (g * kBlocks + b) * blocks.kc() * pixelCount;
                for (int ip = ipFrom; ip < ipTo; ip++) {                  // ir: the pixel panels
                    kernel.tile(kc, a, block + ip * kc * mr, packedWeights, bOff, ct, (ip - ipFrom) * mr * nr, nr);
                }
                continue;
            }
            int group = aBase + g * gatherGroupStride;                 // a: the planes (or the input)
            for (int ip = ipFrom; ip < ipTo; ip++) {
                int cAt = (ip - ipFrom) * mr * nr;
                int valid = Math.min(mr, p - ip * mr);
                if (2 * valid > mr) {
                    kernel.tileGather(kc, a, group, gatherRows, pc, pixels, ip * mr, packedWeights, bOff, ct, cAt, nr);
                    continue;
                }
                // The last panel with at most half its pixels: a row per pixel (a 7x7 image's 49th pixel). A row
                // does one FMA per load of B, so fuller panels run the tile (4 of 6 rows: 1 % slower as rows).
                for (int r = 0; r < valid; r++) {
                    kernel.tileGatherRow(kc, a, group, gatherRows, pc, pixels[ip * mr + r], packedWeights, bOff, ct, cAt + r * nr);
                }
            }
        }
        int firstPixel = ipFrom * mr;
        int channels = Math.min(coutG, (jp + 1) * nr) - jp * nr;
        width.transpose.transpose(ct, 0, nr, Math.min(p, ipTo * mr) - firstPixel, channels, y,
                (n * spec().outChannels() + g * coutG + jp * nr) * p + firstPixel, p, relu);
    }

    /** Group {@code g} of image {@code n}: its input channels into this thread's planes, then all its GEMM tasks. */
    private void groupTask(float[] x, float[] y, int n, int g, Workspace ws) {
        int cinG = spec().inChannelsPerGroup();
        float[] planes = buildPlanes(x, n, g * cinG, (g + 1) * cinG, ownBuffer(ws));
        for (int b = 0; b < columnBlocks; b++) {
            for (int split = 0; split < panelSplits; split++) {
                implicitGemm(x, planes, y, n, g, b, split * panels / panelSplits, (split + 1) * panels / panelSplits, ws);
            }
        }
    }

    /**
     * This thread's own planes of image {@code n} of the running call, holding at least the plane rows that the
     * kept outputs of output rows {@code [oyFirst, oyLast]} read: the thread builds the rows its tasks read and
     * have not been built for this call, and keeps what it built as one range of rows (widened to take in any
     * gap).
     */
    private float[] ownPlanes(float[] x, int n, Workspace ws, int oyFirst, int oyLast) {
        assert decision.path() != Path.POINTWISE && !pixelsInPlace : "planes built for a path reading the input";
        Call call = ws.running;
        int from = oyFirst;
        int to = implicit.planeRowsEnd(oyLast);
        float[] planes = ownBuffer(ws);
        if (ws.builtFor != call || ws.builtSequence != call.sequence || ws.builtImage != n) {
            buildPlanes(x, n, 0, spec().inChannels(), planes, from, to);
            ws.builtFor = call;
            ws.builtSequence = call.sequence;
            ws.builtImage = n;
            ws.builtFrom = from;
            ws.builtTo = to;
            return planes;
        }
        if (from < ws.builtFrom) {
            buildPlanes(x, n, 0, spec().inChannels(), planes, from, ws.builtFrom);
            ws.builtFrom = from;
        }
        if (to > ws.builtTo) {
            buildPlanes(x, n, 0, spec().inChannels(), planes, ws.builtTo, to);
            ws.builtTo = to;
        }
        return planes;
    }

    /** This thread's planes buffer for this plan, allocated on first use. */
    private float[] ownBuffer(Workspace ws) {
        if (ws.planes == null) {
            ws.planes = new float[implicit.planesSize];
        }
        return ws.planes;
    }

    /** Builds the planes of input channels {@code [from, to)} of image {@code n} into {@code planes}; returns it. */
    private float[] buildPlanes(float[] x, int n, int from, int to, float[] planes) {
        return buildPlanes(x, n, from, to, planes, 0, implicit.hq);
    }

    /** The same, for plane rows {@code [rowFrom, rowTo)} of every phase plane only. */
    private float[] buildPlanes(float[] x, int n, int from, int to, float[] planes, int rowFrom, int rowTo) {
        for (int c = from; c < to; c++) {
            implicit.buildChannel(spec(), x, n * in.imageSize(), in.h(), in.w(), c, planes, c * implicit.channelSize, width.split,
                    zeroPadding, rowFrom, rowTo);
        }
        return planes;
    }

    /**
     * The implicit GEMM for column block {@code b} of group {@code g} of image {@code n}, output-channel panels
     * {@code [ipFrom, ipTo)}: jr (column panels) / ir (A panels) / the indirect micro-kernel over the whole
     * reduction from the bias into C (the workspace, {@code rows x nc}); then the kept columns go to the output.
     */
    private void implicitGemm(float[] x, float[] planes, float[] y, int n, int g, int b, int ipFrom, int ipTo, Workspace ws) {
        int mr = kernel.mr();
        int nr = kernel.nr();
        int lanes = width.bits / Float.SIZE;
        int coutG = spec().outChannelsPerGroup();
        int nc = implicit.blockColumns(b);
        int rows = (ipTo - ipFrom) * mr;
        float[] c = ws.packedB;
        boolean inPlace = decision.path() == Path.POINTWISE;   // B is the input's own planes
        float[] bSource = inPlace ? x : planes;
        int col = (inPlace ? n * in.imageSize() : 0) + g * implicit.groupStride + implicit.blockStart(b);
        for (int jp = 0; jp * nr < nc; jp++) {                           // jr: one column panel
            float[] from = bSource;
            int[] rowTable = implicit.rows;
            int at = col + jp * nr;
            if (inPlace && implicit.blockStart(b) + (jp + 1) * nr > implicit.columns) {
                copyTail(x, n, g, implicit.blockStart(b) + jp * nr, ws.plane);
                from = ws.plane;
                rowTable = tailRows;
                at = 0;
            }
            // The block's last panel may hold fewer columns: then one vector at a time, as few as cover them.
            int valid = Math.min(nr, Math.min(nc, implicit.columns - implicit.blockStart(b)) - jp * nr);
            for (int ip = ipFrom; ip < ipTo; ip++) {                      // ir: the A panels stream past it
                int panel = g * panels + ip;
                int cAt = (ip - ipFrom) * mr * nc + jp * nr;
                if (valid == nr) {
                    kernel.tileIndirect(k, packedWeights, panel * k * mr, from, rowTable, 0, at, panelBias, panel * mr,
                            c, cAt, nc);
                    continue;
                }
                for (int v = 0; v < valid; v += lanes) {
                    kernel.tileIndirect1v(k, packedWeights, panel * k * mr, from, rowTable, 0, at + v, panelBias, panel * mr,
                            c, cAt + v, nc);
                }
            }
        }
        int wq = implicit.wq;
        int start = implicit.blockStart(b);
        int end = Math.min(start + nc, implicit.columns);
        for (int r = 0, realRows = Math.min(rows, coutG - ipFrom * mr); r < realRows; r++) {
            int out = (n * spec().outChannels() + g * coutG + ipFrom * mr + r) * p;
            for (int oy = start / wq; oy * wq < end; oy++) {            // the kept part of each output row in the block
                int from = Math.max(start, oy * wq);
                int to = Math.min(end, oy * wq + wout);
                int src = r * nc + from - start;
                int dst = out + oy * wout + from - oy * wq;
                if (relu) {
                    for (int i = 0; i < to - from; i++) {
                        y[dst + i] = Math.max(c[src + i], 0f);
                    }
                } else if (to > from) {
                    System.arraycopy(c, src, y, dst, to - from);
                }
            }
        }
    }

    /** Pointwise: columns {@code [first, P)} of every input channel of group {@code g}, zero-padded to {@code NR}, as rows of {@code tail}. */
    private void copyTail(float[] x, int n, int g, int first, float[] tail) {
        int nr = kernel.nr();
        int cinG = spec().inChannelsPerGroup();
        int count = p - first;
        for (int ic = 0; ic < cinG; ic++) {
            System.arraycopy(x, n * in.imageSize() + (g * cinG + ic) * p + first, tail, ic * nr, count);
            java.util.Arrays.fill(tail, ic * nr + count, (ic + 1) * nr, 0f);
        }
    }

    @Override
    public String toString() {
        return "simd-" + width.bits + " plan (" + decision.path() + ", " + tasks + " tasks, " + threads + " threads) for " + spec()
                + " on input " + inputShape();
    }

    /**
     * A thread's scratch memory: a packed block of B, an edge tile and one im2col row of a block (packed GEMM); the
     * block of C (implicit GEMM, in {@code packedB}); a packed block of im2col's transpose, a row and C^T (pixel
     * rows, in {@code packedB}, {@code row}, {@code out}); or one channel's planes and output (depthwise).
     */
    private static final class Workspace {
        final float[] packedB;
        final float[] edge;
        final float[] row;
        final float[] plane;
        final float[] out;
        // Private planes (implicit and pixel-rows paths, two threads): the copy and the call, call number, image and
        // plane rows [builtFrom, builtTo) it holds.
        float[] planes;
        Call builtFor;
        long builtSequence;
        int builtImage = -1;
        int builtFrom;
        int builtTo;
        Call running;                              // the call whose tasks this thread is running

        Workspace(int packedB, int edge, int row, int plane, int out) {
            this.packedB = new float[packedB];
            this.edge = new float[edge];
            this.row = new float[row];
            this.plane = new float[plane];
            this.out = new float[out];
        }
    }

    /**
     * The state of one call of one caller thread, reused for its next calls: the batches of tasks it hands to
     * {@link WorkerPool#parallelize} (the stage and image being run). Static, and it lets go of the plan and the
     * tensors when the call ends: a thread-local value that reached the plan would keep the plan's own
     * ThreadLocal key, and so the plan, its packed weights and workspaces, alive for as long as the thread lives.
     */
    private static final class Call implements WorkerPool.Tasks<Workspace> {
        private ConvPlan plan;
        private float[] x;
        private float[] y;
        private float[] planes = new float[0];     // the implicit path's input copy, kept for this thread's next calls
        private long sequence;                     // counts this caller's calls: private planes know when they are stale
        private Stage stage;
        private int image;

        void start(ConvPlan plan, float[] x, float[] y) {
            this.plan = plan;
            this.x = x;
            this.y = y;
        }

        /** Makes the implicit path's input copy at least {@code size} floats (once per plan and thread). */
        void reservePlanes(int size) {
            if (planes.length < size) {
                planes = new float[size];
            }
        }

        @Override
        public Workspace state() {
            Workspace ws = plan.workspaces.get();
            ws.running = this;
            return ws;
        }

        @Override
        public void run(int task, Workspace ws) {
            plan.runTask(stage, image, task, x, y, planes, ws);
        }

        void finish() {
            plan = null;
            x = null;
            y = null;
        }
    }
}
