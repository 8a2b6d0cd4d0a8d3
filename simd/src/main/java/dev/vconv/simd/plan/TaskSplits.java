package dev.vconv.simd.plan;

import dev.vconv.simd.kernel.VectorWidth;

/**
 * The arithmetic of splitting a call into tasks: how many ranges of output-channel (or pixel) panels, how wide
 * the packed GEMM's column blocks, how many depthwise channels per task. Tasks never split a reduction, so none of
 * this changes a result; it only decides how evenly the threads share the work, which {@link #makespan} measures:
 * the tasks handed out in order to whichever thread is free.
 */
public final class TaskSplits {

    private TaskSplits() {
    }

    /**
     * The packed GEMM's cache blocks for {@code p} columns, with {@code others} coarse tasks per column block
     * (images x groups) on {@code threads}, each over {@code channelPanels} panels of {@code mr} output channels.
     * Every block count from what {@code base.nc()} needs to {@code threads} more is costed by the time its tasks
     * take on the threads, handed out in order to whichever thread is free ({@link #makespan}); the output
     * channels split as {@link #balancedSplits} would split them, every split packing its block of B again
     * ({@link ConvPlanner#PACKING_COST}). The cheapest wins, more blocks only where they end {@link #MAKESPAN_GAIN}
     * sooner; blocks are made as even as whole {@code nr} panels allow (DeepLab's 784 columns on two threads: 432 +
     * 352, not 480 + 304, which left one thread idle for a fifth of the call).
     */
    static VectorWidth.Blocking evenColumnBlocks(VectorWidth.Blocking base, int p, int nr, int others, int threads,
                                                 int channelPanels, int mr) {
        int fewest = Math.max(1, Math.ceilDiv(p, base.nc()));
        int bestNc = 0;
        double bestTime = Double.MAX_VALUE;
        for (int b = fewest; b <= Math.min(Math.ceilDiv(p, nr), fewest + threads); b++) {
            int nc = Math.ceilDiv(Math.ceilDiv(p, b), nr) * nr;
            int blocks = Math.ceilDiv(p, nc);
            int splits = balancedSplits(others * blocks, channelPanels, threads, 1);
            double[] tasks = new double[others * blocks * splits];
            for (int t = 0; t < tasks.length; t++) {
                int jb = t / splits % blocks;
                int split = t % splits;
                int columnPanels = Math.ceilDiv(Math.min(nc, p - jb * nc), nr);
                int panels = (split + 1) * channelPanels / splits - split * channelPanels / splits;
                tasks[t] = columnPanels * (panels * mr + ConvPlanner.PACKING_COST);
            }
            double time = makespan(tasks, threads);
            if (time < bestTime * (1 - MAKESPAN_GAIN)) {
                bestTime = time;
                bestNc = nc;
            }
        }
        return new VectorWidth.Blocking(base.kc(), bestNc);
    }

    /**
     * The least work of a depthwise task, in FLOPs (~5 us at 50 GFLOP/s): a task is a run of consecutive input
     * channels (of all images in turn), so that a small channel does not pay a claim from the shared counter and
     * write next to the other thread's outputs (MobileNetV2's 14x14 layer: docs/KERNELS.md, tuning table).
     */
    static final long DEPTHWISE_TASK_MIN_FLOPS = 1 << 18;
    /**
     * At least this many depthwise tasks per thread, where there are channels for them: a run never takes so many
     * channels that fewer are left, even where each task then does less than the least work (960 7x7 channels on
     * one thread: 4 runs of 240, 212 KFLOP each).
     */
    static final int DEPTHWISE_TASKS_PER_THREAD = 4;

    /**
     * Input channels per depthwise task, of {@code channels} of {@code channelFlops} each: enough for
     * {@link #DEPTHWISE_TASK_MIN_FLOPS}, but no more than leave {@link #DEPTHWISE_TASKS_PER_THREAD} tasks per thread.
     */
    static int depthwiseTaskChannels(int channels, long channelFlops, int threads) {
        long perChannel = Math.max(1, channelFlops);
        int forWork = (int) Math.min(channels, (DEPTHWISE_TASK_MIN_FLOPS + perChannel - 1) / perChannel);
        return Math.max(1, Math.min(forWork, Math.ceilDiv(channels, DEPTHWISE_TASKS_PER_THREAD * threads)));
    }

    /** How much sooner ({@link #makespan}) more blocks or splits must end to be taken: 2 %. */
    static final double MAKESPAN_GAIN = 0.02;

    /** When the last of {@code tasks} (their costs, in order) ends if each goes to the first thread free. */
    static double makespan(double[] tasks, int threads) {
        double[] free = new double[threads];
        for (double task : tasks) {
            int first = 0;
            for (int t = 1; t < threads; t++) {
                first = free[t] < free[first] ? t : first;
            }
            free[first] += task;
        }
        double end = 0;
        for (double f : free) {
            end = Math.max(end, f);
        }
        return end;
    }

    /**
     * Into how many ranges to split the output-channel panels of each of {@code coarse} tasks: at least
     * {@code minimum} (workspace size), and then the fewest that share the tasks evenly among the threads (a
     * multiple of the thread count, or at least four tasks per thread), as far as there are panels. The fewest,
     * because on the packed paths every range packs its block of B again.
     */
    static int balancedSplits(int coarse, int panels, int threads, int minimum) {
        return splits(coarse, panels, threads, minimum, false);
    }

    /**
     * The same where splitting costs nothing (the implicit and pixel-rows paths share the input copy between
     * tasks): at least four tasks per thread, so that uneven tasks (the last, shorter column block) even out.
     */
    static int fineSplits(int coarse, int panels, int threads, int minimum) {
        return splits(coarse, panels, threads, minimum, true);
    }

    /**
     * Refines {@code from} splits of {@code units} (panels) for coarse tasks of the given costs (per unit, in task
     * order), where a split costs nothing: the count from {@code from} to {@code 2 * threads} more whose tasks end
     * first on the threads ({@link #makespan}), more only where they end {@link #MAKESPAN_GAIN} sooner. On
     * ResNet's 7x7 stage (pixel rows, 11 channel
     * panels of 7 pixel panels each) one split left 42 pixel panels to one thread and 35 to the other; three
     * splits (2 + 2 + 3) leave 39 and 38.
     */
    static int evenSplits(double[] coarseCosts, int units, int threads, int from) {
        if (threads == 1 || from >= units) {
            return from;
        }
        int best = from;
        double bestTime = Double.MAX_VALUE;
        for (int s = from; s <= Math.min(units, from + 2 * threads); s++) {
            double[] tasks = new double[coarseCosts.length * s];
            for (int t = 0; t < tasks.length; t++) {
                int split = t % s;
                tasks[t] = coarseCosts[t / s] * ((split + 1) * units / s - split * units / s);
            }
            double time = makespan(tasks, threads);
            if (time < bestTime * (1 - MAKESPAN_GAIN)) {
                bestTime = time;
                best = s;
            }
        }
        return best;
    }

    private static int splits(int coarse, int panels, int threads, int minimum, boolean fine) {
        for (int s = Math.max(1, minimum); s < panels; s++) {
            long tasks = (long) coarse * s;
            if (threads == 1 || tasks >= 4L * threads || (!fine && tasks % threads == 0)) {
                return s;
            }
        }
        return Math.max(1, panels);
    }
}
