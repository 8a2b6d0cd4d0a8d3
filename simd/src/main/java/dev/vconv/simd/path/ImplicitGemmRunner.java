package dev.vconv.simd.path;

import dev.vconv.simd.exec.WorkerPool;
import dev.vconv.simd.layout.PhasePlanes;
import dev.vconv.simd.plan.Path;
import dev.vconv.simd.plan.PlanDecision;

/**
 * The implicit GEMM ({@link Path#IMPLICIT_GEMM}): the input's phase planes ({@link PhasePlanes}) are built per
 * image, and the indirect micro-kernel reads every row of im2col from them in place ({@link IndirectGemm}). How the
 * threads share the planes is the planner's {@link PlanDecision.Copies}: one copy per call, built channel by
 * channel by all threads and then read by all ({@code SHARED}); each thread's own copy of the rows its tasks read,
 * the caller's tasks taken from the front of an image and the helpers' from the back ({@code PRIVATE}); or tasks
 * of whole groups, each building its group's channels ({@code GROUPS}). A batch's {@code wholeImages} go to the
 * threads one image a task, each on its own copy.
 */
public final class ImplicitGemmRunner implements PathRunner, RunnerCall.Body<ImplicitGemmRunner.Workspace> {
    // The stages of a call.
    private static final int BUILD = 0;    // task c: input channel c of the image into the call's shared copy
    private static final int GEMM = 1;     // a column block of a group for a range of panels
    private static final int GROUP = 2;    // task g: group g whole, on the thread's own copy
    private static final int IMAGE = 3;    // task n: image n whole, on the thread's own copy

    private final Layer layer;
    private final PlanDecision.ImplicitGemm decision;
    private final PhasePlanes planes;
    private final IndirectGemm gemm;
    private final WorkerPool.ClaimOrder order;
    private final ThreadLocal<Workspace> workspaces;
    private final ThreadLocal<RunnerCall<Workspace>> calls = ThreadLocal.withInitial(RunnerCall::new);

    /** A thread's scratch memory: the block of C, and its own copy of the planes where it builds one. */
    record Workspace(float[] c, OwnPlanes own) {
    }

    public ImplicitGemmRunner(Layer layer, PlanDecision.ImplicitGemm decision, float[] weight) {
        this.layer = layer;
        this.decision = decision;
        this.planes = decision.planes();
        this.gemm = new IndirectGemm(layer, decision.kernel(), planes, weight);
        this.order = decision.copies() == PlanDecision.Copies.PRIVATE
                ? WorkerPool.ClaimOrder.CALLER_FRONT_HELPERS_BACK : WorkerPool.ClaimOrder.FRONT;
        int c = gemm.cFloats(decision.panelSplits());
        this.workspaces = ThreadLocal.withInitial(() -> new Workspace(new float[c], new OwnPlanes(planes)));
    }

    @Override
    public void run(float[] x, float[] y, float[] r) {
        RunnerCall<Workspace> call = calls.get();
        call.start(this, x, y, r);
        try {
            int images = layer.in().n();
            WorkerPool pool = layer.pool();
            if (decision.copies() == PlanDecision.Copies.GROUPS) {
                for (int n = 0; n < images; n++) {
                    call.stage(pool, GROUP, n, layer.spec().groups(), order, n + 1 < images);
                }
                return;
            }
            int first = decision.wholeImages();
            if (first > 0) {
                call.stage(pool, IMAGE, 0, first, order, first < images);
            }
            boolean shared = decision.copies() == PlanDecision.Copies.SHARED && first < images;
            if (shared) {
                call.shared(planes.planesSize);
            }
            for (int n = first; n < images; n++) {
                if (shared) {
                    call.stage(pool, BUILD, n, layer.spec().inChannels(), order, true);
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
            case BUILD -> layer.build(planes, call.x, call.image, task, task + 1, call.shared, 0, planes.hq);
            case GEMM -> gemmTask(call, call.image, task, decision.copies() == PlanDecision.Copies.PRIVATE, ws);
            case GROUP -> {
                int cinG = layer.spec().inChannelsPerGroup();
                float[] own = ws.own.channels(layer, call.x, call.image, task * cinG, (task + 1) * cinG);
                int splits = decision.panelSplits();
                for (int b = 0; b < planes.blocks; b++) {
                    for (int split = 0; split < splits; split++) {
                        block(own, call.y, call.r, call.image, task, b, split, ws);
                    }
                }
            }
            case IMAGE -> {                                // its GEMM tasks in order, on this thread
                for (int t = 0; t < decision.tasks(); t++) {
                    gemmTask(call, task, t, true, ws);
                }
            }
            default -> throw new IllegalStateException("no stage " + call.stage);
        }
    }

    /**
     * GEMM task {@code task} of image {@code n}: its panel split, column block and group, from the fastest; on the
     * thread's own copy of the planes, built as far as the task reads, or on the call's shared copy.
     */
    private void gemmTask(RunnerCall<Workspace> call, int n, int task, boolean own, Workspace ws) {
        int splits = decision.panelSplits();
        int rest = task / splits;
        int b = rest % planes.blocks;
        int start = planes.blockStart(b);
        int end = Math.min(planes.columns, start + planes.blockColumns(b));
        float[] source = own ? ws.own.rows(layer, call, n, start / planes.wq, (end - 1) / planes.wq) : call.shared;
        block(source, call.y, call.r, n, rest / planes.blocks, b, task % splits, ws);
    }

    /** Column block {@code b} of group {@code g} of image {@code n}, panel split {@code split}, from {@code source}; residual {@code r}. */
    private void block(float[] source, float[] y, float[] r, int n, int g, int b, int split, Workspace ws) {
        int nr = decision.kernel().nr();
        int splits = decision.panelSplits();
        int ipFrom = split * gemm.panels() / splits;
        int ipTo = (split + 1) * gemm.panels() / splits;
        int nc = planes.blockColumns(b);
        int start = planes.blockStart(b);
        int col = g * planes.groupStride + start;
        for (int jp = 0; jp * nr < nc; jp++) {                           // jr: one column panel
            int valid = Math.min(nr, Math.min(nc, planes.columns - start) - jp * nr);
            gemm.columnPanel(source, planes.rows, col + jp * nr, valid, g, ipFrom, ipTo, ws.c, jp * nr, nc);
        }
        gemm.store(ws.c, y, r, n, g, b, ipFrom, ipTo);
    }
}
