package dev.vconv.spark;

import dev.vconv.core.Conv2d;
import dev.vconv.core.Engines;
import dev.vconv.core.Tensor;
import dev.vconv.simd.SimdConv2d;
import dev.vconv.simd.SimdEngines;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the Spark job relies on from a network ({@link ImageNetwork}): an image's output is the same, bit for bit,
 * alone or in a batch, at any position, with any neighbours, on any thread count, and concurrent calls agree.
 */
class NetworkContractTest {
    static final int C = 3;
    static final int H = 29;
    static final int W = 23;

    static final SequentialCnn NETWORK = SequentialCnn.featureExtractor(7, C, H, W);

    static float[] images(long seed, int n) {
        return Tensor.random(seed, n, C, H, W).data();
    }

    static float[] forward(ImageNetwork net, float[] images, int n) {
        float[] out = new float[n * net.outputSize()];
        net.forward(Tensor.of(images, n, C, H, W), out);
        return out;
    }

    static float[] slice(float[] a, int index, int size) {
        return Arrays.copyOfRange(a, index * size, (index + 1) * size);
    }

    @Test
    void eachImageAloneGivesItsBitsInABatch() {
        Conv2d engine = PlanCache.engine(1);
        assertTrue(engine instanceof SimdConv2d, "the tests run with the Vector API: " + engine.name());
        ImageNetwork net = NETWORK.build(engine);
        int n = 8;
        int size = net.outputSize();
        float[] batch = images(1, n);
        float[] together = forward(net, batch, n);
        for (int i = 0; i < n; i++) {
            float[] alone = forward(net, slice(batch, i, C * H * W), 1);
            assertArrayEquals(alone, slice(together, i, size), "image " + i + " of 8 against itself alone");
        }
        // The same image at every position of a batch of others (and in batches of 3 and 7).
        float[] image = slice(batch, 5, C * H * W);
        float[] expected = slice(together, 5, size);
        for (int batchSize : new int[] {3, 7, 8}) {
            for (int position = 0; position < batchSize; position++) {
                float[] other = images(100 + position, batchSize);
                System.arraycopy(image, 0, other, position * C * H * W, C * H * W);
                assertArrayEquals(expected, slice(forward(net, other, batchSize), position, size),
                        "image at position " + position + " of " + batchSize);
            }
        }
        // Features are real: not all zero, and different images give different features.
        assertFalse(Arrays.equals(slice(together, 0, size), slice(together, 1, size)));
        assertNotEquals(0f, (float) Arrays.stream(boxed(together)).mapToDouble(Float::doubleValue).map(Math::abs).sum());
    }

    @Test
    void threadCountsAndConcurrentCallsGiveTheSameBits() throws Exception {
        int n = 8;
        float[] batch = images(2, n);
        float[] one = forward(NETWORK.build(PlanCache.engine(1)), batch, n);
        assertArrayEquals(one, forward(NETWORK.build(PlanCache.engine(2)), batch, n), "2 threads against 1");
        ImageNetwork shared = NETWORK.build(PlanCache.engine(1));
        float[][] results = new float[4][];
        Thread[] threads = new Thread[results.length];
        for (int t = 0; t < threads.length; t++) {
            int slot = t;
            threads[t] = Thread.ofPlatform().start(() -> {
                float[] last = null;
                for (int repeat = 0; repeat < 5; repeat++) {
                    last = forward(shared, batch, n);
                }
                results[slot] = last;
            });
        }
        for (Thread thread : threads) {
            thread.join();
        }
        for (float[] result : results) {
            assertArrayEquals(one, result, "a call among four concurrent callers");
        }
    }

    @Test
    void simdEqualsTheReferenceWithinRounding() {
        float[] batch = images(3, 2);
        float[] simd = forward(NETWORK.build(SimdEngines.simd().withThreads(1)), batch, 2);
        float[] reference = forward(NETWORK.build(Engines.reference()), batch, 2);
        assertEquals(reference.length, simd.length);
        for (int i = 0; i < simd.length; i++) {
            assertEquals(reference[i], simd[i], 1e-4f * (1 + Math.abs(reference[i])), "feature " + i);
        }
    }

    private static Float[] boxed(float[] a) {
        Float[] b = new Float[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = a[i];
        }
        return b;
    }
}
