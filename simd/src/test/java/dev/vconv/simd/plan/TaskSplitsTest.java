package dev.vconv.simd.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vconv.simd.kernel.VectorWidth;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The arithmetic of cutting a call into tasks, by itself ({@link TaskSplits}). */
class TaskSplitsTest {

    /**
     * Depthwise tasks are runs of channels: enough for the least work ({@link ConvPlan#DEPTHWISE_TASK_MIN_FLOPS}),
     * no fewer than four tasks per thread, at least one channel. (The runs cross from one image to the next: the
     * bit-for-bit tests above run two images of five channels in runs of two and three.)
     */
    @Test
    void depthwiseTasksAreRunsOfChannelsWithEnoughWork() {
        assertEquals(72, TaskSplits.depthwiseTaskChannels(576, 14 * 14 * 18, 2), "MobileNetV2's 14x14 layer: 8 tasks of 72");
        assertEquals(5, TaskSplits.depthwiseTaskChannels(144, 56 * 56 * 18, 2), "56x56 channels: 5 a task");
        assertEquals(240, TaskSplits.depthwiseTaskChannels(960, 7 * 7 * 18, 1), "7x7 on one thread: 4 tasks, not 298 channels");
        assertEquals(1, TaskSplits.depthwiseTaskChannels(96, 128 * 128 * 18, 2), "a channel with more than the least work");
        assertEquals(1, TaskSplits.depthwiseTaskChannels(1, 9, 3), "one channel");
        assertEquals(1, TaskSplits.depthwiseTaskChannels(5, 0, 2), "no work per channel: one each, not a division by zero");
        for (int channels = 1; channels <= 300; channels += 7) {
            for (int threads = 1; threads <= 3; threads++) {
                int per = TaskSplits.depthwiseTaskChannels(channels, 1000, threads);
                int cap = (channels + 4 * threads - 1) / (4 * threads);
                String what = channels + " channels, " + threads + " threads: " + per + " a task";
                assertTrue(per >= 1 && per <= cap, what + ": four tasks per thread where there are channels for them");
                assertTrue(per == cap || per * 1000L >= TaskSplits.DEPTHWISE_TASK_MIN_FLOPS, what + ": the least work");
                assertTrue(per * 1000L < TaskSplits.DEPTHWISE_TASK_MIN_FLOPS + 1000, what + ": no more than the least work needs");
            }
        }
    }

    /**
     * The packed GEMM's column blocks: the count whose tasks end first on the threads (splitting output channels
     * packs B again), as even as whole panels allow, never wider than the base block, never fewer than it needs.
     */
    @Test
    void packedGemmColumnBlocksAreEven() {
        VectorWidth.Blocking base = new VectorWidth.Blocking(256, 480);
        // DeepLab d2: 256 channels = 32 panels of 8, 784 columns.
        assertEquals(432, TaskSplits.evenColumnBlocks(base, 784, 48, 1, 2, 32, 8).nc(), "432 + 352, not 480 + 304");
        assertEquals(432, TaskSplits.evenColumnBlocks(base, 784, 48, 1, 1, 32, 8).nc(), "one thread: the same two blocks");
        // 32x32, 128 channels: three blocks of 384/384/256 columns on one thread; on two, three blocks would
        // split the channels (B packed twice) and four of 288 would leave 288 + 288 against 288 + 160.
        assertEquals(384, TaskSplits.evenColumnBlocks(base, 1024, 48, 1, 1, 16, 8).nc());
        VectorWidth.Blocking two = TaskSplits.evenColumnBlocks(base, 1024, 48, 1, 2, 16, 8);
        assertTrue(two.nc() == 384 || two.nc() == 288 || two.nc() == 240, "two threads: " + two.nc());
        assertEquals(480, TaskSplits.evenColumnBlocks(base, 960, 48, 1, 2, 16, 8).nc());
        assertEquals(48, TaskSplits.evenColumnBlocks(base, 40, 48, 1, 2, 16, 8).nc(), "one panel: one block");
        for (int threads = 1; threads <= 3; threads++) {
            for (int p = 1; p <= 2000; p += 7) {
                VectorWidth.Blocking even = TaskSplits.evenColumnBlocks(base, p, 48, 1, threads, 16, 8);
                int blocks = (p + even.nc() - 1) / even.nc();
                int before = (p + 479) / 480;
                String what = "p=" + p + " threads=" + threads + ": nc " + even.nc();
                assertEquals(256, even.kc());
                assertTrue(even.nc() % 48 == 0 && even.nc() <= 480, what);
                assertTrue(blocks >= before && blocks <= before + threads, what);
                int last = p - (blocks - 1) * even.nc();
                assertTrue(last > 0 && even.nc() - last < 48 * blocks, what + ": the last block is within a panel per block of the others");
                if (threads == 1) {
                    assertEquals(before, blocks, what + ": one thread never takes more blocks");
                }
            }
        }
    }

    /** Free splits are refined until the tasks share the threads evenly: never fewer than asked, the fewest on a tie. */
    @Test
    void freeSplitsAreRefinedByTheirMakespan() {
        double[] eleven = new double[11];
        java.util.Arrays.fill(eleven, 1);
        assertEquals(3, TaskSplits.evenSplits(eleven, 7, 2, 1), "7x7 stage: 11 tasks of 7 panels end at 42 on two threads, of 3 + 4 at 40, of 2 + 2 + 3 at 39");
        assertEquals(1, TaskSplits.evenSplits(eleven, 7, 1, 1), "one thread: as asked");
        assertEquals(3, TaskSplits.evenSplits(eleven, 7, 2, 3), "never fewer than asked");
        assertEquals(1, TaskSplits.evenSplits(new double[] {1, 1, 1, 1}, 8, 2, 1), "four equal tasks on two threads: even already");
        assertEquals(5, TaskSplits.evenSplits(new double[] {1}, 5, 2, 5), "as many splits as units: nothing to refine");
        for (int units = 1; units <= 20; units++) {
            for (int coarse = 1; coarse <= 9; coarse++) {
                double[] costs = new double[coarse];
                java.util.Arrays.fill(costs, 2);
                int s = TaskSplits.evenSplits(costs, units, 3, 1);
                assertTrue(s >= 1 && s <= units, "units=" + units + " coarse=" + coarse + ": " + s);
            }
        }
    }

    @Test
    void makespanHandsTasksToTheFirstFreeThread() {
        assertEquals(8.0, TaskSplits.makespan(new double[] {1, 2, 3, 4, 5, 6}, 4), 1e-12, "1, 2, 3, 4 start; 5 follows 1, 6 follows 2");
        assertEquals(11.0, TaskSplits.makespan(new double[] {6, 6, 5, 5}, 2), 1e-12);
        assertEquals(21.0, TaskSplits.makespan(new double[] {6, 6, 5, 4}, 1), 1e-12);
        assertEquals(0.0, TaskSplits.makespan(new double[0], 2), 1e-12);
    }

    /**
     * Splitting output channels: the packed paths take the fewest splits that share the tasks evenly (each split
     * packs B again); the implicit and pixel-rows paths, where a split costs nothing, at least four tasks per thread.
     */
    @Test
    void packedPathsSplitOutputChannelsAsLittleAsPossibleTheOthersFinely() {
        assertEquals(1, TaskSplits.balancedSplits(1, 32, 1, 1), "one thread: no split");
        assertEquals(2, TaskSplits.balancedSplits(1, 32, 2, 1), "one coarse task, two threads: two halves");
        assertEquals(1, TaskSplits.balancedSplits(6, 32, 2, 1), "six coarse tasks share evenly already");
        assertEquals(2, TaskSplits.balancedSplits(7, 32, 2, 1), "seven do not: fourteen");
        assertEquals(8, TaskSplits.fineSplits(1, 32, 2, 1), "fine: four tasks per thread");
        assertEquals(2, TaskSplits.fineSplits(7, 32, 2, 1));
        assertEquals(3, TaskSplits.fineSplits(1, 3, 2, 1), "never more splits than panels");
        assertEquals(6, TaskSplits.balancedSplits(1, 32, 2, 5), "at least the workspace's minimum, then an even share");
    }
}
