package dev.vconv.simd.path;

import dev.vconv.core.ConvSpec;
import dev.vconv.simd.kernel.DepthwiseKernel;
import dev.vconv.simd.kernel.DirectDepthwiseKernel;
import dev.vconv.simd.kernel.VectorWidth;
import dev.vconv.simd.kernel.WrappedDepthwiseKernel;
import dev.vconv.simd.layout.PhasePlanes;
import dev.vconv.simd.plan.DepthwiseVariant;
import dev.vconv.simd.plan.Path;
import dev.vconv.simd.plan.PlanDecision;

/**
 * The depthwise path ({@link Path#DEPTHWISE}: groups == in_channels, channel multiplier {@code m = cout/cin}): a
 * task is a run of consecutive input channels (of all images in turn) and their output channels. By default, for each input channel,
 * its padded, phase-split planes are built once in workspace ({@link PhasePlanes}: the same geometry as the
 * implicit GEMM, with one input channel; under zero padding only the image's values are written, the padding
 * keeps the zeros of the workspace's allocation), so that every kernel tap reads the output columns
 * {@code p' = oy*wq + ox} as one contiguous stretch:
 *
 * <pre>
 * out'[p'] = bias + sum_t w[t] * planes[rows[t] + p']          t = (ky, kx), p' &lt; hout*wq
 * </pre>
 * The {@link DepthwiseKernel} runs along {@code p'} over all output rows at once (rows {@code wq} wide, rounded
 * up to whole groups of vectors, so there is no scalar tail), and the kept columns {@code ox < wout} of each
 * row go to the output; or, for 3x3 kernels at stride 1 in height, four output rows at a time sharing their
 * input rows, straight into the output ({@link DepthwiseKernel#rows3x3}). Every padding mode, stride and
 * dilation takes this one route, except the common case, which builds no planes at all: 3x3 kernels at stride
 * 1 or 2 and zero padding, on rows of at least one vector (two at stride 2), where the width has a
 * {@link DirectDepthwiseKernel}, read the input channel directly ({@link DepthwiseVariant.Direct}); and 3x3 kernels with
 * padding 1 that those do not take (narrow rows; at 256 bits, which has no direct kernels, also stride 2),
 * where the width has a {@link WrappedDepthwiseKernel}, run along the output columns of the whole channel
 * across row ends ({@link DepthwiseVariant.Wrapped}): at stride 1 from one copy of the channel between two zero rows, at
 * stride 2 from its four phase planes, built in whole vectors. The planner decides which ({@link DepthwiseVariant}).
 */
public final class DepthwiseRunner implements PathRunner, RunnerCall.Body<DepthwiseRunner.Workspace> {
    private final Layer layer;
    private final PlanDecision.Depthwise decision;
    private final float[] weights;         // as given: [cout, 1, kh, kw]
    /** The direct kernels: the zero row they read for padding rows (never written), {@code w + 2V} long; or null. */
    private final float[] zeros;
    private final ThreadLocal<Workspace> workspaces;
    private final ThreadLocal<RunnerCall<Workspace>> calls = ThreadLocal.withInitial(RunnerCall::new);

    /**
     * A thread's scratch memory: one channel's planes and its output row (planes), the wrapped kernels' source, or
     * the stride-1 direct kernel's staging rows (none at stride 2).
     */
    record Workspace(float[] plane, float[] out, ResidualCopy residual) {
    }

    public DepthwiseRunner(Layer layer, PlanDecision.Depthwise decision, float[] weight) {
        this.layer = layer;
        this.decision = decision;
        this.weights = weight.clone();
        VectorWidth width = layer.width();
        int w = layer.in().w();
        this.zeros = decision.variant() instanceof DepthwiseVariant.Direct ? new float[w + 2 * width.depthwiseDirect.lanes()] : null;
        int plane;
        int out;
        switch (decision.variant()) {
            case DepthwiseVariant.Direct d -> {
                plane = layer.spec().strideH() == 1 ? width.depthwiseDirect.stagingSize(w) : 0;
                out = 0;
            }
            case DepthwiseVariant.Wrapped wrapped -> {
                plane = wrapped.size();
                out = 0;
            }
            case DepthwiseVariant.Planes planes -> {
                out = columns(decision.planes(), width.depthwise);
                plane = decision.planes().oneChannelSize(out);
            }
        }
        this.workspaces = ThreadLocal.withInitial(() -> new Workspace(new float[plane], new float[out], new ResidualCopy()));
    }

    @Override
    public void run(float[] x, float[] y, float[] r) {
        calls.get().runTasks(this, x, y, r, layer.pool(), decision.tasks());
    }

    @Override
    public Workspace workspace() {
        return workspaces.get();
    }

    /** Task {@code task}: input channels {@code [task*perTask, (task+1)*perTask)} of all images in turn. */
    @Override
    public void task(RunnerCall<Workspace> call, int task, Workspace ws) {
        int cin = layer.spec().inChannels();
        int channels = layer.in().n() * cin;
        int perTask = decision.channelsPerTask();
        for (int i = task * perTask; i < Math.min(channels, (task + 1) * perTask); i++) {
            channel(call.x, i / cin, i % cin, call.y, call.r, ws.plane, ws.out, ws.residual);
        }
    }

    /** Output columns the kernel computes per channel: {@code hout} rows of {@code wq}, in whole steps of the kernel. */
    static int columns(PhasePlanes geometry, DepthwiseKernel kernel) {
        int step = kernel.step();
        return Math.ceilDiv(geometry.hout * geometry.wq, step) * step;
    }

    /**
     * Whether {@link DepthwiseKernel#rows3x3} applies: 3x3 taps at stride 1 and dilation 1 in height, four output
     * rows or more, each at least a vector ({@code lanes}) wide.
     */
    static boolean rows3x3(ConvSpec spec, PhasePlanes geometry, int lanes) {
        if (spec.kernelH() != 3 || spec.kernelW() != 3 || geometry.hout < 4 || geometry.wout < lanes) {
            return false;
        }
        for (int t = 3; t < 9; t++) {
            if (geometry.rows[t] != geometry.rows[t % 3] + t / 3 * geometry.wq) {
                return false;
            }
        }
        return true;
    }

    /**
     * Computes the {@code m} output channels of input channel {@code c} of image {@code n} by the decision's kernels,
     * in the thread's {@code plane} and {@code out} (the planes variant's output row), each finished by the epilogue
     * with the residual {@code r} (or null; where it is {@code y}, each output plane is copied to {@code residual}
     * before a kernel overwrites it).
     */
    public void channel(float[] x, int n, int c, float[] y, float[] r, float[] plane, float[] out, ResidualCopy residual) {
        switch (decision.variant()) {
            case DepthwiseVariant.Direct d -> channelDirect(d, x, n, c, y, r, plane, residual);
            case DepthwiseVariant.Wrapped w -> channelWrapped(w, x, n, c, y, r, plane, residual);
            case DepthwiseVariant.Planes p -> channelPlanes(x, n, c, y, r, plane, out, residual);
        }
    }

    /** A copy of {@code count} floats of the residual at {@code at} where it is the output, else null. */
    private static float[] saveResidual(float[] r, float[] y, int at, int count, ResidualCopy residual) {
        if (r == null || r != y) {
            return null;
        }
        float[] saved = residual.of(count);
        System.arraycopy(y, at, saved, 0, count);
        return saved;
    }

    /** The epilogue on the output plane at {@code at}, just written (in cache): residual {@code r}, or its copy. */
    private void finish(float[] y, int at, int count, float[] r, float[] saved) {
        if (layer.epilogue().isNone()) {
            return;
        }
        if (saved != null) {
            layer.apply(y, at, saved, 0, y, at, count);
        } else {
            layer.apply(y, at, r, at, y, at, count);
        }
    }

    /**
     * By the planes: under zero padding only the image's values are written into {@code plane} (as in
     * {@link PhasePlanes#buildChannel}); its padding keeps the zeros of the thread's workspace.
     */
    private void channelPlanes(float[] x, int n, int c, float[] y, float[] r, float[] plane, float[] out, ResidualCopy residual) {
        ConvSpec spec = layer.spec();
        VectorWidth width = layer.width();
        PhasePlanes geometry = decision.planes();
        int h = layer.in().h();
        int w = layer.in().w();
        geometry.buildChannel(spec, x, n * spec.inChannels() * h * w, h, w, c, plane, 0, width.split,
                spec.paddingMode() == dev.vconv.core.PaddingMode.ZEROS);
        int taps = spec.kernelH() * spec.kernelW();
        int m = spec.outChannelsPerGroup();
        int hout = geometry.hout;
        int wout = geometry.wout;
        int wq = geometry.wq;
        int columns = out.length;
        boolean direct = rows3x3(spec, geometry, width.bits / Float.SIZE);
        for (int j = 0; j < m; j++) {
            int oc = c * m + j;
            float b = layer.bias(oc);
            int outPlane = (n * spec.outChannels() + oc) * hout * wout;
            if (direct) {
                float[] saved = saveResidual(r, y, outPlane, hout * wout, residual);
                width.depthwise.rows3x3(y, outPlane, hout, wout, wq, b, plane, geometry.rows, weights, oc * taps);
                finish(y, outPlane, hout * wout, r, saved);
                continue;
            }
            width.depthwise.row(out, 0, columns, b, plane, geometry.rows, weights, oc * taps);
            for (int oy = 0; oy < hout; oy++) {              // the kept columns, through the epilogue
                int dst = outPlane + oy * wout;
                layer.apply(out, oy * wq, r, dst, y, dst, wout);
            }
        }
    }

    /** By the direct kernels over the interior of {@code d}, their staging rows in {@code staging}. */
    private void channelDirect(DepthwiseVariant.Direct d, float[] x, int n, int c, float[] y, float[] r, float[] staging,
                               ResidualCopy residual) {
        ConvSpec spec = layer.spec();
        DirectDepthwiseKernel kernel = layer.width().depthwiseDirect;
        int h = layer.in().h();
        int w = layer.in().w();
        int m = spec.outChannelsPerGroup();
        int hout = layer.hout();
        int wout = layer.wout();
        int xOff = (n * spec.inChannels() + c) * h * w;
        for (int j = 0; j < m; j++) {
            int oc = c * m + j;
            float b = layer.bias(oc);
            int outPlane = (n * spec.outChannels() + oc) * hout * wout;
            float[] saved = saveResidual(r, y, outPlane, hout * wout, residual);
            if (spec.strideH() == 1) {
                kernel.rows3x3s1(y, outPlane, hout, wout, b, x, xOff, h, w, spec.padTop(), spec.padLeft(), d.first(),
                        d.last(), zeros, staging, weights, oc * 9);
            } else {
                kernel.rows3x3s2(y, outPlane, hout, wout, b, x, xOff, h, w, spec.padTop(), spec.padLeft(), d.first(),
                        d.last(), zeros, weights, oc * 9);
            }
            finish(y, outPlane, hout * wout, r, saved);
        }
    }

    /**
     * By the wrapped kernels: the source built in {@code plane}, whose zero rows and the floats around the planes
     * no one writes but with zeros (the thread's own buffer, zero when allocated).
     */
    private void channelWrapped(DepthwiseVariant.Wrapped wrapped, float[] x, int n, int c, float[] y, float[] r, float[] plane,
                                ResidualCopy residual) {
        ConvSpec spec = layer.spec();
        WrappedDepthwiseKernel kernel = layer.width().depthwiseWrapped;
        int h = layer.in().h();
        int w = layer.in().w();
        int m = spec.outChannelsPerGroup();
        int wout = layer.wout();
        int count = layer.p();
        int xOff = (n * spec.inChannels() + c) * h * w;
        boolean s1 = spec.strideH() == 1;
        if (s1) {
            System.arraycopy(x, xOff, plane, wrapped.planes()[0] + w, h * w);
        } else {
            kernel.split3x3s2(x, xOff, h, w, plane, wrapped.planes(), wout);
        }
        for (int j = 0; j < m; j++) {
            int oc = c * m + j;
            float b = layer.bias(oc);
            int outPlane = (n * spec.outChannels() + oc) * count;
            float[] saved = saveResidual(r, y, outPlane, count, residual);
            if (s1) {
                kernel.wrapped3x3s1(y, outPlane, count, wout, b, plane, wrapped.planes()[0], wrapped.masks(), weights, oc * 9);
            } else {
                kernel.wrapped3x3s2(y, outPlane, count, wout, b, plane, wrapped.planes(), wrapped.masks(), weights, oc * 9);
            }
            finish(y, outPlane, count, r, saved);
        }
    }
}
