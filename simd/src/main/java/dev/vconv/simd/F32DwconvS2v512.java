package dev.vconv.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DepthwiseS2Kernel} on 512-bit vectors. For a vector of 16 outputs starting at column {@code ox}, an
 * input row gives its three taps from four loads: {@code (p, q)} = the 32 floats at {@code c = 2*ox - padLeft},
 * whose even elements are tap 0 and odd elements tap 1, and {@code (p', q')} = the 32 at {@code c + 1}, whose odd
 * elements are tap 2. Two output rows at a time read five input rows; the middle one feeds both. The edge
 * vectors (at column 0 when {@code first > 0}, at {@code wout - V} when {@code last + V < wout}) load the pair at
 * the start (end) of the row and pick each tap's elements by an index vector, with zeros blended into the lanes
 * that fall on padding.
 */
final class F32DwconvS2v512 implements DepthwiseS2Kernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    static final int V = 16;
    // Lane i takes lane 2i (2i + 1) of the pair (a, b) by selectFrom(a, b): indices past the first vector select
    // from the second. (rearrange(shuffle, b) does the same with two permutes and a blend.)
    private static final float[] EVEN_LANES = new float[V];
    private static final float[] ODD_LANES = new float[V];

    static {
        for (int i = 0; i < V; i++) {
            EVEN_LANES[i] = 2 * i;
            ODD_LANES[i] = 2 * i + 1;
        }
    }

    @Override
    public int lanes() {
        return V;
    }

    @Override
    public void rows3x3s2(float[] y, int yOff, int hout, int wout, float bias, float[] x, int xOff, int h, int w, int padTop,
                          int padLeft, int first, int last, float[] zeros, float[] wt, int wOff) {
        FloatVector w00 = FloatVector.broadcast(S, wt[wOff + 0]);
        FloatVector w01 = FloatVector.broadcast(S, wt[wOff + 1]);
        FloatVector w02 = FloatVector.broadcast(S, wt[wOff + 2]);
        FloatVector w10 = FloatVector.broadcast(S, wt[wOff + 3]);
        FloatVector w11 = FloatVector.broadcast(S, wt[wOff + 4]);
        FloatVector w12 = FloatVector.broadcast(S, wt[wOff + 5]);
        FloatVector w20 = FloatVector.broadcast(S, wt[wOff + 6]);
        FloatVector w21 = FloatVector.broadcast(S, wt[wOff + 7]);
        FloatVector w22 = FloatVector.broadcast(S, wt[wOff + 8]);
        FloatVector b = FloatVector.broadcast(S, bias);
        FloatVector even = FloatVector.fromArray(S, EVEN_LANES, 0);
        FloatVector odd = FloatVector.fromArray(S, ODD_LANES, 0);
        FloatVector zero = FloatVector.zero(S);
        for (int oy = 0; oy < hout; oy += 2) {
            int row = Math.min(oy, hout - 2);          // the last pair moves back to end at hout (same values again)
            int iy = 2 * row - padTop;
            float[] r0 = iy >= 0 && iy < h ? x : zeros;
            int o0 = iy >= 0 && iy < h ? xOff + iy * w : 0;
            float[] r1 = iy + 1 >= 0 && iy + 1 < h ? x : zeros;
            int o1 = iy + 1 >= 0 && iy + 1 < h ? xOff + (iy + 1) * w : 0;
            float[] r2 = iy + 2 >= 0 && iy + 2 < h ? x : zeros;
            int o2 = iy + 2 >= 0 && iy + 2 < h ? xOff + (iy + 2) * w : 0;
            float[] r3 = iy + 3 >= 0 && iy + 3 < h ? x : zeros;
            int o3 = iy + 3 >= 0 && iy + 3 < h ? xOff + (iy + 3) * w : 0;
            float[] r4 = iy + 4 >= 0 && iy + 4 < h ? x : zeros;
            int o4 = iy + 4 >= 0 && iy + 4 < h ? xOff + (iy + 4) * w : 0;
            int out = yOff + row * wout;
            for (int ox = first; ox < last + V; ox += V) {
                int at = Math.min(ox, last);           // the last vector moves back to start at last (same values again)
                int c = 2 * at - padLeft;
                FloatVector a0 = b;
                FloatVector a1 = b;
                FloatVector p = FloatVector.fromArray(S, r0, o0 + c);
                FloatVector q = FloatVector.fromArray(S, r0, o0 + c + V);
                FloatVector p1 = FloatVector.fromArray(S, r0, o0 + c + 1);
                FloatVector q1 = FloatVector.fromArray(S, r0, o0 + c + 1 + V);
                a0 = even.selectFrom(p, q).fma(w00, a0);
                a0 = odd.selectFrom(p, q).fma(w01, a0);
                a0 = odd.selectFrom(p1, q1).fma(w02, a0);
                p = FloatVector.fromArray(S, r1, o1 + c);
                q = FloatVector.fromArray(S, r1, o1 + c + V);
                p1 = FloatVector.fromArray(S, r1, o1 + c + 1);
                q1 = FloatVector.fromArray(S, r1, o1 + c + 1 + V);
                a0 = even.selectFrom(p, q).fma(w10, a0);
                a0 = odd.selectFrom(p, q).fma(w11, a0);
                a0 = odd.selectFrom(p1, q1).fma(w12, a0);
                p = FloatVector.fromArray(S, r2, o2 + c);
                q = FloatVector.fromArray(S, r2, o2 + c + V);
                p1 = FloatVector.fromArray(S, r2, o2 + c + 1);
                q1 = FloatVector.fromArray(S, r2, o2 + c + 1 + V);
                FloatVector t0 = even.selectFrom(p, q);
                FloatVector t1 = odd.selectFrom(p, q);
                FloatVector t2 = odd.selectFrom(p1, q1);
                a0 = t0.fma(w20, a0);
                a0 = t1.fma(w21, a0);
                a0 = t2.fma(w22, a0);
                a1 = t0.fma(w00, a1);
                a1 = t1.fma(w01, a1);
                a1 = t2.fma(w02, a1);
                p = FloatVector.fromArray(S, r3, o3 + c);
                q = FloatVector.fromArray(S, r3, o3 + c + V);
                p1 = FloatVector.fromArray(S, r3, o3 + c + 1);
                q1 = FloatVector.fromArray(S, r3, o3 + c + 1 + V);
                a1 = even.selectFrom(p, q).fma(w10, a1);
                a1 = odd.selectFrom(p, q).fma(w11, a1);
                a1 = odd.selectFrom(p1, q1).fma(w12, a1);
                p = FloatVector.fromArray(S, r4, o4 + c);
                q = FloatVector.fromArray(S, r4, o4 + c + V);
                p1 = FloatVector.fromArray(S, r4, o4 + c + 1);
                q1 = FloatVector.fromArray(S, r4, o4 + c + 1 + V);
                a1 = even.selectFrom(p, q).fma(w20, a1);
                a1 = odd.selectFrom(p, q).fma(w21, a1);
                a1 = odd.selectFrom(p1, q1).fma(w22, a1);
                a0.intoArray(y, out + at);
                a1.intoArray(y, out + wout + at);
            }
            for (int side = 0; side < 2; side++) {        // the edge vectors: at column 0, then at wout - V
                if (side == 0 ? first == 0 : last + V >= wout) {
                    continue;
                }
                int at = side == 0 ? 0 : wout - V;
                int base = side == 0 ? 0 : w - 2 * V;     // the pair loaded: columns [base, base + 2V) of each row
                // Lane i of tap kx is element 2i + shift + kx of the pair, a padding zero where that is outside it.
                FloatVector i0 = even.add(2 * at - padLeft - base);
                FloatVector i1 = i0.add(1f);
                FloatVector i2 = i0.add(2f);
                VectorMask<Float> m0 = i0.compare(VectorOperators.GE, 0f).and(i0.compare(VectorOperators.LT, 2f * V));
                VectorMask<Float> m1 = i1.compare(VectorOperators.GE, 0f).and(i1.compare(VectorOperators.LT, 2f * V));
                VectorMask<Float> m2 = i2.compare(VectorOperators.GE, 0f).and(i2.compare(VectorOperators.LT, 2f * V));
                i0 = i0.max(0f).min(2f * V - 1);
                i1 = i1.max(0f).min(2f * V - 1);
                i2 = i2.max(0f).min(2f * V - 1);
                FloatVector a0 = b;
                FloatVector a1 = b;
                FloatVector p = FloatVector.fromArray(S, r0, o0 + base);
                FloatVector q = FloatVector.fromArray(S, r0, o0 + base + V);
                a0 = zero.blend(i0.selectFrom(p, q), m0).fma(w00, a0);
                a0 = zero.blend(i1.selectFrom(p, q), m1).fma(w01, a0);
                a0 = zero.blend(i2.selectFrom(p, q), m2).fma(w02, a0);
                p = FloatVector.fromArray(S, r1, o1 + base);
                q = FloatVector.fromArray(S, r1, o1 + base + V);
                a0 = zero.blend(i0.selectFrom(p, q), m0).fma(w10, a0);
                a0 = zero.blend(i1.selectFrom(p, q), m1).fma(w11, a0);
                a0 = zero.blend(i2.selectFrom(p, q), m2).fma(w12, a0);
                p = FloatVector.fromArray(S, r2, o2 + base);
                q = FloatVector.fromArray(S, r2, o2 + base + V);
                FloatVector t0 = zero.blend(i0.selectFrom(p, q), m0);
                FloatVector t1 = zero.blend(i1.selectFrom(p, q), m1);
                FloatVector t2 = zero.blend(i2.selectFrom(p, q), m2);
                a0 = t0.fma(w20, a0);
                a0 = t1.fma(w21, a0);
                a0 = t2.fma(w22, a0);
                a1 = t0.fma(w00, a1);
                a1 = t1.fma(w01, a1);
                a1 = t2.fma(w02, a1);
                p = FloatVector.fromArray(S, r3, o3 + base);
                q = FloatVector.fromArray(S, r3, o3 + base + V);
                a1 = zero.blend(i0.selectFrom(p, q), m0).fma(w10, a1);
                a1 = zero.blend(i1.selectFrom(p, q), m1).fma(w11, a1);
                a1 = zero.blend(i2.selectFrom(p, q), m2).fma(w12, a1);
                p = FloatVector.fromArray(S, r4, o4 + base);
                q = FloatVector.fromArray(S, r4, o4 + base + V);
                a1 = zero.blend(i0.selectFrom(p, q), m0).fma(w20, a1);
                a1 = zero.blend(i1.selectFrom(p, q), m1).fma(w21, a1);
                a1 = zero.blend(i2.selectFrom(p, q), m2).fma(w22, a1);
                a0.intoArray(y, out + at);
                a1.intoArray(y, out + wout + at);
            }
        }
    }
}
