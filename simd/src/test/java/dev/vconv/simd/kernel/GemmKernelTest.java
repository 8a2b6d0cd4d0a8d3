package dev.vconv.simd.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vconv.simd.SimdEngines;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Each micro-kernel against the naive matrix product, on full tiles and on every edge size {@code mrCur x nrCur}
 * (through {@link GemmKernel#edgeTile}), with C starting from non-zero values (the bias) and a leading dimension
 * wider than the tile. The kernel's contract is one fused multiply-add per element and {@code k} in increasing
 * {@code k}, so the naive product with {@link Math#fma} in the same order must agree bit for bit; elements of C
 * outside the tile must stay untouched.
 */
class GemmKernelTest {

    private static final int[] KC = {1, 2, 3, 7, 64, 257};

    @TestFactory
    Stream<DynamicTest> everyKernelEqualsTheNaiveProductOnEveryTileSize() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int bits : new int[] {256, 128, 512}) {
          for (GemmKernel kernel : SimdEngines.gemmKernels(bits)) {
            int[] kcs = bits == 512 && FloatVector.SPECIES_PREFERRED.vectorBitSize() < 512 ? new int[] {1, 3, 17} : KC;
            for (int kc : kcs) {
                tests.add(DynamicTest.dynamicTest(kernel.name() + " kc=" + kc, () -> {
                    for (int mrCur = 1; mrCur <= kernel.mr(); mrCur++) {
                        for (int nrCur = 1; nrCur <= kernel.nr(); nrCur++) {
                            check(kernel, kc, mrCur, nrCur);
                        }
                    }
                }));
            }
          }
        }
        return tests.stream();
    }

    /**
     * The indirect tile reads row {@code k} of B at {@code x[rows[rowOff + k] + col]} and starts from the bias:
     * scattered rows (in any order, overlapping) give the same result, bit for bit, as {@link GemmKernel#tile} on
     * the same rows packed and C filled with the bias; C outside the tile (past {@code NR} in each row of
     * {@code ldc}) stays as it was.
     */
    @TestFactory
    Stream<DynamicTest> theIndirectTileEqualsTheTileOnTheSameRowsPacked() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int bits : new int[] {256, 128, 512}) {
          for (GemmKernel kernel : SimdEngines.gemmKernels(bits)) {
            for (int kc : KC) {
                tests.add(DynamicTest.dynamicTest(kernel.name() + " kc=" + kc, () -> {
                    int mr = kernel.mr();
                    int nr = kernel.nr();
                    SplittableRandom random = new SplittableRandom(91L * kc + bits);
                    float[] x = randoms(random, 4 * nr + 101);
                    int rowOff = 2;
                    int col = 7;
                    int[] rows = new int[rowOff + kc];
                    float[] packed = new float[kc * nr];
                    for (int k = 0; k < kc; k++) {
                        rows[rowOff + k] = random.nextInt(x.length - nr - col);
                        System.arraycopy(x, rows[rowOff + k] + col, packed, k * nr, nr);
                    }
                    float[] a = randoms(random, 3 + kc * mr);
                    int ldc = nr + 5;
                    float[] expected = randoms(random, 2 + mr * ldc);
                    float[] actual = expected.clone();
                    float[] bias = new float[1 + mr];
                    for (int r = 0; r < mr; r++) {
                        bias[1 + r] = (float) (random.nextDouble() * 2 - 1);
                        java.util.Arrays.fill(expected, 2 + r * ldc, 2 + r * ldc + nr, bias[1 + r]);
                    }
                    float[] xBefore = x.clone();
                    kernel.tile(kc, a, 3, packed, 0, expected, 2, ldc);
                    kernel.tileIndirect(kc, a, 3, x, rows, rowOff, col, bias, 1, actual, 2, ldc);
                    assertArrayEquals(expected, actual, kernel.name() + " kc=" + kc);
                    assertArrayEquals(xBefore, x, "the input must not be modified");
                }));
            }
          }
        }
        return tests.stream();
    }

    /**
     * The one-vector indirect tile computes, vector by vector, exactly the columns of the full indirect tile, bit for
     * bit; after its first vector alone, C past that vector is untouched.
     */
    @TestFactory
    Stream<DynamicTest> theOneVectorIndirectTileEqualsTheIndirectTileOnItsColumns() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int bits : new int[] {256, 128, 512}) {
            for (GemmKernel kernel : SimdEngines.gemmKernels(bits)) {
                for (int kc : KC) {
                    tests.add(DynamicTest.dynamicTest(kernel.name() + " kc=" + kc, () -> {
                        int mr = kernel.mr();
                        int nr = kernel.nr();
                        int lanes = bits / Float.SIZE;
                        SplittableRandom random = new SplittableRandom(57L * kc + bits);
                        float[] x = randoms(random, 4 * nr + 101);
                        int[] rows = new int[1 + kc];
                        for (int k = 0; k < kc; k++) {
                            rows[1 + k] = random.nextInt(x.length - nr - 3);
                        }
                        float[] a = randoms(random, kc * mr);
                        float[] bias = new float[mr];
                        for (int r = 0; r < mr; r++) {
                            bias[r] = (float) (random.nextDouble() * 2 - 1);
                        }
                        int ldc = nr + 3;
                        float[] before = randoms(random, 1 + mr * ldc);
                        float[] full = before.clone();
                        kernel.tileIndirect(kc, a, 0, x, rows, 1, 3, bias, 0, full, 1, ldc);
                        float[] first = before.clone();
                        kernel.tileIndirect1v(kc, a, 0, x, rows, 1, 3, bias, 0, first, 1, ldc);
                        for (int r = 0; r < mr; r++) {
                            for (int j = 0; j < ldc && 1 + r * ldc + j < first.length; j++) {
                                int i = 1 + r * ldc + j;
                                assertEquals(j < lanes ? full[i] : before[i], first[i], kernel.name() + " row " + r + " column " + j);
                            }
                        }
                        float[] vectors = before.clone();
                        for (int v = 0; v < nr; v += lanes) {
                            kernel.tileIndirect1v(kc, a, 0, x, rows, 1, 3 + v, bias, 0, vectors, 1 + v, ldc);
                        }
                        assertArrayEquals(full, vectors, kernel.name() + " kc=" + kc);
                    }));
                }
            }
        }
        return tests.stream();
    }

    /**
     * The gathering tile reads element {@code (k, r)} of A at {@code x[xOff + rows[rowOff + k] + pixels[pixOff + r]]}:
     * scattered rows and pixels (in any order, repeated) give the same result, bit for bit, as
     * {@link GemmKernel#tile} on the same A packed, and so does {@link GemmKernel#tileGatherRow} run for each
     * row; C outside the tile stays as it was, and the inputs are not modified.
     */
    @TestFactory
    Stream<DynamicTest> theGatheringTileEqualsTheTileOnTheSameAPacked() {
        List<DynamicTest> tests = new ArrayList<>();
        for (int bits : new int[] {256, 128, 512}) {
            for (GemmKernel kernel : SimdEngines.gemmKernels(bits)) {
                for (int kc : KC) {
                    tests.add(DynamicTest.dynamicTest(kernel.name() + " kc=" + kc, () -> {
                        int mr = kernel.mr();
                        int nr = kernel.nr();
                        SplittableRandom random = new SplittableRandom(37L * kc + bits);
                        float[] x = randoms(random, 3 * kc + 97);
                        int xOff = 5;
                        int rowOff = 3;
                        int pixOff = 2;
                        int[] rows = new int[rowOff + kc];
                        int[] pixels = new int[pixOff + mr + 1];
                        for (int r = 0; r < mr; r++) {
                            pixels[pixOff + r] = r == mr - 1 && mr > 1 ? pixels[pixOff] : random.nextInt(40);
                        }
                        float[] packed = new float[7 + kc * mr];
                        for (int k = 0; k < kc; k++) {
                            rows[rowOff + k] = random.nextInt(x.length - xOff - 40);
                            for (int r = 0; r < mr; r++) {
                                packed[7 + k * mr + r] = x[xOff + rows[rowOff + k] + pixels[pixOff + r]];
                            }
                        }
                        float[] b = randoms(random, 4 + kc * nr);
                        int ldc = nr + 3;
                        float[] expected = randoms(random, 1 + mr * ldc);
                        float[] actual = expected.clone();
                        float[] xBefore = x.clone();
                        float[] bBefore = b.clone();
                        float[] rowByRow = expected.clone();
                        kernel.tile(kc, packed, 7, b, 4, expected, 1, ldc);
                        kernel.tileGather(kc, x, xOff, rows, rowOff, pixels, pixOff, b, 4, actual, 1, ldc);
                        assertArrayEquals(expected, actual, kernel.name() + " kc=" + kc);
                        for (int r = 0; r < mr; r++) {
                            kernel.tileGatherRow(kc, x, xOff, rows, rowOff, pixels[pixOff + r], b, 4, rowByRow, 1 + r * ldc);
                        }
                        assertArrayEquals(expected, rowByRow, kernel.name() + " kc=" + kc + ", a row at a time");
                        assertArrayEquals(xBefore, x, "x must not be modified");
                        assertArrayEquals(bBefore, b, "b must not be modified");
                    }));
                }
            }
        }
        return tests.stream();
    }

    /** {@code length} floats in [-1, 1) from {@code random}. */
    private static float[] randoms(SplittableRandom random, int length) {
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return values;
    }

    private static void check(GemmKernel kernel, int kc, int mrCur, int nrCur) {
        int mr = kernel.mr();
        int nr = kernel.nr();
        SplittableRandom random = new SplittableRandom(31L * kc + 7L * mrCur + nrCur);
        int aOff = 5;
        int bOff = 3;
        float[] a = new float[aOff + kc * mr];
        float[] b = new float[bOff + kc * nr];
        // Packed panels: rows past mrCur and columns past nrCur are zero, as packing leaves them.
        for (int k = 0; k < kc; k++) {
            for (int r = 0; r < mrCur; r++) {
                a[aOff + k * mr + r] = (float) (random.nextDouble() * 2 - 1);
            }
            for (int j = 0; j < nrCur; j++) {
                b[bOff + k * nr + j] = (float) (random.nextDouble() * 2 - 1);
            }
        }
        int ldc = nr + 3;
        int cOff = ldc + 1;
        float[] c = randoms(random, cOff + (mr + 1) * ldc);
        float[] expected = c.clone();
        for (int r = 0; r < mrCur; r++) {
            for (int j = 0; j < nrCur; j++) {
                float acc = expected[cOff + r * ldc + j];
                for (int k = 0; k < kc; k++) {
                    acc = Math.fma(a[aOff + k * mr + r], b[bOff + k * nr + j], acc);
                }
                expected[cOff + r * ldc + j] = acc;
            }
        }
        if (mrCur == mr && nrCur == nr) {
            kernel.tile(kc, a, aOff, b, bOff, c, cOff, ldc);
        } else {
            kernel.edgeTile(kc, a, aOff, b, bOff, c, cOff, ldc, mrCur, nrCur, new float[mr * nr]);
        }
        for (int i = 0; i < c.length; i++) {
            int rel = i - cOff;
            int r = Math.floorDiv(rel, ldc);
            int j = Math.floorMod(rel, ldc);
            String where = kernel.name() + " kc=" + kc + " tile " + mrCur + "x" + nrCur + ": C[" + r + "][" + j + "]"
                    + (r >= 0 && r < mrCur && j < nrCur ? "" : " (outside the tile: must stay unchanged)");
            assertEquals(expected[i], c[i], 0f, where);
        }
    }
}
