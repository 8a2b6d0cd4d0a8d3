package dev.vconv.simd.kernel;

import java.util.Arrays;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DirectDepthwiseKernel} on 512-bit vectors.
 * <p>
 * Stride 1: four output rows at a time read six input rows; each tap column {@code kx} loads the six rows at
 * {@code ox - padLeft + kx} once for the twelve fused multiply-adds of the four rows. The edge vectors (at column
 * 0 and {@code wout - V}, in a second pass) load each tap column with a mask that zeroes its lanes outside the row,
 * where the whole vector lies inside its array; else ({@link #edgeLoadsInArray}) from a copy of the rows.
 * <p>
 * Stride 2: for a vector of 16 outputs starting at column {@code ox}, an input row gives its three taps from
 * four loads: {@code (p, q)} = the 32 floats at {@code c = 2*ox - padLeft},
 * whose even elements are tap 0 and odd elements tap 1, and {@code (p', q')} = the 32 at {@code c + 1}, whose odd
 * elements are tap 2. Two output rows at a time read five input rows; the middle one feeds both. The edge
 * vectors (at column 0 when {@code first > 0}, at {@code wout - V} when {@code last + V < wout}) load the pair at
 * the start (end) of the row and pick each tap's elements by an index vector, with zeros blended into the lanes
 * that fall on padding.
 * <p>
 * At stride 2 with padding 1 on the left, the left edge vector is the interior's step with tap 0 made from tap 2
 * slid by one lane, a zero coming in (one permute, no index arithmetic, mask or blend).
 */
final class F32DwconvDirect512 implements DirectDepthwiseKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    static final int V = 16;
    /** Where the zero row lies in {@code zeros}: with {@code V} floats of room before it, as after it. */
    static final int ZERO_ROW = V;
    // Lane i takes lane 2i (2i + 1) of the pair (a, b) by selectFrom(a, b): indices past the first vector select
    // from the second. (rearrange(shuffle, b) does the same with two permutes and a blend.)
    private static final float[] EVEN_LANES = new float[V];
    private static final float[] ODD_LANES = new float[V];
    private static final float[] LANES = new float[V];
    // Lane i takes lane i - 1 of the first vector, and lane 0 the second's lane 0: a slide up by one lane.
    private static final float[] UP_LANES = new float[V];

    static {
        for (int i = 0; i < V; i++) {
            EVEN_LANES[i] = 2 * i;
            ODD_LANES[i] = 2 * i + 1;
            LANES[i] = i;
            UP_LANES[i] = i == 0 ? V : i - 1;
        }
    }

    @Override
    public int lanes() {
        return V;
    }

    @Override
    public void rows3x3s1(float[] y, int yOff, int hout, int wout, float bias, float[] x, int xOff, int h, int w, int padTop,
                          int padLeft, int first, int last, float[] zeros, float[] staging, float[] wt, int wOff) {
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
        // The interior vectors cover [lo, hi): what the edge vectors, at 0 and wout - V, leave.
        int lo = first > 0 ? V : first;
        int hi = last + V < wout ? wout - V : last + V;
        for (int oy = 0; oy < hout; oy += 4) {
            int row = Math.min(oy, hout - 4);          // the last group moves back to end at hout (same values again)
            int iy = row - padTop;
            // Each input row from the image, or the zero row outside it. Written out: the same choice through two
            // small static helpers ran both kernels slower (docs/decisions.md).
            float[] r0 = iy >= 0 && iy < h ? x : zeros;
            int o0 = iy >= 0 && iy < h ? xOff + iy * w : ZERO_ROW;
            float[] r1 = iy + 1 >= 0 && iy + 1 < h ? x : zeros;
            int o1 = iy + 1 >= 0 && iy + 1 < h ? xOff + (iy + 1) * w : ZERO_ROW;
            float[] r2 = iy + 2 >= 0 && iy + 2 < h ? x : zeros;
            int o2 = iy + 2 >= 0 && iy + 2 < h ? xOff + (iy + 2) * w : ZERO_ROW;
            float[] r3 = iy + 3 >= 0 && iy + 3 < h ? x : zeros;
            int o3 = iy + 3 >= 0 && iy + 3 < h ? xOff + (iy + 3) * w : ZERO_ROW;
            float[] r4 = iy + 4 >= 0 && iy + 4 < h ? x : zeros;
            int o4 = iy + 4 >= 0 && iy + 4 < h ? xOff + (iy + 4) * w : ZERO_ROW;
            float[] r5 = iy + 5 >= 0 && iy + 5 < h ? x : zeros;
            int o5 = iy + 5 >= 0 && iy + 5 < h ? xOff + (iy + 5) * w : ZERO_ROW;
            int out = yOff + row * wout;
            for (int ox = lo; ox < hi; ox += V) {
                int at = Math.max(first, Math.min(ox, hi - V));   // the last vector moves back (same values again)
                int c = at - padLeft;
                FloatVector a0 = b;
                FloatVector a1 = b;
                FloatVector a2 = b;
                FloatVector a3 = b;
                // Tap column kx's weights, (k0, k1, k2), move along (k <- n <- m) after each turn: no branch picks
                // them (C2's profiled loop predication compiled a pick by kx to one of two speeds:
                // docs/decisions.md).
                FloatVector k0 = w00, n0 = w01, m0 = w02;
                FloatVector k1 = w10, n1 = w11, m1 = w12;
                FloatVector k2 = w20, n2 = w21, m2 = w22;
                for (int kx = 0; kx < 3; kx++) {
                    FloatVector v0 = FloatVector.fromArray(S, r0, o0 + c + kx);
                    FloatVector v1 = FloatVector.fromArray(S, r1, o1 + c + kx);
                    FloatVector v2 = FloatVector.fromArray(S, r2, o2 + c + kx);
                    FloatVector v3 = FloatVector.fromArray(S, r3, o3 + c + kx);
                    FloatVector v4 = FloatVector.fromArray(S, r4, o4 + c + kx);
                    FloatVector v5 = FloatVector.fromArray(S, r5, o5 + c + kx);
                    a0 = v0.fma(k0, a0);
                    a0 = v1.fma(k1, a0);
                    a0 = v2.fma(k2, a0);
                    a1 = v1.fma(k0, a1);
                    a1 = v2.fma(k1, a1);
                    a1 = v3.fma(k2, a1);
                    a2 = v2.fma(k0, a2);
                    a2 = v3.fma(k1, a2);
                    a2 = v4.fma(k2, a2);
                    a3 = v3.fma(k0, a3);
                    a3 = v4.fma(k1, a3);
                    a3 = v5.fma(k2, a3);
                    k0 = n0; n0 = m0; k1 = n1; n1 = m1; k2 = n2; n2 = m2;
                }
                a0.intoArray(y, out + at);
                a1.intoArray(y, out + wout + at);
                a2.intoArray(y, out + 2 * wout + at);
                a3.intoArray(y, out + 3 * wout + at);
            }
        }
        if (first > 0 || last + V < wout) {            // a row without padding columns has no edge vectors
            edges3x3s1(y, yOff, hout, wout, bias, x, xOff, h, w, padTop, padLeft, first, last, zeros, staging, wt, wOff);
        }
    }

    /**
     * The edge vectors of {@link #rows3x3s1}, in a second pass over the rows (a 56x56 channel is still in L1). A
     * method of its own: C2 compiles the two halves sooner than one method of both, which had JMH forks still in
     * slow code after a second of warm-up ({@code docs/KERNELS.md}).
     * <p>
     * Each tap column is six masked loads at its own start, the lanes outside the row zero: no permute or blend.
     * A masked load must still lie inside its array (else the Vector API takes a slow path whose mere presence made
     * C2's code of the whole method half as fast), so a group of rows whose loads would reach before the start or
     * past the end of {@code x} (the first and last rows of the array, when it has no room around the image) reads
     * a copy of its six rows in {@code staging} ({@link #stageRows}), each with {@code V} zeros on both sides, as
     * the zero row has.
     */
    private static void edges3x3s1(float[] y, int yOff, int hout, int wout, float bias, float[] x, int xOff, int h,
                                   int w, int padTop, int padLeft, int first, int last, float[] zeros,
                                   float[] staging, float[] wt, int wOff) {
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
        for (int oy = 0; oy < hout; oy += 4) {
            int row = Math.min(oy, hout - 4);          // the last group moves back to end at hout (same values again)
            int iy = row - padTop;
            // Each input row from the image, or the zero row outside it. Written out: the same choice through two
            // small static helpers ran both kernels slower (docs/decisions.md).
            float[] r0 = iy >= 0 && iy < h ? x : zeros;
            int o0 = iy >= 0 && iy < h ? xOff + iy * w : ZERO_ROW;
            float[] r1 = iy + 1 >= 0 && iy + 1 < h ? x : zeros;
            int o1 = iy + 1 >= 0 && iy + 1 < h ? xOff + (iy + 1) * w : ZERO_ROW;
            float[] r2 = iy + 2 >= 0 && iy + 2 < h ? x : zeros;
            int o2 = iy + 2 >= 0 && iy + 2 < h ? xOff + (iy + 2) * w : ZERO_ROW;
            float[] r3 = iy + 3 >= 0 && iy + 3 < h ? x : zeros;
            int o3 = iy + 3 >= 0 && iy + 3 < h ? xOff + (iy + 3) * w : ZERO_ROW;
            float[] r4 = iy + 4 >= 0 && iy + 4 < h ? x : zeros;
            int o4 = iy + 4 >= 0 && iy + 4 < h ? xOff + (iy + 4) * w : ZERO_ROW;
            float[] r5 = iy + 5 >= 0 && iy + 5 < h ? x : zeros;
            int o5 = iy + 5 >= 0 && iy + 5 < h ? xOff + (iy + 5) * w : ZERO_ROW;
            if (!edgeLoadsInArray(x, xOff, row, h, w, wout, padTop, padLeft)) {
                stageRows(staging, x, xOff, iy, h, w);
                int pitch = w + 2 * V;
                r0 = r1 = r2 = r3 = r4 = r5 = staging;
                o0 = V;
                o1 = V + pitch;
                o2 = V + 2 * pitch;
                o3 = V + 3 * pitch;
                o4 = V + 4 * pitch;
                o5 = V + 5 * pitch;
            }
            int out = yOff + row * wout;
            for (int side = 0; side < 2; side++) {        // the edge vectors: at column 0, then at wout - V
                if (side == 0 ? first == 0 : last + V >= wout) {
                    continue;
                }
                int at = side == 0 ? 0 : wout - V;
                FloatVector a0 = b;
                FloatVector a1 = b;
                FloatVector a2 = b;
                FloatVector a3 = b;
                // As in the interior, tap column kx's weights (k0, k1, k2) move along (k <- n <- m) after each turn.
                // A kx loop: with its masked loads written out three times, C1 (which inlines the Vector API's Java
                // code) ran out of virtual registers and the method never left tier-2 code (docs/KERNELS.md).
                FloatVector k0 = w00, n0 = w01, m0 = w02;
                FloatVector k1 = w10, n1 = w11, m1 = w12;
                FloatVector k2 = w20, n2 = w21, m2 = w22;
                for (int kx = 0; kx < 3; kx++) {
                    // The tap column's first column is start; its lanes outside [0, w) fall on padding. (The mask by
                    // S.indexInRange(start, w) was slower: docs/decisions.md.)
                    int start = at - padLeft + kx;
                    FloatVector column = FloatVector.fromArray(S, LANES, 0).add(start);
                    VectorMask<Float> inside = column.compare(VectorOperators.GE, 0f)
                            .and(column.compare(VectorOperators.LT, (float) w));
                    FloatVector v0 = FloatVector.fromArray(S, r0, o0 + start, inside);
                    FloatVector v1 = FloatVector.fromArray(S, r1, o1 + start, inside);
                    FloatVector v2 = FloatVector.fromArray(S, r2, o2 + start, inside);
                    FloatVector v3 = FloatVector.fromArray(S, r3, o3 + start, inside);
                    FloatVector v4 = FloatVector.fromArray(S, r4, o4 + start, inside);
                    FloatVector v5 = FloatVector.fromArray(S, r5, o5 + start, inside);
                    a0 = v0.fma(k0, a0);
                    a0 = v1.fma(k1, a0);
                    a0 = v2.fma(k2, a0);
                    a1 = v1.fma(k0, a1);
                    a1 = v2.fma(k1, a1);
                    a1 = v3.fma(k2, a1);
                    a2 = v2.fma(k0, a2);
                    a2 = v3.fma(k1, a2);
                    a2 = v4.fma(k2, a2);
                    a3 = v3.fma(k0, a3);
                    a3 = v4.fma(k1, a3);
                    a3 = v5.fma(k2, a3);
                    k0 = n0; n0 = m0; k1 = n1; n1 = m1; k2 = n2; n2 = m2;
                }
                a0.intoArray(y, out + at);
                a1.intoArray(y, out + wout + at);
                a2.intoArray(y, out + 2 * wout + at);
                a3.intoArray(y, out + 3 * wout + at);
            }
        }
    }

    /**
     * Whether every masked load of {@link #edges3x3s1} for the four output rows from {@code row} lies inside
     * {@code x}: from the first image row they read, {@code padLeft} before its start; to the last, through column
     * {@code wout - padLeft + 1} (the right edge vector's tap 2).
     */
    static boolean edgeLoadsInArray(float[] x, int xOff, int row, int h, int w, int wout, int padTop, int padLeft) {
        int top = Math.max(row - padTop, 0);
        int bottom = Math.min(row - padTop + 5, h - 1);
        return top > bottom
                || xOff + top * w - padLeft >= 0 && xOff + bottom * w + wout - padLeft + 2 <= x.length;
    }

    /**
     * Copies input rows {@code iy} to {@code iy + 5} into {@code staging}, row {@code i} at {@code V + i*(w + 2V)},
     * zeros for rows outside the image. The {@code V} floats around each row are never written, so they stay zero.
     */
    private static void stageRows(float[] staging, float[] x, int xOff, int iy, int h, int w) {
        int pitch = w + 2 * V;
        for (int i = 0; i < 6; i++) {
            if (iy + i >= 0 && iy + i < h) {
                System.arraycopy(x, xOff + (iy + i) * w, staging, V + i * pitch, w);
            } else {
                Arrays.fill(staging, V + i * pitch, V + i * pitch + w, 0f);
            }
        }
    }

    @Override
    public int stagingSize(int w) {
        return 6 * (w + 2 * V);
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
        // The interior vectors cover [lo, hi): what the edge vectors, at 0 and wout - V, leave.
        int lo = first > 0 ? V : first;
        int hi = last + V < wout ? wout - V : last + V;
        FloatVector even = FloatVector.fromArray(S, EVEN_LANES, 0);
        FloatVector odd = FloatVector.fromArray(S, ODD_LANES, 0);
        for (int oy = 0; oy < hout; oy += 2) {
            int row = Math.min(oy, hout - 2);          // the last pair moves back to end at hout (same values again)
            int iy = 2 * row - padTop;
            float[] r0 = iy >= 0 && iy < h ? x : zeros;
            int o0 = iy >= 0 && iy < h ? xOff + iy * w : ZERO_ROW;
            float[] r1 = iy + 1 >= 0 && iy + 1 < h ? x : zeros;
            int o1 = iy + 1 >= 0 && iy + 1 < h ? xOff + (iy + 1) * w : ZERO_ROW;
            float[] r2 = iy + 2 >= 0 && iy + 2 < h ? x : zeros;
            int o2 = iy + 2 >= 0 && iy + 2 < h ? xOff + (iy + 2) * w : ZERO_ROW;
            float[] r3 = iy + 3 >= 0 && iy + 3 < h ? x : zeros;
            int o3 = iy + 3 >= 0 && iy + 3 < h ? xOff + (iy + 3) * w : ZERO_ROW;
            float[] r4 = iy + 4 >= 0 && iy + 4 < h ? x : zeros;
            int o4 = iy + 4 >= 0 && iy + 4 < h ? xOff + (iy + 4) * w : ZERO_ROW;
            int out = yOff + row * wout;
            for (int ox = lo; ox < hi; ox += V) {
                int at = Math.max(first, Math.min(ox, hi - V));   // the last vector moves back (same values again)
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
                // The edge vectors' index vectors and zero are made here, in the loop body that calls methods on
                // them, not before the loops: there they would reach this body through a phi that C2 types as the
                // abstract FloatVector while it parses, their calls would be devirtualized by late inlining, and C2
                // then sometimes gave up intrinsifying the stores below, boxing vectors on every call (KERNELS.md).
                // (The interior's even and odd stay before the loops: loaded in its body they cost 11 %.)
                FloatVector edgeEven = FloatVector.fromArray(S, EVEN_LANES, 0);
                FloatVector edgeOdd = FloatVector.fromArray(S, ODD_LANES, 0);
                FloatVector zero = FloatVector.zero(S);
                FloatVector up = FloatVector.fromArray(S, UP_LANES, 0);    // selectFrom(m, zero): [0, m0..m14]
                if (side == 0 && padLeft == 1) {
                    // Padding 1 on the left: the pair at column 0 gives taps 1 and 2 (even and odd elements) as in
                    // the interior, and tap 0 is tap 2 slid by one lane with the padding's zero coming in.
                    FloatVector a0 = b;
                    FloatVector a1 = b;
                    FloatVector p = FloatVector.fromArray(S, r0, o0);
                    FloatVector q = FloatVector.fromArray(S, r0, o0 + V);
                    FloatVector u = edgeOdd.selectFrom(p, q);
                    a0 = up.selectFrom(u, zero).fma(w00, a0);
                    a0 = edgeEven.selectFrom(p, q).fma(w01, a0);
                    a0 = u.fma(w02, a0);
                    p = FloatVector.fromArray(S, r1, o1);
                    q = FloatVector.fromArray(S, r1, o1 + V);
                    u = edgeOdd.selectFrom(p, q);
                    a0 = up.selectFrom(u, zero).fma(w10, a0);
                    a0 = edgeEven.selectFrom(p, q).fma(w11, a0);
                    a0 = u.fma(w12, a0);
                    p = FloatVector.fromArray(S, r2, o2);
                    q = FloatVector.fromArray(S, r2, o2 + V);
                    FloatVector t2 = edgeOdd.selectFrom(p, q);
                    FloatVector t0 = up.selectFrom(t2, zero);
                    FloatVector t1 = edgeEven.selectFrom(p, q);
                    a0 = t0.fma(w20, a0);
                    a0 = t1.fma(w21, a0);
                    a0 = t2.fma(w22, a0);
                    a1 = t0.fma(w00, a1);
                    a1 = t1.fma(w01, a1);
                    a1 = t2.fma(w02, a1);
                    p = FloatVector.fromArray(S, r3, o3);
                    q = FloatVector.fromArray(S, r3, o3 + V);
                    u = edgeOdd.selectFrom(p, q);
                    a1 = up.selectFrom(u, zero).fma(w10, a1);
                    a1 = edgeEven.selectFrom(p, q).fma(w11, a1);
                    a1 = u.fma(w12, a1);
                    p = FloatVector.fromArray(S, r4, o4);
                    q = FloatVector.fromArray(S, r4, o4 + V);
                    u = edgeOdd.selectFrom(p, q);
                    a1 = up.selectFrom(u, zero).fma(w20, a1);
                    a1 = edgeEven.selectFrom(p, q).fma(w21, a1);
                    a1 = u.fma(w22, a1);
                    a0.intoArray(y, out);
                    a1.intoArray(y, out + wout);
                    continue;
                }
                int at = side == 0 ? 0 : wout - V;
                int base = side == 0 ? 0 : w - 2 * V;     // the pair loaded: columns [base, base + 2V) of each row
                // Lane i of tap kx is element 2i + shift + kx of the pair, a padding zero where that is outside it.
                FloatVector i0 = edgeEven.add(2 * at - padLeft - base);
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
