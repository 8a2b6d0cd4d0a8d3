package dev.vconv.simd;

import dev.vconv.core.AbstractConv2dPlan;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.Epilogue;
import dev.vconv.core.Nchw;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import dev.vconv.simd.exec.WorkerPool;
import dev.vconv.simd.path.DepthwiseRunner;
import dev.vconv.simd.path.ImplicitGemmRunner;
import dev.vconv.simd.path.PackedGemmRunner;
import dev.vconv.simd.path.PathRunner;
import dev.vconv.simd.path.PixelRowsRunner;
import dev.vconv.simd.path.PointwiseRunner;
import dev.vconv.simd.path.WinogradRunner;
import dev.vconv.simd.plan.ConvPlanner;
import dev.vconv.simd.plan.PlanDecision;

import java.util.concurrent.Executor;

/**
 * A convolution prepared once for one spec, input shape, weight and bias on the SIMD engine: the planner has
 * decided everything ({@link ConvPlanner}, {@link PlanDecision}); the decision's runner ({@link PathRunner}) has
 * packed the weights and sized the per-thread workspaces. {@link #forward(Tensor, Tensor)} then allocates nothing.
 * The plan's {@link Epilogue} (bias, residual, activation) is applied as each block of output is stored, never as a
 * pass of its own over the output.
 *
 * <p>Tasks never split a reduction: a GEMM task owns whole output elements (an image, a group, a block of
 * output columns and a range of output-channel panels), a depthwise task owns the output channels of its input
 * channels. So the result is the same, bit for bit, at any thread count. A plan may be used from several
 * threads at once: each calling thread has its own call state and every thread its own workspace.
 */
public final class ConvPlan extends AbstractConv2dPlan {
    private final PlanDecision decision;
    private final PathRunner runner;

    /**
     * A plan that runs {@code decision} for {@code weight} and {@code bias}, finishing every output with
     * {@code epilogue}, on {@code executor} or the shared workers.
     */
    ConvPlan(ConvSpec spec, Shape inputShape, Tensor weight, Tensor bias, PlanDecision decision, Executor executor,
             Epilogue epilogue) {
        super(spec, inputShape, epilogue);
        spec.checkParameters(weight, bias);
        this.decision = decision;
        Nchw in = Nchw.of(inputShape);
        WorkerPool pool = decision.threads() > 1 ? WorkerPool.of(executor, decision.threads()) : null;
        PathRunner.Layer layer = new PathRunner.Layer(spec, in, spec.outputHeight(in.h()), spec.outputWidth(in.w()),
                bias == null ? null : bias.data().clone(), epilogue, decision.width(), pool);
        float[] w = weight.data();
        // An empty batch has nothing to compute: no runner, nothing sized by the image (ConvPlanner's empty decision).
        this.runner = in.n() == 0 ? null : switch (decision) {
            case PlanDecision.PackedGemm d -> new PackedGemmRunner(layer, d, w);
            case PlanDecision.ImplicitGemm d -> new ImplicitGemmRunner(layer, d, w);
            case PlanDecision.Pointwise d -> new PointwiseRunner(layer, d, w);
            case PlanDecision.PixelRows d -> new PixelRowsRunner(layer, d, w);
            case PlanDecision.Depthwise d -> new DepthwiseRunner(layer, d, w);
            case PlanDecision.Winograd d -> new WinogradRunner(layer, d, w);
        };
    }

    /** What the planner decided for this plan. */
    PlanDecision decision() {
        return decision;
    }

    /** The path this plan takes: {@code PACKED_GEMM}, {@code IMPLICIT_GEMM}, {@code PIXEL_ROWS}, {@code POINTWISE}, {@code DEPTHWISE} or {@code WINOGRAD}. */
    public String path() {
        return decision.path().name();
    }

    /** Why the planner took this path, with the costs it compared. */
    public String reason() {
        return decision.reason();
    }

    /** Threads a call uses: at most the engine's count, fewer for small convolutions. */
    public int threads() {
        return decision.threads();
    }

    @Override
    public void forward(Tensor input, Tensor output) {
        checkCall(input, output);
        if (runner != null) {
            runner.run(input.data(), output.data(), null);
        }
    }

    /**
     * The convolution of {@code input} into {@code output}, finished by this plan's epilogue with {@code residual}
     * (which may be {@code output} itself: an in-place accumulate), as each output element is stored.
     */
    @Override
    public void forward(Tensor input, Tensor residual, Tensor output) {
        checkCall(input, residual, output);
        if (runner != null) {
            runner.run(input.data(), output.data(), residual == null ? null : residual.data());
        }
    }

    @Override
    public String toString() {
        return "simd-" + decision.width().bits + " plan (" + decision.path() + ", " + decision.tasks() + " tasks, "
                + decision.threads() + " threads) for " + spec() + " on input " + inputShape();
    }
}
