// Generated from simd/src/main/templates/F32Gemm.java.in by dev.vconv.simd.kernel.generator.KernelGenerator: do not edit.
// Regenerate: ./mvnw -q -pl simd -am test -Dtest=GeneratedKernelsTest -Dvconv.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false
package dev.vconv.simd.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 6x4v micro-kernel at 512 bits ({@link GemmKernel}): 6 rows x 4 vectors of 16 floats, 24
 * accumulators, 4 B vectors and one broadcast of A held in registers for the whole reduction block. Pixel rows on 64, 128, 256 or 512 output channels: 29 of 32 registers.
 */
final class F32Gemm6x4v512 implements GemmKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    static final int MR = 6;
    static final int V = 16;
    static final int NR = 4 * V;

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
        return "f32_gemm_6x4v_512";
    }

    @Override
    public void tile(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc) {
        // Written out (docs/KERNELS.md, "Micro-kernels"): no helper taking a vector, no branch.
        FloatVector c0_0 = FloatVector.fromArray(S, c, cOff);
        FloatVector c0_1 = FloatVector.fromArray(S, c, cOff + V);
        FloatVector c0_2 = FloatVector.fromArray(S, c, cOff + 2 * V);
        FloatVector c0_3 = FloatVector.fromArray(S, c, cOff + 3 * V);
        FloatVector c1_0 = FloatVector.fromArray(S, c, cOff + ldc);
        FloatVector c1_1 = FloatVector.fromArray(S, c, cOff + ldc + V);
        FloatVector c1_2 = FloatVector.fromArray(S, c, cOff + ldc + 2 * V);
        FloatVector c1_3 = FloatVector.fromArray(S, c, cOff + ldc + 3 * V);
        FloatVector c2_0 = FloatVector.fromArray(S, c, cOff + 2 * ldc);
        FloatVector c2_1 = FloatVector.fromArray(S, c, cOff + 2 * ldc + V);
        FloatVector c2_2 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 2 * V);
        FloatVector c2_3 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 3 * V);
        FloatVector c3_0 = FloatVector.fromArray(S, c, cOff + 3 * ldc);
        FloatVector c3_1 = FloatVector.fromArray(S, c, cOff + 3 * ldc + V);
        FloatVector c3_2 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 2 * V);
        FloatVector c3_3 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 3 * V);
        FloatVector c4_0 = FloatVector.fromArray(S, c, cOff + 4 * ldc);
        FloatVector c4_1 = FloatVector.fromArray(S, c, cOff + 4 * ldc + V);
        FloatVector c4_2 = FloatVector.fromArray(S, c, cOff + 4 * ldc + 2 * V);
        FloatVector c4_3 = FloatVector.fromArray(S, c, cOff + 4 * ldc + 3 * V);
        FloatVector c5_0 = FloatVector.fromArray(S, c, cOff + 5 * ldc);
        FloatVector c5_1 = FloatVector.fromArray(S, c, cOff + 5 * ldc + V);
        FloatVector c5_2 = FloatVector.fromArray(S, c, cOff + 5 * ldc + 2 * V);
        FloatVector c5_3 = FloatVector.fromArray(S, c, cOff + 5 * ldc + 3 * V);
        for (int k = 0; k < kc; k++) {
            int bk = bOff + k * NR;
            int ak = aOff + k * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bk);
            FloatVector b1 = FloatVector.fromArray(S, b, bk + V);
            FloatVector b2 = FloatVector.fromArray(S, b, bk + 2 * V);
            FloatVector b3 = FloatVector.fromArray(S, b, bk + 3 * V);
            FloatVector a0 = FloatVector.broadcast(S, a[ak]);
            c0_0 = a0.fma(b0, c0_0);
            c0_1 = a0.fma(b1, c0_1);
            c0_2 = a0.fma(b2, c0_2);
            c0_3 = a0.fma(b3, c0_3);
            FloatVector a1 = FloatVector.broadcast(S, a[ak + 1]);
            c1_0 = a1.fma(b0, c1_0);
            c1_1 = a1.fma(b1, c1_1);
            c1_2 = a1.fma(b2, c1_2);
            c1_3 = a1.fma(b3, c1_3);
            FloatVector a2 = FloatVector.broadcast(S, a[ak + 2]);
            c2_0 = a2.fma(b0, c2_0);
            c2_1 = a2.fma(b1, c2_1);
            c2_2 = a2.fma(b2, c2_2);
            c2_3 = a2.fma(b3, c2_3);
            FloatVector a3 = FloatVector.broadcast(S, a[ak + 3]);
            c3_0 = a3.fma(b0, c3_0);
            c3_1 = a3.fma(b1, c3_1);
            c3_2 = a3.fma(b2, c3_2);
            c3_3 = a3.fma(b3, c3_3);
            FloatVector a4 = FloatVector.broadcast(S, a[ak + 4]);
            c4_0 = a4.fma(b0, c4_0);
            c4_1 = a4.fma(b1, c4_1);
            c4_2 = a4.fma(b2, c4_2);
            c4_3 = a4.fma(b3, c4_3);
            FloatVector a5 = FloatVector.broadcast(S, a[ak + 5]);
            c5_0 = a5.fma(b0, c5_0);
            c5_1 = a5.fma(b1, c5_1);
            c5_2 = a5.fma(b2, c5_2);
            c5_3 = a5.fma(b3, c5_3);
        }
        c0_0.intoArray(c, cOff);
        c0_1.intoArray(c, cOff + V);
        c0_2.intoArray(c, cOff + 2 * V);
        c0_3.intoArray(c, cOff + 3 * V);
        c1_0.intoArray(c, cOff + ldc);
        c1_1.intoArray(c, cOff + ldc + V);
        c1_2.intoArray(c, cOff + ldc + 2 * V);
        c1_3.intoArray(c, cOff + ldc + 3 * V);
        c2_0.intoArray(c, cOff + 2 * ldc);
        c2_1.intoArray(c, cOff + 2 * ldc + V);
        c2_2.intoArray(c, cOff + 2 * ldc + 2 * V);
        c2_3.intoArray(c, cOff + 2 * ldc + 3 * V);
        c3_0.intoArray(c, cOff + 3 * ldc);
        c3_1.intoArray(c, cOff + 3 * ldc + V);
        c3_2.intoArray(c, cOff + 3 * ldc + 2 * V);
        c3_3.intoArray(c, cOff + 3 * ldc + 3 * V);
        c4_0.intoArray(c, cOff + 4 * ldc);
        c4_1.intoArray(c, cOff + 4 * ldc + V);
        c4_2.intoArray(c, cOff + 4 * ldc + 2 * V);
        c4_3.intoArray(c, cOff + 4 * ldc + 3 * V);
        c5_0.intoArray(c, cOff + 5 * ldc);
        c5_1.intoArray(c, cOff + 5 * ldc + V);
        c5_2.intoArray(c, cOff + 5 * ldc + 2 * V);
        c5_3.intoArray(c, cOff + 5 * ldc + 3 * V);
    }

    @Override
    public void tileIndirect(int kc, float[] a, int aOff, float[] x, int[] rows, int rowOff, int col, float[] bias, int biasOff,
                             float[] c, int cOff, int ldc) {
        FloatVector c0_0 = FloatVector.broadcast(S, bias[biasOff]);
        FloatVector c0_1 = c0_0;
        FloatVector c0_2 = c0_0;
        FloatVector c0_3 = c0_0;
        FloatVector c1_0 = FloatVector.broadcast(S, bias[biasOff + 1]);
        FloatVector c1_1 = c1_0;
        FloatVector c1_2 = c1_0;
        FloatVector c1_3 = c1_0;
        FloatVector c2_0 = FloatVector.broadcast(S, bias[biasOff + 2]);
        FloatVector c2_1 = c2_0;
        FloatVector c2_2 = c2_0;
        FloatVector c2_3 = c2_0;
        FloatVector c3_0 = FloatVector.broadcast(S, bias[biasOff + 3]);
        FloatVector c3_1 = c3_0;
        FloatVector c3_2 = c3_0;
        FloatVector c3_3 = c3_0;
        FloatVector c4_0 = FloatVector.broadcast(S, bias[biasOff + 4]);
        FloatVector c4_1 = c4_0;
        FloatVector c4_2 = c4_0;
        FloatVector c4_3 = c4_0;
        FloatVector c5_0 = FloatVector.broadcast(S, bias[biasOff + 5]);
        FloatVector c5_1 = c5_0;
        FloatVector c5_2 = c5_0;
        FloatVector c5_3 = c5_0;
        for (int k = 0; k < kc; k++) {
            int bk = rows[rowOff + k] + col;
            int ak = aOff + k * MR;
            FloatVector b0 = FloatVector.fromArray(S, x, bk);
            FloatVector b1 = FloatVector.fromArray(S, x, bk + V);
            FloatVector b2 = FloatVector.fromArray(S, x, bk + 2 * V);
            FloatVector b3 = FloatVector.fromArray(S, x, bk + 3 * V);
            FloatVector a0 = FloatVector.broadcast(S, a[ak]);
            c0_0 = a0.fma(b0, c0_0);
            c0_1 = a0.fma(b1, c0_1);
            c0_2 = a0.fma(b2, c0_2);
            c0_3 = a0.fma(b3, c0_3);
            FloatVector a1 = FloatVector.broadcast(S, a[ak + 1]);
            c1_0 = a1.fma(b0, c1_0);
            c1_1 = a1.fma(b1, c1_1);
            c1_2 = a1.fma(b2, c1_2);
            c1_3 = a1.fma(b3, c1_3);
            FloatVector a2 = FloatVector.broadcast(S, a[ak + 2]);
            c2_0 = a2.fma(b0, c2_0);
            c2_1 = a2.fma(b1, c2_1);
            c2_2 = a2.fma(b2, c2_2);
            c2_3 = a2.fma(b3, c2_3);
            FloatVector a3 = FloatVector.broadcast(S, a[ak + 3]);
            c3_0 = a3.fma(b0, c3_0);
            c3_1 = a3.fma(b1, c3_1);
            c3_2 = a3.fma(b2, c3_2);
            c3_3 = a3.fma(b3, c3_3);
            FloatVector a4 = FloatVector.broadcast(S, a[ak + 4]);
            c4_0 = a4.fma(b0, c4_0);
            c4_1 = a4.fma(b1, c4_1);
            c4_2 = a4.fma(b2, c4_2);
            c4_3 = a4.fma(b3, c4_3);
            FloatVector a5 = FloatVector.broadcast(S, a[ak + 5]);
            c5_0 = a5.fma(b0, c5_0);
            c5_1 = a5.fma(b1, c5_1);
            c5_2 = a5.fma(b2, c5_2);
            c5_3 = a5.fma(b3, c5_3);
        }
        c0_0.intoArray(c, cOff);
        c0_1.intoArray(c, cOff + V);
        c0_2.intoArray(c, cOff + 2 * V);
        c0_3.intoArray(c, cOff + 3 * V);
        c1_0.intoArray(c, cOff + ldc);
        c1_1.intoArray(c, cOff + ldc + V);
        c1_2.intoArray(c, cOff + ldc + 2 * V);
        c1_3.intoArray(c, cOff + ldc + 3 * V);
        c2_0.intoArray(c, cOff + 2 * ldc);
        c2_1.intoArray(c, cOff + 2 * ldc + V);
        c2_2.intoArray(c, cOff + 2 * ldc + 2 * V);
        c2_3.intoArray(c, cOff + 2 * ldc + 3 * V);
        c3_0.intoArray(c, cOff + 3 * ldc);
        c3_1.intoArray(c, cOff + 3 * ldc + V);
        c3_2.intoArray(c, cOff + 3 * ldc + 2 * V);
        c3_3.intoArray(c, cOff + 3 * ldc + 3 * V);
        c4_0.intoArray(c, cOff + 4 * ldc);
        c4_1.intoArray(c, cOff + 4 * ldc + V);
        c4_2.intoArray(c, cOff + 4 * ldc + 2 * V);
        c4_3.intoArray(c, cOff + 4 * ldc + 3 * V);
        c5_0.intoArray(c, cOff + 5 * ldc);
        c5_1.intoArray(c, cOff + 5 * ldc + V);
        c5_2.intoArray(c, cOff + 5 * ldc + 2 * V);
        c5_3.intoArray(c, cOff + 5 * ldc + 3 * V);
    }

    @Override
    public void tileIndirect1v(int kc, float[] a, int aOff, float[] x, int[] rows, int rowOff, int col, float[] bias, int biasOff,
                               float[] c, int cOff, int ldc) {
        FloatVector c0 = FloatVector.broadcast(S, bias[biasOff]);
        FloatVector c1 = FloatVector.broadcast(S, bias[biasOff + 1]);
        FloatVector c2 = FloatVector.broadcast(S, bias[biasOff + 2]);
        FloatVector c3 = FloatVector.broadcast(S, bias[biasOff + 3]);
        FloatVector c4 = FloatVector.broadcast(S, bias[biasOff + 4]);
        FloatVector c5 = FloatVector.broadcast(S, bias[biasOff + 5]);
        int k = 0;
        for (; k + 1 < kc; k += 2) {               // two reduction rows per iteration, in order
            FloatVector b0 = FloatVector.fromArray(S, x, rows[rowOff + k] + col);
            int a0 = aOff + k * MR;
            c0 = FloatVector.broadcast(S, a[a0]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[a0 + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[a0 + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[a0 + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, a[a0 + 4]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, a[a0 + 5]).fma(b0, c5);
            FloatVector b1 = FloatVector.fromArray(S, x, rows[rowOff + k + 1] + col);
            int a1 = aOff + (k + 1) * MR;
            c0 = FloatVector.broadcast(S, a[a1]).fma(b1, c0);
            c1 = FloatVector.broadcast(S, a[a1 + 1]).fma(b1, c1);
            c2 = FloatVector.broadcast(S, a[a1 + 2]).fma(b1, c2);
            c3 = FloatVector.broadcast(S, a[a1 + 3]).fma(b1, c3);
            c4 = FloatVector.broadcast(S, a[a1 + 4]).fma(b1, c4);
            c5 = FloatVector.broadcast(S, a[a1 + 5]).fma(b1, c5);
        }
        for (; k < kc; k++) {
            FloatVector b0 = FloatVector.fromArray(S, x, rows[rowOff + k] + col);
            int a0 = aOff + k * MR;
            c0 = FloatVector.broadcast(S, a[a0]).fma(b0, c0);
            c1 = FloatVector.broadcast(S, a[a0 + 1]).fma(b0, c1);
            c2 = FloatVector.broadcast(S, a[a0 + 2]).fma(b0, c2);
            c3 = FloatVector.broadcast(S, a[a0 + 3]).fma(b0, c3);
            c4 = FloatVector.broadcast(S, a[a0 + 4]).fma(b0, c4);
            c5 = FloatVector.broadcast(S, a[a0 + 5]).fma(b0, c5);
        }
        c0.intoArray(c, cOff);
        c1.intoArray(c, cOff + ldc);
        c2.intoArray(c, cOff + 2 * ldc);
        c3.intoArray(c, cOff + 3 * ldc);
        c4.intoArray(c, cOff + 4 * ldc);
        c5.intoArray(c, cOff + 5 * ldc);
    }

    @Override
    public void tileGather(int kc, float[] x, int xOff, int[] rows, int rowOff, int[] pixels, int pixOff, float[] b, int bOff,
                           float[] c, int cOff, int ldc) {
        // Written out like tile: the pixels' offsets held in registers, one row offset loaded per k.
        int p0 = xOff + pixels[pixOff];
        int p1 = xOff + pixels[pixOff + 1];
        int p2 = xOff + pixels[pixOff + 2];
        int p3 = xOff + pixels[pixOff + 3];
        int p4 = xOff + pixels[pixOff + 4];
        int p5 = xOff + pixels[pixOff + 5];
        FloatVector c0_0 = FloatVector.fromArray(S, c, cOff);
        FloatVector c0_1 = FloatVector.fromArray(S, c, cOff + V);
        FloatVector c0_2 = FloatVector.fromArray(S, c, cOff + 2 * V);
        FloatVector c0_3 = FloatVector.fromArray(S, c, cOff + 3 * V);
        FloatVector c1_0 = FloatVector.fromArray(S, c, cOff + ldc);
        FloatVector c1_1 = FloatVector.fromArray(S, c, cOff + ldc + V);
        FloatVector c1_2 = FloatVector.fromArray(S, c, cOff + ldc + 2 * V);
        FloatVector c1_3 = FloatVector.fromArray(S, c, cOff + ldc + 3 * V);
        FloatVector c2_0 = FloatVector.fromArray(S, c, cOff + 2 * ldc);
        FloatVector c2_1 = FloatVector.fromArray(S, c, cOff + 2 * ldc + V);
        FloatVector c2_2 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 2 * V);
        FloatVector c2_3 = FloatVector.fromArray(S, c, cOff + 2 * ldc + 3 * V);
        FloatVector c3_0 = FloatVector.fromArray(S, c, cOff + 3 * ldc);
        FloatVector c3_1 = FloatVector.fromArray(S, c, cOff + 3 * ldc + V);
        FloatVector c3_2 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 2 * V);
        FloatVector c3_3 = FloatVector.fromArray(S, c, cOff + 3 * ldc + 3 * V);
        FloatVector c4_0 = FloatVector.fromArray(S, c, cOff + 4 * ldc);
        FloatVector c4_1 = FloatVector.fromArray(S, c, cOff + 4 * ldc + V);
        FloatVector c4_2 = FloatVector.fromArray(S, c, cOff + 4 * ldc + 2 * V);
        FloatVector c4_3 = FloatVector.fromArray(S, c, cOff + 4 * ldc + 3 * V);
        FloatVector c5_0 = FloatVector.fromArray(S, c, cOff + 5 * ldc);
        FloatVector c5_1 = FloatVector.fromArray(S, c, cOff + 5 * ldc + V);
        FloatVector c5_2 = FloatVector.fromArray(S, c, cOff + 5 * ldc + 2 * V);
        FloatVector c5_3 = FloatVector.fromArray(S, c, cOff + 5 * ldc + 3 * V);
        for (int k = 0; k < kc; k++) {
            int bk = bOff + k * NR;
            int row = rows[rowOff + k];
            FloatVector b0 = FloatVector.fromArray(S, b, bk);
            FloatVector b1 = FloatVector.fromArray(S, b, bk + V);
            FloatVector b2 = FloatVector.fromArray(S, b, bk + 2 * V);
            FloatVector b3 = FloatVector.fromArray(S, b, bk + 3 * V);
            FloatVector a0 = FloatVector.broadcast(S, x[row + p0]);
            c0_0 = a0.fma(b0, c0_0);
            c0_1 = a0.fma(b1, c0_1);
            c0_2 = a0.fma(b2, c0_2);
            c0_3 = a0.fma(b3, c0_3);
            FloatVector a1 = FloatVector.broadcast(S, x[row + p1]);
            c1_0 = a1.fma(b0, c1_0);
            c1_1 = a1.fma(b1, c1_1);
            c1_2 = a1.fma(b2, c1_2);
            c1_3 = a1.fma(b3, c1_3);
            FloatVector a2 = FloatVector.broadcast(S, x[row + p2]);
            c2_0 = a2.fma(b0, c2_0);
            c2_1 = a2.fma(b1, c2_1);
            c2_2 = a2.fma(b2, c2_2);
            c2_3 = a2.fma(b3, c2_3);
            FloatVector a3 = FloatVector.broadcast(S, x[row + p3]);
            c3_0 = a3.fma(b0, c3_0);
            c3_1 = a3.fma(b1, c3_1);
            c3_2 = a3.fma(b2, c3_2);
            c3_3 = a3.fma(b3, c3_3);
            FloatVector a4 = FloatVector.broadcast(S, x[row + p4]);
            c4_0 = a4.fma(b0, c4_0);
            c4_1 = a4.fma(b1, c4_1);
            c4_2 = a4.fma(b2, c4_2);
            c4_3 = a4.fma(b3, c4_3);
            FloatVector a5 = FloatVector.broadcast(S, x[row + p5]);
            c5_0 = a5.fma(b0, c5_0);
            c5_1 = a5.fma(b1, c5_1);
            c5_2 = a5.fma(b2, c5_2);
            c5_3 = a5.fma(b3, c5_3);
        }
        c0_0.intoArray(c, cOff);
        c0_1.intoArray(c, cOff + V);
        c0_2.intoArray(c, cOff + 2 * V);
        c0_3.intoArray(c, cOff + 3 * V);
        c1_0.intoArray(c, cOff + ldc);
        c1_1.intoArray(c, cOff + ldc + V);
        c1_2.intoArray(c, cOff + ldc + 2 * V);
        c1_3.intoArray(c, cOff + ldc + 3 * V);
        c2_0.intoArray(c, cOff + 2 * ldc);
        c2_1.intoArray(c, cOff + 2 * ldc + V);
        c2_2.intoArray(c, cOff + 2 * ldc + 2 * V);
        c2_3.intoArray(c, cOff + 2 * ldc + 3 * V);
        c3_0.intoArray(c, cOff + 3 * ldc);
        c3_1.intoArray(c, cOff + 3 * ldc + V);
        c3_2.intoArray(c, cOff + 3 * ldc + 2 * V);
        c3_3.intoArray(c, cOff + 3 * ldc + 3 * V);
        c4_0.intoArray(c, cOff + 4 * ldc);
        c4_1.intoArray(c, cOff + 4 * ldc + V);
        c4_2.intoArray(c, cOff + 4 * ldc + 2 * V);
        c4_3.intoArray(c, cOff + 4 * ldc + 3 * V);
        c5_0.intoArray(c, cOff + 5 * ldc);
        c5_1.intoArray(c, cOff + 5 * ldc + V);
        c5_2.intoArray(c, cOff + 5 * ldc + 2 * V);
        c5_3.intoArray(c, cOff + 5 * ldc + 3 * V);
    }

    @Override
    public void tileGatherRow(int kc, float[] x, int xOff, int[] rows, int rowOff, int pixel, float[] b, int bOff,
                              float[] c, int cOff) {
        // Two reduction rows per iteration, in order: the body stays above FreqInlineSize (docs/KERNELS.md).
        int p = xOff + pixel;
        FloatVector c0 = FloatVector.fromArray(S, c, cOff);
        FloatVector c1 = FloatVector.fromArray(S, c, cOff + V);
        FloatVector c2 = FloatVector.fromArray(S, c, cOff + 2 * V);
        FloatVector c3 = FloatVector.fromArray(S, c, cOff + 3 * V);
        int k = 0;
        for (; k + 1 < kc; k += 2) {
            FloatVector a0 = FloatVector.broadcast(S, x[rows[rowOff + k] + p]);
            int b0 = bOff + (k) * NR;
            c0 = a0.fma(FloatVector.fromArray(S, b, b0), c0);
            c1 = a0.fma(FloatVector.fromArray(S, b, b0 + V), c1);
            c2 = a0.fma(FloatVector.fromArray(S, b, b0 + 2 * V), c2);
            c3 = a0.fma(FloatVector.fromArray(S, b, b0 + 3 * V), c3);
            FloatVector a1 = FloatVector.broadcast(S, x[rows[rowOff + k + 1] + p]);
            int b1 = bOff + (k + 1) * NR;
            c0 = a1.fma(FloatVector.fromArray(S, b, b1), c0);
            c1 = a1.fma(FloatVector.fromArray(S, b, b1 + V), c1);
            c2 = a1.fma(FloatVector.fromArray(S, b, b1 + 2 * V), c2);
            c3 = a1.fma(FloatVector.fromArray(S, b, b1 + 3 * V), c3);
        }
        for (; k < kc; k++) {
            FloatVector a0 = FloatVector.broadcast(S, x[rows[rowOff + k] + p]);
            int b0 = bOff + k * NR;
            c0 = a0.fma(FloatVector.fromArray(S, b, b0), c0);
            c1 = a0.fma(FloatVector.fromArray(S, b, b0 + V), c1);
            c2 = a0.fma(FloatVector.fromArray(S, b, b0 + 2 * V), c2);
            c3 = a0.fma(FloatVector.fromArray(S, b, b0 + 3 * V), c3);
        }
        c0.intoArray(c, cOff);
        c1.intoArray(c, cOff + V);
        c2.intoArray(c, cOff + 2 * V);
        c3.intoArray(c, cOff + 3 * V);
    }
}
