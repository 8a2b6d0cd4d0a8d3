package dev.vconv.simd.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The shared daemon workers ({@link WorkerPool.Daemons}): every job runs once on the caller and once on each
 * worker, through thousands of hand-overs with and without a next stage announced ({@code more}, when the
 * workers spin for it instead of sleeping); the workers use no CPU once the last job of a call has returned,
 * and at most the spin's budget after a job that announced a next stage which never came; an interrupted caller
 * still waits for the workers and keeps its interrupt.
 */
class WorkerPoolTest {

    @Test
    void everyJobRunsOnceOnTheCallerAndEachWorker() {
        WorkerPool pool = WorkerPool.forThreads(3);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            for (int i = 0; i < 5000; i++) {
                AtomicInteger runs = new AtomicInteger();
                Set<Thread> threads = ConcurrentHashMap.newKeySet();
                pool.execute(() -> {
                    runs.incrementAndGet();
                    threads.add(Thread.currentThread());
                }, i % 3 != 2);
                assertEquals(3, runs.get(), "job " + i);
                assertEquals(3, threads.size(), "job " + i);
            }
        });
    }

    /**
     * Idle workers end, and the next call starts them again: a pool of 6 threads whose workers end after 300 ms
     * without a job holds 5 live workers after a job, none once idle (each of its threads has ended), 5 again after
     * the next job, which still runs on the caller and 5 workers.
     */
    @Test
    void idleWorkersEndAndTheNextCallStartsThemAgain() {
        WorkerPool.Daemons pool = WorkerPool.daemons(6, 300_000_000L);
        assertEquals(0, pool.aliveWorkers(), "workers start on first use");
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            for (int round = 0; round < 3; round++) {
                Set<Thread> threads = ConcurrentHashMap.newKeySet();
                for (int i = 0; i < 50; i++) {
                    AtomicInteger runs = new AtomicInteger();
                    pool.execute(() -> {
                        runs.incrementAndGet();
                        threads.add(Thread.currentThread());
                    }, i % 2 == 0);
                    assertEquals(6, runs.get(), "round " + round + ", job " + i);
                }
                assertTrue(threads.size() >= 6, "round " + round + ": " + threads.size() + " threads");
                assertEquals(5, pool.aliveWorkers(), "round " + round);
                while (pool.aliveWorkers() > 0) {
                    Thread.sleep(10);
                }
                for (Thread t : threads) {
                    if (t != Thread.currentThread()) {
                        t.join(5_000);
                        assertTrue(!t.isAlive(), t + " is still alive after its pool went idle");
                    }
                }
            }
        });
    }

    @Test
    void workersUseNoCpuOnceTheLastStageReturns() throws InterruptedException {
        WorkerPool pool = WorkerPool.forThreads(3);
        for (int i = 0; i < 200; i++) {
            pool.execute(() -> { }, true);
            pool.execute(() -> { }, false);
        }
        assertTrue(workerCpuNanosOver(300) < 20_000_000, "workers kept running after the call");
    }

    @Test
    void workersStopSpinningWhenAnAnnouncedStageNeverComes() throws InterruptedException {
        WorkerPool pool = WorkerPool.forThreads(3);
        pool.execute(() -> { }, true);                 // announces a next stage, then hands over nothing
        assertTrue(workerCpuNanosOver(300) < 20_000_000, "workers kept spinning for a stage that never came");
    }

    @Test
    void anInterruptedCallerWaitsForTheWorkersAndKeepsItsInterrupt() {
        WorkerPool pool = WorkerPool.forThreads(2);
        AtomicInteger finished = new AtomicInteger();
        Thread caller = Thread.currentThread();
        caller.interrupt();
        try {
            pool.execute(() -> {
                if (Thread.currentThread() != caller) {
                    long end = System.nanoTime() + 20_000_000;
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                }
                finished.incrementAndGet();
            }, false);
            assertEquals(2, finished.get(), "execute returned before the worker finished the job");
            assertTrue(Thread.currentThread().isInterrupted(), "the caller's interrupt was lost");
        } finally {
            Thread.interrupted();
        }
    }

    /** A batch of tasks that records which thread ran each task, and asks each thread for its state once. */
    private static final class Recording implements WorkerPool.Tasks<Thread> {
        final AtomicIntegerArray runs;
        final Thread[] ranOn;
        final AtomicInteger states = new AtomicInteger();
        final int failAt;

        Recording(int count, int failAt) {
            this.runs = new AtomicIntegerArray(count);
            this.ranOn = new Thread[count];
            this.failAt = failAt;
        }

        @Override
        public Thread state() {
            states.incrementAndGet();
            return Thread.currentThread();
        }

        @Override
        public void run(int task, Thread state) {
            assertEquals(Thread.currentThread(), state, "a thread's state is its own");
            if (task == failAt) {
                throw new IllegalStateException("task " + task + " fails");
            }
            runs.incrementAndGet(task);
            ranOn[task] = Thread.currentThread();
        }
    }

    @Test
    void parallelizeRunsEveryTaskOnceOnThePoolOrOnTheCaller() {
        for (WorkerPool pool : new WorkerPool[] {null, WorkerPool.forThreads(2), WorkerPool.forThreads(3),
                WorkerPool.of(Executors.newCachedThreadPool(), 3)}) {
            for (int count : new int[] {0, 1, 2, 7, 1000}) {
                Recording tasks = new Recording(count, -1);
                WorkerPool.parallelize(pool, count, tasks, WorkerPool.ClaimOrder.FRONT, false);
                for (int t = 0; t < count; t++) {
                    assertEquals(1, tasks.runs.get(t), "task " + t + " of " + count + " on " + pool);
                }
                assertTrue(tasks.states.get() <= (pool == null ? 1 : 3), "state asked once per thread at most: " + tasks.states);
                if (pool == null && count > 0) {
                    assertEquals(1, tasks.states.get(), "one thread: one state");
                }
            }
        }
    }

    /** With helpers claiming from the back, the caller's tasks form a prefix of the batch and the helpers' a suffix. */
    @Test
    void helpersClaimFromTheBackWhenAsked() {
        WorkerPool pool = WorkerPool.forThreads(2);
        Thread caller = Thread.currentThread();
        for (int round = 0; round < 200; round++) {
            Recording tasks = new Recording(64, -1);
            WorkerPool.parallelize(pool, 64, tasks, WorkerPool.ClaimOrder.CALLER_FRONT_HELPERS_BACK, false);
            boolean helper = false;
            for (int t = 0; t < 64; t++) {
                assertEquals(1, tasks.runs.get(t));
                boolean byHelper = tasks.ranOn[t] != caller;
                assertTrue(!helper || byHelper, "round " + round + ": the caller ran task " + t + " after a helper's");
                helper |= byHelper;
            }
        }
    }

    /** A failing task stops the claiming of the rest, and its exception reaches the caller; the pool stays usable. */
    @Test
    void aTaskFailureIsThrownOnTheCallerAndStopsTheBatch() {
        for (WorkerPool pool : new WorkerPool[] {null, WorkerPool.forThreads(2), WorkerPool.of(Executors.newCachedThreadPool(), 2)}) {
            Recording tasks = new Recording(10_000, 3);
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> WorkerPool.parallelize(pool, 10_000, tasks, WorkerPool.ClaimOrder.FRONT, false));
            assertEquals("task 3 fails", e.getMessage());
            int ran = 0;
            for (int t = 0; t < 10_000; t++) {
                ran += tasks.runs.get(t);
            }
            assertTrue(ran < 10_000 - 1, "the batch went on after the failure: " + ran + " tasks ran on " + pool);
            Recording next = new Recording(5, -1);
            WorkerPool.parallelize(pool, 5, next, WorkerPool.ClaimOrder.FRONT, false);
            for (int t = 0; t < 5; t++) {
                assertEquals(1, next.runs.get(t), "the next batch on " + pool);
            }
        }
    }

    /** A task may itself parallelize (a plan called from inside another plan's task): both batches complete. */
    @Test
    void aTaskMayParallelizeAgain() {
        WorkerPool pool = WorkerPool.forThreads(2);
        AtomicInteger inner = new AtomicInteger();
        WorkerPool.Tasks<Object> outer = new WorkerPool.Tasks<>() {
            @Override
            public Object state() {
                return this;
            }

            @Override
            public void run(int task, Object state) {
                Recording nested = new Recording(6, -1);
                WorkerPool.parallelize(pool, 6, nested, WorkerPool.ClaimOrder.FRONT, false);
                for (int t = 0; t < 6; t++) {
                    inner.addAndGet(nested.runs.get(t));
                }
            }
        };
        WorkerPool.parallelize(pool, 4, outer, WorkerPool.ClaimOrder.FRONT, false);
        assertEquals(24, inner.get());
    }

    /** CPU time all {@code vconv-worker-N} threads use over the next {@code millis} milliseconds. */
    private static long workerCpuNanosOver(long millis) throws InterruptedException {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Thread.sleep(5);                               // past any spin budget of the last hand-over
        long before = workerCpuNanos(mx);
        Thread.sleep(millis);
        return workerCpuNanos(mx) - before;
    }

    private static long workerCpuNanos(ThreadMXBean mx) {
        long sum = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("vconv-worker-")) {
                sum += Math.max(0, mx.getThreadCpuTime(t.threadId()));
            }
        }
        return sum;
    }
}
