// Generated from simd/src/main/templates/F32Gemm.java.in by dev.vconv.simd.kernel.generator.KernelGenerator: do not edit.
// Regenerate: ./mvnw -q -pl simd -am test -Dtest=GeneratedKernelsTest -Dvconv.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false
package dev.vconv.simd.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 4x2v micro-kernel at 128 bits ({@link GemmKernel}): 4 rows x 2 vectors of 4 floats, 8
 * accumulators, 2 B vectors and one broadcast of A held in registers for the whole reduction block. The register plan of f32_gemm_4x2v_256 at half the width, so that every width runs and is tested anywhere.
 */
final class F32Gemm4x2v128 implements GemmKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_128;
    static final int MR = 4;
    static final int V = 4;
    static final int NR = 2 * V;

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public String name() {
        return "f32_gemm_4x2v_128";
    }

    @Override
    public void tile(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc) {
        // Written out (docs/KERNELS.md, "Micro-kernels"): no helper taking a vector, no branch.
        FloatVector c0_0 = FloatVector.fromArray(S, c, cOff);
        FloatVector c0_1 = FloatVector.fromArray(S, c, cOff + V);
        FloatVector c1_0 = FloatVector.fromArray(S, c, cOff + ldc);
        FloatVector c1_1 = FloatVector.fromArray(S, c, cOff + ldc + V);
        FloatVector c2_0 = FloatVector.fromArray(S, c, cOff + 2 * ldc);
        FloatVector c2_1 = FloatVector.fromArray(S, c, cOff + 2 * ldc + V);
        FloatVector c3_0 = FloatVector.fromArray(S, c, cOff + 3 * ldc);
        FloatVector c3_1 = FloatVector.fromArray(S, c, cOff + 3 * ldc + V);
        for (int k = 0; k < kc; k++) {
            int bk = bOff + k * NR;
            int ak = aOff + k * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bk);
            FloatVector b1 = FloatVector.fromArray(S, b, bk + V);
            FloatVector a0 = FloatVector.broadcast(S, a[ak]);
            c0_0 = a0.fma(b0, c0_0);
            c0_1 = a0.fma(b1, c0_1);
            FloatVector a1 = FloatVector.broadcast(S, a[ak + 1]);
            c1_0 = a1.fma(b0, c1_0);
            c1_1 = a1.fma(b1, c1_1);
            FloatVector a2 = FloatVector.broadcast(S, a[ak + 2]);
            c2_0 = a2.fma(b0, c2_0);
            c2_1 = a2.fma(b1, c2_1);
            FloatVector a3 = FloatVector.broadcast(S, a[ak + 3]);
            c3_0 = a3.fma(b0, c3_0);
            c3_1 = a3.fma(b1, c3_1);
        }
        c0_0.intoArray(c, cOff);
        c0_1.intoArray(c, cOff + V);
        c1_0.intoArray(c, cOff + ldc);
        c1_1.intoArray(c, cOff + ldc + V);
        c2_0.intoArray(c, cOff + 2 * ldc);
        c2_1.intoArray(c, cOff + 2 * ldc + V);
        c3_0.intoArray(c, cOff + 3 * ldc);
        c3_1.intoArray(c, cOff + 3 * ldc + V);
    }

    @Override
    public void tileIndirect(int kc, float[] a, int aOff, float[] x, int[] rows, int rowOff, int col, float[] bias, int biasOff,
                             float[] c, int cOff, int ldc) {
        FloatVector c0_0 = FloatVector.broadcast(S, bias[biasOff]);
        FloatVector c0_1 = c0_0;
        FloatVector c1_0 = FloatVector.broadcast(S, bias[biasOff + 1]);
        FloatVector c1_1 = c1_0;
        FloatVector c2_0 = FloatVector.broadcast(S, bias[biasOff + 2]);
        FloatVector c2_1 = c2_0;
        FloatVector c3_0 = FloatVector.broadcast(S, bias[biasOff + 3]);
        FloatVector c3_1 = c3_0;
        for (int k = 0; k < kc; k++) {
            int bk = rows[rowOff + k] + col;
            int ak = aOff + k * MR;
            FloatVector b0 = FloatVector.fromArray(S, x, bk);
            FloatVector b1 = FloatVector.fromArray(S, x, bk + V);
            FloatVector a0 = FloatVector.broadcast(S, a[ak]);
            c0_0 = a0.fma(b0, c0_0);
            c0_1 = a0.fma(b1, c0_1);
            FloatVector a1 = FloatVector.broadcast(S, a[ak + 1]);
            c1_0 = a1.fma(b0, c1_0);
            c1_1 = a1.fma(b1, c1_1);
            FloatVector a2 = FloatVector.broadcast(S, a[ak + 2]);
            c2_0 = a2.fma(b0, c2_0);
            c2_1 = a2.fma(b1, c2_1);
            FloatVector a3 = FloatVector.broadcast(S, a[ak + 3]);
            c3_0 = a3.fma(b0, c3_0);
            c3_1 = a3.fma(b1, c3_1);
        }
        c0_0.intoArray(c, cOff);
        c0_1.intoArray(c, cOff + V);
        c1_0.intoArray(c, cOff + ldc);
        c1_1.intoArray(c, cOff + ldc + V);
        c2_0.intoArray(c, cOff + 2 * ldc);
        c2_1.intoArray(c, cOff + 2 * ldc + V);
        c3_0.intoArray(c, cOff + 3 * ldc);
        c3_1.intoArray(c, cOff + 3 * ldc + V);
    }

    @Override
    public void tileIndirect1v(int kc, float[] a, int aOff, float[] x, int[] rows, int rowOff, int col, float[] bias, int biasOff,
                               float[] c, int cOff, int ldc) {
        FloatVector c0 = FloatVector.broadcast(S, bias[biasOff]);
        FloatVector c1 = FloatVector.broadcast(S, bias[biasOff + 1]);
        FloatVector c2 = FloatVector.broadcast(S, bias[biasOff + 2]);
        FloatVector c3 = FloatVector.broadcast(S, bias[biasOff + 3]);
        int k = 0;
        for (; k + 1 < kc; k += 2) {               // two reduction rows per iteration, in order
            FloatVector b0 = FloatVector.fromArray(S, x, rows[rowOff + k] + col);
            int a0 = aOff + k * MR;
            c0 = FloatVector.broadcast(S, a[a0]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[a0 + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[a0 + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[a0 + 3]).fma(b0, c3);
            FloatVector b1 = FloatVector.fromArray(S, x, rows[rowOff + k + 1] + col);
            int a1 = aOff + (k + 1) * MR;
            c0 = FloatVector.broadcast(S, a[a1]).fma(b1, c0);
            c1 = FloatVector.broadcast(S, a[a1 + 1]).fma(b1, c1);
            c2 = FloatVector.broadcast(S, a[a1 + 2]).fma(b1, c2);
            c3 = FloatVector.broadcast(S, a[a1 + 3]).fma(b1, c3);
        }
        for (; k < kc; k++) {
            FloatVector b0 = FloatVector.fromArray(S, x, rows[rowOff + k] + col);
            int a0 = aOff + k * MR;
            c0 = FloatVector.broadcast(S, a[a0]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[a0 + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[a0 + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[a0 + 3]).fma(b0, c3);
        }
        c0.intoArray(c, cOff);
        c1.intoArray(c, cOff + ldc);
        c2.intoArray(c, cOff + 2 * ldc);
        c3.intoArray(c, cOff + 3 * ldc);
    }

    @Override
    public void tileGather(int kc, float[] x, int xOff, int[] rows, int rowOff, int[] pixels, int pixOff, float[] b, int bOff,
                           float[] c, int cOff, int ldc) {
        // Written out like tile: the pixels' offsets held in registers, one row offset loaded per k.
        int p0 = xOff + pixels[pixOff];
        int p1 = xOff + pixels[pixOff + 1];
        int p2 = xOff + pixels[pixOff + 2];
        int p3 = xOff + pixels[pixOff + 3];
        FloatVector c0_0 = FloatVector.fromArray(S, c, cOff);
        FloatVector c0_1 = FloatVector.fromArray(S, c, cOff + V);
        FloatVector c1_0 = FloatVector.fromArray(S, c, cOff + ldc);
        FloatVector c1_1 = FloatVector.fromArray(S, c, cOff + ldc + V);
        FloatVector c2_0 = FloatVector.fromArray(S, c, cOff + 2 * ldc);
        FloatVector c2_1 = FloatVector.fromArray(S, c, cOff + 2 * ldc + V);
        FloatVector c3_0 = FloatVector.fromArray(S, c, cOff + 3 * ldc);
        FloatVector c3_1 = FloatVector.fromArray(S, c, cOff + 3 * ldc + V);
        for (int k = 0; k < kc; k++) {
            int bk = bOff + k * NR;
            int row = rows[rowOff + k];
            FloatVector b0 = FloatVector.fromArray(S, b, bk);
            FloatVector b1 = FloatVector.fromArray(S, b, bk + V);
            FloatVector a0 = FloatVector.broadcast(S, x[row + p0]);
            c0_0 = a0.fma(b0, c0_0);
            c0_1 = a0.fma(b1, c0_1);
            FloatVector a1 = FloatVector.broadcast(S, x[row + p1]);
            c1_0 = a1.fma(b0, c1_0);
            c1_1 = a1.fma(b1, c1_1);
            FloatVector a2 = FloatVector.broadcast(S, x[row + p2]);
            c2_0 = a2.fma(b0, c2_0);
            c2_1 = a2.fma(b1, c2_1);
            FloatVector a3 = FloatVector.broadcast(S, x[row + p3]);
            c3_0 = a3.fma(b0, c3_0);
            c3_1 = a3.fma(b1, c3_1);
        }
        c0_0.intoArray(c, cOff);
        c0_1.intoArray(c, cOff + V);
        c1_0.intoArray(c, cOff + ldc);
        c1_1.intoArray(c, cOff + ldc + V);
        c2_0.intoArray(c, cOff + 2 * ldc);
        c2_1.intoArray(c, cOff + 2 * ldc + V);
        c3_0.intoArray(c, cOff + 3 * ldc);
        c3_1.intoArray(c, cOff + 3 * ldc + V);
    }

    @Override
    public void tileGatherRow(int kc, float[] x, int xOff, int[] rows, int rowOff, int pixel, float[] b, int bOff,
                              float[] c, int cOff) {
        // Two reduction rows per iteration, in order: the body stays above FreqInlineSize (docs/KERNELS.md).
        int p = xOff + pixel;
        FloatVector c0 = FloatVector.fromArray(S, c, cOff);
        FloatVector c1 = FloatVector.fromArray(S, c, cOff + V);
        int k = 0;
        for (; k + 1 < kc; k += 2) {
            FloatVector a0 = FloatVector.broadcast(S, x[rows[rowOff + k] + p]);
            int b0 = bOff + (k) * NR;
            c0 = a0.fma(FloatVector.fromArray(S, b, b0), c0);
            c1 = a0.fma(FloatVector.fromArray(S, b, b0 + V), c1);
            FloatVector a1 = FloatVector.broadcast(S, x[rows[rowOff + k + 1] + p]);
            int b1 = bOff + (k + 1) * NR;
            c0 = a1.fma(FloatVector.fromArray(S, b, b1), c0);
            c1 = a1.fma(FloatVector.fromArray(S, b, b1 + V), c1);
        }
        for (; k < kc; k++) {
            FloatVector a0 = FloatVector.broadcast(S, x[rows[rowOff + k] + p]);
            int b0 = bOff + k * NR;
            c0 = a0.fma(FloatVector.fromArray(S, b, b0), c0);
            c1 = a0.fma(FloatVector.fromArray(S, b, b0 + V), c1);
        }
        c0.intoArray(c, cOff);
        c1.intoArray(c, cOff + V);
    }
}
