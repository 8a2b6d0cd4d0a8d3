package dev.vconv.simd.path;

import dev.vconv.simd.exec.WorkerPool;

/**
 * The state of one call on a runner, per calling thread and reused for its next calls: the operands, the stage
 * and image whose tasks the threads claim ({@link WorkerPool#parallelize}), and, for the runners that build a
 * shared copy of the input, that copy and a count of the thread's calls (so that per-thread copies know when they
 * are stale). It lets go of the runner and the arrays when the call ends: a thread-local value that reached the
 * runner would keep the runner's own ThreadLocal key, and so the runner, its weights and workspaces, alive for as
 * long as the thread lives.
 *
 * @param <W> the runner's per-thread workspace
 */
public final class RunnerCall<W> implements WorkerPool.Tasks<W> {

    /** A runner's side of a call: its threads' workspaces and its tasks. */
    interface Body<W> {

        /** The running thread's workspace. */
        W workspace();

        /** Runs task {@code task} of the call's current stage. */
        void task(RunnerCall<W> call, int task, W ws);
    }

    /** Why a call that re-enters its plan on the same thread is refused. */
    public static final String REENTERED = "this thread is already in a call of this plan: an executor's execute() "
            + "that calls the same plan again re-enters it; call it from another thread, or use another plan";

    private Body<W> body;
    float[] x;
    float[] y;
    /** The residual the epilogue adds, or null. */
    float[] r;
    /** The stage being run, one of the runner's own. */
    int stage;
    /** The image of the stage. */
    int image;
    /** The call's shared copy of the input (or of its packed transpose), kept for this thread's next calls. */
    float[] shared = new float[0];
    /** Counts this thread's calls: a per-thread copy built for another count is stale. */
    long sequence;

    /**
     * Starts a call of {@code body} on this thread.
     *
     * @throws IllegalStateException if this thread is already in a call of the same runner: an executor whose
     *                               {@code execute} calls {@code forward} on the plan whose call handed it a job
     *                               would otherwise overwrite the outer call's operands and stages
     */
    void start(Body<W> body, float[] x, float[] y, float[] r) {
        if (this.body != null) {
            throw new IllegalStateException(REENTERED);
        }
        this.body = body;
        this.x = x;
        this.y = y;
        this.r = r;
        sequence++;
    }

    /** Makes the shared copy at least {@code size} floats (once per runner and thread). */
    float[] shared(int size) {
        if (shared.length < size) {
            shared = new float[size];
        }
        return shared;
    }

    /**
     * A call of one stage: starts a call of {@code body} ({@link #start}), runs its {@code tasks} tasks claimed from
     * the front on the caller and {@code pool}'s threads, and ends the call, also when a task failed.
     */
    void runTasks(Body<W> body, float[] x, float[] y, float[] r, WorkerPool pool, int tasks) {
        start(body, x, y, r);
        try {
            stage(pool, 0, 0, tasks, WorkerPool.ClaimOrder.FRONT, false);
        } finally {
            finish();
        }
    }

    /** Runs {@code count} tasks of {@code stage} of image {@code n} on the caller and {@code pool}'s threads. */
    void stage(WorkerPool pool, int stage, int n, int count, WorkerPool.ClaimOrder order, boolean more) {
        this.stage = stage;
        this.image = n;
        WorkerPool.parallelize(pool, count, this, order, more);
    }

    @Override
    public W state() {
        return body.workspace();
    }

    @Override
    public void run(int task, W ws) {
        body.task(this, task, ws);
    }

    void finish() {
        body = null;
        x = null;
        y = null;
        r = null;
    }
}
