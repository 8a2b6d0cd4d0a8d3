package dev.vconv.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The AVX2 micro-kernel: 4 rows x 2 vectors of 8 floats (4x16). Eight accumulators, two B vectors and one
 * broadcast of A: 11 of the 16 ymm registers. Measured here (in L1, kc = 256, best of several runs): this tile
 * reaches 75-90 GFLOP/s of a ~100 GFLOP/s FMA peak, 5x16 about the same, while the classic 6x16 tile (15
 * registers) falls to ~38: C2's register allocation spills it.
 */
final class F32Gemm4x2v256 implements GemmKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    static final int MR = 4;
    static final int V = 8;
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
        return "f32_gemm_4x2v_256";
    }

    @Override
    public void tile(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc) {
        // Written out by hand, with no helper taking a vector argument (a call C2 does not inline would box
        // every vector) and no branch (an untaken branch becomes an uncommon trap, and repeated traps can
        // leave the kernel interpreted).
        FloatVector c00 = FloatVector.fromArray(S, c, cOff);
        FloatVector c01 = FloatVector.fromArray(S, c, cOff + V);
        FloatVector c10 = FloatVector.fromArray(S, c, cOff + ldc);
        FloatVector c11 = FloatVector.fromArray(S, c, cOff + ldc + V);
        FloatVector c20 = FloatVector.fromArray(S, c, cOff + 2 * ldc);
        FloatVector c21 = FloatVector.fromArray(S, c, cOff + 2 * ldc + V);
        FloatVector c30 = FloatVector.fromArray(S, c, cOff + 3 * ldc);
        FloatVector c31 = FloatVector.fromArray(S, c, cOff + 3 * ldc + V);
        for (int k = 0; k < kc; k++) {
            int bk = bOff + k * NR;
            int ak = aOff + k * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bk);
            FloatVector b1 = FloatVector.fromArray(S, b, bk + V);
            FloatVector a0 = FloatVector.broadcast(S, a[ak]);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.broadcast(S, a[ak + 1]);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.broadcast(S, a[ak + 2]);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.broadcast(S, a[ak + 3]);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + V);
        c10.intoArray(c, cOff + ldc);
        c11.intoArray(c, cOff + ldc + V);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + V);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + V);
    }

    @Override
    public void copyRow(float[] src, int srcOff, float[] dst, int dstOff) {
        FloatVector.fromArray(S, src, srcOff).intoArray(dst, dstOff);
        FloatVector.fromArray(S, src, srcOff + V).intoArray(dst, dstOff + V);
    }
}
