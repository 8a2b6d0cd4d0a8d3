package dev.vconv.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Splits a stretch of floats into its even and odd elements, {@code even[t] = src[2t]}, {@code odd[t] = src[2t+1]}:
 * the two width phases of a stride-2 convolution's input rows ({@link ImplicitPath}). Two vectors in, one
 * two-vector permute for each phase out; a strided scalar loop took about five times as long. One method per
 * width, each on its own constant species (C2 intrinsifies only those).
 */
final class StrideSplit {
    private static final VectorSpecies<Float> S128 = FloatVector.SPECIES_128;
    private static final VectorSpecies<Float> S256 = FloatVector.SPECIES_256;
    private static final VectorSpecies<Float> S512 = FloatVector.SPECIES_512;
    // Source lanes 2i (2i+1) of the pair (a, b): indices past the first vector select from the second.
    private static final VectorShuffle<Float> EVEN128 = VectorShuffle.fromOp(S128, i -> 2 * i);
    private static final VectorShuffle<Float> ODD128 = VectorShuffle.fromOp(S128, i -> 2 * i + 1);
    private static final VectorShuffle<Float> EVEN256 = VectorShuffle.fromOp(S256, i -> 2 * i);
    private static final VectorShuffle<Float> ODD256 = VectorShuffle.fromOp(S256, i -> 2 * i + 1);
    private static final VectorShuffle<Float> EVEN512 = VectorShuffle.fromOp(S512, i -> 2 * i);
    private static final VectorShuffle<Float> ODD512 = VectorShuffle.fromOp(S512, i -> 2 * i + 1);

    private StrideSplit() {
    }

    /** {@code even[e + t] = src[s + 2t]}, {@code odd[o + t] = src[s + 2t + 1]} for {@code t < n}, in vectors of {@code bits}. */
    static void split(int bits, float[] src, int s, float[] even, int e, float[] odd, int o, int n) {
        int done = switch (bits) {
            case 512 -> split512(src, s, even, e, odd, o, n);
            case 256 -> split256(src, s, even, e, odd, o, n);
            default -> split128(src, s, even, e, odd, o, n);
        };
        for (int t = done; t < n; t++) {
            even[e + t] = src[s + 2 * t];
            odd[o + t] = src[s + 2 * t + 1];
        }
    }

    private static int split512(float[] src, int s, float[] even, int e, float[] odd, int o, int n) {
        int v = S512.length();
        int t = 0;
        for (; t + v <= n; t += v) {
            FloatVector a = FloatVector.fromArray(S512, src, s + 2 * t);
            FloatVector b = FloatVector.fromArray(S512, src, s + 2 * t + v);
            a.rearrange(EVEN512, b).intoArray(even, e + t);
            a.rearrange(ODD512, b).intoArray(odd, o + t);
        }
        if (t < n) {                  // the tail: one masked step (a scalar loop cost as much as the vectors)
            VectorMask<Float> first = S512.indexInRange(2 * t, 2 * n);
            VectorMask<Float> second = S512.indexInRange(2 * t + v, 2 * n);
            VectorMask<Float> out = S512.indexInRange(t, n);
            FloatVector a = FloatVector.fromArray(S512, src, s + 2 * t, first);
            FloatVector b = FloatVector.fromArray(S512, src, s + 2 * t + v, second);
            a.rearrange(EVEN512, b).intoArray(even, e + t, out);
            a.rearrange(ODD512, b).intoArray(odd, o + t, out);
        }
        return n;
    }

    private static int split256(float[] src, int s, float[] even, int e, float[] odd, int o, int n) {
        int v = S256.length();
        int t = 0;
        for (; t + v <= n; t += v) {
            FloatVector a = FloatVector.fromArray(S256, src, s + 2 * t);
            FloatVector b = FloatVector.fromArray(S256, src, s + 2 * t + v);
            a.rearrange(EVEN256, b).intoArray(even, e + t);
            a.rearrange(ODD256, b).intoArray(odd, o + t);
        }
        if (t < n) {                  // the tail: one masked step (a scalar loop cost as much as the vectors)
            VectorMask<Float> first = S256.indexInRange(2 * t, 2 * n);
            VectorMask<Float> second = S256.indexInRange(2 * t + v, 2 * n);
            VectorMask<Float> out = S256.indexInRange(t, n);
            FloatVector a = FloatVector.fromArray(S256, src, s + 2 * t, first);
            FloatVector b = FloatVector.fromArray(S256, src, s + 2 * t + v, second);
            a.rearrange(EVEN256, b).intoArray(even, e + t, out);
            a.rearrange(ODD256, b).intoArray(odd, o + t, out);
        }
        return n;
    }

    private static int split128(float[] src, int s, float[] even, int e, float[] odd, int o, int n) {
        int v = S128.length();
        int t = 0;
        for (; t + v <= n; t += v) {
            FloatVector a = FloatVector.fromArray(S128, src, s + 2 * t);
            FloatVector b = FloatVector.fromArray(S128, src, s + 2 * t + v);
            a.rearrange(EVEN128, b).intoArray(even, e + t);
            a.rearrange(ODD128, b).intoArray(odd, o + t);
        }
        if (t < n) {                  // the tail: one masked step (a scalar loop cost as much as the vectors)
            VectorMask<Float> first = S128.indexInRange(2 * t, 2 * n);
            VectorMask<Float> second = S128.indexInRange(2 * t + v, 2 * n);
            VectorMask<Float> out = S128.indexInRange(t, n);
            FloatVector a = FloatVector.fromArray(S128, src, s + 2 * t, first);
            FloatVector b = FloatVector.fromArray(S128, src, s + 2 * t + v, second);
            a.rearrange(EVEN128, b).intoArray(even, e + t, out);
            a.rearrange(ODD128, b).intoArray(odd, o + t, out);
        }
        return n;
    }
}
