package dev.vconv.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vconv.core.Conv2dPlan;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.Engines;
import dev.vconv.core.PaddingMode;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import dev.vconv.core.testing.ConvAsserts;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Plans under load: one plan shared by 8 calling threads gives, call after call, the single-threaded result bit
 * for bit; outputs are bit-identical at 1, 2, 3 and 8 worker threads; and using engines and plans leaves no
 * thread behind beyond the engine's documented worker pools (shared per thread count, daemon threads named
 * {@code vconv-worker-N}, started by a pool's first call, ended after 30 s idle), and no call more than its tasks use.
 */
class ConcurrencyTest {

    /** One layer per SIMD path, each above the parallel threshold so that worker threads really split it. */
    static List<ConvSpec> layers() {
        return List.of(
                ConvSpec.builder(16, 24, 3).padding(1).build(),                                   // GEMM
                ConvSpec.builder(64, 128, 3).stride(1, 2).padding(1).groups(64)
                        .paddingMode(PaddingMode.REFLECT).build(),                                // DEPTHWISE x2
                ConvSpec.builder(32, 40, 1).bias(false).build());                                 // POINTWISE
    }

    static Shape inputFor(ConvSpec spec) {
        return Shape.of(2, spec.inChannels(), 33, 35);
    }

    @ParameterizedTest
    @MethodSource("layers")
    void outputsAreBitIdenticalAtOneTwoThreeAndEightThreads(ConvSpec spec) {
        Shape shape = inputFor(spec);
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 5);
        Tensor expected = Engines.reference().forward(spec, ops.input(), ops.weight(), ops.bias());
        for (int bits : new int[] {256, 128}) {
            Tensor single = null;
            for (int threads : new int[] {1, 2, 3, 8}) {
                ConvPlan plan = SimdEngines.simd(bits).withThreads(threads).plan(spec, shape, ops.weight(), ops.bias());
                assertEquals(threads, plan.threads(), "the layer is meant to run on " + threads + " threads: " + plan);
                Tensor out = plan.forward(ops.input());
                if (single == null) {
                    ConvAsserts.assertClose(spec, shape, expected, out);
                    single = out;
                } else {
                    assertArrayEquals(single.data(), out.data(), "simd-" + bits + " at " + threads + " threads differs from 1 thread");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("layers")
    void onePlanSharedByEightCallersGivesTheSingleThreadedResult(ConvSpec spec) throws Exception {
        Shape shape = inputFor(spec);
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 6);
        List<Conv2dPlan> plans = List.of(
                SimdEngines.simd(256).withThreads(3).plan(spec, shape, ops.weight(), ops.bias()),
                SimdEngines.simd(256).withThreads(1).plan(spec, shape, ops.weight(), ops.bias()),
                Engines.scalar().plan(spec, shape, ops.weight(), ops.bias()));
        for (Conv2dPlan plan : plans) {
            Tensor expected = plan.forward(ops.input());
            int callers = 8;
            int iterations = 40;
            ExecutorService pool = Executors.newFixedThreadPool(callers);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < callers; t++) {
                    results.add(pool.submit(() -> {
                        Tensor out = Tensor.zeros(plan.outputShape());
                        start.await();
                        int mismatches = 0;
                        for (int i = 0; i < iterations; i++) {
                            java.util.Arrays.fill(out.data(), Float.NaN); // stale output: every element must be rewritten
                            plan.forward(ops.input(), out);
                            if (!java.util.Arrays.equals(expected.data(), out.data())) {
                                mismatches++;
                            }
                        }
                        return mismatches;
                    }));
                }
                start.countDown();
                for (Future<Integer> r : results) {
                    assertEquals(0, r.get(5, TimeUnit.MINUTES), "calls differing from the single-threaded result on " + plan);
                }
            } finally {
                pool.shutdown();
                assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
            }
        }
    }

    @org.junit.jupiter.api.Test
    void noThreadLeaksBeyondTheSharedWorkerPools() {
        ConvSpec spec = layers().get(0);
        Shape shape = inputFor(spec);
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 7);
        int[] counts = {1, 2, 3, 8};
        for (int threads : counts) { // the pools for these counts exist from here on (they are created once, then kept)
            SimdEngines.simd(256).withThreads(threads).plan(spec, shape, ops.weight(), ops.bias()).forward(ops.input());
        }
        int before = Thread.activeCount();
        long workersBefore = workerThreads();
        for (int round = 0; round < 20; round++) {
            for (int threads : counts) {
                for (int bits : new int[] {256, 128}) {
                    SimdEngines.simd(bits).withThreads(threads).plan(spec, shape, ops.weight(), ops.bias()).forward(ops.input());
                }
            }
        }
        assertEquals(workersBefore, workerThreads(), "worker threads were started again");
        assertTrue(Thread.activeCount() <= before, "live threads grew from " + before + " to " + Thread.activeCount());
        // The documented bound: one pool per thread count, each with at most threads - 1 workers (while in use).
        long bound = 0;
        for (int threads : counts) {
            bound += threads - 1;
        }
        assertTrue(workersBefore <= bound + Runtime.getRuntime().availableProcessors() * 2L,
                workersBefore + " vconv workers, more than the pools of the thread counts used here (other tests may add theirs)");
    }

    /**
     * A call uses no more threads than its tasks can: {@code withThreads(10000)} on an 8-channel layer starts no
     * thousands of workers (it started 9,999 for a backward pass, one per thread asked for, whatever the shares).
     * A backward pass of 8 input channels has at most 8 shares, so at most 7 workers; a forward plan's threads are
     * at most its tasks, and making it starts none.
     */
    @org.junit.jupiter.api.Test
    void aCallStartsNoMoreWorkersThanItsTasksCanUse() {
        ConvSpec spec = ConvSpec.builder(8, 8, 3).padding(1).build();
        Shape shape = Shape.of(1, 8, 64, 64);
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 9);
        SimdConv2d many = SimdEngines.simd(256).withThreads(10_000);
        long before = workerThreads();
        var gradients = many.backward(spec, ops.input(), ops.weight(), Tensor.random(10, spec.outputShape(shape).dims()));
        var expected = SimdEngines.simd(256).withThreads(1).backward(spec, ops.input(), ops.weight(),
                Tensor.random(10, spec.outputShape(shape).dims()));
        assertArrayEquals(expected.input().data(), gradients.input().data(), "grad_input at 10000 threads");
        long started = workerThreads() - before;
        assertTrue(started <= 7, "a backward pass of 8 shares started " + started + " workers");
        // A forward plan (not called here: its pool of 18 would outlive this test by the idle time) starts nothing.
        before = workerThreads();
        ConvPlan plan = many.plan(spec, shape, ops.weight(), ops.bias());
        assertTrue(plan.threads() <= plan.decision().tasks(), plan.toString());
        assertEquals(before, workerThreads(), "making a plan started workers");
    }

    private static long workerThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith("vconv-worker-")).count();
    }
}
