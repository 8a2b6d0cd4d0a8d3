package dev.vconv.simd.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@link Transpose} against its definition, {@code y[yOff + c*ldy + q] = src[sOff + q*lds + c]} (clamped at
 * zero with the ReLU): over row and column counts across whole 16 x 16 blocks and the edges past them, at odd
 * offsets and strides, writing those elements and nothing else, and leaving the source untouched. The source
 * holds a NaN, infinities and negative zeros, which the copy keeps bit for bit (and the ReLU as
 * {@code Math.max(x, 0f)} does: NaN stays NaN, -0 becomes 0).
 */
class TransposeTest {

    static List<Transpose> transposes() {
        return List.of(Transpose.SCALAR, new F32Transpose512());
    }

    @ParameterizedTest
    @MethodSource("transposes")
    void copiesEveryBlockTransposedAndNothingElse(Transpose transpose) {
        int lds = 71;
        float[] src = new float[3 + 40 * lds];
        for (int i = 0; i < src.length; i++) {
            src[i] = switch (i % 97) {
                case 5 -> Float.NaN;
                case 17 -> Float.NEGATIVE_INFINITY;
                case 29 -> Float.POSITIVE_INFINITY;
                case 41 -> -0f;
                default -> (i % 2 == 0 ? 1 : -1) * (i + 0.25f);
            };
        }
        float[] before = src.clone();
        for (int rows = 0; rows <= 40; rows++) {
            for (int cols : new int[] {0, 1, 15, 16, 17, 33, 48, 64, 70}) {
                {
                    int ldy = rows + 5;
                    int yOff = 7;
                    float[] y = new float[yOff + 70 * ldy + 3];
                    Arrays.fill(y, 12345f);
                    transpose.transpose(src, 3, lds, rows, cols, y, yOff, ldy);
                    for (int i = 0; i < y.length; i++) {
                        int c = (i - yOff) / ldy;
                        int q = (i - yOff) % ldy;
                        boolean inside = i >= yOff && c < cols && q < rows;
                        float value = inside ? src[3 + q * lds + c] : 12345f;
                        assertEquals(Float.floatToRawIntBits(value), Float.floatToRawIntBits(y[i]),
                                "y[" + i + "] (column " + c + ", row " + q + ") of " + rows + " x " + cols);
                    }
                }
            }
        }
        assertEquals(Arrays.toString(before), Arrays.toString(src), "the source must not change");
    }
}
