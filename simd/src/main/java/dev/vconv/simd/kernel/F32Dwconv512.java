// Generated from simd/src/main/templates/F32Dwconv.java.in by dev.vconv.simd.kernel.generator.KernelGenerator: do not edit.
// Regenerate: ./mvnw -q -pl simd -am test -Dtest=GeneratedKernelsTest -Dvconv.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false
package dev.vconv.simd.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DepthwiseKernel} on 512-bit vectors: four vectors of outputs (64 columns) per step with their
 * accumulators in registers across all taps, so each tap costs one broadcast and four load-FMAs (nine taps:
 * four load-FMAs, {@code steps9}); then single vectors, then the scalar tail. {@link #rows3x3}: one vector of
 * four output rows at a time, the six input rows they read loaded once for the twelve FMAs of each tap column,
 * written straight into the output.
 */
final class F32Dwconv512 implements DepthwiseKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    static final int V = 16;

    @Override
    public int step() {
        return 4 * V;
    }

    @Override
    public void row(float[] out, int outOff, int wout, float bias, float[] src, int[] taps, float[] w, int wOff) {
        int ox = taps.length == 9 ? steps9(out, outOff, wout, bias, src, taps, w, wOff) : 0;
        for (; ox + 4 * V <= wout; ox += 4 * V) {
            FloatVector a0 = FloatVector.broadcast(S, bias);
            FloatVector a1 = a0;
            FloatVector a2 = a0;
            FloatVector a3 = a0;
            for (int t = 0; t < taps.length; t++) {
                FloatVector wv = FloatVector.broadcast(S, w[wOff + t]);
                int base = taps[t] + ox;
                a0 = FloatVector.fromArray(S, src, base).fma(wv, a0);
                a1 = FloatVector.fromArray(S, src, base + V).fma(wv, a1);
                a2 = FloatVector.fromArray(S, src, base + 2 * V).fma(wv, a2);
                a3 = FloatVector.fromArray(S, src, base + 3 * V).fma(wv, a3);
            }
            a0.intoArray(out, outOff + ox);
            a1.intoArray(out, outOff + ox + V);
            a2.intoArray(out, outOff + ox + 2 * V);
            a3.intoArray(out, outOff + ox + 3 * V);
        }
        for (; ox + V <= wout; ox += V) {
            FloatVector acc = FloatVector.broadcast(S, bias);
            for (int t = 0; t < taps.length; t++) {
                acc = FloatVector.fromArray(S, src, taps[t] + ox).fma(FloatVector.broadcast(S, w[wOff + t]), acc);
            }
            acc.intoArray(out, outOff + ox);
        }
        for (; ox < wout; ox++) {                              // the scalar tail: the same sum, one fma per tap
            float acc = bias;
            for (int t = 0; t < taps.length; t++) {
                acc = Math.fma(src[taps[t] + ox], w[wOff + t], acc);
            }
            out[outOff + ox] = acc;
        }
    }

    /**
     * The steps of four vectors of {@link #row} for nine taps (3x3 kernels at any stride or dilation): the
     * weights broadcast and the tap offsets read once per call instead of once per tap of every step, and every
     * load at a loop-invariant offset plus the step's column. The same sums in the same order. Returns the
     * columns done.
     */
    private static int steps9(float[] out, int outOff, int wout, float bias, float[] src, int[] taps, float[] w, int wOff) {
        FloatVector w0 = FloatVector.broadcast(S, w[wOff + 0]);
        FloatVector w1 = FloatVector.broadcast(S, w[wOff + 1]);
        FloatVector w2 = FloatVector.broadcast(S, w[wOff + 2]);
        FloatVector w3 = FloatVector.broadcast(S, w[wOff + 3]);
        FloatVector w4 = FloatVector.broadcast(S, w[wOff + 4]);
        FloatVector w5 = FloatVector.broadcast(S, w[wOff + 5]);
        FloatVector w6 = FloatVector.broadcast(S, w[wOff + 6]);
        FloatVector w7 = FloatVector.broadcast(S, w[wOff + 7]);
        FloatVector w8 = FloatVector.broadcast(S, w[wOff + 8]);
        int t0 = taps[0];
        int t1 = taps[1];
        int t2 = taps[2];
        int t3 = taps[3];
        int t4 = taps[4];
        int t5 = taps[5];
        int t6 = taps[6];
        int t7 = taps[7];
        int t8 = taps[8];
        FloatVector b = FloatVector.broadcast(S, bias);
        int ox = 0;
        for (; ox + 4 * V <= wout; ox += 4 * V) {
            FloatVector a0 = b;
            FloatVector a1 = b;
            FloatVector a2 = b;
            FloatVector a3 = b;
            a0 = FloatVector.fromArray(S, src, t0 + ox).fma(w0, a0);
            a1 = FloatVector.fromArray(S, src, t0 + ox + V).fma(w0, a1);
            a2 = FloatVector.fromArray(S, src, t0 + ox + 2 * V).fma(w0, a2);
            a3 = FloatVector.fromArray(S, src, t0 + ox + 3 * V).fma(w0, a3);
            a0 = FloatVector.fromArray(S, src, t1 + ox).fma(w1, a0);
            a1 = FloatVector.fromArray(S, src, t1 + ox + V).fma(w1, a1);
            a2 = FloatVector.fromArray(S, src, t1 + ox + 2 * V).fma(w1, a2);
            a3 = FloatVector.fromArray(S, src, t1 + ox + 3 * V).fma(w1, a3);
            a0 = FloatVector.fromArray(S, src, t2 + ox).fma(w2, a0);
            a1 = FloatVector.fromArray(S, src, t2 + ox + V).fma(w2, a1);
            a2 = FloatVector.fromArray(S, src, t2 + ox + 2 * V).fma(w2, a2);
            a3 = FloatVector.fromArray(S, src, t2 + ox + 3 * V).fma(w2, a3);
            a0 = FloatVector.fromArray(S, src, t3 + ox).fma(w3, a0);
            a1 = FloatVector.fromArray(S, src, t3 + ox + V).fma(w3, a1);
            a2 = FloatVector.fromArray(S, src, t3 + ox + 2 * V).fma(w3, a2);
            a3 = FloatVector.fromArray(S, src, t3 + ox + 3 * V).fma(w3, a3);
            a0 = FloatVector.fromArray(S, src, t4 + ox).fma(w4, a0);
            a1 = FloatVector.fromArray(S, src, t4 + ox + V).fma(w4, a1);
            a2 = FloatVector.fromArray(S, src, t4 + ox + 2 * V).fma(w4, a2);
            a3 = FloatVector.fromArray(S, src, t4 + ox + 3 * V).fma(w4, a3);
            a0 = FloatVector.fromArray(S, src, t5 + ox).fma(w5, a0);
            a1 = FloatVector.fromArray(S, src, t5 + ox + V).fma(w5, a1);
            a2 = FloatVector.fromArray(S, src, t5 + ox + 2 * V).fma(w5, a2);
            a3 = FloatVector.fromArray(S, src, t5 + ox + 3 * V).fma(w5, a3);
            a0 = FloatVector.fromArray(S, src, t6 + ox).fma(w6, a0);
            a1 = FloatVector.fromArray(S, src, t6 + ox + V).fma(w6, a1);
            a2 = FloatVector.fromArray(S, src, t6 + ox + 2 * V).fma(w6, a2);
            a3 = FloatVector.fromArray(S, src, t6 + ox + 3 * V).fma(w6, a3);
            a0 = FloatVector.fromArray(S, src, t7 + ox).fma(w7, a0);
            a1 = FloatVector.fromArray(S, src, t7 + ox + V).fma(w7, a1);
            a2 = FloatVector.fromArray(S, src, t7 + ox + 2 * V).fma(w7, a2);
            a3 = FloatVector.fromArray(S, src, t7 + ox + 3 * V).fma(w7, a3);
            a0 = FloatVector.fromArray(S, src, t8 + ox).fma(w8, a0);
            a1 = FloatVector.fromArray(S, src, t8 + ox + V).fma(w8, a1);
            a2 = FloatVector.fromArray(S, src, t8 + ox + 2 * V).fma(w8, a2);
            a3 = FloatVector.fromArray(S, src, t8 + ox + 3 * V).fma(w8, a3);
            a0.intoArray(out, outOff + ox);
            a1.intoArray(out, outOff + ox + V);
            a2.intoArray(out, outOff + ox + 2 * V);
            a3.intoArray(out, outOff + ox + 3 * V);
        }
        return ox;
    }

    @Override
    public void rows3x3(float[] y, int yOff, int hout, int wout, int wq, float bias, float[] src, int[] taps, float[] w, int wOff) {
        FloatVector w00 = FloatVector.broadcast(S, w[wOff + 0]);
        FloatVector w01 = FloatVector.broadcast(S, w[wOff + 1]);
        FloatVector w02 = FloatVector.broadcast(S, w[wOff + 2]);
        FloatVector w10 = FloatVector.broadcast(S, w[wOff + 3]);
        FloatVector w11 = FloatVector.broadcast(S, w[wOff + 4]);
        FloatVector w12 = FloatVector.broadcast(S, w[wOff + 5]);
        FloatVector w20 = FloatVector.broadcast(S, w[wOff + 6]);
        FloatVector w21 = FloatVector.broadcast(S, w[wOff + 7]);
        FloatVector w22 = FloatVector.broadcast(S, w[wOff + 8]);
        int c0 = taps[0];
        int c1 = taps[1];
        int c2 = taps[2];
        int wq2 = 2 * wq;
        int wq3 = 3 * wq;
        int wq4 = 4 * wq;
        int wq5 = 5 * wq;
        FloatVector b = FloatVector.broadcast(S, bias);
        for (int oy = 0; oy < hout; oy += 4) {
            int row = Math.min(oy, hout - 4);              // the last group moves back to end at hout (same values again)
            int first = row * wq;
            int out = yOff + row * wout;
            for (int ox = 0; ox < wout; ox += V) {
                int at = Math.min(ox, wout - V);           // the last vector moves back to end at wout (same values again)
                int p = first + at;
                FloatVector a0 = b;
                FloatVector a1 = b;
                FloatVector a2 = b;
                FloatVector a3 = b;
                FloatVector v0 = FloatVector.fromArray(S, src, c0 + p);
                FloatVector v1 = FloatVector.fromArray(S, src, c0 + p + wq);
                FloatVector v2 = FloatVector.fromArray(S, src, c0 + p + wq2);
                FloatVector v3 = FloatVector.fromArray(S, src, c0 + p + wq3);
                FloatVector v4 = FloatVector.fromArray(S, src, c0 + p + wq4);
                FloatVector v5 = FloatVector.fromArray(S, src, c0 + p + wq5);
                a0 = v0.fma(w00, a0);
                a0 = v1.fma(w10, a0);
                a0 = v2.fma(w20, a0);
                a1 = v1.fma(w00, a1);
                a1 = v2.fma(w10, a1);
                a1 = v3.fma(w20, a1);
                a2 = v2.fma(w00, a2);
                a2 = v3.fma(w10, a2);
                a2 = v4.fma(w20, a2);
                a3 = v3.fma(w00, a3);
                a3 = v4.fma(w10, a3);
                a3 = v5.fma(w20, a3);
                v0 = FloatVector.fromArray(S, src, c1 + p);
                v1 = FloatVector.fromArray(S, src, c1 + p + wq);
                v2 = FloatVector.fromArray(S, src, c1 + p + wq2);
                v3 = FloatVector.fromArray(S, src, c1 + p + wq3);
                v4 = FloatVector.fromArray(S, src, c1 + p + wq4);
                v5 = FloatVector.fromArray(S, src, c1 + p + wq5);
                a0 = v0.fma(w01, a0);
                a0 = v1.fma(w11, a0);
                a0 = v2.fma(w21, a0);
                a1 = v1.fma(w01, a1);
                a1 = v2.fma(w11, a1);
                a1 = v3.fma(w21, a1);
                a2 = v2.fma(w01, a2);
                a2 = v3.fma(w11, a2);
                a2 = v4.fma(w21, a2);
                a3 = v3.fma(w01, a3);
                a3 = v4.fma(w11, a3);
                a3 = v5.fma(w21, a3);
                v0 = FloatVector.fromArray(S, src, c2 + p);
                v1 = FloatVector.fromArray(S, src, c2 + p + wq);
                v2 = FloatVector.fromArray(S, src, c2 + p + wq2);
                v3 = FloatVector.fromArray(S, src, c2 + p + wq3);
                v4 = FloatVector.fromArray(S, src, c2 + p + wq4);
                v5 = FloatVector.fromArray(S, src, c2 + p + wq5);
                a0 = v0.fma(w02, a0);
                a0 = v1.fma(w12, a0);
                a0 = v2.fma(w22, a0);
                a1 = v1.fma(w02, a1);
                a1 = v2.fma(w12, a1);
                a1 = v3.fma(w22, a1);
                a2 = v2.fma(w02, a2);
                a2 = v3.fma(w12, a2);
                a2 = v4.fma(w22, a2);
                a3 = v3.fma(w02, a3);
                a3 = v4.fma(w12, a3);
                a3 = v5.fma(w22, a3);
                a0.intoArray(y, out + at);
                a1.intoArray(y, out + wout + at);
                a2.intoArray(y, out + 2 * wout + at);
                a3.intoArray(y, out + 3 * wout + at);
            }
        }
    }
}
