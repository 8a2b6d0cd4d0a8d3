package dev.vconv.core;

/**
 * A matrix product the training paths run on: {@code C[m x n] += op(A)[m x k] * op(B)[k x n]}, row-major with
 * leading dimensions, where a transposed operand is read as {@code A(i, j) = a[aOff + j*lda + i]}. For each
 * element of C the products are added in increasing {@code k}. The scalar engine's is {@link #scalar()}; the
 * SIMD engine plugs in its packed GEMM.
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
}
