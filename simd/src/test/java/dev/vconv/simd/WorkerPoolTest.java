package dev.vconv.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
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
