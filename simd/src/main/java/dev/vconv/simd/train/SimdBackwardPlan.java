package dev.vconv.simd.train;

import dev.vconv.core.Conv2dBackwardPlan;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.ConvTraining;
import dev.vconv.core.Nchw;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import dev.vconv.simd.SimdConv2d;
import dev.vconv.simd.exec.WorkerPool;
import dev.vconv.simd.kernel.VectorWidth;
import dev.vconv.simd.plan.ConvPlanner;

import java.util.concurrent.Executor;

/**
 * The SIMD engine's backward plan: core's im2col and col2im around the packed GEMM ({@link SimdGemm}), split
 * into shares of input channels ({@link ConvTraining#backwardChannels}: a group's channels, or a range of them)
 * that the calling thread and the pool's threads claim. A share owns its channels' rows of {@code grad_input} and
 * columns of {@code grad_weight} over the whole batch, so no sum is split between threads and the gradients are
 * the same, bit for bit, at any thread count. Per thread the plan keeps one column buffer and one GEMM (its
 * packing buffers); a call allocates nothing.
 */
public final class SimdBackwardPlan extends Conv2dBackwardPlan {
    /** Shares per thread when a group's channels are split: claimed in turn, they even out the threads' work. */
    static final int SHARES_PER_THREAD = 2;

    private final float[] weight;
    private final int[] shares;           // share i: group shares[3i], channels [shares[3i+1], shares[3i+2])
    private final WorkerPool pool;        // null: every share on the calling thread
    private final VectorWidth width;
    private final int columns;            // floats of a thread's column buffer
    private final ThreadLocal<Buffers> buffers;  // these two null for one call: its threads' are that call's
    private final ThreadLocal<Call> calls;

    /**
     * For a weight {@code spec} has checked. {@code once}: the plan serves one call ({@link SimdConv2d#backward}),
     * so each thread allocates its buffers for that call instead of keeping them in a thread-local for the next,
     * where the dropped plan's would stay reachable from the pool's threads until their maps clean up.
     */
    public SimdBackwardPlan(ConvSpec spec, Shape inputShape, Tensor weight, VectorWidth width, int threads, Executor executor,
                     boolean once) {
        super(spec, inputShape);
        this.weight = once ? weight.data() : weight.data().clone();
        this.width = width;
        Nchw in = nchw();
        long flops = 2 * spec.flops(inputShape);                 // two products of the forward's size
        int helping = threads > 1 && flops >= ConvPlanner.PARALLEL_MIN_FLOPS ? threads : 1;
        this.shares = shares(spec, helping);
        helping = Math.min(helping, shareCount());                // no thread without a share to claim
        this.pool = helping > 1 ? WorkerPool.of(executor, helping) : null;
        int widest = 0;
        for (int i = 0; i < shares.length; i += 3) {
            widest = Math.max(widest, shares[i + 2] - shares[i + 1]);
        }
        this.columns = columnBufferSize(spec, inputShape, widest);
        this.buffers = once ? null : ThreadLocal.withInitial(() -> new Buffers(new float[columns], new SimdGemm(width)));
        this.calls = once ? null : ThreadLocal.withInitial(Call::new);
    }

    /**
     * Floats of a thread's column buffer for shares of at most {@code channels} input channels:
     * {@code channels * kh * kw} rows of {@code hout * wout}; 0 for an empty batch, which unfolds no image whatever
     * its size. Checked here, when the plan is made, so that a call never starts (nor zeroes the caller's
     * gradients) with a buffer that cannot exist.
     *
     * @throws IllegalArgumentException if the buffer is more than a Java array holds
     */
    static int columnBufferSize(ConvSpec spec, Shape inputShape, int channels) {
        Nchw in = Nchw.of(inputShape);
        if (in.n() == 0) {
            return 0;
        }
        long rows = (long) channels * spec.kernelH() * spec.kernelW();
        long p = (long) spec.outputHeight(in.h()) * spec.outputWidth(in.w());
        if (rows * p > Integer.MAX_VALUE - 8) {     // rows <= K and p <= 2^31: the product fits a long
            throw new IllegalArgumentException("the column buffer for " + spec + " on input " + inputShape + " would need "
                    + rows + " x " + p + " elements, more than a Java array can hold");
        }
        return (int) (rows * p);
    }

    /**
     * The shares for {@code threads} threads: each group whole when there are at least as many groups as
     * {@link #SHARES_PER_THREAD} shares for every thread, otherwise each group's channels cut into that many
     * shares (at most one channel each), as even as they divide.
     */
    static int[] shares(ConvSpec spec, int threads) {
        int cinG = spec.inChannelsPerGroup();
        int groups = spec.groups();
        int perGroup = threads == 1 ? 1
                : Math.min(cinG, Math.max(1, (SHARES_PER_THREAD * threads + groups - 1) / groups));
        int[] s = new int[3 * groups * perGroup];
        int i = 0;
        for (int g = 0; g < groups; g++) {
            for (int j = 0; j < perGroup; j++) {
                s[i++] = g;
                s[i++] = (int) ((long) j * cinG / perGroup);
                s[i++] = (int) ((long) (j + 1) * cinG / perGroup);
            }
        }
        return s;
    }

    /** How many shares a call is split into. */
    int shareCount() {
        return shares.length / 3;
    }

    @Override
    protected void compute(Tensor input, Tensor gradOutput, float[] gradInput, float[] gradWeight, float[] gradBias) {
        Call call = calls == null ? new Call() : calls.get();
        call.start(this, input.data(), gradOutput.data(), gradInput, gradWeight, gradBias);
        try {
            ConvTraining.zeroGradients(gradInput, gradWeight, gradBias);
            WorkerPool.parallelize(pool, shareCount(), call, WorkerPool.ClaimOrder.FRONT, false);
        } finally {
            call.finish();
        }
    }

    private void runShare(int i, SimdGemm gemm, float[] buffer, float[] x, float[] gy, float[] gx, float[] gw, float[] gb) {
        ConvTraining.backwardChannels(gemm, spec(), nchw(), x, weight, gy, gx, gw, gb,
                shares[3 * i], shares[3 * i + 1], shares[3 * i + 2], buffer);
    }

    /** A thread's buffers for the shares it claims: a column buffer and a packed GEMM (its packing buffers). */
    private record Buffers(float[] columns, SimdGemm gemm) {
    }

    /**
     * One caller thread's call, reused for its next calls: the operands of the shares that the threads claim
     * ({@link WorkerPool#parallelize}). It lets go of the plan and the arrays when the call ends.
     */
    private static final class Call implements WorkerPool.Tasks<Buffers> {
        private SimdBackwardPlan plan;
        private float[] x;
        private float[] gy;
        private float[] gx;
        private float[] gw;
        private float[] gb;

        /**
         * @throws IllegalStateException if this thread is already in a call of this plan (an executor whose
         *                               {@code execute} calls the plan again)
         */
        void start(SimdBackwardPlan plan, float[] x, float[] gy, float[] gx, float[] gw, float[] gb) {
            if (this.plan != null) {
                throw new IllegalStateException(dev.vconv.simd.path.RunnerCall.REENTERED);
            }
            this.plan = plan;
            this.x = x;
            this.gy = gy;
            this.gx = gx;
            this.gw = gw;
            this.gb = gb;
        }

        /** The thread's buffers: the plan's for this thread, or, for a plan of one call, new ones for this call only. */
        @Override
        public Buffers state() {
            SimdBackwardPlan p = plan;
            return p.buffers == null ? new Buffers(new float[p.columns], new SimdGemm(p.width)) : p.buffers.get();
        }

        @Override
        public void run(int share, Buffers buffers) {
            plan.runShare(share, buffers.gemm(), buffers.columns(), x, gy, gx, gw, gb);
        }

        void finish() {
            plan = null;
            x = null;
            gy = null;
            gx = null;
            gw = null;
            gb = null;
        }
    }
}
