// Generated from simd/src/main/templates/F32Split.java.in by dev.vconv.simd.kernel.generator.KernelGenerator: do not edit.
// Regenerate: ./mvnw -q -pl simd -am test -Dtest=GeneratedKernelsTest -Dvconv.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false
package dev.vconv.simd.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link StrideSplit} on 256-bit vectors, with one-vector permutes only: 16 floats in as two vectors, each
 * permuted by itself ({@code vpermps}) so that its even (odd) elements fill its low and high halves alike, and
 * the low half of the first blended with the high half of the second ({@code vblendps}). No two-vector permute:
 * AVX2 has none, and a version with them at 256 bits fell into the Vector API's boxing fallback
 * ({@code docs/KERNELS.md}). The last vector of a row of at least 8 pairs ends at the row's end, overlapping pairs
 * already written with the same values; shorter rows take the plain loop. The body stays above C2's
 * {@code FreqInlineSize}, as {@link F32Split512}'s.
 */
final class F32Split256 implements StrideSplit {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    static final int V = 8;
    // Lane i (and i + 4) takes element 2i (2i + 1) of the vector, i < 4; HIGH takes lanes 4-7 from the
    // second vector. Also F32DwconvWrapped256's.
    static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, i -> 2 * (i % 4));
    static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(S, i -> 2 * (i % 4) + 1);
    static final VectorMask<Float> HIGH = VectorMask.fromLong(S, 0xF0);

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
        for (; t < n; t++) {                           // the last pairs one at a time
            even[e + t] = src[s + 2 * t];
            odd[o + t] = src[s + 2 * t + 1];
        }
    }
}
