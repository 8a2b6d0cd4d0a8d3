package dev.vconv.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The stride-2 split at every width, every length and offset, against its definition; nothing else written. */
class StrideSplitTest {

    @Test
    void splitTakesEvenAndOddElementsAtEveryWidthLengthAndOffset() {
        SplittableRandom random = new SplittableRandom(5);
        float[] src = new float[200];
        for (int i = 0; i < src.length; i++) {
            src[i] = (float) random.nextDouble();
        }
        float[] before = src.clone();
        for (int bits : new int[] {128, 256, 512}) {
            for (int n = 0; n <= 70; n++) {
                for (int s : new int[] {0, 1, 3, 17}) {
                    float[] even = new float[n + 9];
                    float[] odd = new float[n + 9];
                    float[] expectedEven = new float[n + 9];
                    float[] expectedOdd = new float[n + 9];
                    for (int t = 0; t < n; t++) {
                        expectedEven[2 + t] = src[s + 2 * t];
                        expectedOdd[5 + t] = src[s + 2 * t + 1];
                    }
                    StrideSplit.splitRows(bits, src, s, 0, even, 2, odd, 5, 0, 1, n);
                    assertArrayEquals(expectedEven, even, bits + " bits, n=" + n + ", s=" + s);
                    assertArrayEquals(expectedOdd, odd, bits + " bits, n=" + n + ", s=" + s);
                }
            }
        }
        assertArrayEquals(before, src, "the source must not be modified");
    }

    @Test
    void splitRowsStepsThroughRowsWithTheirOwnStrides() {
        float[] src = new float[400];
        for (int i = 0; i < src.length; i++) {
            src[i] = i;
        }
        for (int bits : new int[] {128, 256, 512}) {
            int rows = 5;
            int n = 23;
            float[] even = new float[3 + rows * 30];
            float[] odd = new float[3 + rows * 30];
            StrideSplit.splitRows(bits, src, 7, 61, even, 3, odd, 3, 30, rows, n);
            for (int r = 0; r < rows; r++) {
                for (int t = 0; t < 30; t++) {
                    float e = t < n ? src[7 + r * 61 + 2 * t] : 0f;
                    float o = t < n ? src[7 + r * 61 + 2 * t + 1] : 0f;
                    org.junit.jupiter.api.Assertions.assertEquals(e, even[3 + r * 30 + t], bits + " bits, row " + r + ", t " + t);
                    org.junit.jupiter.api.Assertions.assertEquals(o, odd[3 + r * 30 + t], bits + " bits, row " + r + ", t " + t);
                }
            }
        }
    }
}
