package dev.vconv.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * The 128-bit micro-kernel (SSE/NEON width): 6 rows x 2 vectors of 4 floats (6x8), the same register plan as
 * {@link F32Gemm6x2v256} at half the width. It exists so that every width runs, and is tested, on any machine;
 * each width is its own class because C2 only intrinsifies a species that is a compile-time constant.
 */
final class F32Gemm6x2v128 implements GemmKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_128;
    static final int MR = 6;
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
        return "f32_gemm_6x2v_128";
    }

    @Override
    public void tile(int kc, float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc, int mr, int nr,
                     float[] bias, int biasOff, boolean first, boolean relu) {
        FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
        FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
        FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
        FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
        FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
        FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
        for (int k = 0; k < kc; k++) {
            int bk = bOff + k * NR;
            int ak = aOff + k * MR;
            FloatVector b0 = FloatVector.fromArray(S, b, bk);
            FloatVector b1 = FloatVector.fromArray(S, b, bk + V);
            FloatVector av = FloatVector.broadcast(S, a[ak]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[ak + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[ak + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[ak + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, a[ak + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, a[ak + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
        }
        VectorMask<Float> m0 = S.indexInRange(0, nr);
        VectorMask<Float> m1 = S.indexInRange(V, nr);
        row(c00, c01, m0, m1, c, cOff, bias, biasOff, first, relu);
        if (mr > 1) {
            row(c10, c11, m0, m1, c, cOff + ldc, bias, biasOff + 1, first, relu);
        }
        if (mr > 2) {
            row(c20, c21, m0, m1, c, cOff + 2 * ldc, bias, biasOff + 2, first, relu);
        }
        if (mr > 3) {
            row(c30, c31, m0, m1, c, cOff + 3 * ldc, bias, biasOff + 3, first, relu);
        }
        if (mr > 4) {
            row(c40, c41, m0, m1, c, cOff + 4 * ldc, bias, biasOff + 4, first, relu);
        }
        if (mr > 5) {
            row(c50, c51, m0, m1, c, cOff + 5 * ldc, bias, biasOff + 5, first, relu);
        }
    }

    /** Stores one row of the tile: the two accumulators, trimmed to {@code nr} columns by the masks. */
    private static void row(FloatVector lo, FloatVector hi, VectorMask<Float> m0, VectorMask<Float> m1, float[] c, int off,
                            float[] bias, int biasOff, boolean first, boolean relu) {
        if (first) {
            FloatVector bv = FloatVector.broadcast(S, bias == null ? 0f : bias[biasOff]);
            lo = bv.add(lo);
            hi = bv.add(hi);
        } else {
            lo = FloatVector.fromArray(S, c, off, m0).add(lo);
            hi = FloatVector.fromArray(S, c, off + V, m1).add(hi);
        }
        if (relu) {
            lo = lo.max(0f);
            hi = hi.max(0f);
        }
        lo.intoArray(c, off, m0);
        hi.intoArray(c, off + V, m1);
    }
}
