package dev.vconv.simd.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link StrideSplit} on 128-bit vectors, as {@link F32Split256} on 4 lanes: each vector permuted by itself and
 * blended with the next; rows of fewer than 4 pairs by the plain loop. The body stays above C2's
 * {@code FreqInlineSize}, as {@link F32Split512}'s.
 */
final class F32Split128 implements StrideSplit {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_128;
    static final int V = 4;
    // Lane i (and i + 2) takes element 2i (2i + 1) of the vector, i < 2; HIGH takes lanes 2-3 from the second
    // vector.
    static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, i -> 2 * (i % 2));
    static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(S, i -> 2 * (i % 2) + 1);
    static final VectorMask<Float> HIGH = VectorMask.fromLong(S, 0xC);

    @Override
    public void split(float[] src, int s, float[] even, int e, float[] odd, int o, int n) {
        int t = 0;
        for (; t + 2 * V <= n; t += 2 * V) {
            int from = s + 2 * t;
            FloatVector a = FloatVector.fromArray(S, src, from);
            FloatVector b = FloatVector.fromArray(S, src, from + V);
            FloatVector c = FloatVector.fromArray(S, src, from + 2 * V);
            FloatVector d = FloatVector.fromArray(S, src, from + 3 * V);
            a.rearrange(EVEN).blend(b.rearrange(EVEN), HIGH).intoArray(even, e + t);
            a.rearrange(ODD).blend(b.rearrange(ODD), HIGH).intoArray(odd, o + t);
            c.rearrange(EVEN).blend(d.rearrange(EVEN), HIGH).intoArray(even, e + t + V);
            c.rearrange(ODD).blend(d.rearrange(ODD), HIGH).intoArray(odd, o + t + V);
        }
        // One vector at a time; the last one ends at n, overlapping pairs already written with the same values.
        for (; n >= V && t < n; t += V) {
            int at = Math.min(t, n - V);
            int from = s + 2 * at;
            FloatVector a = FloatVector.fromArray(S, src, from);
            FloatVector b = FloatVector.fromArray(S, src, from + V);
            a.rearrange(EVEN).blend(b.rearrange(EVEN), HIGH).intoArray(even, e + at);
            a.rearrange(ODD).blend(b.rearrange(ODD), HIGH).intoArray(odd, o + at);
        }
        for (; t < n; t++) {                          // rows of fewer than V pairs
            even[e + t] = src[s + 2 * t];
            odd[o + t] = src[s + 2 * t + 1];
        }
    }
}
