package dev.vconv.simd.train;

import dev.vconv.core.MatMul;
import dev.vconv.simd.kernel.GemmKernel;
import dev.vconv.simd.kernel.VectorWidth;

import java.util.Arrays;

/**
 * The packed GEMM on plain row-major matrices, the {@link MatMul} of the SIMD engine's training paths (core's
 * {@code ConvTraining}): {@code C += op(A) * op(B)}, where
 * {@code op} optionally transposes (read {@code A(i, j)} as {@code a[j*lda + i]}). The same micro-kernel and
 * blocking as the forward convolution; A and B are packed per call (the forward packs the weights once per
 * plan). For each element of C the reduction runs in increasing {@code k}, so the result does not depend on
 * the blocking.
 */
public final class SimdGemm implements MatMul {
    private final GemmKernel kernel;
    private final int kcMax;
    private final int ncMax;
    private final float[] packedA;
    private final float[] packedB;
    private final float[] scratch;

    /** A GEMM with buffers for blocks of at most {@code kc x nc}; one per thread, reusable across calls. */
    public SimdGemm(VectorWidth width) {
        this.kernel = width.gemm;
        this.kcMax = width.blocking(kernel).kc();
        this.ncMax = width.blocking(kernel).nc();
        this.packedA = new float[kcMax * kernel.mr()];
        this.packedB = new float[kcMax * ncMax];
        this.scratch = new float[kernel.mr() * kernel.nr()];
    }

    /** {@code C[m x n] += op(A)[m x k] * op(B)[k x n]}, its arguments checked first ({@link MatMul#checkArguments}). */
    @Override
    public void multiplyAdd(int m, int n, int k,
                     float[] a, int aOff, int lda, boolean aTransposed,
                     float[] b, int bOff, int ldb, boolean bTransposed,
                     float[] c, int cOff, int ldc) {
        MatMul.checkArguments(m, n, k, a, aOff, lda, aTransposed, b, bOff, ldb, bTransposed, c, cOff, ldc);
        int mr = kernel.mr();
        int nr = kernel.nr();
        for (int jc = 0; jc < n; jc += ncMax) {                    // column block of B and C
            int nc = Math.min(ncMax, n - jc);
            for (int pc = 0; pc < k; pc += kcMax) {                // reduction block
                int kc = Math.min(kcMax, k - pc);
                packB(b, bOff, ldb, bTransposed, pc, kc, jc, nc);
                for (int ic = 0; ic < m; ic += mr) {               // A panel: MR rows
                    int mrCur = Math.min(mr, m - ic);
                    packA(a, aOff, lda, aTransposed, ic, mrCur, pc, kc);
                    for (int jp = 0; jp * nr < nc; jp++) {         // B panel: NR columns
                        int nrCur = Math.min(nr, nc - jp * nr);
                        int cAt = cOff + ic * ldc + jc + jp * nr;
                        if (mrCur == mr && nrCur == nr) {
                            kernel.tile(kc, packedA, 0, packedB, jp * kc * nr, c, cAt, ldc);
                        } else {
                            kernel.edgeTile(kc, packedA, 0, packedB, jp * kc * nr, c, cAt, ldc, mrCur, nrCur, scratch);
                        }
                    }
                }
            }
        }
    }

    /** Packs rows {@code [ic, ic+mrCur)} and reduction {@code [pc, pc+kc)} of op(A) into one MR panel. */
    private void packA(float[] a, int aOff, int lda, boolean transposed, int ic, int mrCur, int pc, int kc) {
        int mr = kernel.mr();
        for (int kk = 0; kk < kc; kk++) {
            int dst = kk * mr;
            for (int r = 0; r < mrCur; r++) {
                int i = ic + r;
                int j = pc + kk;
                packedA[dst + r] = transposed ? a[aOff + j * lda + i] : a[aOff + i * lda + j];
            }
            Arrays.fill(packedA, dst + mrCur, dst + mr, 0f);
        }
    }

    /** Packs reduction {@code [pc, pc+kc)} and columns {@code [jc, jc+nc)} of op(B) into NR panels. */
    private void packB(float[] b, int bOff, int ldb, boolean transposed, int pc, int kc, int jc, int nc) {
        int nr = kernel.nr();
        for (int jp = 0; jp * nr < nc; jp++) {
            int cols = Math.min(nr, nc - jp * nr);
            for (int kk = 0; kk < kc; kk++) {
                int dst = jp * kc * nr + kk * nr;
                int i = pc + kk;
                if (!transposed && cols == nr) {
                    System.arraycopy(b, bOff + i * ldb + jc + jp * nr, packedB, dst, nr);
                    continue;
                }
                for (int u = 0; u < cols; u++) {
                    int j = jc + jp * nr + u;
                    packedB[dst + u] = transposed ? b[bOff + j * ldb + i] : b[bOff + i * ldb + j];
                }
                Arrays.fill(packedB, dst + cols, dst + nr, 0f);
            }
        }
    }
}
