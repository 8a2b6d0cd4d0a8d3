package dev.vconv.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each width's {@link DepthwiseKernel} against its contract computed here in scalar code, bit for bit (the same
 * fused multiply-adds in the same order): {@code row} over lengths across its vector steps and scalar tail, with
 * nine taps (its unrolled steps) and other counts; {@code rows3x3} over row counts, widths of a vector and
 * more and source rows as wide or wider, including the last vector of a row and the last group of four rows
 * that move back to end at {@code wout} and {@code hout}, writing exactly the outputs and nothing around them.
 */
class DepthwiseKernelTest {

    @ParameterizedTest
    @EnumSource(VectorWidth.class)
    void rowComputesEachColumnsSumInTapOrder(VectorWidth width) {
        SplittableRandom random = new SplittableRandom(7);
        for (int taps : new int[] {1, 4, 9, 25}) {
            for (int wout = 0; wout <= 150; wout += wout < 40 ? 1 : 13) {
                int[] offsets = random.ints(taps, 0, 60).toArray();
                float[] w = floats(random, taps + 3);
                float[] src = floats(random, 60 + wout + 5);
                float[] out = new float[wout + 6];
                Arrays.fill(out, Float.NaN);
                width.depthwise.row(out, 2, wout, 0.25f, src, offsets, w, 3);
                for (int ox = 0; ox < out.length; ox++) {
                    float expected = Float.NaN;
                    if (ox >= 2 && ox < 2 + wout) {
                        expected = 0.25f;
                        for (int t = 0; t < taps; t++) {
                            expected = Math.fma(src[offsets[t] + ox - 2], w[3 + t], expected);
                        }
                    }
                    assertEquals(expected, out[ox], width + " taps=" + taps + " wout=" + wout + " column " + ox);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(VectorWidth.class)
    void rows3x3SharesInputRowsAndSumsKxOuter(VectorWidth width) {
        SplittableRandom random = new SplittableRandom(11);
        int v = width.bits / 32;
        for (int hout = 4; hout <= 11; hout++) {
            for (int wout : new int[] {v, v + 1, 2 * v + 3, 56}) {
                for (int wq = wout; wq <= wout + 2; wq++) {
                    int base = random.nextInt(5);
                    int[] taps = new int[9];
                    for (int kx = 0; kx < 3; kx++) {
                        taps[kx] = base + kx * (1 + random.nextInt(2));      // any column shifts, rows wq apart
                    }
                    for (int t = 3; t < 9; t++) {
                        taps[t] = taps[t % 3] + t / 3 * wq;
                    }
                    float[] w = floats(random, 9 + 2);
                    float[] src = floats(random, taps[8] + hout * wq);
                    float[] y = new float[hout * wout + 7];
                    Arrays.fill(y, Float.NaN);
                    width.depthwise.rows3x3(y, 3, hout, wout, wq, -0.5f, src, taps, w, 2);
                    for (int i = 0; i < y.length; i++) {
                        float expected = Float.NaN;
                        if (i >= 3 && i < 3 + hout * wout) {
                            int oy = (i - 3) / wout;
                            int ox = (i - 3) % wout;
                            expected = -0.5f;
                            for (int kx = 0; kx < 3; kx++) {
                                for (int ky = 0; ky < 3; ky++) {
                                    expected = Math.fma(src[taps[3 * ky + kx] + oy * wq + ox], w[2 + 3 * ky + kx], expected);
                                }
                            }
                        }
                        assertEquals(expected, y[i], width + " hout=" + hout + " wout=" + wout + " wq=" + wq + " at " + i);
                    }
                }
            }
        }
    }

    private static float[] floats(SplittableRandom random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextDouble(-1, 1);
        }
        return a;
    }
}
