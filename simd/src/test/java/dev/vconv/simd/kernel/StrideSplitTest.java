package dev.vconv.simd.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@link StrideSplit} against its definition, {@code even[e + t] = src[s + 2t]}, {@code odd[o + t] =
 * src[s + 2t + 1]} for {@code t < n}: over lengths across the vector steps and the scalar tails, at odd offsets
 * in all three arrays, writing those elements and nothing else.
 */
class StrideSplitTest {

    static List<StrideSplit> splits() {
        return List.of(new F32Split128(), new F32Split256(), new F32Split512());
    }

    @ParameterizedTest
    @MethodSource("splits")
    void splitsEveryLengthIntoItsEvenAndOddElements(StrideSplit split) {
        float[] src = new float[300];
        for (int i = 0; i < src.length; i++) {
            src[i] = i + 0.5f;
        }
        for (int n = 0; n <= 100; n++) {
            for (int s : new int[] {0, 3}) {
                float[] even = new float[n + 20];
                float[] odd = new float[n + 20];
                Arrays.fill(even, -1f);
                Arrays.fill(odd, -2f);
                int e = 5;
                int o = 7;
                split.split(src, s, even, e, odd, o, n);
                for (int i = 0; i < even.length; i++) {
                    float expected = i >= e && i < e + n ? src[s + 2 * (i - e)] : -1f;
                    assertEquals(expected, even[i], "even[" + i + "], n=" + n + ", s=" + s);
                }
                for (int i = 0; i < odd.length; i++) {
                    float expected = i >= o && i < o + n ? src[s + 2 * (i - o) + 1] : -2f;
                    assertEquals(expected, odd[i], "odd[" + i + "], n=" + n + ", s=" + s);
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("splits")
    void splitsIntoOneArrayAsTheBuildDoes(StrideSplit split) {
        float[] src = new float[64];
        for (int i = 0; i < src.length; i++) {
            src[i] = i;
        }
        float[] both = new float[64];
        split.split(src, 0, both, 0, both, 32, 32);
        for (int t = 0; t < 32; t++) {
            assertEquals(2 * t, both[t]);
            assertEquals(2 * t + 1, both[32 + t]);
        }
    }
}
