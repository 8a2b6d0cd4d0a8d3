package dev.vconv.simd.path;

import dev.vconv.simd.exec.WorkerPool;
import dev.vconv.simd.kernel.GemmKernel;
import dev.vconv.simd.layout.Packing;
import dev.vconv.simd.layout.PhasePlanes;
import dev.vconv.simd.plan.Path;
import dev.vconv.simd.plan.PlanDecision;

/**
 * Pixel rows ({@link Path#PIXEL_ROWS}): {@code C^T = im2col^T * W^T}, output pixels as the rows of the product and
 * output channels as its vector columns. The weights are packed once, here, in {@code NR}-column panels over the
 * output channels (W^T's B panels). {@code im2col^T} (A) comes from where the planner said
 * ({@link PlanDecision.PixelRows#source}): gathered by the micro-kernel from the phase planes (element
 * {@code (k, q)} at {@code planes[rows[k] + oy*wq + ox]}), from the input itself without padding
 * ({@code x[inputRows[k] + oy*sh*w + ox*sw]}), or packed per reduction block into a shared buffer. A task is one
 * output-channel panel of one group for a range of pixel panels: C^T in the workspace, from the bias, then
 * transposed into the output.
 */
public final class PixelRowsRunner implements PathRunner, RunnerCall.Body<PixelRowsRunner.Workspace> {
    private static final int BUILD = 0;    // the shared copy: input channel c's planes, or block c of im2col^T packed
    private static final int GEMM = 1;     // a channel panel of a group for a range of pixel panels
    private static final int IMAGE = 2;    // task n: image n whole

    private final Layer layer;
    private final PlanDecision.PixelRows decision;
    private final GemmKernel kernel;
    private final float[] weights;         // NR-column panels over every group's output channels
    private final float[] panelBias;
    private final int panels;              // channel panels per group
    private final int pixelPanels;         // MR-pixel panels per image
    /** Gathering: where output pixel {@code q} reads every tap from, for whole panels (the last repeats the last pixel). */
    private final int[] pixels;
    /** Gathering: where reduction row {@code k} of group 0 reads pixel 0 (planes or input). */
    private final int[] gatherRows;
    /** Gathering: floats between one group's first input channel and the next group's. */
    private final int gatherGroupStride;
    private final WorkerPool.ClaimOrder order;
    private final ThreadLocal<Workspace> workspaces;
    private final ThreadLocal<RunnerCall<Workspace>> calls = ThreadLocal.withInitial(RunnerCall::new);

    /**
     * A thread's scratch memory: an im2col row (packing), C^T, C (C^T transposed, where the epilogue then takes it to
     * the output), and its own copy of the planes where it builds one.
     */
    record Workspace(float[] row, float[] ct, float[] c, OwnPlanes own) {
    }

    public PixelRowsRunner(Layer layer, PlanDecision.PixelRows decision, float[] weight) {
        this.layer = layer;
        this.decision = decision;
        this.kernel = decision.kernel();
        int mr = kernel.mr();
        int nr = kernel.nr();
        int p = layer.p();
        this.weights = Packing.packWeights(layer.spec(), weight, nr);
        this.panels = Math.ceilDiv(layer.spec().outChannelsPerGroup(), nr);
        this.panelBias = layer.panelBias(panels, nr);
        this.pixelPanels = Math.ceilDiv(p, mr);
        PhasePlanes planes = decision.planes();
        boolean inPlace = decision.source() == PlanDecision.Source.INPUT;
        if (decision.source() == PlanDecision.Source.PACKED) {
            this.pixels = null;
            this.gatherRows = null;
            this.gatherGroupStride = 0;
        } else {
            int w = layer.in().w();
            int wout = layer.wout();
            this.pixels = new int[pixelPanels * mr];
            for (int q = 0; q < pixels.length; q++) {
                int last = Math.min(q, p - 1);
                pixels[q] = inPlace
                        ? last / wout * layer.spec().strideH() * w + last % wout * layer.spec().strideW()
                        : last / wout * planes.wq + last % wout;
            }
            this.gatherRows = inPlace ? PhasePlanes.inputRows(layer.spec(), layer.in().h(), w) : planes.rows;
            this.gatherGroupStride = inPlace ? layer.spec().inChannelsPerGroup() * layer.in().h() * w : planes.groupStride;
        }
        this.order = decision.privatePlanes() ? WorkerPool.ClaimOrder.CALLER_FRONT_HELPERS_BACK : WorkerPool.ClaimOrder.FRONT;
        int transposed = Math.ceilDiv(pixelPanels, decision.pixelSplits()) * mr * nr;
        int row = decision.source() == PlanDecision.Source.PACKED ? p : 0;
        int c = layer.epilogue().isNone() ? 0 : transposed;
        this.workspaces = ThreadLocal.withInitial(() -> new Workspace(new float[row], new float[transposed], new float[c],
                planes == null ? null : new OwnPlanes(planes)));
    }

    @Override
    public void run(float[] x, float[] y, float[] r) {
        RunnerCall<Workspace> call = calls.get();
        call.start(this, x, y, r);
        try {
            int images = layer.in().n();
            WorkerPool pool = layer.pool();
            int first = decision.wholeImages();
            if (first > 0) {
                call.stage(pool, IMAGE, 0, first, order, first < images);
            }
            boolean build = decision.source() != PlanDecision.Source.INPUT && !decision.privatePlanes() && first < images;
            int builds = 0;
            if (build && decision.source() == PlanDecision.Source.PACKED) {
                call.shared(decision.packedSize());
                builds = layer.spec().groups() * Math.ceilDiv(layer.spec().reductionLength(), decision.blocking().kc());
            } else if (build) {
                call.shared(decision.planes().planesSize);
                builds = layer.spec().inChannels();
            }
            for (int n = first; n < images; n++) {
                if (build) {
                    call.stage(pool, BUILD, n, builds, order, true);
                }
                call.stage(pool, GEMM, n, decision.tasks(), order, n + 1 < images);
            }
        } finally {
            call.finish();
        }
    }

    @Override
    public Workspace workspace() {
        return workspaces.get();
    }

    @Override
    public void task(RunnerCall<Workspace> call, int task, Workspace ws) {
        switch (call.stage) {
            case BUILD -> {
                if (decision.source() == PlanDecision.Source.PACKED) {
                    packPixels(call.x, call.image, task, call.shared, ws);
                } else {
                    layer.build(decision.planes(), call.x, call.image, task, task + 1, call.shared, 0, decision.planes().hq);
                }
            }
            case GEMM -> gemmTask(call, call.image, task, decision.privatePlanes(), ws);
            case IMAGE -> {                                // its GEMM tasks in order, on this thread
                for (int t = 0; t < decision.tasks(); t++) {
                    gemmTask(call, task, t, true, ws);
                }
            }
            default -> throw new IllegalStateException("no stage " + call.stage);
        }
    }

    /**
     * GEMM task {@code task} of image {@code n}; {@code own}: on the thread's own copy of the planes, built as far as
     * the task reads. On own planes the pixel splits go outermost, so that the tasks taken from each end of the
     * batch ({@link WorkerPool.ClaimOrder#CALLER_FRONT_HELPERS_BACK}) read rows from each end of the image, and an
     * image's tasks in order build its rows in order.
     */
    private void gemmTask(RunnerCall<Workspace> call, int n, int task, boolean own, Workspace ws) {
        int mr = kernel.mr();
        int splits = decision.pixelSplits();
        int channelTasks = layer.spec().groups() * panels;
        int split = own ? task / channelTasks : task % splits;
        int rest = own ? task % channelTasks : task / splits;
        int ipFrom = split * pixelPanels / splits;
        int ipTo = (split + 1) * pixelPanels / splits;
        if (ipFrom == ipTo) {
            return;
        }
        boolean inPlace = decision.source() == PlanDecision.Source.INPUT;
        int wout = layer.wout();
        float[] a = inPlace ? call.x : own
                ? ws.own.rows(layer, call, n, ipFrom * mr / wout, (Math.min(layer.p(), ipTo * mr) - 1) / wout) : call.shared;
        pixelRows(a, inPlace ? n * layer.in().imageSize() : 0, call.y, call.r, n, rest / panels, rest % panels, ipFrom, ipTo, ws);
    }

    /**
     * Packed im2col^T, first stage: reduction block {@code task % kBlocks} of group {@code task / kBlocks}, packed in
     * MR-pixel panels into the call's shared buffer (block {@code b} of group {@code g} at
     * {@code (g*kBlocks + b) * kc*pixels}).
     */
    private void packPixels(float[] x, int n, int task, float[] packed, Workspace ws) {
        int mr = kernel.mr();
        int k = layer.spec().reductionLength();
        int kcMax = decision.blocking().kc();
        int kBlocks = Math.ceilDiv(k, kcMax);
        int g = task / kBlocks;
        int pc = task % kBlocks * kcMax;
        int kc = Math.min(kcMax, k - pc);
        Packing.packIm2col(layer.spec(), x, n * layer.in().imageSize(), layer.in().h(), layer.in().w(), g, layer.wout(), pc, kc,
                0, layer.p(), mr, ws.row, packed, task * kcMax * pixelPanels * mr);
    }

    /**
     * Output-channel panel {@code jp} of group {@code g} of image {@code n} for pixel panels {@code [ipFrom, ipTo)}:
     * C^T (pixels x NR channels) starts as the bias in every row; pc (reduction blocks) / ir (pixel panels) /
     * micro-kernel against the channel panel's weights, its A gathered from {@code a} at {@code aBase}
     * ({@link GemmKernel#tileGather}: the tap's row plus the pixel's column), or read from the packed transpose
     * {@code a}; then C^T is transposed into the output, or, with an epilogue, into the workspace and from there
     * through the epilogue (with the residual {@code r}, which may be the output) into the output.
     */
    private void pixelRows(float[] a, int aBase, float[] y, float[] r, int n, int g, int jp, int ipFrom, int ipTo, Workspace ws) {
        int mr = kernel.mr();
        int nr = kernel.nr();
        int k = layer.spec().reductionLength();
        int p = layer.p();
        int coutG = layer.spec().outChannelsPerGroup();
        int kcMax = decision.blocking().kc();
        int kBlocks = Math.ceilDiv(k, kcMax);
        float[] ct = ws.ct;
        for (int row = 0; row < (ipTo - ipFrom) * mr; row++) {
            System.arraycopy(panelBias, (g * panels + jp) * nr, ct, row * nr, nr);
        }
        boolean packed = decision.source() == PlanDecision.Source.PACKED;
        int pixelCount = pixelPanels * mr;
        for (int b = 0; b < kBlocks; b++) {
            int pc = b * kcMax;
            int kc = Math.min(kcMax, k - pc);
            int bOff = ((g * panels + jp) * k + pc) * nr;
            if (packed) {                                                // a: the packed blocks of im2col's transpose
                int block = (g * kBlocks + b) * kcMax * pixelCount;
                for (int ip = ipFrom; ip < ipTo; ip++) {                  // ir: the pixel panels
                    kernel.tile(kc, a, block + ip * kc * mr, weights, bOff, ct, (ip - ipFrom) * mr * nr, nr);
                }
                continue;
            }
            int group = aBase + g * gatherGroupStride;                 // a: the planes (or the input)
            for (int ip = ipFrom; ip < ipTo; ip++) {
                int cAt = (ip - ipFrom) * mr * nr;
                int valid = Math.min(mr, p - ip * mr);
                if (2 * valid > mr) {
                    kernel.tileGather(kc, a, group, gatherRows, pc, pixels, ip * mr, weights, bOff, ct, cAt, nr);
                    continue;
                }
                // The last panel with at most half its pixels: a row per pixel (a 7x7 image's 49th pixel). A row
                // does one FMA per load of B, so fuller panels run the tile (4 of 6 rows: 1 % slower as rows).
                for (int row = 0; row < valid; row++) {
                    kernel.tileGatherRow(kc, a, group, gatherRows, pc, pixels[ip * mr + row], weights, bOff, ct, cAt + row * nr);
                }
            }
        }
        int firstPixel = ipFrom * mr;
        int count = Math.min(p, ipTo * mr) - firstPixel;
        int channels = Math.min(coutG, (jp + 1) * nr) - jp * nr;
        int out = (n * layer.spec().outChannels() + g * coutG + jp * nr) * p + firstPixel;
        if (layer.epilogue().isNone()) {
            layer.width().transpose.transpose(ct, 0, nr, count, channels, y, out, p);
            return;
        }
        // Transposed into the workspace (in cache), then to the output through the epilogue in one pass: each
        // output element is written once, and a residual that is the output is read before it is overwritten.
        layer.width().transpose.transpose(ct, 0, nr, count, channels, ws.c, 0, count);
        layer.apply(ws.c, 0, count, r, out, p, y, out, p, channels, count);
    }
}
