package dev.vconv.simd;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A fixed set of daemon worker threads that help one call at a time. A call hands over a job (a
 * {@link Runnable} that claims tasks until none are left, safe to run on several threads at once), runs it
 * on the calling thread too, and returns when every worker has finished it. Between calls the workers wait
 * on a monitor: nothing spins after a call returns. When the pool is busy with another caller's job, the job
 * runs on the calling thread alone; results do not depend on that, since tasks never split a reduction.
 *
 * <p>Nothing is allocated per call. Pools are shared per size and live as long as the JVM (daemon threads
 * named {@code vconv-worker-N}); they start on first use.
 */
final class WorkerPool {
    private static final ConcurrentHashMap<Integer, WorkerPool> SHARED = new ConcurrentHashMap<>();

    private final ReentrantLock callLock = new ReentrantLock();
    private final Object monitor = new Object();
    private final Thread[] workers;
    private Runnable job;       // guarded by monitor
    private long generation;    // guarded by monitor
    private int running;        // workers still on the current job, guarded by monitor

    private WorkerPool(int helpers) {
        workers = new Thread[helpers];
        for (int i = 0; i < helpers; i++) {
            Thread t = new Thread(this::work, "vconv-worker-" + (i + 1));
            t.setDaemon(true);
            workers[i] = t;
            t.start();
        }
    }

    /** The shared pool for {@code threads} threads in all: the caller and {@code threads - 1} workers. */
    static WorkerPool forThreads(int threads) {
        return SHARED.computeIfAbsent(threads, n -> new WorkerPool(n - 1));
    }

    /** Runs {@code job} on the caller and every worker; returns when all have finished it. */
    void execute(Runnable job) {
        if (workers.length == 0 || !callLock.tryLock()) {
            job.run();
            return;
        }
        try {
            synchronized (monitor) {
                this.job = job;
                generation++;
                running = workers.length;
                monitor.notifyAll();
            }
            job.run();
            boolean interrupted = false;
            synchronized (monitor) {
                while (running > 0) {
                    try {
                        monitor.wait();
                    } catch (InterruptedException e) {
                        interrupted = true; // the workers are still writing the output: wait for them regardless
                    }
                }
                this.job = null;
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        } finally {
            callLock.unlock();
        }
    }

    private void work() {
        long seen = 0;
        while (true) {
            Runnable current;
            synchronized (monitor) {
                while (generation == seen) {
                    try {
                        monitor.wait();
                    } catch (InterruptedException e) {
                        // daemon workers are never interrupted on purpose; keep serving
                    }
                }
                seen = generation;
                current = job;
            }
            try {
                current.run();
            } finally {
                synchronized (monitor) {
                    if (--running == 0) {
                        monitor.notifyAll();
                    }
                }
            }
        }
    }
}
