package dev.vconv.simd.path;

import dev.vconv.simd.kernel.GemmKernel;
import dev.vconv.simd.kernel.VectorWidth;
import dev.vconv.simd.layout.Packing;
import dev.vconv.simd.plan.Path;
import dev.vconv.simd.plan.PlanDecision;

import java.util.Arrays;

/**
 * The packed GEMM ({@link Path#PACKED_GEMM}): per task, the BLIS loops over one column block of one group of one
 * image, for a range of output-channel panels. The weights are packed once, here, in panels of {@code MR} rows
 * ({@link Packing#packWeights}); im2col is fused into the packing of each {@code kc x nc} block of B, in the
 * thread's workspace. C is the output itself, filled with the bias before the first reduction block, so every
 * element is one running sum from the bias whatever the blocking.
 */
public final class PackedGemmRunner implements PathRunner, RunnerCall.Body<PackedGemmRunner.Workspace> {
    private final Layer layer;
    private final PlanDecision.PackedGemm decision;
    private final GemmKernel kernel;
    private final float[] weights;         // MR-row panels of every group
    private final int panels;              // weight panels per group
    private final ThreadLocal<Workspace> workspaces;
    private final ThreadLocal<RunnerCall<Workspace>> calls = ThreadLocal.withInitial(RunnerCall::new);

    /**
     * A thread's scratch memory: a packed block of B, an edge tile, one im2col row of a block, and the copy of a
     * residual that is the output.
     */
    record Workspace(float[] packedB, float[] edge, float[] row, ResidualCopy residual) {
    }

    public PackedGemmRunner(Layer layer, PlanDecision.PackedGemm decision, float[] weight) {
        this.layer = layer;
        this.decision = decision;
        this.kernel = decision.kernel();
        int mr = kernel.mr();
        int nr = kernel.nr();
        this.weights = Packing.packWeights(layer.spec(), weight, mr);
        this.panels = Math.ceilDiv(layer.spec().outChannelsPerGroup(), mr);
        VectorWidth.Blocking blocks = decision.blocking();
        int p = layer.p();
        int packed = Math.min(layer.spec().reductionLength(), blocks.kc()) * Math.ceilDiv(Math.min(p, blocks.nc()), nr) * nr;
        int row = Math.min(p, blocks.nc());
        this.workspaces = ThreadLocal.withInitial(() -> new Workspace(new float[packed], new float[mr * nr], new float[row], new ResidualCopy()));
    }

    @Override
    public void run(float[] x, float[] y, float[] r) {
        calls.get().runTasks(this, x, y, r, layer.pool(), decision.tasks());
    }

    @Override
    public Workspace workspace() {
        return workspaces.get();
    }

    /** Task {@code task}: its panel split, column block, group and image, in that order from the fastest. */
    @Override
    public void task(RunnerCall<Workspace> call, int task, Workspace ws) {
        int splits = decision.panelSplits();
        int split = task % splits;
        int rest = task / splits;
        int jb = rest % decision.columnBlocks();
        rest /= decision.columnBlocks();
        int g = rest % layer.spec().groups();
        int n = rest / layer.spec().groups();
        gemm(call.x, call.y, call.r, n, g, jb * decision.blocking().nc(), split * panels / splits, (split + 1) * panels / splits, ws);
    }

    /**
     * The BLIS loops for columns {@code [jc, jc+nc)} of group {@code g} of image {@code n}, output-channel panels
     * {@code [ipFrom, ipTo)}: C starts as the bias; then pc (reduction blocks; pack B) / jr (B panels) / ir
     * (A panels) / micro-kernel; then the epilogue, in place on each row of the block (in cache). A residual that is
     * the output is copied first: C's bias overwrites it.
     */
    private void gemm(float[] x, float[] y, float[] r, int n, int g, int jc, int ipFrom, int ipTo, Workspace ws) {
        int mr = kernel.mr();
        int nr = kernel.nr();
        int k = layer.spec().reductionLength();
        int p = layer.p();
        int kcMax = decision.blocking().kc();
        int nc = Math.min(decision.blocking().nc(), p - jc);
        int coutG = layer.spec().outChannelsPerGroup();
        int rowFrom = ipFrom * mr;
        int rowTo = Math.min(coutG, ipTo * mr);
        int image = n * layer.in().imageSize();
        int cBase = (n * layer.spec().outChannels() + g * coutG) * p + jc;
        float[] saved = r != null && r == y ? ws.residual.of((rowTo - rowFrom) * nc) : null;
        for (int row = rowFrom; row < rowTo && saved != null; row++) {
            System.arraycopy(y, cBase + row * p, saved, (row - rowFrom) * nc, nc);
        }
        for (int row = rowFrom; row < rowTo; row++) {
            Arrays.fill(y, cBase + row * p, cBase + row * p + nc, layer.bias(g * coutG + row));
        }
        for (int pc = 0; pc < k; pc += kcMax) {                          // reduction block: pack kc rows of B
            int kc = Math.min(kcMax, k - pc);
            Packing.packIm2col(layer.spec(), x, image, layer.in().h(), layer.in().w(), g, layer.wout(), pc, kc, jc, nc, kernel,
                    ws.packedB, ws.row);
            for (int jp = 0; jp * nr < nc; jp++) {                       // jr: one B panel, kept in L1
                int nrCur = Math.min(nr, nc - jp * nr);
                for (int ip = ipFrom; ip < ipTo; ip++) {                  // ir: the A panels stream past it
                    int mrCur = Math.min(mr, coutG - ip * mr);
                    int aOff = ((g * panels + ip) * k + pc) * mr;
                    int cOff = cBase + ip * mr * p + jp * nr;
                    if (mrCur == mr && nrCur == nr) {
                        kernel.tile(kc, weights, aOff, ws.packedB, jp * kc * nr, y, cOff, p);
                    } else {
                        kernel.edgeTile(kc, weights, aOff, ws.packedB, jp * kc * nr, y, cOff, p, mrCur, nrCur, ws.edge);
                    }
                }
            }
        }
        if (!layer.epilogue().isNone()) {                                 // in place on the block's rows, one pass
            int at = cBase + rowFrom * p;
            if (saved != null) {
                layer.apply(y, at, p, saved, 0, nc, y, at, p, rowTo - rowFrom, nc);
            } else {
                layer.apply(y, at, p, r, at, p, y, at, p, rowTo - rowFrom, nc);
            }
        }
    }
}
