package dev.vconv.core;

/**
 * A cache-blocked single-precision GEMM in plain Java: {@code C[m x n] += A[m x k] * B[k x n]}, all
 * row-major with leading dimensions. It is the scalar baseline the SIMD engine is measured against, so
 * it is blocked for the caches rather than naive:
 * <ul>
 * <li>columns in blocks of {@link #NC} and the reduction in blocks of {@link #KC}, so that the
 *     {@code KC x NC} panel of B (512 KiB) stays in L2 while every row of A passes over it;</li>
 * <li>four rows of C at a time, so each element of B loaded is used four times; the innermost loop runs
 *     along contiguous rows of B and C, which C2 may unroll (and auto-vectorise).</li>
 * </ul>
 * For each element of C the products are added in increasing {@code k}.
 */
public final class ScalarGemm {
    /** Reduction block: rows of B per pass. */
    static final int KC = 256;
    /** Column block: columns of B and C per pass. */
    static final int NC = 512;

    private ScalarGemm() {
    }

    /** {@code C += A * B}; see the class comment. */
    public static void multiplyAdd(int m, int n, int k,
                                   float[] a, int aOff, int lda,
                                   float[] b, int bOff, int ldb,
                                   float[] c, int cOff, int ldc) {
        for (int jc = 0; jc < n; jc += NC) {                 // column panel of B and C
            int ncCur = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {             // reduction block
                int kcCur = Math.min(KC, k - pc);
                int i = 0;
                for (; i + 4 <= m; i += 4) {                 // four rows of C at a time
                    fourRows(kcCur, ncCur, a, aOff + i * lda + pc, lda, b, bOff + pc * ldb + jc, ldb, c, cOff + i * ldc + jc, ldc);
                }
                for (; i < m; i++) {                          // remaining rows one by one
                    oneRow(kcCur, ncCur, a, aOff + i * lda + pc, b, bOff + pc * ldb + jc, ldb, c, cOff + i * ldc + jc);
                }
            }
        }
    }

    private static void fourRows(int kc, int nc, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                                 float[] c, int cOff, int ldc) {
        int c0 = cOff;
        int c1 = cOff + ldc;
        int c2 = cOff + 2 * ldc;
        int c3 = cOff + 3 * ldc;
        for (int p = 0; p < kc; p++) {
            float a0 = a[aOff + p];
            float a1 = a[aOff + lda + p];
            float a2 = a[aOff + 2 * lda + p];
            float a3 = a[aOff + 3 * lda + p];
            int bRow = bOff + p * ldb;
            for (int j = 0; j < nc; j++) {
                float bv = b[bRow + j];
                c[c0 + j] += a0 * bv;
                c[c1 + j] += a1 * bv;
                c[c2 + j] += a2 * bv;
                c[c3 + j] += a3 * bv;
            }
        }
    }

    private static void oneRow(int kc, int nc, float[] a, int aOff, float[] b, int bOff, int ldb, float[] c, int cOff) {
        for (int p = 0; p < kc; p++) {
            float av = a[aOff + p];
            int bRow = bOff + p * ldb;
            for (int j = 0; j < nc; j++) {
                c[cOff + j] += av * b[bRow + j];
            }
        }
    }
}
