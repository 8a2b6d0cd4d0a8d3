// Generated from simd/src/main/templates/F32Winograd.java.in by dev.vconv.simd.kernel.generator.KernelGenerator: do not edit.
// Regenerate: ./mvnw -q -pl simd -am test -Dtest=GeneratedKernelsTest -Dvconv.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false
package dev.vconv.simd.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link WinogradKernel} on 128-bit vectors: 4 tiles (or, in the output transforms across channels, 4
 * output channels) a vector. Each
 * transform runs in two passes through {@code tmp} (columns, then rows), six vectors in and six (four) out at a
 * time, so that no more than about a dozen vectors are live.
 */
final class F32Winograd128 implements WinogradKernel {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_128;
    static final int V = 4;

    @Override
    public int lanes() {
        return V;
    }

    @Override
    public void expand(float[] row, int rOff, int tiles, float[] e, int eOff, int eStride) {
        for (int j = 0; j < 6; j++) {
            for (int t = 0, to = eOff + j * eStride, from = rOff + j; t < tiles; t++, from += 4) {
                e[to + t] = row[from];
            }
        }
    }

    @Override
    public void input(float[] e, int eOff, int eStride, float[] v, int vOff, int vStride, float[] tmp) {
        for (int j = 0; j < 6; j++) {                    // B^T d: down column j of the windows
            int at = eOff + j * eStride;
            FloatVector d0 = FloatVector.fromArray(S, e, at);
            FloatVector d1 = FloatVector.fromArray(S, e, at + 6 * eStride);
            FloatVector d2 = FloatVector.fromArray(S, e, at + 12 * eStride);
            FloatVector d3 = FloatVector.fromArray(S, e, at + 18 * eStride);
            FloatVector d4 = FloatVector.fromArray(S, e, at + 24 * eStride);
            FloatVector d5 = FloatVector.fromArray(S, e, at + 30 * eStride);
            FloatVector four = FloatVector.broadcast(S, 4f);
            FloatVector minusFive = FloatVector.broadcast(S, -5f);
            FloatVector s12 = d1.add(d2);
            FloatVector d12 = d1.sub(d2);
            FloatVector d31 = d3.sub(d1);
            FloatVector d42 = d4.sub(d2);
            d0.fma(four, d2.fma(minusFive, d4)).intoArray(tmp, j * V);
            s12.fma(FloatVector.broadcast(S, -4f), d3.add(d4)).intoArray(tmp, (6 + j) * V);
            d12.fma(four, d4.sub(d3)).intoArray(tmp, (12 + j) * V);
            d31.fma(FloatVector.broadcast(S, 2f), d42).intoArray(tmp, (18 + j) * V);
            d31.fma(FloatVector.broadcast(S, -2f), d42).intoArray(tmp, (24 + j) * V);
            d1.fma(four, d3.fma(minusFive, d5)).intoArray(tmp, (30 + j) * V);
        }
        for (int i = 0; i < 6; i++) {                    // (B^T d) B: along row i
            int at = i * 6 * V;
            FloatVector d0 = FloatVector.fromArray(S, tmp, at);
            FloatVector d1 = FloatVector.fromArray(S, tmp, at + V);
            FloatVector d2 = FloatVector.fromArray(S, tmp, at + 2 * V);
            FloatVector d3 = FloatVector.fromArray(S, tmp, at + 3 * V);
            FloatVector d4 = FloatVector.fromArray(S, tmp, at + 4 * V);
            FloatVector d5 = FloatVector.fromArray(S, tmp, at + 5 * V);
            FloatVector four = FloatVector.broadcast(S, 4f);
            FloatVector minusFive = FloatVector.broadcast(S, -5f);
            FloatVector s12 = d1.add(d2);
            FloatVector d12 = d1.sub(d2);
            FloatVector d31 = d3.sub(d1);
            FloatVector d42 = d4.sub(d2);
            int to = vOff + i * 6 * vStride;
            d0.fma(four, d2.fma(minusFive, d4)).intoArray(v, to);
            s12.fma(FloatVector.broadcast(S, -4f), d3.add(d4)).intoArray(v, to + vStride);
            d12.fma(four, d4.sub(d3)).intoArray(v, to + 2 * vStride);
            d31.fma(FloatVector.broadcast(S, 2f), d42).intoArray(v, to + 3 * vStride);
            d31.fma(FloatVector.broadcast(S, -2f), d42).intoArray(v, to + 4 * vStride);
            d1.fma(four, d3.fma(minusFive, d5)).intoArray(v, to + 5 * vStride);
        }
    }

    @Override
    public void output(float[] m, int mOff, int mStride, float bias, float[] tmp, float[] out, int[] map, int mapOff, int lanes,
                       int ld) {
        for (int j = 0; j < 6; j++) {                    // A^T m: down column j
            int at = mOff + j * mStride;
            FloatVector m0 = FloatVector.fromArray(S, m, at);
            FloatVector m1 = FloatVector.fromArray(S, m, at + 6 * mStride);
            FloatVector m2 = FloatVector.fromArray(S, m, at + 12 * mStride);
            FloatVector m3 = FloatVector.fromArray(S, m, at + 18 * mStride);
            FloatVector m4 = FloatVector.fromArray(S, m, at + 24 * mStride);
            FloatVector m5 = FloatVector.fromArray(S, m, at + 30 * mStride);
            FloatVector a = m1.add(m2);
            FloatVector b = m1.sub(m2);
            FloatVector c = m3.add(m4);
            FloatVector e = m3.sub(m4);
            m0.add(a).add(c).intoArray(tmp, j * V);
            e.fma(FloatVector.broadcast(S, 2f), b).intoArray(tmp, (6 + j) * V);
            c.fma(FloatVector.broadcast(S, 4f), a).intoArray(tmp, (12 + j) * V);
            e.fma(FloatVector.broadcast(S, 8f), b).add(m5).intoArray(tmp, (18 + j) * V);
        }
        for (int i = 0; i < 4; i++) {                    // (A^T m) A + bias: along row i, into tmp from 24 V
            int at = i * 6 * V;
            FloatVector m0 = FloatVector.fromArray(S, tmp, at);
            FloatVector m1 = FloatVector.fromArray(S, tmp, at + V);
            FloatVector m2 = FloatVector.fromArray(S, tmp, at + 2 * V);
            FloatVector m3 = FloatVector.fromArray(S, tmp, at + 3 * V);
            FloatVector m4 = FloatVector.fromArray(S, tmp, at + 4 * V);
            FloatVector m5 = FloatVector.fromArray(S, tmp, at + 5 * V);
            FloatVector bv = FloatVector.broadcast(S, bias);
            FloatVector a = m1.add(m2);
            FloatVector b = m1.sub(m2);
            FloatVector c = m3.add(m4);
            FloatVector e = m3.sub(m4);
            int to = (24 + i * 4) * V;
            m0.add(a).add(c).add(bv).intoArray(tmp, to);
            e.fma(FloatVector.broadcast(S, 2f), b).add(bv).intoArray(tmp, to + V);
            c.fma(FloatVector.broadcast(S, 4f), a).add(bv).intoArray(tmp, to + 2 * V);
            e.fma(FloatVector.broadcast(S, 8f), b).add(m5).add(bv).intoArray(tmp, to + 3 * V);
        }
        for (int l = 0; l < lanes; l++) {
            scatter(tmp, l, out, map[mapOff + l], ld);
        }
    }

    @Override
    public void outputChannels(float[] m, int mOff, int mStride, float[] bias, int biasOff, float[] tmp, float[] out, int outOff,
                               int channelStride, int ld) {
        for (int j = 0; j < 6; j++) {                    // A^T m: down column j
            int at = mOff + j * mStride;
            FloatVector m0 = FloatVector.fromArray(S, m, at);
            FloatVector m1 = FloatVector.fromArray(S, m, at + 6 * mStride);
            FloatVector m2 = FloatVector.fromArray(S, m, at + 12 * mStride);
            FloatVector m3 = FloatVector.fromArray(S, m, at + 18 * mStride);
            FloatVector m4 = FloatVector.fromArray(S, m, at + 24 * mStride);
            FloatVector m5 = FloatVector.fromArray(S, m, at + 30 * mStride);
            FloatVector a = m1.add(m2);
            FloatVector b = m1.sub(m2);
            FloatVector c = m3.add(m4);
            FloatVector e = m3.sub(m4);
            m0.add(a).add(c).intoArray(tmp, j * V);
            e.fma(FloatVector.broadcast(S, 2f), b).intoArray(tmp, (6 + j) * V);
            c.fma(FloatVector.broadcast(S, 4f), a).intoArray(tmp, (12 + j) * V);
            e.fma(FloatVector.broadcast(S, 8f), b).add(m5).intoArray(tmp, (18 + j) * V);
        }
        FloatVector bv = FloatVector.fromArray(S, bias, biasOff);
        for (int i = 0; i < 4; i++) {                    // (A^T m) A + bias: along row i, into tmp from 24 V
            int at = i * 6 * V;
            FloatVector m0 = FloatVector.fromArray(S, tmp, at);
            FloatVector m1 = FloatVector.fromArray(S, tmp, at + V);
            FloatVector m2 = FloatVector.fromArray(S, tmp, at + 2 * V);
            FloatVector m3 = FloatVector.fromArray(S, tmp, at + 3 * V);
            FloatVector m4 = FloatVector.fromArray(S, tmp, at + 4 * V);
            FloatVector m5 = FloatVector.fromArray(S, tmp, at + 5 * V);
            FloatVector a = m1.add(m2);
            FloatVector b = m1.sub(m2);
            FloatVector c = m3.add(m4);
            FloatVector e = m3.sub(m4);
            int to = (24 + i * 4) * V;
            m0.add(a).add(c).add(bv).intoArray(tmp, to);
            e.fma(FloatVector.broadcast(S, 2f), b).add(bv).intoArray(tmp, to + V);
            c.fma(FloatVector.broadcast(S, 4f), a).add(bv).intoArray(tmp, to + 2 * V);
            e.fma(FloatVector.broadcast(S, 8f), b).add(m5).add(bv).intoArray(tmp, to + 3 * V);
        }
        for (int l = 0; l < V; l++) {                    // channel l's 4x4 into its own plane
            scatter(tmp, l, out, outOff + l * channelStride, ld);
        }
    }

    @Override
    public void expand2(float[] row, int rOff, int tiles, float[] e, int eOff, int eStride) {
        for (int j = 0; j < 4; j++) {
            for (int t = 0, to = eOff + j * eStride, from = rOff + j; t < tiles; t++, from += 2) {
                e[to + t] = row[from];
            }
        }
    }

    @Override
    public void input2(float[] e, int eOff, int eStride, float[] v, int vOff, int vStride, float[] tmp) {
        for (int j = 0; j < 4; j++) {                    // B^T d: down column j of the windows
            int at = eOff + j * eStride;
            FloatVector d0 = FloatVector.fromArray(S, e, at);
            FloatVector d1 = FloatVector.fromArray(S, e, at + 4 * eStride);
            FloatVector d2 = FloatVector.fromArray(S, e, at + 8 * eStride);
            FloatVector d3 = FloatVector.fromArray(S, e, at + 12 * eStride);
            d0.sub(d2).intoArray(tmp, j * V);
            d1.add(d2).intoArray(tmp, (4 + j) * V);
            d2.sub(d1).intoArray(tmp, (8 + j) * V);
            d1.sub(d3).intoArray(tmp, (12 + j) * V);
        }
        for (int i = 0; i < 4; i++) {                    // (B^T d) B: along row i
            int at = i * 4 * V;
            FloatVector d0 = FloatVector.fromArray(S, tmp, at);
            FloatVector d1 = FloatVector.fromArray(S, tmp, at + V);
            FloatVector d2 = FloatVector.fromArray(S, tmp, at + 2 * V);
            FloatVector d3 = FloatVector.fromArray(S, tmp, at + 3 * V);
            int to = vOff + i * 4 * vStride;
            d0.sub(d2).intoArray(v, to);
            d1.add(d2).intoArray(v, to + vStride);
            d2.sub(d1).intoArray(v, to + 2 * vStride);
            d1.sub(d3).intoArray(v, to + 3 * vStride);
        }
    }

    @Override
    public void outputChannels2(float[] m, int mOff, int mStride, float[] bias, int biasOff, float[] tmp, float[] out, int outOff,
                                int channelStride, int ld) {
        for (int j = 0; j < 4; j++) {                    // A^T m: down column j
            int at = mOff + j * mStride;
            FloatVector m0 = FloatVector.fromArray(S, m, at);
            FloatVector m1 = FloatVector.fromArray(S, m, at + 4 * mStride);
            FloatVector m2 = FloatVector.fromArray(S, m, at + 8 * mStride);
            FloatVector m3 = FloatVector.fromArray(S, m, at + 12 * mStride);
            m0.add(m1).add(m2).intoArray(tmp, j * V);
            m1.sub(m2).sub(m3).intoArray(tmp, (4 + j) * V);
        }
        FloatVector bv = FloatVector.fromArray(S, bias, biasOff);
        for (int i = 0; i < 2; i++) {                    // (A^T m) A + bias: along row i, into tmp from 8 V
            int at = i * 4 * V;
            FloatVector m0 = FloatVector.fromArray(S, tmp, at);
            FloatVector m1 = FloatVector.fromArray(S, tmp, at + V);
            FloatVector m2 = FloatVector.fromArray(S, tmp, at + 2 * V);
            FloatVector m3 = FloatVector.fromArray(S, tmp, at + 3 * V);
            m0.add(m1).add(m2).add(bv).intoArray(tmp, (8 + i * 2) * V);
            m1.sub(m2).sub(m3).add(bv).intoArray(tmp, (9 + i * 2) * V);
        }
        for (int l = 0, o = outOff; l < V; l++, o += channelStride) {   // channel l's 2x2 into its own plane
            int t = 8 * V + l;
            out[o] = tmp[t];
            out[o + 1] = tmp[t + V];
            out[o + ld] = tmp[t + 2 * V];
            out[o + ld + 1] = tmp[t + 3 * V];
        }
    }

    /** Tile {@code l}'s 4x4 outputs from tmp (from 24 V, a vector per output) to {@code out[o + i*ld + j]}. */
    private static void scatter(float[] tmp, int l, float[] out, int o, int ld) {
        int t = 24 * V + l;
        for (int i = 0; i < 4; i++, o += ld, t += 4 * V) {
            out[o] = tmp[t];
            out[o + 1] = tmp[t + V];
            out[o + 2] = tmp[t + 2 * V];
            out[o + 3] = tmp[t + 3 * V];
        }
    }
}
