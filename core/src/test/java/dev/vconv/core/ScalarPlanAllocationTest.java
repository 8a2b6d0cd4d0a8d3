package dev.vconv.core;

import dev.vconv.core.testing.ConvAsserts;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.reflect.Method;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Steady-state calls of a scalar plan allocate nothing, with and without an epilogue, with a separate residual and
 * with the output as its own residual (the accumulator panel is made at a thread's first such call and kept):
 * measured with HotSpot's per-thread allocation counter after warm-up, averaged over 100 calls, as the simd
 * module's AllocationTest does.
 */
class ScalarPlanAllocationTest {

    /** Average bytes per call tolerated: a stray object now and then (JIT deoptimisation), never a buffer. */
    static final long MAX_BYTES_PER_CALL = 64;

    static List<Object[]> cases() {
        ConvSpec dense = ConvSpec.builder(16, 24, 3).padding(1).build();
        ConvSpec pointwise = ConvSpec.builder(32, 40, 1).bias(false).build();
        Epilogue relu = Epilogue.of(Activation.relu());
        Epilogue residual = Epilogue.of(Activation.relu6()).withResidual(0.5f);
        Epilogue gelu = Epilogue.of(Activation.gelu()).withResidual();
        return List.of(new Object[] {dense, Epilogue.NONE, false}, new Object[] {dense, relu, false},
                new Object[] {dense, residual, false}, new Object[] {dense, residual, true}, new Object[] {dense, gelu, true},
                new Object[] {pointwise, relu, false}, new Object[] {pointwise, residual, true});
    }

    @ParameterizedTest
    @MethodSource("cases")
    void steadyStateScalarPlanCallsAllocateNothing(ConvSpec spec, Epilogue epilogue, boolean residualIsOutput) throws Exception {
        Object mx = threadBean();
        Method allocated = threadAllocatedBytes(mx);
        Shape shape = Shape.of(1, spec.inChannels(), 19, 21);
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 3);
        Conv2dPlan plan = Engines.scalar().plan(spec, shape, ops.weight(), ops.bias(), epilogue);
        Tensor out = Tensor.zeros(plan.outputShape());
        Tensor residual = epilogue.hasResidual() ? (residualIsOutput ? out : Tensor.random(4, out.shape().dims())) : null;
        Runnable call = epilogue.hasResidual() ? () -> plan.forward(ops.input(), residual, out) : () -> plan.forward(ops.input(), out);
        long perCall = Long.MAX_VALUE;
        for (int window = 0; window < 20 && perCall > MAX_BYTES_PER_CALL; window++) {
            for (int i = 0; i < 200; i++) {
                call.run();
            }
            long before = (long) allocated.invoke(mx, Thread.currentThread().threadId());
            for (int i = 0; i < 100; i++) {
                call.run();
            }
            long after = (long) allocated.invoke(mx, Thread.currentThread().threadId());
            perCall = (after - before) / 100;
        }
        assertTrue(perCall <= MAX_BYTES_PER_CALL, plan + (residualIsOutput ? ", residual = output" : "") + " allocates " + perCall
                + " bytes per call");
    }

    /** The platform's ThreadMXBean, by reflection: the tests are compiled inside module dev.vconv.core, which reads no management module. */
    static Object threadBean() {
        try {
            return Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            assumeTrue(false, "no ThreadMXBean: " + e);
            return null;
        }
    }

    /** HotSpot's {@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes(long)}, by reflection. */
    static Method threadAllocatedBytes(Object mx) {
        try {
            Class<?> hotspot = Class.forName("com.sun.management.ThreadMXBean");
            assumeTrue(hotspot.isInstance(mx), "no per-thread allocation counter on this JVM");
            assumeTrue((Boolean) hotspot.getMethod("isThreadAllocatedMemorySupported").invoke(mx), "no per-thread allocation counter");
            hotspot.getMethod("setThreadAllocatedMemoryEnabled", boolean.class).invoke(mx, true);
            return hotspot.getMethod("getThreadAllocatedBytes", long.class);
        } catch (ReflectiveOperationException e) {
            assumeTrue(false, "no per-thread allocation counter: " + e);
            return null;
        }
    }
}
