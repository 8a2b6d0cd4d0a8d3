package dev.vconv.simd;

import dev.vconv.core.Conv2d;
import dev.vconv.core.Conv2dBackward;
import dev.vconv.core.Conv2dBackwardPlan;
import dev.vconv.core.ConvGradients;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.ConvTraining;
import dev.vconv.core.Epilogue;
import dev.vconv.core.ConvTranspose2d;
import dev.vconv.core.ConvTransposeSpec;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import dev.vconv.simd.kernel.VectorWidth;
import dev.vconv.simd.plan.ConvPlanner;
import dev.vconv.simd.plan.Path;
import dev.vconv.simd.plan.PlanDecision;
import dev.vconv.simd.train.SimdBackwardPlan;
import dev.vconv.simd.train.SimdGemm;

import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The Vector API engine at one vector width and thread count. Stateless and immutable: {@link #plan} makes a
 * {@link ConvPlan} (packed weights, workspaces); {@link #forward} makes one per call, so repeated calls on
 * one layer should hold a plan instead.
 *
 * <p>A forward call runs on the calling thread and, for convolutions large enough to split, on the shared
 * daemon workers ({@code vconv-worker-N}) or, after {@link #withExecutor}, on the caller's executor.
 */
public final class SimdConv2d implements Conv2d, Conv2dBackward, ConvTranspose2d {
    private final VectorWidth width;
    private final int threads;
    private final Executor executor; // null: the shared daemon workers
    private final Algorithm algorithm;

    /**
     * How the engine may compute a 3x3 stride-1 layer: an algorithm hint, as cuDNN's and oneDNN's. Winograd's results
     * differ from the direct sums by rounding (a few 1e-6 of the largest output, 1.9e-5 at 512 channels;
     * docs/KERNELS.md, Winograd), integer-valued data no longer gives exact sums, and a NaN or infinity in the input
     * reaches every output of the 4x4 tiles whose 6x6 windows hold it, not only those whose 3x3 windows do.
     */
    public enum Algorithm {
        /** Every output one running sum of the products, as the reference's. */
        DIRECT,
        /** The fastest by the planner's cost model: Winograd's F(4x4, 3x3) or F(2x2, 3x3) where it costs less. The default. */
        FASTEST,
        /** Winograd wherever it applies (3x3, stride 1, dilation 1, one group), whatever it costs: for tests. */
        WINOGRAD
    }

    /**
     * The system property that sets the algorithm hint of engines made after it is read: {@code direct},
     * {@code fastest} (the default) or {@code winograd} ({@link #withAlgorithm}).
     */
    public static final String ALGORITHM_PROPERTY = "vconv.algorithm";

    SimdConv2d(VectorWidth width, int threads) {
        this(width, threads, null, algorithmProperty());
    }

    private static Algorithm algorithmProperty() {
        String value = System.getProperty(ALGORITHM_PROPERTY, "fastest").trim();
        for (Algorithm a : Algorithm.values()) {
            if (a.name().equalsIgnoreCase(value)) {
                return a;
            }
        }
        throw new IllegalArgumentException(ALGORITHM_PROPERTY + " must be direct, fastest or winograd, but got '" + value + "'");
    }

    private SimdConv2d(VectorWidth width, int threads, Executor executor, Algorithm algorithm) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, but got threads=" + threads);
        }
        this.width = width;
        this.threads = threads;
        this.executor = executor;
        this.algorithm = algorithm;
    }

    @Override
    public String name() {
        return "simd-" + width.bits;
    }

    /** The vector width in bits: 512, 256 or 128. */
    public int vectorBits() {
        return width.bits;
    }

    /** The most threads one call uses. */
    public int threads() {
        return threads;
    }

    /** This engine with another thread count (1 runs every call on the calling thread); the executor is kept. */
    public SimdConv2d withThreads(int threads) {
        return new SimdConv2d(width, threads, executor, algorithm);
    }

    /**
     * This engine with its forward calls run on {@code executor} instead of the shared daemon workers: a call
     * uses the calling thread and hands {@link #threads()}{@code - 1} jobs to the executor (fewer for small
     * convolutions, none below the parallel threshold), which claim tasks alongside the caller. The call
     * returns when it is complete; jobs the executor starts after that find nothing left and return at once,
     * so the caller never waits for the executor's queue and may itself be one of its threads. A rejected job
     * ({@link java.util.concurrent.RejectedExecutionException}) leaves the work to the threads already on it.
     * Results are the same, bit for bit, with any executor and any number of threads it really gives.
     *
     * <p>The engine allocates nothing per call for this; what the executor allocates to accept a job (a queue
     * node, a task wrapper) is its own. Backward passes are split the same way; the transposed convolution runs
     * on the calling thread.
     *
     * @throws NullPointerException if {@code executor} is null
     */
    public SimdConv2d withExecutor(Executor executor) {
        return new SimdConv2d(width, threads, Objects.requireNonNull(executor, "executor must not be null"), algorithm);
    }

    /**
     * This engine with the algorithm hint {@code algorithm} ({@link Algorithm}): {@code DIRECT} turns Winograd off,
     * {@code FASTEST} (the default, unless {@value #ALGORITHM_PROPERTY} says otherwise) lets the planner take it where
     * it costs less.
     *
     * @throws NullPointerException if {@code algorithm} is null
     */
    public SimdConv2d withAlgorithm(Algorithm algorithm) {
        return new SimdConv2d(width, threads, executor, Objects.requireNonNull(algorithm, "algorithm must not be null"));
    }

    /** The algorithm hint of this engine's plans ({@link #withAlgorithm}). */
    public Algorithm algorithm() {
        return algorithm;
    }

    /** The executor forward calls run on, or empty for the shared daemon workers. */
    public Optional<Executor> executor() {
        return Optional.ofNullable(executor);
    }

    @Override
    public void forward(ConvSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor output) {
        spec.checkForward(input, weight, bias, output);
        plan(spec, input.shape(), weight, bias).forward(input, output);
    }

    /**
     * The convolution and its epilogue, fused: each output element is finished ({@code act(conv + bias + alpha *
     * residual)}) as it is stored, never in a pass of its own; {@code residual} may be {@code output} itself.
     */
    @Override
    public void forward(ConvSpec spec, Tensor input, Tensor weight, Tensor bias, Epilogue epilogue, Tensor residual,
                        Tensor output) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(epilogue, "epilogue");
        spec.checkForward(input, weight, bias, output);
        epilogue.checkResidual(output.shape(), residual);
        plan(spec, input.shape(), weight, bias, epilogue).forward(input, residual, output);
    }

    @Override
    public ConvPlan plan(ConvSpec spec, Shape inputShape, Tensor weight, Tensor bias) {
        return plan(spec, inputShape, weight, bias, Epilogue.NONE);
    }

    /**
     * A plan whose output is {@code act(conv(x) + bias + alpha * residual)} ({@link Epilogue}), the epilogue fused into
     * the store of every path; with a residual, call {@link ConvPlan#forward(Tensor, Tensor, Tensor)}.
     */
    @Override
    public ConvPlan plan(ConvSpec spec, Shape inputShape, Tensor weight, Tensor bias, Epilogue epilogue) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(epilogue, "epilogue");
        spec.checkInput(inputShape);                  // before the planner reads it
        PlanDecision decision = algorithm == Algorithm.WINOGRAD && ConvPlanner.winogradApplies(spec) && inputShape.dims()[0] > 0
                ? ConvPlanner.plan(Path.WINOGRAD, spec, inputShape, width, threads)
                : ConvPlanner.plan(spec, inputShape, width, threads, algorithm == Algorithm.FASTEST);
        return new ConvPlan(spec, inputShape, weight, bias, decision, executor, epilogue);
    }

    /**
     * The backward pass: core's im2col and col2im around the packed GEMM ({@link SimdGemm}), as {@link #backwardPlan}
     * splits it over input channels between the calling thread and the pool's, with buffers allocated for the call.
     */
    @Override
    public ConvGradients backward(ConvSpec spec, Tensor input, Tensor weight, Tensor gradOutput) {
        Objects.requireNonNull(spec, "spec");
        spec.checkBackward(input, weight, gradOutput);
        Tensor gx = Tensor.zeros(input.shape());
        Tensor gw = Tensor.zeros(weight.shape());
        Tensor gb = spec.hasBias() ? Tensor.zeros(spec.biasShape()) : null;
        new SimdBackwardPlan(spec, input.shape(), weight, width, threads, executor, true).backward(input, gradOutput, gx, gw, gb);
        return new ConvGradients(gx, gw, gb);
    }

    /**
     * A backward plan that allocates nothing per call: the weight copied once, and per thread one column buffer
     * and one packed GEMM (its packing buffers), kept by the plan. A call splits the work into shares of input
     * channels (whole groups, or ranges of a group's channels) that the calling thread and, above about 2 MFLOP,
     * the shared workers or this engine's executor claim, as a forward call does; each share owns its channels'
     * gradients over the whole batch, so the results are the same bit for bit at any thread count.
     */
    @Override
    public Conv2dBackwardPlan backwardPlan(ConvSpec spec, Shape inputShape, Tensor weight) {
        spec.checkWeight(weight);
        return new SimdBackwardPlan(spec, inputShape, weight, width, threads, executor, false);
    }

    /** The transposed convolution: col2im around the packed GEMM, as {@link #backward}. */
    @Override
    public void forward(ConvTransposeSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor output) {
        ConvTraining.transpose(new SimdGemm(width), spec, input, weight, bias, output);
    }

    @Override
    public String toString() {
        return name() + " (" + threads + " threads" + (executor == null ? "" : " on executor " + executor)
                + (algorithm == Algorithm.FASTEST ? "" : ", " + algorithm) + ")";
    }
}
