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

    /**
     * {@code C += A * B}; see the class comment.
     *
     * @throws IllegalArgumentException as {@link MatMul#checkArguments}, before anything is written
     */
    public static void multiplyAdd(int m, int n, int k,
                                   float[] a, int aOff, int lda,
                                   float[] b, int bOff, int ldb,
                                   float[] c, int cOff, int ldc) {
        MatMul.checkArguments(m, n, k, a, aOff, lda, false, b, bOff, ldb, false, c, cOff, ldc);
        blocked(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, false, null, 0, Epilogue.NONE, null, c, cOff, ldc);
    }

    /**
     * A convolution's GEMM with its output stage: {@code C = epilogue(bias + A * B, R)}, where row {@code i} of C
     * starts from {@code bias[biasOff + i]} (0 without bias), the products are added as {@link #multiplyAdd} adds
     * them, and the epilogue is applied to each block of four rows by {@code ncCur} columns right after its last
     * reduction step, while the block is in cache. {@code r} (the residual, or null) is laid out as C.
     *
     * <p>When {@code r} is C itself, C cannot hold partial sums without losing the residual, so the block is
     * accumulated in {@code panel} ({@code m * min(n, NC)} floats, see {@link #panelSize}) and stored into C only
     * by the epilogue; otherwise C is the accumulator. The sums are the same either way, in the same order.
     */
    static void convolve(int m, int n, int k,
                         float[] a, int aOff, int lda,
                         float[] b, int bOff, int ldb,
                         float[] bias, int biasOff, Epilogue epilogue, float[] r,
                         float[] c, int cOff, int ldc, float[] panel) {
        if (r != null && r == c) {
            blocked(m, n, k, a, aOff, lda, b, bOff, ldb, panel, 0, Math.min(NC, n), true, bias, biasOff, epilogue, r, c, cOff, ldc);
        } else {
            blocked(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, true, bias, biasOff, epilogue, r, c, cOff, ldc);
        }
    }

    /** Floats of the accumulator panel {@link #convolve} needs when the residual is C itself. */
    static int panelSize(int m, int n) {
        return m * Math.min(NC, n);
    }

    /**
     * The loop nest: the accumulator {@code acc} (C itself, or a panel of {@code NC} columns) starts from the
     * bias when {@code init}, and each finished block goes through the epilogue into C (skipped when the
     * accumulator is C and the epilogue is none).
     */
    private static void blocked(int m, int n, int k,
                                float[] a, int aOff, int lda,
                                float[] b, int bOff, int ldb,
                                float[] acc, int accOff, int ldAcc,
                                boolean init, float[] bias, int biasOff, Epilogue epilogue, float[] r,
                                float[] c, int cOff, int ldc) {
        boolean inPanel = acc != c;
        boolean finish = inPanel || !epilogue.isNone();
        for (int jc = 0; jc < n; jc += NC) {                 // column panel of B and C
            int ncCur = Math.min(NC, n - jc);
            int accCol = inPanel ? accOff : accOff + jc;     // the panel holds only this column block
            if (init) {
                for (int i = 0; i < m; i++) {
                    int row = accCol + i * ldAcc;
                    java.util.Arrays.fill(acc, row, row + ncCur, bias == null ? 0f : bias[biasOff + i]);
                }
            }
            for (int pc = 0; pc < k; pc += KC) {             // reduction block
                int kcCur = Math.min(KC, k - pc);
                boolean last = pc + kcCur == k;
                int i = 0;
                for (; i + 4 <= m; i += 4) {                 // four rows of C at a time
                    fourRows(kcCur, ncCur, a, aOff + i * lda + pc, lda, b, bOff + pc * ldb + jc, ldb, acc, accCol + i * ldAcc, ldAcc);
                    if (last && finish) {
                        for (int row = i; row < i + 4; row++) {
                            store(epilogue, acc, accCol + row * ldAcc, r, c, cOff + row * ldc + jc, ncCur);
                        }
                    }
                }
                for (; i < m; i++) {                          // remaining rows one by one
                    oneRow(kcCur, ncCur, a, aOff + i * lda + pc, b, bOff + pc * ldb + jc, ldb, acc, accCol + i * ldAcc);
                    if (last && finish) {
                        store(epilogue, acc, accCol + i * ldAcc, r, c, cOff + i * ldc + jc, ncCur);
                    }
                }
            }
        }
    }

    /** One finished row of a block: {@code C = epilogue(acc, R)}, R and C at the same position. */
    private static void store(Epilogue epilogue, float[] acc, int accOff, float[] r, float[] c, int cOff, int length) {
        epilogue.applyUnchecked(acc, accOff, r, cOff, c, cOff, length);
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
