package dev.vconv.simd;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vconv.core.Conv2dBackwardPlan;
import dev.vconv.core.Conv2dPlan;
import dev.vconv.core.Activation;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.Epilogue;
import dev.vconv.core.Engines;
import dev.vconv.core.PaddingMode;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import dev.vconv.core.testing.ConvAsserts;
import dev.vconv.simd.kernel.VectorWidth;
import dev.vconv.simd.plan.ConvPlanner;
import dev.vconv.simd.plan.DepthwiseVariant;
import dev.vconv.simd.plan.Path;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Steady-state {@code plan.forward(in, out)} of the SIMD engine allocates nothing: measured with HotSpot's
 * per-thread allocation counter ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}) on the caller
 * and every {@code vconv-worker-N} thread, after warm-up, averaged over 100 calls. The scalar engine's plans are
 * only reported: they keep a per-thread im2col buffer but are not meant to be allocation-free.
 */
class AllocationTest {

    /** Average bytes per call tolerated: a stray object now and then (JIT deoptimisation), never a buffer. */
    static final long MAX_BYTES_PER_CALL = 64;
    static final int WARM_UP = 300;
    /** Windows of {@link #CALLS} calls tried before giving up on reaching the steady state (C2 compiles the kernels). */
    static final int MAX_WINDOWS = 60;
    static final int CALLS = 100;
    /** Seconds of windows tried at least before giving up (see {@link #steadyState(Method, Runnable, int)}). */
    static final long STEADY_STATE_SECONDS = 40;

    static List<Object[]> cases() {
        ConvSpec gemm = ConvSpec.builder(16, 24, 3).padding(1).build();
        ConvSpec depthwise = ConvSpec.builder(24, 48, 3).padding(1).groups(24).build();
        ConvSpec pointwise = ConvSpec.builder(32, 40, 1).bias(false).build();
        ConvSpec grouped = ConvSpec.builder(64, 64, 3).groups(16).padding(1).build();   // tasks of whole groups
        return List.of(new Object[] {gemm, 1}, new Object[] {gemm, 3}, new Object[] {depthwise, 1}, new Object[] {depthwise, 2},
                new Object[] {pointwise, 1}, new Object[] {pointwise, 3}, new Object[] {grouped, 1}, new Object[] {grouped, 3});
    }

    @ParameterizedTest
    @MethodSource("cases")
    void steadyStateSimdCallsAllocateNothing(ConvSpec spec, int threads) {
        Method mx = threadBean();
        Shape shape = Shape.of(1, spec.inChannels(), 33, 35);
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 3);
        Conv2dPlan plan = SimdEngines.simd(256).withThreads(threads).plan(spec, shape, ops.weight(), ops.bias());
        Tensor out = Tensor.zeros(plan.outputShape());
        long perCall = steadyState(mx, () -> plan.forward(ops.input(), out));
        assertTrue(perCall <= MAX_BYTES_PER_CALL, plan + " allocates " + perCall + " bytes per call after "
                + MAX_WINDOWS * (WARM_UP + CALLS) + " calls");
    }

    static List<Object[]> paths() {
        List<Object[]> cases = new ArrayList<>();
        for (Path path : Path.values()) {
            for (int bits : new int[] {512, 256}) {
                cases.add(new Object[] {path, bits});
            }
        }
        return cases;
    }

    /** Every path, forced, at 512 and 256 bits, with two threads: each keeps its buffers in the plan and the call state. */
    @ParameterizedTest
    @MethodSource("paths")
    void steadyStateCallsOnEveryPathAllocateNothing(Path path, int bits) {
        Method mx = threadBean();
        ConvSpec spec = switch (path) {
            case DEPTHWISE -> ConvSpec.builder(12, 24, 3).groups(12).stride(2).padding(1).build();
            case POINTWISE -> ConvSpec.builder(20, 36, 1).build();
            case WINOGRAD -> ConvSpec.builder(20, 36, 3).padding(1).paddingMode(PaddingMode.REFLECT).build();
            default -> ConvSpec.builder(20, 36, 3).stride(2).padding(1).build();
        };
        Shape shape = Shape.of(2, spec.inChannels(), 17, 19);
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 9);
        ConvPlan plan = new ConvPlan(spec, shape, ops.weight(), ops.bias(), ConvPlanner.plan(path, spec, shape, VectorWidth.ofBits(bits), 2), null, Epilogue.of(Activation.relu()));
        Tensor out = Tensor.zeros(plan.outputShape());
        long perCall = steadyState(mx, () -> plan.forward(ops.input(), out));
        assertTrue(perCall <= MAX_BYTES_PER_CALL, plan + " allocates " + perCall + " bytes per call");
    }

    static List<Object[]> pixelKernels() {
        List<Object[]> cases = new ArrayList<>();
        for (ConvSpec spec : List.of(ConvSpec.builder(20, 36, 3).stride(2).padding(1).build(),    // 7x3v, gathering
                ConvSpec.builder(20, 64, 3).padding(1).build(),                                   // 6x4v, gathering
                ConvSpec.builder(20, 64, 1).stride(2).build())) {                                 // 7x3v, packed
            for (int threads : new int[] {1, 2}) {
                cases.add(new Object[] {spec, threads});
            }
        }
        return cases;
    }

    /** Pixel rows at 512 bits with each of its kernels, gathering or packed, at 1 and 2 threads (private planes). */
    @ParameterizedTest
    @MethodSource("pixelKernels")
    void steadyStatePixelRowsAllocateNothing(ConvSpec spec, int threads) {
        Method mx = threadBean();
        Shape shape = Shape.of(2, spec.inChannels(), 17, 19);
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 9);
        ConvPlan plan = new ConvPlan(spec, shape, ops.weight(), ops.bias(), ConvPlanner.plan(Path.PIXEL_ROWS, spec, shape, VectorWidth.W512, threads), null, Epilogue.NONE);
        Tensor out = Tensor.zeros(plan.outputShape());
        long perCall = steadyState(mx, () -> plan.forward(ops.input(), out));
        assertTrue(perCall <= MAX_BYTES_PER_CALL, plan + " allocates " + perCall + " bytes per call");
    }

    /**
     * Whole images per thread ({@code ConvPlan.wholeImages}): 5 images at 3 threads, one round of whole images, each
     * thread on its own planes (implicit, pixel rows from planes) or on the input (pointwise), then the last two
     * images split among the threads.
     */
    @ParameterizedTest
    @ValueSource(strings = {"IMPLICIT_GEMM", "PIXEL_ROWS", "POINTWISE"})
    void steadyStateWholeImagesAllocateNothing(String path) {
        Method mx = threadBean();
        ConvSpec spec = path.equals("POINTWISE") ? ConvSpec.builder(32, 40, 1).bias(false).build()
                : ConvSpec.builder(24, 64, 3).padding(1).build();
        Shape shape = Shape.of(5, spec.inChannels(), 17, 19);
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 13);
        ConvPlan plan = new ConvPlan(spec, shape, ops.weight(), ops.bias(), ConvPlanner.plan(Path.valueOf(path), spec, shape, VectorWidth.W512, 3), null, Epilogue.NONE);
        assertTrue(plan.threads() == 3, plan.toString());
        Tensor out = Tensor.zeros(plan.outputShape());
        long perCall = steadyState(mx, () -> plan.forward(ops.input(), out));
        assertTrue(perCall <= MAX_BYTES_PER_CALL, plan + " allocates " + perCall + " bytes per call");
    }

    static List<Object[]> directDepthwise() {
        return List.of(new Object[] {512, 1}, new Object[] {512, 2}, new Object[] {256, 1}, new Object[] {256, 2});
    }

    /**
     * Depthwise 3x3 at stride 1 and 2, wide enough for the direct kernels at 512 bits (45 columns, padding 1: edge
     * vectors on both sides) and through the planes at 256, with a channel multiplier, the ReLU and two threads.
     */
    @ParameterizedTest
    @MethodSource("directDepthwise")
    void steadyStateDirectDepthwiseAllocatesNothing(int bits, int stride) {
        Method mx = threadBean();
        ConvSpec spec = ConvSpec.builder(12, 24, 3).groups(12).stride(stride).padding(1).build();
        Shape shape = Shape.of(2, spec.inChannels(), 21, 45);
        assertTrue(bits != 512 || DepthwiseVariant.of(spec, VectorWidth.W512, 21, 45) instanceof DepthwiseVariant.Direct, "the direct kernel applies");
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 9);
        Conv2dPlan plan = SimdEngines.simd(bits).withThreads(2).plan(spec, shape, ops.weight(), ops.bias(), Epilogue.of(Activation.relu()));
        Tensor out = Tensor.zeros(plan.outputShape());
        long perCall = steadyState(mx, () -> plan.forward(ops.input(), out));
        assertTrue(perCall <= MAX_BYTES_PER_CALL, plan + " allocates " + perCall + " bytes per call");
    }

    /**
     * Depthwise 3x3 on MobileNetV2's narrow rows, which the wrapped kernels take at 512 bits (14x14 at stride 1
     * and 2), with a channel multiplier, the ReLU and two threads.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void steadyStateWrappedDepthwiseAllocatesNothing(int stride) {
        Method mx = threadBean();
        ConvSpec spec = ConvSpec.builder(12, 24, 3).groups(12).stride(stride).padding(1).build();
        Shape shape = Shape.of(2, spec.inChannels(), 14, 14);
        assertTrue(DepthwiseVariant.of(spec, VectorWidth.W512, 14, 14) instanceof DepthwiseVariant.Wrapped, "the wrapped kernel applies");
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 9);
        Conv2dPlan plan = SimdEngines.simd(512).withThreads(2).plan(spec, shape, ops.weight(), ops.bias(), Epilogue.of(Activation.relu()));
        Tensor out = Tensor.zeros(plan.outputShape());
        long perCall = steadyState(mx, () -> plan.forward(ops.input(), out));
        assertTrue(perCall <= MAX_BYTES_PER_CALL, plan + " allocates " + perCall + " bytes per call");
    }

    /** The SIMD backward plan writes into the caller's gradients and allocates nothing in steady state either. */
    @ParameterizedTest
    @MethodSource("cases")
    void steadyStateSimdBackwardPlansAllocateNothing(ConvSpec spec, int threads) {
        Method mx = threadBean();
        Shape shape = Shape.of(2, spec.inChannels(), 13, 11);
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 5);
        Conv2dBackwardPlan plan = SimdEngines.simd(256).withThreads(threads).backwardPlan(spec, shape, ops.weight());
        Tensor gy = Tensor.random(6, spec.outputShape(shape).dims());
        Tensor gx = Tensor.zeros(shape);
        Tensor gw = Tensor.zeros(spec.weightShape());
        Tensor gb = spec.hasBias() ? Tensor.zeros(spec.biasShape()) : null;
        long perCall = steadyState(mx, () -> plan.backward(ops.input(), gy, gx, gw, gb));
        assertTrue(perCall <= MAX_BYTES_PER_CALL, "backward plan for " + spec + " allocates " + perCall + " bytes per call");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void scalarPlansAreMeasuredNotAsserted(ConvSpec spec, int threads) {
        Method mx = threadBean();
        Shape shape = Shape.of(1, spec.inChannels(), 33, 35);
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 3);
        Conv2dPlan plan = Engines.scalar().plan(spec, shape, ops.weight(), ops.bias());
        Tensor out = Tensor.zeros(plan.outputShape());
        long perCall = measure(mx, () -> plan.forward(ops.input(), out));
        System.out.println("scalar plan for " + spec + ": " + perCall + " bytes per steady-state call");
    }

    /**
     * HotSpot's {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes(long[])}, reached by reflection: the
     * tests are compiled inside module dev.vconv.simd, which does not read jdk.management (and need not).
     */
    static Method threadBean() {
        Object mx = ManagementFactory.getThreadMXBean();
        try {
            Class<?> hotspot = Class.forName("com.sun.management.ThreadMXBean");
            assumeTrue(hotspot.isInstance(mx), "no per-thread allocation counter on this JVM");
            assumeTrue((Boolean) hotspot.getMethod("isThreadAllocatedMemorySupported").invoke(mx), "no per-thread allocation counter");
            hotspot.getMethod("setThreadAllocatedMemoryEnabled", boolean.class).invoke(mx, true);
            return hotspot.getMethod("getThreadAllocatedBytes", long[].class);
        } catch (ReflectiveOperationException e) {
            assumeTrue(false, "no per-thread allocation counter: " + e);
            return null;
        }
    }


    /**
     * Bytes per call once allocation has settled. Steady state is after the JIT: until C2 compiles a kernel, its
     * vectors are boxed objects. A kernel that needs more warm-up than another is fine; one that still allocates after
     * {@link #MAX_WINDOWS} windows and {@link #STEADY_STATE_SECONDS} seconds is not.
     */
    static long steadyState(Method mx, Runnable call) {
        return steadyState(mx, call, MAX_WINDOWS);
    }

    /**
     * The same, giving up after {@code maxWindows} windows and {@link #STEADY_STATE_SECONDS} seconds, whichever
     * comes later. The time matters in the suite's JVM: a kernel that meets a new shape there hits an uncommon
     * trap, runs in C1 code (boxing its vectors) until C2 compiles it again, and with the compile queue full of
     * other tests' methods that once took 18 s.
     */
    static long steadyState(Method mx, Runnable call, int maxWindows) {
        long deadline = System.nanoTime() + STEADY_STATE_SECONDS * 1_000_000_000L;
        long perCall = measure(mx, call);
        for (int window = 1; perCall > MAX_BYTES_PER_CALL && (window < maxWindows || System.nanoTime() < deadline); window++) {
            perCall = measure(mx, call);
        }
        return perCall;
    }

    /** Bytes allocated per {@code call} by the caller and the worker threads, after warm-up. */
    private static long measure(Method mx, Runnable call) {
        for (int i = 0; i < WARM_UP; i++) {
            call.run();
        }
        long[] ids = threadIds();
        long before = total(mx, ids);
        for (int i = 0; i < CALLS; i++) {
            call.run();
        }
        long after = total(mx, ids);
        return (after - before) / CALLS;
    }

    private static long[] threadIds() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t == Thread.currentThread() || t.getName().startsWith("vconv-worker-"))
                .mapToLong(Thread::threadId).toArray();
    }

    private static long total(Method mx, long[] ids) {
        long[] allocated;
        try {
            allocated = (long[]) mx.invoke(ManagementFactory.getThreadMXBean(), (Object) ids);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
        long sum = 0;
        for (long bytes : allocated) {
            sum += Math.max(0, bytes);
        }
        return sum;
    }
}
