package dev.vconv.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.Engines;
import dev.vconv.core.PaddingMode;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import dev.vconv.core.testing.ConvAsserts;
import dev.vconv.simd.exec.WorkerPool;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link SimdConv2d#withExecutor}: forward calls on a caller's executor give the 1-thread result bit for bit,
 * really use the executor, survive refusals, slow and throwing executor threads and an interrupted caller, and
 * leave nothing in the job once they return. The pool itself ({@link WorkerPool#of}) is also tried with jobs
 * that record which thread ran which task.
 */
class ExecutorTest {
    private final List<ExecutorService> executors = new ArrayList<>();

    @AfterEach
    void shutDownExecutors() throws InterruptedException {
        for (ExecutorService e : executors) {
            e.shutdownNow();
            assertTrue(e.awaitTermination(1, TimeUnit.MINUTES), "an executor's threads did not end: " + e);
        }
    }

    /** A fixed pool of {@code n} threads named {@code test-exec-N}, shut down after the test. */
    private ThreadPoolExecutor fixedPool(int n) {
        AtomicInteger count = new AtomicInteger();
        ThreadFactory named = r -> new Thread(r, "test-exec-" + count.incrementAndGet());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(n, n, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), named);
        pool.prestartAllCoreThreads();
        executors.add(pool);
        return pool;
    }

    /** One layer per SIMD path plus a strided, dilated, grouped one; all above the parallel threshold. */
    static List<Object[]> layers() {
        List<Object[]> layers = new ArrayList<>();
        for (ConvSpec spec : ConcurrencyTest.layers()) {
            layers.add(new Object[] {spec, ConcurrencyTest.inputFor(spec)});
        }
        ConvSpec grouped = ConvSpec.builder(12, 18, 3).stride(2).dilation(2).padding(2, 1, 0, 3).groups(3)
                .paddingMode(PaddingMode.REPLICATE).build();
        layers.add(new Object[] {grouped, Shape.of(2, 12, 66, 70)});
        ConvSpec fiveByFive = ConvSpec.builder(7, 17, 5).padding(2).build();
        layers.add(new Object[] {fiveByFive, Shape.of(1, 7, 41, 37)});
        return layers;
    }

    private static Tensor oneThread(ConvSpec spec, Shape shape, ConvAsserts.Operands ops, int bits) {
        return SimdEngines.simd(bits).withThreads(1).plan(spec, shape, ops.weight(), ops.bias()).forward(ops.input());
    }

    @ParameterizedTest
    @MethodSource("layers")
    void resultsOnAnExecutorAreBitIdenticalToOneThread(ConvSpec spec, Shape shape) {
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 11);
        Tensor reference = Engines.reference().forward(spec, ops.input(), ops.weight(), ops.bias());
        ThreadPoolExecutor executor = fixedPool(3);
        for (int bits : new int[] {256, 128}) {
            Tensor single = oneThread(spec, shape, ops, bits);
            ConvAsserts.assertClose(spec, shape, reference, single);
            for (int threads : new int[] {2, 3, 8}) { // 8: more copies than the executor has threads
                ConvPlan plan = SimdEngines.simd(bits).withThreads(threads).withExecutor(executor)
                        .plan(spec, shape, ops.weight(), ops.bias());
                assertEquals(threads, plan.threads(), "the layer is meant to run on " + threads + " threads: " + plan);
                for (int call = 0; call < 3; call++) {
                    Tensor out = plan.forward(ops.input());
                    assertArrayEquals(single.data(), out.data(), "simd-" + bits + " with " + threads + " threads on an executor, call "
                            + call + ", differs from 1 thread for " + spec);
                }
            }
        }
    }

    @Test
    void aPlansJobsGoToTheExecutorAndRunOnItsThreads() throws InterruptedException {
        ConvSpec spec = ConcurrencyTest.layers().get(0);
        Shape shape = ConcurrencyTest.inputFor(spec);
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 12);
        ThreadPoolExecutor pool = fixedPool(2);
        AtomicInteger received = new AtomicInteger();
        Set<String> ranOn = ConcurrentHashMap.newKeySet();
        Executor counting = job -> {
            received.incrementAndGet();
            pool.execute(() -> {
                ranOn.add(Thread.currentThread().getName());
                job.run();
            });
        };
        ConvPlan plan = SimdEngines.simd(256).withThreads(3).withExecutor(counting).plan(spec, shape, ops.weight(), ops.bias());
        assertEquals(3, plan.threads(), plan.toString());
        Tensor expected = oneThread(spec, shape, ops, 256);
        for (int call = 0; call < 10; call++) {
            assertArrayEquals(expected.data(), plan.forward(ops.input()).data());
        }
        // At least threads - 1 = 2 jobs for the first call. A call may hand over several batches (the implicit path:
        // two per image); jobs still queued when a batch ends count for the thread's next batch, which hands over fewer.
        assertTrue(received.get() >= 2, received.get() + " jobs handed over in 10 calls");
        pool.shutdown();   // jobs still queued when the last call returned start now (and find nothing to do)
        assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
        assertFalse(ranOn.isEmpty(), "no job ran on the executor");
        assertTrue(ranOn.stream().allMatch(name -> name.startsWith("test-exec-")), "jobs ran on " + ranOn);
    }

    @Test
    void aCallHandsThreadsMinusOneJobsToAnIdleExecutor() {
        ThreadPoolExecutor pool = fixedPool(2);
        AtomicInteger received = new AtomicInteger();
        WorkerPool workers = WorkerPool.of(job -> {
            received.incrementAndGet();
            pool.execute(job);
        }, 5);
        AtomicInteger entries = new AtomicInteger();
        workers.execute(entries::incrementAndGet);
        assertEquals(4, received.get(), "threads - 1 jobs for a 5-thread call");
        assertTrue(entries.get() >= 1 && entries.get() <= 5, entries.get() + " threads entered the job");
    }

    @Test
    void executorThreadsClaimTasksAlongsideTheCaller() {
        ThreadPoolExecutor pool = fixedPool(3);
        WorkerPool workers = WorkerPool.of(pool, 4);
        int tasks = 60;
        AtomicIntegerArray runs = new AtomicIntegerArray(tasks);
        Set<String> names = ConcurrentHashMap.newKeySet();
        AtomicInteger next = new AtomicInteger();
        workers.execute(() -> {
            for (int t = next.getAndIncrement(); t < tasks; t = next.getAndIncrement()) {
                runs.incrementAndGet(t);
                names.add(Thread.currentThread().getName());
                sleep(5); // 0.3 s for the caller alone: the executor's waiting threads join well before that
            }
        });
        for (int t = 0; t < tasks; t++) {
            assertEquals(1, runs.get(t), "task " + t + " ran " + runs.get(t) + " times");
        }
        assertTrue(names.contains(Thread.currentThread().getName()), "the caller took no task: " + names);
        assertTrue(names.stream().anyMatch(n -> n.startsWith("test-exec-")), "no executor thread took a task: " + names);
    }

    @Test
    void aShutDownExecutorStillGivesTheRightResult() {
        ThreadPoolExecutor pool = fixedPool(2);
        pool.shutdown();
        assertRightResultOn(pool, "a shut-down ThreadPoolExecutor");
    }

    @Test
    void anExecutorThatAlwaysRejectsStillGivesTheRightResult() {
        AtomicInteger rejected = new AtomicInteger();
        Executor rejecting = job -> {
            rejected.incrementAndGet();
            throw new RejectedExecutionException("always full");
        };
        assertRightResultOn(rejecting, "an executor that always rejects");
        assertTrue(rejected.get() > 0, "the executor was never asked");
    }

    @Test
    void anExecutorThatTakesOneJobThenRejectsStillGivesTheRightResult() {
        ThreadPoolExecutor pool = fixedPool(1);
        AtomicInteger offered = new AtomicInteger();
        Executor oneThenFull = job -> {
            if (offered.incrementAndGet() % 3 != 1) {
                throw new RejectedExecutionException("full");
            }
            pool.execute(job);
        };
        assertRightResultOn(oneThenFull, "an executor that takes one job in three");
    }

    /**
     * An executor whose {@code execute} throws something other than a rejection (an exception, an Error): every
     * call fails the same way, with that failure, and keeps asking the executor; before, the copy it did not take
     * stayed counted as queued, so after {@code threads - 1} calls the engine silently stopped handing any over.
     */
    @Test
    void anExecutorThatThrowsFailsEveryCallTheSameWay() {
        ConvSpec spec = ConcurrencyTest.layers().get(0);
        Shape shape = ConcurrencyTest.inputFor(spec);
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 19);
        for (RuntimeException failure : List.of(new IllegalStateException("executor broken"), new UnsupportedOperationException("no"))) {
            assertEveryCallFails(job -> {
                throw failure;
            }, failure, spec, shape, ops);
        }
        Error error = new AssertionError("an executor's Error");
        assertEveryCallFails(job -> {
            throw error;
        }, error, spec, shape, ops);
    }

    private static void assertEveryCallFails(Executor executor, Throwable failure, ConvSpec spec, Shape shape, ConvAsserts.Operands ops) {
        AtomicInteger asked = new AtomicInteger();
        Executor counting = job -> {
            asked.incrementAndGet();
            executor.execute(job);
        };
        ConvPlan plan = SimdEngines.simd(256).withThreads(3).withExecutor(counting).plan(spec, shape, ops.weight(), ops.bias());
        assertEquals(3, plan.threads(), plan.toString());
        for (int call = 0; call < 6; call++) {
            int before = asked.get();
            Throwable thrown = assertThrows(Throwable.class, () -> plan.forward(ops.input()), "call " + call);
            assertSame(failure, thrown, "call " + call);
            assertEquals(before + 1, asked.get(), "call " + call + " did not ask the executor once");
        }
    }

    /**
     * An executor whose {@code execute} calls {@code forward} on the plan whose call handed it the job, on the
     * same thread: the inner call is refused with an IllegalStateException that says so (before, the two calls
     * shared the thread's call state and the outer one failed with a NullPointerException). With the executor
     * catching that refusal and running the job, the outer call is right; without, the refusal reaches its caller.
     */
    @Test
    void anExecutorThatReentersThePlanIsRefusedClearly() {
        ConvSpec spec = ConcurrencyTest.layers().get(0);
        Shape shape = ConcurrencyTest.inputFor(spec);
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 20);
        Tensor expected = oneThread(spec, shape, ops, 256);
        ConvPlan[] plan = new ConvPlan[1];
        List<Throwable> refusals = new ArrayList<>();
        Executor reentering = job -> {
            try {
                plan[0].forward(ops.input());
            } catch (IllegalStateException e) {
                refusals.add(e);
            }
            job.run();
        };
        plan[0] = SimdEngines.simd(256).withThreads(3).withExecutor(reentering).plan(spec, shape, ops.weight(), ops.bias());
        for (int call = 0; call < 3; call++) {
            Tensor out = plan[0].forward(ops.input());
            assertArrayEquals(expected.data(), out.data(), "call " + call);
        }
        assertTrue(refusals.size() >= 6, refusals.size() + " refusals: each call hands at least two jobs over, each re-entering");
        for (Throwable refusal : refusals) {
            assertTrue(refusal.getMessage().contains("already in a call of this plan"), refusal.getMessage());
        }
        Executor propagating = job -> {
            plan[0].forward(ops.input());
            job.run();
        };
        ConvPlan outer = SimdEngines.simd(256).withThreads(3).withExecutor(propagating).plan(spec, shape, ops.weight(), ops.bias());
        plan[0] = outer;
        for (int call = 0; call < 3; call++) {                  // the same refusal every call: nothing left half-done
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> outer.forward(ops.input()));
            assertTrue(e.getMessage().contains("already in a call of this plan"), e.getMessage());
        }
    }

    /** The same for a backward plan: a re-entering call is refused, and with the refusal caught the gradients are right. */
    @Test
    void anExecutorThatReentersABackwardPlanIsRefusedClearly() {
        ConvSpec spec = ConcurrencyTest.layers().get(0);
        Shape shape = ConcurrencyTest.inputFor(spec);
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 21);
        Tensor gy = Tensor.random(22, spec.outputShape(shape).dims());
        var expected = SimdEngines.simd(256).withThreads(1).backward(spec, ops.input(), ops.weight(), gy);
        dev.vconv.core.Conv2dBackwardPlan[] plan = new dev.vconv.core.Conv2dBackwardPlan[1];
        List<Throwable> refusals = new ArrayList<>();
        Executor reentering = job -> {
            try {
                plan[0].backward(ops.input(), gy, Tensor.zeros(shape), Tensor.zeros(spec.weightShape()), Tensor.zeros(spec.biasShape()));
            } catch (IllegalStateException e) {
                refusals.add(e);
            }
            job.run();
        };
        plan[0] = SimdEngines.simd(256).withThreads(3).withExecutor(reentering).backwardPlan(spec, shape, ops.weight());
        Tensor gx = Tensor.zeros(shape);
        Tensor gw = Tensor.zeros(spec.weightShape());
        Tensor gb = Tensor.zeros(spec.biasShape());
        plan[0].backward(ops.input(), gy, gx, gw, gb);
        assertArrayEquals(expected.input().data(), gx.data(), "grad_input");
        assertArrayEquals(expected.weight().data(), gw.data(), "grad_weight");
        assertFalse(refusals.isEmpty(), "the executor was never asked");
        for (Throwable refusal : refusals) {
            assertTrue(refusal.getMessage().contains("already in a call of this plan"), refusal.getMessage());
        }
    }

    @Test
    void slowExecutorThreadsStillGiveTheRightResult() {
        ThreadPoolExecutor pool = fixedPool(2);
        Executor slow = job -> pool.execute(() -> {
            sleep(ThreadLocalRandom.current().nextInt(0, 30)); // some copies join mid-call, some after it ended
            job.run();
        });
        assertRightResultOn(slow, "an executor whose threads start late");
    }

    @Test
    void aDirectExecutorRunningJobsOnTheCallerGivesTheRightResult() {
        AtomicInteger ran = new AtomicInteger();
        assertRightResultOn(job -> {
            ran.incrementAndGet();
            job.run();
        }, "a direct executor");
        assertTrue(ran.get() > 0);
    }

    /** Every layer at 256 and 128 bits, 4 threads, 3 calls each, on {@code executor}: bit-identical to 1 thread. */
    private static void assertRightResultOn(Executor executor, String what) {
        for (Object[] layer : layers()) {
            ConvSpec spec = (ConvSpec) layer[0];
            Shape shape = (Shape) layer[1];
            ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 13);
            for (int bits : new int[] {256, 128}) {
                Tensor expected = oneThread(spec, shape, ops, bits);
                ConvPlan plan = SimdEngines.simd(bits).withThreads(4).withExecutor(executor).plan(spec, shape, ops.weight(), ops.bias());
                Tensor out = Tensor.zeros(plan.outputShape());
                for (int call = 0; call < 3; call++) {
                    java.util.Arrays.fill(out.data(), Float.NaN);
                    plan.forward(ops.input(), out);
                    assertArrayEquals(expected.data(), out.data(), what + ": simd-" + bits + " call " + call + " for " + spec);
                }
            }
        }
    }

    @Test
    void afterACallReturnsNoCopyIsInTheJobAndNoneEntersItLater() throws InterruptedException {
        ThreadPoolExecutor pool = fixedPool(3);
        Executor lateStarting = job -> pool.execute(() -> {
            sleep(ThreadLocalRandom.current().nextInt(0, 4));
            job.run();
        });
        WorkerPool workers = WorkerPool.of(lateStarting, 6);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger enteredAfterReturn = new AtomicInteger();
        int joined = 0;
        for (int call = 0; call < 60; call++) {
            AtomicBoolean returned = new AtomicBoolean();
            AtomicInteger next = new AtomicInteger();
            AtomicInteger entries = new AtomicInteger();
            int tasks = 1 + call % 7;
            workers.execute(() -> {
                if (returned.get()) {
                    enteredAfterReturn.incrementAndGet();
                }
                entries.incrementAndGet();
                inside.incrementAndGet();
                try {
                    while (next.getAndIncrement() < tasks) {
                        sleep(1);
                    }
                } finally {
                    inside.decrementAndGet();
                }
            });
            returned.set(true);
            assertEquals(0, inside.get(), "call " + call + " returned while a copy was still in its job");
            assertTrue(next.get() >= tasks, "call " + call + " returned before its tasks were claimed");
            joined += entries.get() - 1;
        }
        sleep(100); // copies still queued start now, after their calls ended
        pool.shutdown();
        assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
        assertEquals(0, enteredAfterReturn.get(), "copies entered a job after its call had returned");
        assertEquals(0, inside.get());
        assertTrue(joined > 0, "no copy ever joined a call");
    }

    @Test
    void aPlanOnAnExecutorLeavesTheOutputAloneOnceACallReturns() throws InterruptedException {
        ConvSpec spec = ConcurrencyTest.layers().get(1);
        Shape shape = ConcurrencyTest.inputFor(spec);
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 14);
        ThreadPoolExecutor pool = fixedPool(2);
        Executor lateStarting = job -> pool.execute(() -> {
            sleep(ThreadLocalRandom.current().nextInt(0, 10));
            job.run();
        });
        ConvPlan plan = SimdEngines.simd(256).withThreads(3).withExecutor(lateStarting).plan(spec, shape, ops.weight(), ops.bias());
        Tensor expected = oneThread(spec, shape, ops, 256);
        List<Tensor> outputs = new ArrayList<>();
        for (int call = 0; call < 10; call++) {
            Tensor out = plan.forward(ops.input());
            assertArrayEquals(expected.data(), out.data(), "call " + call);
            outputs.add(out);
        }
        pool.shutdown();
        assertTrue(pool.awaitTermination(1, TimeUnit.MINUTES));
        for (Tensor out : outputs) {
            assertArrayEquals(expected.data(), out.data(), "an output was written after its call returned");
        }
    }

    @Test
    void anInterruptedCallerWaitsForTheRunningCopiesThenKeepsItsInterrupt() {
        ThreadPoolExecutor pool = fixedPool(1);
        WorkerPool workers = WorkerPool.of(pool, 2);
        Thread caller = Thread.currentThread();
        CountDownLatch copyInside = new CountDownLatch(1);
        CountDownLatch interruptSent = new CountDownLatch(1);
        AtomicBoolean copyDone = new AtomicBoolean();
        try {
            workers.execute(() -> {
                if (Thread.currentThread() == caller) {
                    await(copyInside); // the caller's share ends once the copy is in the job
                    Thread.ofPlatform().start(() -> {
                        sleep(50);
                        caller.interrupt(); // while the caller waits for the copy
                        interruptSent.countDown();
                    });
                    return;
                }
                copyInside.countDown();
                await(interruptSent);
                sleep(100);
                copyDone.set(true);
            });
            assertTrue(copyDone.get(), "the caller returned before the copy that joined its call had finished");
            assertTrue(Thread.currentThread().isInterrupted(), "the caller's interrupt was lost");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void aThrowingCopyDoesNotHangTheCaller() {
        ThreadPoolExecutor pool = fixedPool(2);
        AtomicInteger thrown = new AtomicInteger();
        Executor catching = job -> pool.execute(() -> {
            try {
                job.run();
            } catch (IllegalStateException e) {
                thrown.incrementAndGet();
            }
        });
        WorkerPool workers = WorkerPool.of(catching, 3);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            Thread caller = Thread.currentThread(); // the timeout runs this on a thread of its own
            for (int call = 0; call < 20; call++) {
                CountDownLatch copyInside = new CountDownLatch(1);
                workers.execute(() -> {
                    if (Thread.currentThread() == caller) {
                        await(copyInside);
                        return;
                    }
                    copyInside.countDown();
                    throw new IllegalStateException("a failing copy");
                });
            }
        });
        assertTrue(thrown.get() >= 20, thrown.get() + " copies threw");
    }

    @Test
    void callersThatAreTheExecutorsOwnThreadsDoNotDeadlock() throws Exception {
        ConvSpec spec = ConcurrencyTest.layers().get(0);
        Shape shape = ConcurrencyTest.inputFor(spec);
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 15);
        ThreadPoolExecutor pool = fixedPool(2);
        ConvPlan plan = SimdEngines.simd(256).withThreads(3).withExecutor(pool).plan(spec, shape, ops.weight(), ops.bias());
        Tensor expected = oneThread(spec, shape, ops, 256);
        // Both of the pool's threads call the plan, so the jobs they hand over queue behind the callers themselves.
        List<Future<Tensor>> calls = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            calls.add(pool.submit(() -> {
                Tensor out = null;
                for (int call = 0; call < 10; call++) {
                    out = plan.forward(ops.input());
                }
                return out;
            }));
        }
        for (Future<Tensor> call : calls) {
            assertArrayEquals(expected.data(), call.get(2, TimeUnit.MINUTES).data());
        }
    }

    @Test
    void oneEngineOnOneExecutorServesSeveralPlansAndCallersAtOnce() throws Exception {
        ThreadPoolExecutor pool = fixedPool(2);
        SimdConv2d engine = SimdEngines.simd(256).withThreads(3).withExecutor(pool);
        List<Object[]> layers = layers();
        ExecutorService callers = Executors.newFixedThreadPool(4);
        executors.add(callers);
        List<Future<Integer>> results = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            Object[] layer = layers.get(c % layers.size());
            ConvSpec spec = (ConvSpec) layer[0];
            Shape shape = (Shape) layer[1];
            ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 16);
            Tensor expected = oneThread(spec, shape, ops, 256);
            ConvPlan plan = engine.plan(spec, shape, ops.weight(), ops.bias());
            results.add(callers.submit(() -> {
                int mismatches = 0;
                for (int call = 0; call < 15; call++) {
                    if (!java.util.Arrays.equals(expected.data(), plan.forward(ops.input()).data())) {
                        mismatches++;
                    }
                }
                return mismatches;
            }));
        }
        for (Future<Integer> r : results) {
            assertEquals(0, r.get(5, TimeUnit.MINUTES), "calls differing from the 1-thread result");
        }
    }

    /**
     * With an executor that allocates nothing itself (a direct one, running the copies on the caller), a
     * steady-state call allocates nothing: the engine's part of handing jobs over is allocation-free. Measured
     * by {@link AllocationTest}'s own steady-state measurement.
     */
    @Test
    void steadyStateCallsOnAnExecutorThatAllocatesNothingAllocateNothing() {
        Method allocated = AllocationTest.threadBean();
        ConvSpec spec = ConvSpec.builder(32, 40, 1).bias(false).build();
        Shape shape = Shape.of(1, 32, 33, 35);
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 17);
        Executor direct = Runnable::run;
        ConvPlan plan = SimdEngines.simd(256).withThreads(3).withExecutor(direct).plan(spec, shape, ops.weight(), ops.bias());
        assertEquals(3, plan.threads(), plan.toString());
        Tensor out = Tensor.zeros(plan.outputShape());
        long perCall = AllocationTest.steadyState(allocated, () -> plan.forward(ops.input(), out), 40);
        assertTrue(perCall <= AllocationTest.MAX_BYTES_PER_CALL, plan + " on a direct executor allocates " + perCall + " bytes per call");
    }

    @Test
    void anEngineOnAnExecutorStartsNoWorkersOfItsOwn() {
        ConvSpec spec = ConcurrencyTest.layers().get(1);
        Shape shape = ConcurrencyTest.inputFor(spec);
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 18);
        ThreadPoolExecutor pool = fixedPool(2);
        long workersBefore = vconvWorkers();
        // 11 threads: a count no other test uses, so its shared pool would be new.
        ConvPlan plan = SimdEngines.simd(256).withThreads(11).withExecutor(pool).plan(spec, shape, ops.weight(), ops.bias());
        assertEquals(11, plan.threads(), plan.toString());
        plan.forward(ops.input());
        assertEquals(workersBefore, vconvWorkers(), "a plan on an executor started vconv-worker threads");
    }

    private static long vconvWorkers() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith("vconv-worker-")).count();
    }

    @Test
    void aNullExecutorIsRejectedNamingTheParameter() {
        NullPointerException e = assertThrows(NullPointerException.class, () -> SimdEngines.simd(256).withExecutor(null));
        assertTrue(e.getMessage().contains("executor"), e.getMessage());
    }

    @Test
    void theExecutorIsKeptByWithThreadsAndShownByToString() {
        Executor direct = Runnable::run;
        SimdConv2d engine = SimdEngines.simd(128).withExecutor(direct).withThreads(5);
        assertSame(direct, engine.executor().orElseThrow());
        assertEquals(5, engine.threads());
        assertTrue(engine.toString().contains("executor"), engine.toString());
        assertTrue(SimdEngines.simd(128).executor().isEmpty());
        assertFalse(SimdEngines.simd(128).toString().contains("executor"));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            assertTrue(latch.await(1, TimeUnit.MINUTES), "a copy never started");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
