package dev.vconv.simd.path;

import dev.vconv.simd.exec.WorkerPool;
import dev.vconv.simd.layout.PhasePlanes;
import dev.vconv.simd.plan.Path;
import dev.vconv.simd.plan.PlanDecision;

import java.util.Arrays;

/**
 * The pointwise path ({@link Path#POINTWISE}): a 1x1 kernel at stride 1 without padding, whose B matrix is the
 * input itself ({@code cin/groups x h*w} per group), read in place by the indirect micro-kernel
 * ({@link IndirectGemm}); nothing is built or packed. The last, partial panel of columns is read from a copy
 * ({@code k x NR}, zero-padded), so that no vector read runs past the input array. Tasks as the implicit GEMM's; a
 * batch's {@code wholeImages} go to the threads one image a task.
 */
public final class PointwiseRunner implements PathRunner, RunnerCall.Body<PointwiseRunner.Workspace> {
    private static final int GEMM = 0;     // a column block of a group for a range of panels
    private static final int IMAGE = 1;    // task n: image n whole

    private final Layer layer;
    private final PlanDecision.Pointwise decision;
    private final PhasePlanes geometry;
    private final IndirectGemm gemm;
    private final int[] tailRows;          // row k of the copied last panel at k*NR
    private final ThreadLocal<Workspace> workspaces;
    private final ThreadLocal<RunnerCall<Workspace>> calls = ThreadLocal.withInitial(RunnerCall::new);

    /** A thread's scratch memory: the block of C, and the copy of a last, partial column panel. */
    record Workspace(float[] c, float[] tail) {
    }

    public PointwiseRunner(Layer layer, PlanDecision.Pointwise decision, float[] weight) {
        this.layer = layer;
        this.decision = decision;
        this.geometry = decision.geometry();
        this.gemm = new IndirectGemm(layer, decision.kernel(), geometry, weight);
        int k = layer.spec().reductionLength();
        int nr = decision.kernel().nr();
        this.tailRows = new int[k];
        for (int kk = 0; kk < k; kk++) {
            tailRows[kk] = kk * nr;
        }
        int c = gemm.cFloats(decision.panelSplits());
        this.workspaces = ThreadLocal.withInitial(() -> new Workspace(new float[c], new float[k * nr]));
    }

    @Override
    public void run(float[] x, float[] y, float[] r) {
        RunnerCall<Workspace> call = calls.get();
        call.start(this, x, y, r);
        try {
            int images = layer.in().n();
            int first = decision.wholeImages();
            if (first > 0) {
                call.stage(layer.pool(), IMAGE, 0, first, WorkerPool.ClaimOrder.FRONT, first < images);
            }
            for (int n = first; n < images; n++) {
                call.stage(layer.pool(), GEMM, n, decision.tasks(), WorkerPool.ClaimOrder.FRONT, n + 1 < images);
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
        if (call.stage == IMAGE) {
            for (int t = 0; t < decision.tasks(); t++) {
                gemmTask(call.x, call.y, call.r, task, t, ws);
            }
        } else {
            gemmTask(call.x, call.y, call.r, call.image, task, ws);
        }
    }

    /** GEMM task {@code task} of image {@code n}: its panel split, column block and group, from the fastest. */
    private void gemmTask(float[] x, float[] y, float[] r, int n, int task, Workspace ws) {
        int nr = decision.kernel().nr();
        int splits = decision.panelSplits();
        int split = task % splits;
        int rest = task / splits;
        int b = rest % geometry.blocks;
        int g = rest / geometry.blocks;
        int ipFrom = split * gemm.panels() / splits;
        int ipTo = (split + 1) * gemm.panels() / splits;
        int nc = geometry.blockColumns(b);
        int start = geometry.blockStart(b);
        int col = n * layer.in().imageSize() + g * geometry.groupStride + start;
        for (int jp = 0; jp * nr < nc; jp++) {                           // jr: one column panel
            int valid = Math.min(nr, Math.min(nc, geometry.columns - start) - jp * nr);
            if (start + (jp + 1) * nr > geometry.columns) {              // past the input's end: from a copy
                copyTail(x, n, g, start + jp * nr, ws.tail);
                gemm.columnPanel(ws.tail, tailRows, 0, valid, g, ipFrom, ipTo, ws.c, jp * nr, nc);
            } else {
                gemm.columnPanel(x, geometry.rows, col + jp * nr, valid, g, ipFrom, ipTo, ws.c, jp * nr, nc);
            }
        }
        gemm.store(ws.c, y, r, n, g, b, ipFrom, ipTo);
    }

    /** Columns {@code [first, P)} of every input channel of group {@code g}, zero-padded to {@code NR}, as rows of {@code tail}. */
    private void copyTail(float[] x, int n, int g, int first, float[] tail) {
        int nr = decision.kernel().nr();
        int cinG = layer.spec().inChannelsPerGroup();
        int p = layer.p();
        int count = p - first;
        for (int ic = 0; ic < cinG; ic++) {
            System.arraycopy(x, n * layer.in().imageSize() + (g * cinG + ic) * p + first, tail, ic * nr, count);
            Arrays.fill(tail, ic * nr + count, (ic + 1) * nr, 0f);
        }
    }
}
