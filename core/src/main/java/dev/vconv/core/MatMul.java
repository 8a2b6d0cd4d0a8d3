package dev.vconv.core;

/**
 * A matrix product the training paths run on: {@code C[m x n] += op(A)[m x k] * op(B)[k x n]}, row-major with
 * leading dimensions, where a transposed operand is read as {@code A(i, j) = a[aOff + j*lda + i]}. For each
 * element of C the products are added in increasing {@code k}. The scalar engine's is {@link #scalar()}; the
 * SIMD engine plugs in its packed GEMM.
 *
 * <p>Every implementation checks its arguments with {@link #checkArguments} before it reads or writes anything:
 * a bad size, offset or leading dimension is an {@link IllegalArgumentException} naming it, never an index
 * error or a write outside C.
 */
@FunctionalInterface
public interface MatMul {

    void multiplyAdd(int m, int n, int k,
                     float[] a, int aOff, int lda, boolean aTransposed,
                     float[] b, int bOff, int ldb, boolean bTransposed,
                     float[] c, int cOff, int ldc);

    /** {@link ScalarGemm} on copies of the transposed operands. */
    static MatMul scalar() {
        return (m, n, k, a, aOff, lda, aT, b, bOff, ldb, bT, c, cOff, ldc) -> {
            checkArguments(m, n, k, a, aOff, lda, aT, b, bOff, ldb, bT, c, cOff, ldc);
            if (aT) {
                float[] t = new float[m * k];
                ScalarCol2im.transpose(a, aOff, k, m, lda, t);
                a = t;
                aOff = 0;
                lda = k;
            }
            if (bT) {
                float[] t = new float[k * n];
                ScalarCol2im.transpose(b, bOff, n, k, ldb, t);
                b = t;
                bOff = 0;
                ldb = n;
            }
            ScalarGemm.multiplyAdd(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc);
        };
    }

    /**
     * The checks of {@link #multiplyAdd}'s contract: {@code m, n, k >= 0}; arrays not null; each offset {@code >= 0};
     * each leading dimension at least its stored row's length and at least 1 (as BLAS: {@code lda >= k}, or
     * {@code >= m} for a transposed A, which is stored as {@code k x m}; likewise B; {@code ldc >= n}); each
     * non-empty matrix inside its array; and C in an array of its own (C aliasing A or B would read what it
     * writes).
     *
     * @throws IllegalArgumentException naming the argument, its value and the rule
     * @throws NullPointerException     for a null array
     */
    static void checkArguments(int m, int n, int k,
                               float[] a, int aOff, int lda, boolean aTransposed,
                               float[] b, int bOff, int ldb, boolean bTransposed,
                               float[] c, int cOff, int ldc) {
        java.util.Objects.requireNonNull(a, "a");
        java.util.Objects.requireNonNull(b, "b");
        java.util.Objects.requireNonNull(c, "c");
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException("m, n and k must be >= 0, but got m=" + m + ", n=" + n + ", k=" + k);
        }
        checkMatrix("a", "A", a, aOff, lda, m, k, aTransposed);
        checkMatrix("b", "B", b, bOff, ldb, k, n, bTransposed);
        checkMatrix("c", "C", c, cOff, ldc, m, n, false);
        if (c == a || c == b) {
            throw new IllegalArgumentException("c must not share its array with a or b: C += A * B would read elements of C it has"
                    + " already written");
        }
    }

    /**
     * One operand {@code [rows x cols]}, stored row-major, or as its transpose {@code [cols x rows]}. Builds no
     * string unless it throws: the SIMD engine's backward pass checks every product it runs and allocates nothing.
     */
    private static void checkMatrix(String array, String matrix, float[] data, int off, int ld, int rows, int cols, boolean transposed) {
        int storedRows = transposed ? cols : rows;
        int storedCols = transposed ? rows : cols;
        if (ld < Math.max(1, storedCols)) {
            throw new IllegalArgumentException("ld" + array + " must be >= " + Math.max(1, storedCols) + " for a row-major "
                    + shape(matrix, rows, cols, transposed) + ", but got ld" + array + "=" + ld);
        }
        if (off < 0) {
            throw new IllegalArgumentException(array + "Off must be >= 0, but got " + array + "Off=" + off);
        }
        if (rows > 0 && cols > 0) {
            long needed = off + (long) (storedRows - 1) * ld + storedCols;
            if (needed > data.length) {
                throw new IllegalArgumentException(array + " holds " + data.length + " floats, but " + shape(matrix, rows, cols, transposed)
                        + " at " + array + "Off=" + off + " with ld" + array + "=" + ld + " needs " + needed);
            }
        }
    }

    /** {@code A [m x k]}, and how a transposed operand is stored. */
    private static String shape(String matrix, int rows, int cols, boolean transposed) {
        return matrix + " [" + rows + " x " + cols + "]" + (transposed ? " (transposed, stored as [" + cols + " x " + rows + "])" : "");
    }
}
