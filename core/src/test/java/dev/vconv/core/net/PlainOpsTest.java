package dev.vconv.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link PlainOps#maxPool} equals the window loop written out (every output the {@link Math#max} of its window
 * clipped to the image), bit for bit, over odd sizes, every kernel from 1 to 5, strides 1 to 3 and every padding
 * up to half the kernel, on values with planted NaNs, ties and signed zeros.
 */
class PlainOpsTest {

    private static float[] windowLoop(float[] in, int planes, int h, int w, int hout, int wout, int k, int s, int p) {
        float[] out = new float[planes * hout * wout];
        int i = 0;
        for (int plane = 0; plane < planes; plane++) {
            for (int oy = 0; oy < hout; oy++) {
                for (int ox = 0; ox < wout; ox++) {
                    float m = Float.NEGATIVE_INFINITY;
                    boolean any = false;
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            int iy = oy * s - p + ky;
                            int ix = ox * s - p + kx;
                            if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                float v = in[(plane * h + iy) * w + ix];
                                m = any ? Math.max(m, v) : v;
                                any = true;
                            }
                        }
                    }
                    out[i++] = m;
                }
            }
        }
        return out;
    }

    @Test
    void maxPoolEqualsTheWindowLoopBitForBit() {
        SplittableRandom random = new SplittableRandom(7);
        int cases = 0;
        for (int h : new int[] {1, 2, 5, 13}) {
            for (int w : new int[] {1, 2, 3, 7, 16, 31}) {
                for (int k = 1; k <= 5; k++) {
                    for (int s = 1; s <= 3; s++) {
                        for (int p = 0; p <= k / 2; p++) {
                            int hout = Math.floorDiv(h + 2 * p - k, s) + 1;
                            int wout = Math.floorDiv(w + 2 * p - k, s) + 1;
                            if (hout < 1 || wout < 1) {
                                continue;
                            }
                            int planes = 3;
                            float[] in = new float[planes * h * w];
                            for (int i = 0; i < in.length; i++) {
                                int pick = random.nextInt(20);
                                in[i] = pick == 0 ? Float.NaN : pick == 1 ? -0.0f : pick == 2 ? 0.0f
                                        : pick < 6 ? 0.5f : (float) (random.nextDouble() * 2 - 1);
                            }
                            float[] original = in.clone();
                            float[] out = new float[planes * hout * wout];
                            float[] row = new float[2 * w];
                            PlainOps.maxPool(in, out, planes, h, w, hout, wout, k, s, p, row);
                            float[] expected = windowLoop(in, planes, h, w, hout, wout, k, s, p);
                            for (int i = 0; i < out.length; i++) {
                                String where = "h=" + h + " w=" + w + " k=" + k + " s=" + s + " p=" + p + ", output " + i;
                                assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(out[i]), where);
                            }
                            assertEquals(java.util.Arrays.toString(original), java.util.Arrays.toString(in), "input modified");
                            cases++;
                        }
                    }
                }
            }
        }
        assertEquals(true, cases > 300, cases + " cases");
    }
}
