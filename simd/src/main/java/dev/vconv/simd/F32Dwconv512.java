package dev.vconv.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/** {@link DepthwiseKernel} on 512-bit vectors: 16 output columns per step, a fused multiply-add per tap. */
final class F32Dwconv512 implements DepthwiseKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;

    @Override
    public void row(float[] out, int outOff, int wout, float bias, float[] src, int[] taps, float[] w, int wOff, boolean relu) {
        int ox = 0;
        for (int end = S.loopBound(wout); ox < end; ox += S.length()) {
            FloatVector acc = FloatVector.broadcast(S, bias);
            for (int t = 0; t < taps.length; t++) {
                acc = FloatVector.fromArray(S, src, taps[t] + ox).fma(FloatVector.broadcast(S, w[wOff + t]), acc);
            }
            if (relu) {
                acc = acc.max(0f);
            }
            acc.intoArray(out, outOff + ox);
        }
        DepthwisePath.scalarTail(out, outOff, ox, wout, bias, src, taps, w, wOff, relu);
    }
}
