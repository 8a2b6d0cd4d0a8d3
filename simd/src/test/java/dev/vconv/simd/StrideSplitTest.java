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
                    StrideSplit.split(bits, src, s, even, 2, odd, 5, n);
                    assertArrayEquals(expectedEven, even, bits + " bits, n=" + n + ", s=" + s);
                    assertArrayEquals(expectedOdd, odd, bits + " bits, n=" + n + ", s=" + s);
                }
            }
        }
        assertArrayEquals(before, src, "the source must not be modified");
    }
}
