package dev.vconv.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link DepthwiseKernel} on 128-bit vectors: four vectors of outputs (16 columns) per step with their
 * accumulators in registers across all taps, so each tap costs one broadcast and four load-FMAs; then single
 * vectors, then the scalar tail.
 */
final class F32Dwconv128 implements DepthwiseKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_128;
    static final int V = 4;

    @Override
    public int step() {
        return 4 * V;
    }

    @Override
    public void row(float[] out, int outOff, int wout, float bias, float[] src, int[] taps, float[] w, int wOff) {
        int ox = 0;
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
}
