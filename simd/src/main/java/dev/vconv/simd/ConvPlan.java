package dev.vconv.simd;

import dev.vconv.core.AbstractConv2dPlan;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.Nchw;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;

import java.util.concurrent.atomic.AtomicInteger;

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
    /** Below this many FLOPs a call runs on the calling thread only: waking workers would cost more. */
    static final long PARALLEL_MIN_FLOPS = 2_000_000L;

    private final ConvPlanner.Choice choice;
    private final VectorWidth width;
    private final boolean relu;
    private final Nchw in;
    private final int hout;
    private final int wout;
    private final int p;
    private final int k;
    private final float[] packedWeights;   // GEMM paths: MR-row panels; depthwise: the weights as given
    private final float[] bias;            // null without bias
    private final int[] tapOffsets;        // depthwise: where each tap reads for output row 0
    private final int panels;              // MR panels per group
    private final int columnBlocks;        // NC blocks of the P output columns
    private final int panelSplits;         // ranges of panels per (image, group, column block)
    private final int tasks;
    private final int threads;
    private final WorkerPool pool;
    private final ThreadLocal<Workspace> workspaces;
    private final ThreadLocal<Call> calls = ThreadLocal.withInitial(Call::new);

    ConvPlan(ConvSpec spec, Shape inputShape, Tensor weight, Tensor bias, VectorWidth width, int threads, boolean relu) {
        super(spec, inputShape);
        spec.checkParameters(weight, bias);
        this.choice = ConvPlanner.choose(spec);
        this.width = width;
        this.relu = relu;
        this.in = Nchw.of(inputShape);
        this.hout = spec.outputHeight(in.h());
        this.wout = spec.outputWidth(in.w());
        this.p = hout * wout;
        this.k = spec.reductionLength();
        this.bias = bias == null ? null : bias.data().clone();
        int mr = width.gemm.mr();
        int nr = width.gemm.nr();
        VectorWidth.Blocking blocks = width.blocking;
        if (choice.path() == ConvPlanner.Path.DEPTHWISE) {
            this.packedWeights = weight.data().clone();
            this.tapOffsets = DepthwisePath.tapOffsets(spec, in.h(), in.w());
            this.panels = 0;
            this.columnBlocks = 0;
            this.panelSplits = 0;
            this.tasks = in.n() * spec.inChannels();
            long plane = DepthwisePath.planeSize(spec, in.h(), in.w());
            checkWorkspace(plane);
            this.workspaces = ThreadLocal.withInitial(() -> new Workspace(0, 0, 0, (int) plane, spec.kernelH() * spec.kernelW()));
        } else {
            this.packedWeights = Packing.packWeights(spec, weight.data(), mr);
            this.tapOffsets = null;
            this.panels = Packing.ceilDiv(spec.outChannelsPerGroup(), mr);
            this.columnBlocks = Packing.ceilDiv(p, blocks.nc());
            int coarse = in.n() * spec.groups() * columnBlocks;
            // Few coarse tasks (a small image, one group): also split the output channels, so every thread works.
            this.panelSplits = coarse >= 2 * threads ? 1 : Math.min(panels, Packing.ceilDiv(2 * threads, Math.max(1, coarse)));
            this.tasks = coarse * panelSplits;
            long packed = (long) Math.min(k, blocks.kc()) * Packing.ceilDiv(Math.min(p, blocks.nc()), nr) * nr;
            checkWorkspace(packed);
            int row = Math.min(p, blocks.nc());
            this.workspaces = ThreadLocal.withInitial(() -> new Workspace((int) packed, mr * nr, row, 0, 0));
        }
        this.threads = spec.flops(inputShape) < PARALLEL_MIN_FLOPS ? 1 : Math.max(1, Math.min(threads, tasks));
        this.pool = this.threads > 1 ? WorkerPool.forThreads(this.threads) : null;
    }

    private void checkWorkspace(long floats) {
        if (floats > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the SIMD engine's workspace for " + spec() + " on input " + inputShape() + " would need "
                    + floats + " floats, more than a Java array can hold");
        }
    }

    /** The path this plan takes and why. */
    public ConvPlanner.Choice choice() {
        return choice;
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
        if (pool == null) {
            call.run();
        } else {
            pool.execute(call);
        }
        call.finish();
    }

    /** Runs one task: the unit of work threads claim. */
    private void runTask(int task, float[] x, float[] y, Workspace ws) {
        if (choice.path() == ConvPlanner.Path.DEPTHWISE) {
            int n = task / spec().inChannels();
            int c = task % spec().inChannels();
            DepthwisePath.channel(spec(), width.depthwise, x, n, c, in.h(), in.w(), hout, wout, packedWeights, bias, y, tapOffsets,
                    ws.plane, ws.taps, relu);
            return;
        }
        int split = task % panelSplits;
        int rest = task / panelSplits;
        int jb = rest % columnBlocks;
        rest /= columnBlocks;
        int g = rest % spec().groups();
        int n = rest / spec().groups();
        gemm(x, y, n, g, jb * width.blocking.nc(), split * panels / panelSplits, (split + 1) * panels / panelSplits, ws);
    }

    /**
     * The BLIS loops for columns {@code [jc, jc+nc)} of group {@code g} of image {@code n}, output-channel panels
     * {@code [ipFrom, ipTo)}: C starts as the bias; then pc (reduction blocks; pack B) / jr (B panels) / ir
     * (A panels) / micro-kernel; then the fused ReLU, if asked for.
     */
    private void gemm(float[] x, float[] y, int n, int g, int jc, int ipFrom, int ipTo, Workspace ws) {
        GemmKernel kernel = width.gemm;
        int mr = kernel.mr();
        int nr = kernel.nr();
        int kcMax = width.blocking.kc();
        int nc = Math.min(width.blocking.nc(), p - jc);
        int coutG = spec().outChannelsPerGroup();
        int rowFrom = ipFrom * mr;
        int rowTo = Math.min(coutG, ipTo * mr);
        int image = n * in.imageSize();
        int cBase = (n * spec().outChannels() + g * coutG) * p + jc;
        for (int row = rowFrom; row < rowTo; row++) {
            java.util.Arrays.fill(y, cBase + row * p, cBase + row * p + nc, bias == null ? 0f : bias[g * coutG + row]);
        }
        boolean pointwise = choice.path() == ConvPlanner.Path.POINTWISE;
        for (int pc = 0; pc < k; pc += kcMax) {                          // reduction block: pack kc rows of B
            int kc = Math.min(kcMax, k - pc);
            if (pointwise) {
                Packing.packPlain(x, image + g * spec().inChannelsPerGroup() * p, p, pc, kc, jc, nc, kernel, ws.packedB);
            } else {
                Packing.packIm2col(spec(), x, image, in.h(), in.w(), g, wout, pc, kc, jc, nc, kernel, ws.packedB, ws.row);
            }
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

    @Override
    public String toString() {
        return "simd-" + width.bits + " plan (" + choice.path() + ", " + tasks + " tasks, " + threads + " threads) for " + spec()
                + " on input " + inputShape();
    }

    /**
     * A thread's scratch memory: a packed block of B, an edge tile and one im2col row of a block, or a depthwise
     * plane and its taps.
     */
    private static final class Workspace {
        final float[] packedB;
        final float[] edge;
        final float[] row;
        final float[] plane;
        final int[] taps;

        Workspace(int packedB, int edge, int row, int plane, int taps) {
            this.packedB = new float[packedB];
            this.edge = new float[edge];
            this.row = new float[row];
            this.plane = new float[plane];
            this.taps = new int[taps];
        }
    }

    /**
     * The state of one call of one caller thread, reused for its next calls; workers claim tasks from it.
     * Static, and it lets go of the plan and the tensors when the call ends: a thread-local value that reached
     * the plan would keep the plan's own ThreadLocal key, and so the plan, its packed weights and workspaces,
     * alive for as long as the thread lives.
     */
    private static final class Call implements Runnable {
        private final AtomicInteger next = new AtomicInteger();
        private ConvPlan plan;
        private float[] x;
        private float[] y;
        private volatile Throwable failure;

        void start(ConvPlan plan, float[] x, float[] y) {
            this.plan = plan;
            this.x = x;
            this.y = y;
            this.failure = null;
            next.set(0);
        }

        @Override
        public void run() {
            ConvPlan p = plan;
            try {
                Workspace ws = p.workspaces.get();
                for (int t = next.getAndIncrement(); t < p.tasks; t = next.getAndIncrement()) {
                    p.runTask(t, x, y, ws);
                }
            } catch (RuntimeException | Error e) {
                failure = e;
                next.set(p.tasks); // the others stop claiming
            }
        }

        void finish() {
            plan = null;
            x = null;
            y = null;
            Throwable f = failure;
            failure = null;
            if (f instanceof RuntimeException r) {
                throw r;
            }
            if (f instanceof Error e) {
                throw e;
            }
        }
    }
}
