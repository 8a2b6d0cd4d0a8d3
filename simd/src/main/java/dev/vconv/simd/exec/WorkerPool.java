package dev.vconv.simd.exec;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The threads that help one call: a call hands over a job (a {@link Runnable} that claims tasks until none are
 * left, safe to run on several threads at once), runs it on the calling thread too, and returns when no other
 * thread is still in it. Results never depend on how many threads took part, since tasks never split a
 * reduction; so a pool that cannot help (busy, or its executor refuses) lets the caller run the job alone.
 *
 * <p>Two kinds: {@link #forThreads the shared daemon workers} and {@link #of a caller's executor}. Plans hand
 * their work over as batches of tasks ({@link #parallelize}), which owns the claiming of tasks, the capture of a
 * failure and its rethrow on the calling thread.
 */
public abstract sealed class WorkerPool permits WorkerPool.Daemons, WorkerPool.OnExecutor {
    private static final ConcurrentHashMap<Integer, Daemons> SHARED = new ConcurrentHashMap<>();

    /** The shared pool for {@code threads} threads in all: the caller and {@code threads - 1} daemon workers. */
    public static WorkerPool forThreads(int threads) {
        return SHARED.computeIfAbsent(threads, n -> new Daemons(n - 1, Daemons.IDLE_NANOS));
    }

    /** A pool of its own (not shared) for {@code threads} threads whose workers end after {@code idleNanos} without a job. */
    static Daemons daemons(int threads, long idleNanos) {
        return new Daemons(threads - 1, idleNanos);
    }

    /**
     * The pool a plan uses for {@code threads} threads: the shared daemon workers when {@code executor} is null,
     * otherwise the caller and {@code threads - 1} jobs handed to {@code executor}.
     */
    public static WorkerPool of(Executor executor, int threads) {
        return executor == null ? forThreads(threads) : new OnExecutor(executor, threads - 1);
    }

    /**
     * A batch of tasks for {@link #parallelize}: task {@code i} runs on whichever of the call's threads claims it,
     * with that thread's state ({@link #state}, asked once per thread and batch, after the thread's first claim).
     * Tasks never split a reduction, so which thread runs which task never changes a result.
     */
    public interface Tasks<S> {

        /** The calling thread's state for the batch (its workspace, its buffers). */
        S state();

        /** Runs task {@code task} with the running thread's {@code state}. */
        void run(int task, S state);
    }

    /** In which order the threads claim a batch's tasks. */
    public enum ClaimOrder {
        /** Everyone from the front. */
        FRONT,
        /**
         * The calling thread from the front, the others from the back: with per-thread copies of an image's input
         * rows, each end of the image is then read, and built, by one thread.
         */
        CALLER_FRONT_HELPERS_BACK
    }

    /** Each thread's batch, reused for its next calls (a batch started inside a running task gets its own). */
    private static final ThreadLocal<Batch> BATCHES = ThreadLocal.withInitial(Batch::new);

    /**
     * Runs tasks {@code [0, count)} of {@code tasks} on the calling thread and, unless {@code pool} is null, the
     * pool's threads; returns when every task has run and no other thread is still in the batch. A task's
     * failure stops the claiming of further tasks and is thrown here, on the calling thread, once the others have
     * left. {@code more}: the caller parallelizes another batch of the same call at once (unless this one fails),
     * so the pool may keep its threads ready between the two. Allocates nothing, except a batch for a call made
     * from inside a running task.
     */
    public static <S> void parallelize(WorkerPool pool, int count, Tasks<S> tasks, ClaimOrder order, boolean more) {
        if (pool == null) {
            if (count > 0) {
                S state = tasks.state();
                for (int i = 0; i < count; i++) {
                    tasks.run(i, state);
                }
            }
            return;
        }
        Batch batch = BATCHES.get();
        if (batch.tasks != null) {
            batch = new Batch();                 // parallelize inside a task of this thread's batch
        }
        batch.start(tasks, count, order);
        Throwable failure;
        try {
            pool.execute(batch, more);
        } finally {
            failure = batch.finish();
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error e) {
            throw e;
        }
    }

    /**
     * A batch being run: the tasks not yet claimed, {@code [front, back)} as {@code front << 32 | back}, and the
     * first failure. It lets go of the tasks when the batch ends: a thread-local value that reached a plan would
     * keep the plan alive as long as the thread.
     */
    private static final class Batch implements Runnable {
        private final AtomicLong unclaimed = new AtomicLong();
        private Tasks<?> tasks;
        private ClaimOrder order;
        private Thread owner;
        private volatile Throwable failure;

        void start(Tasks<?> tasks, int count, ClaimOrder order) {
            this.tasks = tasks;
            this.order = order;
            this.owner = Thread.currentThread();
            this.failure = null;
            unclaimed.set(count);
        }

        /** Ends the batch; returns what a task threw, if anything. */
        Throwable finish() {
            tasks = null;
            owner = null;
            Throwable f = failure;
            failure = null;
            return f;
        }

        @Override
        public void run() {
            Tasks<?> t = tasks;
            if (t != null) {
                runAll(t);
            }
        }

        private <S> void runAll(Tasks<S> t) {
            boolean fromBack = order == ClaimOrder.CALLER_FRONT_HELPERS_BACK && Thread.currentThread() != owner;
            try {
                int i = claim(fromBack);
                if (i < 0) {
                    return;                      // nothing left: no state wanted
                }
                S state = t.state();
                for (; i >= 0; i = claim(fromBack)) {
                    t.run(i, state);
                }
            } catch (RuntimeException | Error e) {
                failure = e;
                unclaimed.set(0);                // the others stop claiming
            }
        }

        /** The next task from the front of the batch, or from its back; -1 when none is left. */
        private int claim(boolean fromBack) {
            while (true) {
                long u = unclaimed.get();
                int front = (int) (u >>> 32);
                int back = (int) u;
                if (front >= back) {
                    return -1;
                }
                if (unclaimed.compareAndSet(u, fromBack ? u - 1 : u + (1L << 32))) {
                    return fromBack ? back - 1 : front;
                }
            }
        }
    }

    /** Runs {@code job} on the caller and the pool's threads; returns when no other thread is still in it. */
    public final void execute(Runnable job) {
        execute(job, false);
    }

    /**
     * The same, where {@code more} says that the caller hands over another job as soon as this one returns (the
     * next stage of the same call): the pool may then keep its threads ready for it instead of putting them to
     * sleep.
     */
    public abstract void execute(Runnable job, boolean more);

    /**
     * A set of daemon worker threads that help one call at a time. Between calls the workers wait on a
     * monitor: nothing spins after a call returns. Between the stages of one call ({@code more}), a worker spins
     * for at most {@link #STAGE_SPIN_NANOS} waiting for the next stage before it waits on the monitor; and at the
     * end of every stage, the last one too, the caller spins as long for its workers to finish before it parks:
     * waking a sleeping thread costs tens of microseconds here, a good part of a stage of a small layer. The
     * spins yield the CPU on every turn, so that a spinning thread never holds up the thread it waits for when
     * the two share a CPU. When the pool is busy with another caller's job, the job runs on the calling thread
     * alone.
     *
     * <p>Nothing is allocated per call. Pools are shared per size and live as long as the JVM; their workers
     * (daemon threads named {@code vconv-worker-N}) start on first use and end after {@link #IDLE_NANOS} without
     * a job, and the next call starts them again: a pool unused for that long holds no thread.
     */
    static final class Daemons extends WorkerPool {
        /**
         * How long a thread spins for the other side (a worker for the next stage, the caller for its workers)
         * before it blocks.
         */
        static final long STAGE_SPIN_NANOS = 100_000;

        /**
         * How long a worker waits for a job before it ends (30 s): long enough that a layer called in a loop, or a
         * network, never waits for threads to start, short enough that the pools of thread counts a program tried
         * once do not keep their threads.
         */
        static final long IDLE_NANOS = 30_000_000_000L;

        private final ReentrantLock callLock = new ReentrantLock();
        private final Object monitor = new Object();
        private final int helpers;
        private final long idleNanos;
        private final AtomicInteger running = new AtomicInteger();  // workers still on the current job
        private volatile long generation;                           // written under monitor; read anywhere
        private Runnable job;          // written before generation, read after it
        private boolean more;          // likewise: whether the current job's caller hands over another at once
        private int sleeping;          // workers waiting on the monitor, guarded by monitor
        private int alive;             // workers started and not ended, guarded by monitor
        private volatile Thread caller; // the thread of the current job, unparked by the last worker to finish

        private Daemons(int helpers, long idleNanos) {
            this.helpers = helpers;
            this.idleNanos = idleNanos;
        }

        /** Workers alive now: {@code helpers} while the pool is in use, 0 after {@link #IDLE_NANOS} unused. */
        int aliveWorkers() {
            synchronized (monitor) {
                return alive;
            }
        }

        /** Runs {@code job} on the caller and every worker; returns when all have finished it. */
        @Override
        public void execute(Runnable job, boolean more) {
            // Busy with another caller's job, or with this caller's own (a job that calls execute again): the
            // caller runs this one alone. (The lock is reentrant: its owner must not take it again.)
            if (helpers == 0 || callLock.isHeldByCurrentThread() || !callLock.tryLock()) {
                job.run();
                return;
            }
            try {
                this.job = job;
                this.more = more;
                this.caller = Thread.currentThread();
                synchronized (monitor) {
                    // Workers end only here, under the monitor, while no job is published: every worker alive now
                    // takes this job. Those that ended idle (or never started) start again, seeing it as new.
                    while (alive < helpers && start(generation)) {
                        alive++;
                    }
                    running.set(alive);
                    generation++;
                    if (sleeping > 0) {
                        monitor.notifyAll();
                    }
                }
                job.run();
                awaitWorkers();
                this.job = null;
                this.caller = null;
            } finally {
                callLock.unlock();
            }
        }

        /**
         * Starts a worker that takes the jobs after generation {@code seen}; false if the JVM cannot start a thread
         * now (the call then runs on the workers alive, or on the caller alone).
         */
        private boolean start(long seen) {
            Thread t = new Thread(() -> work(seen), "vconv-worker-" + (alive + 1));
            t.setDaemon(true);
            try {
                t.start();
                return true;
            } catch (OutOfMemoryError e) {      // "unable to create native thread": not this call's failure
                return false;
            }
        }

        /** Waits until no worker is still in the job: spinning first, then parked. */
        private void awaitWorkers() {
            long deadline = System.nanoTime() + STAGE_SPIN_NANOS;
            while (running.get() > 0 && System.nanoTime() < deadline) {
                Thread.yield();      // not onSpinWait: a worker on this CPU gets it
            }
            boolean interrupted = false;
            while (running.get() > 0) {
                LockSupport.park(this);
                if (Thread.interrupted()) {
                    interrupted = true; // the workers are still writing the output: wait for them regardless
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }

        /** A worker's loop, from generation {@code seen} on; it ends after {@link #idleNanos} without a job. */
        private void work(long seen) {
            boolean spin = false;
            while (true) {
                if (spin) {                 // the caller's next stage follows at once: wait for it awake
                    long deadline = System.nanoTime() + STAGE_SPIN_NANOS;
                    while (generation == seen && System.nanoTime() < deadline) {
                        Thread.yield();  // not onSpinWait: the caller, if on this CPU, gets it
                    }
                }
                if (generation == seen) {
                    synchronized (monitor) {
                        sleeping++;
                        long idleUntil = System.nanoTime() + idleNanos;
                        try {
                            while (generation == seen) {
                                long left = idleUntil - System.nanoTime();
                                if (left <= 0) {
                                    alive--;           // no job published meanwhile: the next call starts a new one
                                    return;
                                }
                                try {
                                    TimeUnit.NANOSECONDS.timedWait(monitor, left);
                                } catch (InterruptedException e) {
                                    // daemon workers are never interrupted on purpose; keep serving
                                }
                            }
                        } finally {
                            sleeping--;
                        }
                    }
                }
                seen = generation;
                Runnable current = job;
                spin = more;
                Thread waiting = caller;
                try {
                    current.run();
                } finally {
                    if (running.decrementAndGet() == 0) {
                        LockSupport.unpark(waiting);
                    }
                }
            }
        }
    }

    /**
     * A caller's {@link Executor}: a call hands it up to {@code helpers} copies of the job and runs the job
     * itself; then it closes the call and waits (parked, no spinning) for the copies that joined it. The call
     * state is per calling thread, so one pool serves any number of plans and calling threads at once.
     *
     * <p><b>Copies that start late do nothing.</b> A copy that the executor starts only after the caller has
     * run out of tasks and closed the call returns at once without touching the job or the output. So the
     * caller never waits for the executor's queue, and a caller that is itself one of the executor's threads
     * cannot deadlock on copies queued behind it (a fixed pool whose every thread is a caller would, if each
     * waited for its queued copies to run). A late copy stays the caller thread's: its next call counts it and
     * hands over fewer new ones, so a permanently busy executor holds at most {@code helpers} queued copies
     * per calling thread, never one per call.
     *
     * <p><b>Refusals.</b> A {@link RejectedExecutionException} stops the handing over: the caller and the
     * copies already taken finish the job. Any other exception or error from {@link Executor#execute} propagates
     * once the copies that joined have finished, without the caller running the job; the copy it did not take is
     * not counted as queued, so every later call tries the executor again and fails the same way. An executor that drops a copy
     * without saying so (a {@code ThreadPoolExecutor.DiscardPolicy}) leaves it counted as queued: that thread's
     * later calls hand over fewer copies, down to none, and stay correct.
     *
     * <p><b>Allocation.</b> This class allocates nothing per call: the copy handed to the executor is one
     * per-thread object, reused for every call of that thread. What {@link Executor#execute} allocates (a queue
     * node, a {@code ForkJoinTask} wrapper, a virtual thread) is the executor's and outside this engine's
     * control.
     */
    static final class OnExecutor extends WorkerPool {
        private final Executor executor;
        private final int helpers;
        /**
         * One per calling thread and pool, so that a late copy only ever joins a later call of the same thread on
         * the same executor. A copy refers to neither pool nor plan: the thread-local value keeps neither alive.
         */
        private final ThreadLocal<Copy> copies = ThreadLocal.withInitial(Copy::new);

        private OnExecutor(Executor executor, int helpers) {
            this.executor = executor;
            this.helpers = helpers;
        }

        @Override
        public void execute(Runnable job, boolean more) {
            Copy copy = copies.get();
            if (helpers == 0 || copy.job != null) { // a job that calls this pool again on its thread runs alone
                job.run();
                return;
            }
            copy.open(job);
            try {
                // Copies still queued from this thread's earlier calls join this one when they start.
                for (int i = copy.queued.get(); i < helpers; i++) {
                    copy.queued.incrementAndGet(); // before execute: a direct executor runs the copy inside it
                    try {
                        executor.execute(copy);
                    } catch (RejectedExecutionException e) {
                        copy.queued.decrementAndGet();
                        break;
                    } catch (RuntimeException | Error e) {
                        // Not taken either: uncounted, so that every call hands over as many and fails the same way
                        // (never below 0, should the executor have run the copy before it threw).
                        copy.queued.updateAndGet(q -> Math.max(0, q - 1));
                        throw e;
                    }
                }
                job.run();
            } finally {
                copy.closeAndAwait();
            }
        }

        @Override
        public String toString() {
            return "caller + " + helpers + " copies on " + executor;
        }
    }

    /**
     * The runnable a calling thread hands to an executor, and the state of that thread's current call:
     * {@code state} holds {@link #CLOSED} (no call is taking helpers) and the number of copies inside the job;
     * {@code queued} the copies handed over but not yet started.
     */
    private static final class Copy implements Runnable {
        private static final int CLOSED = 1 << 30;

        private final Thread caller = Thread.currentThread();
        private final AtomicInteger state = new AtomicInteger(CLOSED);
        private final AtomicInteger queued = new AtomicInteger();
        private Runnable job; // written by the caller before the volatile write that opens a call

        void open(Runnable job) {
            this.job = job;
            state.set(0); // closed with nobody inside: no copy changes it until this write
        }

        /** A copy: joins the caller's call if it is still open, and leaves it, waking the caller if it is the last. */
        @Override
        public void run() {
            queued.decrementAndGet();
            int s;
            do {
                s = state.get();
                if ((s & CLOSED) != 0) {
                    return; // started after the caller ran out of tasks: nothing to do, nothing to touch
                }
            } while (!state.compareAndSet(s, s + 1));
            try {
                job.run();
            } finally {
                if (state.decrementAndGet() == CLOSED) {
                    LockSupport.unpark(caller);
                }
            }
        }

        /**
         * Closes the call (no further copy joins) and waits until every copy that joined has left: they write the
         * output. An interrupt does not end the wait; the interrupt flag is set again afterwards.
         */
        void closeAndAwait() {
            boolean interrupted = false;
            for (int s = state.addAndGet(CLOSED); s != CLOSED; s = state.get()) {
                LockSupport.park(this);
                interrupted |= Thread.interrupted(); // cleared, or park would return at once from here on
            }
            job = null;
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
