package dev.vconv.simd.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link WrappedDepthwiseKernel} on 512-bit vectors: one vector of 16 outputs per step, nine loads and nine fused
 * multiply-adds, the loads of the taps that can fall outside their row blended with zeros by the step's lane
 * masks (six at stride 1, three at stride 2); at stride 1 on rows of 12 to 16 columns, four vectors a row apart
 * per step, sharing their input rows (18 loads for 36 FMAs). The split loads a row of up to 32 floats as two
 * vectors and takes each column phase by one two-vector permute ({@code selectFrom}, as in
 * {@link F32DwconvDirect512}).
 */
final class F32DwconvWrapped512 implements WrappedDepthwiseKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    static final int V = 16;
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
    public void wrapped3x3s1(float[] y, int yOff, int count, int wout, float bias, float[] src, int base, boolean[] masks,
                             float[] wt, int wOff) {
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
        FloatVector zero = FloatVector.zero(S);
        if (wout <= V && 4 * wout >= 3 * V && count >= 3 * wout + V) {
            // Four vectors a row apart, which share four of the six input rows they read and the lane masks (a
            // row's shift keeps each lane's column): 18 loads for 36 FMAs, not 36. The group covers 3*wout + V
            // outputs, stepping by 4*wout, the last group moved back to end at count. Its vectors overlap by
            // V - wout lanes, so only rows of at least 3V/4 gain (docs/KERNELS.md, tuning table).
            int span = 3 * wout + V;
            int groups = (count - span) / (4 * wout) + 1;
            for (int g = 0; g < groups; g++) {
                int at = g * 4 * wout;
            VectorMask<Float> left = VectorMask.fromArray(S, masks, 2 * 0 * V);
            VectorMask<Float> right = VectorMask.fromArray(S, masks, (2 * 0 + 1) * V);
            int o = base + at;
            FloatVector a0 = b;
            FloatVector a1 = b;
            FloatVector a2 = b;
            FloatVector a3 = b;
            FloatVector r0 = FloatVector.fromArray(S, src, o - 1).blend(zero, left);
            FloatVector r1 = FloatVector.fromArray(S, src, o - 1 + wout).blend(zero, left);
            FloatVector r2 = FloatVector.fromArray(S, src, o - 1 + 2 * wout).blend(zero, left);
            FloatVector r3 = FloatVector.fromArray(S, src, o - 1 + 3 * wout).blend(zero, left);
            FloatVector r4 = FloatVector.fromArray(S, src, o - 1 + 4 * wout).blend(zero, left);
            FloatVector r5 = FloatVector.fromArray(S, src, o - 1 + 5 * wout).blend(zero, left);
            a0 = r0.fma(w00, a0);
            a0 = r1.fma(w10, a0);
            a0 = r2.fma(w20, a0);
            a1 = r1.fma(w00, a1);
            a1 = r2.fma(w10, a1);
            a1 = r3.fma(w20, a1);
            a2 = r2.fma(w00, a2);
            a2 = r3.fma(w10, a2);
            a2 = r4.fma(w20, a2);
            a3 = r3.fma(w00, a3);
            a3 = r4.fma(w10, a3);
            a3 = r5.fma(w20, a3);
            r0 = FloatVector.fromArray(S, src, o);
            r1 = FloatVector.fromArray(S, src, o + wout);
            r2 = FloatVector.fromArray(S, src, o + 2 * wout);
            r3 = FloatVector.fromArray(S, src, o + 3 * wout);
            r4 = FloatVector.fromArray(S, src, o + 4 * wout);
            r5 = FloatVector.fromArray(S, src, o + 5 * wout);
            a0 = r0.fma(w01, a0);
            a0 = r1.fma(w11, a0);
            a0 = r2.fma(w21, a0);
            a1 = r1.fma(w01, a1);
            a1 = r2.fma(w11, a1);
            a1 = r3.fma(w21, a1);
            a2 = r2.fma(w01, a2);
            a2 = r3.fma(w11, a2);
            a2 = r4.fma(w21, a2);
            a3 = r3.fma(w01, a3);
            a3 = r4.fma(w11, a3);
            a3 = r5.fma(w21, a3);
            r0 = FloatVector.fromArray(S, src, o + 1).blend(zero, right);
            r1 = FloatVector.fromArray(S, src, o + 1 + wout).blend(zero, right);
            r2 = FloatVector.fromArray(S, src, o + 1 + 2 * wout).blend(zero, right);
            r3 = FloatVector.fromArray(S, src, o + 1 + 3 * wout).blend(zero, right);
            r4 = FloatVector.fromArray(S, src, o + 1 + 4 * wout).blend(zero, right);
            r5 = FloatVector.fromArray(S, src, o + 1 + 5 * wout).blend(zero, right);
            a0 = r0.fma(w02, a0);
            a0 = r1.fma(w12, a0);
            a0 = r2.fma(w22, a0);
            a1 = r1.fma(w02, a1);
            a1 = r2.fma(w12, a1);
            a1 = r3.fma(w22, a1);
            a2 = r2.fma(w02, a2);
            a2 = r3.fma(w12, a2);
            a2 = r4.fma(w22, a2);
            a3 = r3.fma(w02, a3);
            a3 = r4.fma(w12, a3);
            a3 = r5.fma(w22, a3);
            a0.intoArray(y, yOff + at);
            a1.intoArray(y, yOff + at + wout);
            a2.intoArray(y, yOff + at + 2 * wout);
            a3.intoArray(y, yOff + at + 3 * wout);
            }
            if ((groups - 1) * 4 * wout + span < count) {
                int at = count - span;
            VectorMask<Float> left = VectorMask.fromArray(S, masks, 2 * (at % wout) * V);
            VectorMask<Float> right = VectorMask.fromArray(S, masks, (2 * (at % wout) + 1) * V);
            int o = base + at;
            FloatVector a0 = b;
            FloatVector a1 = b;
            FloatVector a2 = b;
            FloatVector a3 = b;
            FloatVector r0 = FloatVector.fromArray(S, src, o - 1).blend(zero, left);
            FloatVector r1 = FloatVector.fromArray(S, src, o - 1 + wout).blend(zero, left);
            FloatVector r2 = FloatVector.fromArray(S, src, o - 1 + 2 * wout).blend(zero, left);
            FloatVector r3 = FloatVector.fromArray(S, src, o - 1 + 3 * wout).blend(zero, left);
            FloatVector r4 = FloatVector.fromArray(S, src, o - 1 + 4 * wout).blend(zero, left);
            FloatVector r5 = FloatVector.fromArray(S, src, o - 1 + 5 * wout).blend(zero, left);
            a0 = r0.fma(w00, a0);
            a0 = r1.fma(w10, a0);
            a0 = r2.fma(w20, a0);
            a1 = r1.fma(w00, a1);
            a1 = r2.fma(w10, a1);
            a1 = r3.fma(w20, a1);
            a2 = r2.fma(w00, a2);
            a2 = r3.fma(w10, a2);
            a2 = r4.fma(w20, a2);
            a3 = r3.fma(w00, a3);
            a3 = r4.fma(w10, a3);
            a3 = r5.fma(w20, a3);
            r0 = FloatVector.fromArray(S, src, o);
            r1 = FloatVector.fromArray(S, src, o + wout);
            r2 = FloatVector.fromArray(S, src, o + 2 * wout);
            r3 = FloatVector.fromArray(S, src, o + 3 * wout);
            r4 = FloatVector.fromArray(S, src, o + 4 * wout);
            r5 = FloatVector.fromArray(S, src, o + 5 * wout);
            a0 = r0.fma(w01, a0);
            a0 = r1.fma(w11, a0);
            a0 = r2.fma(w21, a0);
            a1 = r1.fma(w01, a1);
            a1 = r2.fma(w11, a1);
            a1 = r3.fma(w21, a1);
            a2 = r2.fma(w01, a2);
            a2 = r3.fma(w11, a2);
            a2 = r4.fma(w21, a2);
            a3 = r3.fma(w01, a3);
            a3 = r4.fma(w11, a3);
            a3 = r5.fma(w21, a3);
            r0 = FloatVector.fromArray(S, src, o + 1).blend(zero, right);
            r1 = FloatVector.fromArray(S, src, o + 1 + wout).blend(zero, right);
            r2 = FloatVector.fromArray(S, src, o + 1 + 2 * wout).blend(zero, right);
            r3 = FloatVector.fromArray(S, src, o + 1 + 3 * wout).blend(zero, right);
            r4 = FloatVector.fromArray(S, src, o + 1 + 4 * wout).blend(zero, right);
            r5 = FloatVector.fromArray(S, src, o + 1 + 5 * wout).blend(zero, right);
            a0 = r0.fma(w02, a0);
            a0 = r1.fma(w12, a0);
            a0 = r2.fma(w22, a0);
            a1 = r1.fma(w02, a1);
            a1 = r2.fma(w12, a1);
            a1 = r3.fma(w22, a1);
            a2 = r2.fma(w02, a2);
            a2 = r3.fma(w12, a2);
            a2 = r4.fma(w22, a2);
            a3 = r3.fma(w02, a3);
            a3 = r4.fma(w12, a3);
            a3 = r5.fma(w22, a3);
            a0.intoArray(y, yOff + at);
            a1.intoArray(y, yOff + at + wout);
            a2.intoArray(y, yOff + at + 2 * wout);
            a3.intoArray(y, yOff + at + 3 * wout);
            }
            return;
        }
        // Narrower rows, rows wider than a vector (fewer than four of them) or too few outputs: one vector at a time in
        // a counted loop, then the last one moved back to end at count (recomputing some outputs, to the same
        // values). (Two vectors per step, their FMA chains interleaved, ran no faster: docs/decisions.md.)
        int whole = count / V;
        for (int i = 0; i < whole; i++) {
            int at = i * V;
            VectorMask<Float> left = VectorMask.fromArray(S, masks, 2 * (at % wout) * V);
            VectorMask<Float> right = VectorMask.fromArray(S, masks, (2 * (at % wout) + 1) * V);
            int o = base + at;
            FloatVector acc = b;
            acc = FloatVector.fromArray(S, src, o - 1).blend(zero, left).fma(w00, acc);
            acc = FloatVector.fromArray(S, src, o - 1 + wout).blend(zero, left).fma(w10, acc);
            acc = FloatVector.fromArray(S, src, o - 1 + 2 * wout).blend(zero, left).fma(w20, acc);
            acc = FloatVector.fromArray(S, src, o).fma(w01, acc);
            acc = FloatVector.fromArray(S, src, o + wout).fma(w11, acc);
            acc = FloatVector.fromArray(S, src, o + 2 * wout).fma(w21, acc);
            acc = FloatVector.fromArray(S, src, o + 1).blend(zero, right).fma(w02, acc);
            acc = FloatVector.fromArray(S, src, o + 1 + wout).blend(zero, right).fma(w12, acc);
            acc = FloatVector.fromArray(S, src, o + 1 + 2 * wout).blend(zero, right).fma(w22, acc);
            acc.intoArray(y, yOff + at);
        }
        if (whole * V < count) {
            int at = count - V;
            VectorMask<Float> left = VectorMask.fromArray(S, masks, 2 * (at % wout) * V);
            VectorMask<Float> right = VectorMask.fromArray(S, masks, (2 * (at % wout) + 1) * V);
            int o = base + at;
            FloatVector acc = b;
            acc = FloatVector.fromArray(S, src, o - 1).blend(zero, left).fma(w00, acc);
            acc = FloatVector.fromArray(S, src, o - 1 + wout).blend(zero, left).fma(w10, acc);
            acc = FloatVector.fromArray(S, src, o - 1 + 2 * wout).blend(zero, left).fma(w20, acc);
            acc = FloatVector.fromArray(S, src, o).fma(w01, acc);
            acc = FloatVector.fromArray(S, src, o + wout).fma(w11, acc);
            acc = FloatVector.fromArray(S, src, o + 2 * wout).fma(w21, acc);
            acc = FloatVector.fromArray(S, src, o + 1).blend(zero, right).fma(w02, acc);
            acc = FloatVector.fromArray(S, src, o + 1 + wout).blend(zero, right).fma(w12, acc);
            acc = FloatVector.fromArray(S, src, o + 1 + 2 * wout).blend(zero, right).fma(w22, acc);
            acc.intoArray(y, yOff + at);
        }
    }

    @Override
    public void wrapped3x3s2(float[] y, int yOff, int count, int wout, float bias, float[] src, int[] planes, boolean[] masks,
                             float[] wt, int wOff) {
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
        FloatVector zero = FloatVector.zero(S);
        int ee = planes[0];
        int eo = planes[1];
        int oe = planes[2];
        int oo = planes[3];
        int whole = count / V;
        for (int i = 0; i < whole; i++) {                 // as at stride 1: whole vectors, then the last moved back
            int at = i * V;
            VectorMask<Float> left = VectorMask.fromArray(S, masks, at % wout * V);
            FloatVector acc = b;
            acc = FloatVector.fromArray(S, src, oo + at - 1).blend(zero, left).fma(w00, acc);
            acc = FloatVector.fromArray(S, src, oe + at).fma(w01, acc);
            acc = FloatVector.fromArray(S, src, oo + at).fma(w02, acc);
            acc = FloatVector.fromArray(S, src, eo + at - 1).blend(zero, left).fma(w10, acc);
            acc = FloatVector.fromArray(S, src, ee + at).fma(w11, acc);
            acc = FloatVector.fromArray(S, src, eo + at).fma(w12, acc);
            acc = FloatVector.fromArray(S, src, oo + wout + at - 1).blend(zero, left).fma(w20, acc);
            acc = FloatVector.fromArray(S, src, oe + wout + at).fma(w21, acc);
            acc = FloatVector.fromArray(S, src, oo + wout + at).fma(w22, acc);
            acc.intoArray(y, yOff + at);
        }
        if (whole * V < count) {
            int at = count - V;
            VectorMask<Float> left = VectorMask.fromArray(S, masks, at % wout * V);
            FloatVector acc = b;
            acc = FloatVector.fromArray(S, src, oo + at - 1).blend(zero, left).fma(w00, acc);
            acc = FloatVector.fromArray(S, src, oe + at).fma(w01, acc);
            acc = FloatVector.fromArray(S, src, oo + at).fma(w02, acc);
            acc = FloatVector.fromArray(S, src, eo + at - 1).blend(zero, left).fma(w10, acc);
            acc = FloatVector.fromArray(S, src, ee + at).fma(w11, acc);
            acc = FloatVector.fromArray(S, src, eo + at).fma(w12, acc);
            acc = FloatVector.fromArray(S, src, oo + wout + at - 1).blend(zero, left).fma(w20, acc);
            acc = FloatVector.fromArray(S, src, oe + wout + at).fma(w21, acc);
            acc = FloatVector.fromArray(S, src, oo + wout + at).fma(w22, acc);
            acc.intoArray(y, yOff + at);
        }
    }

    @Override
    public int splitWidth() {
        return 2 * V;
    }

    @Override
    public void split3x3s2(float[] x, int xOff, int h, int w, float[] dst, int[] planes, int wout) {
        FloatVector even = FloatVector.fromArray(S, EVEN_LANES, 0);
        FloatVector odd = FloatVector.fromArray(S, ODD_LANES, 0);
        FloatVector zero = FloatVector.zero(S);
        VectorMask<Float> evenKept = S.indexInRange(0, wout);      // the lanes past them are written as zeros
        VectorMask<Float> oddKept = S.indexInRange(0, w / 2);
        int ee = planes[0];
        int eo = planes[1];
        int oe = planes[2] + wout;                        // odd row 2j + 1 is row j + 1 of its planes
        int oo = planes[3] + wout;
        // Pairs of rows (even, odd) whose vector loads stay inside x; a row's second vector only past V columns.
        int reads = w > V ? 2 * V : V;
        int inside = x.length - reads - xOff < 0 ? 0 : Math.min(h, (x.length - reads - xOff) / w + 1);
        int r = 0;
        if (w > V) {
            for (; r + 2 <= inside; r += 2) {
                int from = xOff + r * w;
                int to = r / 2 * wout;
                FloatVector a = FloatVector.fromArray(S, x, from);
                FloatVector c = FloatVector.fromArray(S, x, from + V);
                zero.blend(even.selectFrom(a, c), evenKept).intoArray(dst, ee + to);
                zero.blend(odd.selectFrom(a, c), oddKept).intoArray(dst, eo + to);
                a = FloatVector.fromArray(S, x, from + w);
                c = FloatVector.fromArray(S, x, from + w + V);
                zero.blend(even.selectFrom(a, c), evenKept).intoArray(dst, oe + to);
                zero.blend(odd.selectFrom(a, c), oddKept).intoArray(dst, oo + to);
            }
        } else {
            for (; r + 2 <= inside; r += 2) {
                int from = xOff + r * w;
                int to = r / 2 * wout;
                FloatVector a = FloatVector.fromArray(S, x, from);
                zero.blend(even.selectFrom(a, a), evenKept).intoArray(dst, ee + to);
                zero.blend(odd.selectFrom(a, a), oddKept).intoArray(dst, eo + to);
                a = FloatVector.fromArray(S, x, from + w);
                zero.blend(even.selectFrom(a, a), evenKept).intoArray(dst, oe + to);
                zero.blend(odd.selectFrom(a, a), oddKept).intoArray(dst, oo + to);
            }
        }
        WrappedDepthwiseKernel.splitRows(x, xOff, r, h, w, dst, planes, wout);   // an odd last row, or rows past x
    }
}
