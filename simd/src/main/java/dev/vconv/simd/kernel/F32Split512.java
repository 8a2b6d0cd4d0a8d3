package dev.vconv.simd.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link StrideSplit} on 512-bit vectors: 32 floats in as two vectors, one two-vector permute for each phase
 * out, two such steps per iteration, then one, the last ending at the row's end; rows of fewer than 16 pairs by
 * the plain loop. The body stays above C2's
 * {@code FreqInlineSize} (325 bytes of bytecode) so that C2 compiles it by itself on its constant species
 * and never inlines it into the width-generic callers ({@code docs/KERNELS.md}).
 */
final class F32Split512 implements StrideSplit {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    static final int V = 16;
    // Lane i takes lane 2i (2i + 1) of the pair (a, b): indices past the first vector select from the second.
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, i -> 2 * i);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(S, i -> 2 * i + 1);

    @Override
    public void split(float[] src, int s, float[] even, int e, float[] odd, int o, int n) {
        int t = 0;
        for (; t + 2 * V <= n; t += 2 * V) {
            int from = s + 2 * t;
            FloatVector a = FloatVector.fromArray(S, src, from);
            FloatVector b = FloatVector.fromArray(S, src, from + V);
            FloatVector c = FloatVector.fromArray(S, src, from + 2 * V);
            FloatVector d = FloatVector.fromArray(S, src, from + 3 * V);
            a.rearrange(EVEN, b).intoArray(even, e + t);
            a.rearrange(ODD, b).intoArray(odd, o + t);
            c.rearrange(EVEN, d).intoArray(even, e + t + V);
            c.rearrange(ODD, d).intoArray(odd, o + t + V);
        }
        // One vector at a time; the last one ends at n, overlapping pairs already written with the same values,
        // so that a row of at least V pairs has no scalar tail (28 pairs: at 0 and 12).
        for (; n >= V && t < n; t += V) {
            int at = Math.min(t, n - V);
            int from = s + 2 * at;
            FloatVector a = FloatVector.fromArray(S, src, from);
            FloatVector b = FloatVector.fromArray(S, src, from + V);
            a.rearrange(EVEN, b).intoArray(even, e + at);
            a.rearrange(ODD, b).intoArray(odd, o + at);
        }
        for (; t + 4 <= n; t += 4) {                   // rows of fewer than V pairs, four pairs at a time
            int from = s + 2 * t;
            even[e + t] = src[from];
            odd[o + t] = src[from + 1];
            even[e + t + 1] = src[from + 2];
            odd[o + t + 1] = src[from + 3];
            even[e + t + 2] = src[from + 4];
            odd[o + t + 2] = src[from + 5];
            even[e + t + 3] = src[from + 6];
            odd[o + t + 3] = src[from + 7];
        }
        for (; t < n; t++) {
            even[e + t] = src[s + 2 * t];
            odd[o + t] = src[s + 2 * t + 1];
        }
    }
}
