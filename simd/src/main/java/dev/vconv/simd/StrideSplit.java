package dev.vconv.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Splits rows of floats into their even and odd elements, {@code even[t] = src[2t]}, {@code odd[t] = src[2t+1]}:
 * the two width phases of a stride-2 convolution's input rows ({@link ImplicitPath}). Two vectors in, one
 * two-vector permute for each phase out; the strided scalar copy took three to five times as long (a stride-2
 * ResNet layer lost ~15 % without this). One method per width, each on its own constant species (C2
 * intrinsifies only those), each doing whole rows, short rows by a scalar loop: bodies above C2's
 * {@code FreqInlineSize} (325 bytes of bytecode), so that they are compiled by themselves and never inlined
 * into the width-generic caller, where, next to another width's vector code, C2 was seen to keep the Vector
 * API's boxing fallback (see {@link DepthwiseKernel#row}).
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

    /**
     * For each of {@code rows} rows {@code r}: {@code even[e + r*dstStride + t] = src[s + r*srcStride + 2t]} and
     * {@code odd[o + r*dstStride + t] = src[s + r*srcStride + 2t + 1]} for {@code t < n}, in vectors of {@code bits}.
     */
    static void splitRows(int bits, float[] src, int s, int srcStride, float[] even, int e, float[] odd, int o, int dstStride,
                          int rows, int n) {
        switch (bits) {
            case 512 -> rows512(src, s, srcStride, even, e, odd, o, dstStride, rows, n);
            case 256 -> rows256(src, s, srcStride, even, e, odd, o, dstStride, rows, n);
            default -> rows128(src, s, srcStride, even, e, odd, o, dstStride, rows, n);
        }
    }

    private static void rows512(float[] src, int s, int srcStride, float[] even, int e, float[] odd, int o, int dstStride,
                               int rows, int n) {
        int v = S512.length();
        for (int r = 0; r < rows; r++) {
            int from = s + r * srcStride;
            int toEven = e + r * dstStride;
            int toOdd = o + r * dstStride;
            if (n < v) {                                // a row shorter than a vector: plain copies
                for (int t = 0; t < n; t++) {
                    even[toEven + t] = src[from + 2 * t];
                    odd[toOdd + t] = src[from + 2 * t + 1];
                }
                continue;
            }
            int t = 0;
            for (; t + v <= n; t += v) {
                FloatVector a = FloatVector.fromArray(S512, src, from + 2 * t);
                FloatVector b = FloatVector.fromArray(S512, src, from + 2 * t + v);
                a.rearrange(EVEN512, b).intoArray(even, toEven + t);
                a.rearrange(ODD512, b).intoArray(odd, toOdd + t);
            }
            if (t < n) {                                // the tail: one masked step
                VectorMask<Float> first = S512.indexInRange(2 * t, 2 * n);
                VectorMask<Float> second = S512.indexInRange(2 * t + v, 2 * n);
                VectorMask<Float> out = S512.indexInRange(t, n);
                FloatVector a = FloatVector.fromArray(S512, src, from + 2 * t, first);
                FloatVector b = FloatVector.fromArray(S512, src, from + 2 * t + v, second);
                a.rearrange(EVEN512, b).intoArray(even, toEven + t, out);
                a.rearrange(ODD512, b).intoArray(odd, toOdd + t, out);
            }
        }
    }

    private static void rows256(float[] src, int s, int srcStride, float[] even, int e, float[] odd, int o, int dstStride,
                               int rows, int n) {
        int v = S256.length();
        for (int r = 0; r < rows; r++) {
            int from = s + r * srcStride;
            int toEven = e + r * dstStride;
            int toOdd = o + r * dstStride;
            if (n < v) {                                // a row shorter than a vector: plain copies
                for (int t = 0; t < n; t++) {
                    even[toEven + t] = src[from + 2 * t];
                    odd[toOdd + t] = src[from + 2 * t + 1];
                }
                continue;
            }
            int t = 0;
            for (; t + v <= n; t += v) {
                FloatVector a = FloatVector.fromArray(S256, src, from + 2 * t);
                FloatVector b = FloatVector.fromArray(S256, src, from + 2 * t + v);
                a.rearrange(EVEN256, b).intoArray(even, toEven + t);
                a.rearrange(ODD256, b).intoArray(odd, toOdd + t);
            }
            if (t < n) {                                // the tail: one masked step
                VectorMask<Float> first = S256.indexInRange(2 * t, 2 * n);
                VectorMask<Float> second = S256.indexInRange(2 * t + v, 2 * n);
                VectorMask<Float> out = S256.indexInRange(t, n);
                FloatVector a = FloatVector.fromArray(S256, src, from + 2 * t, first);
                FloatVector b = FloatVector.fromArray(S256, src, from + 2 * t + v, second);
                a.rearrange(EVEN256, b).intoArray(even, toEven + t, out);
                a.rearrange(ODD256, b).intoArray(odd, toOdd + t, out);
            }
        }
    }

    private static void rows128(float[] src, int s, int srcStride, float[] even, int e, float[] odd, int o, int dstStride,
                               int rows, int n) {
        int v = S128.length();
        for (int r = 0; r < rows; r++) {
            int from = s + r * srcStride;
            int toEven = e + r * dstStride;
            int toOdd = o + r * dstStride;
            if (n < v) {                                // a row shorter than a vector: plain copies
                for (int t = 0; t < n; t++) {
                    even[toEven + t] = src[from + 2 * t];
                    odd[toOdd + t] = src[from + 2 * t + 1];
                }
                continue;
            }
            int t = 0;
            for (; t + v <= n; t += v) {
                FloatVector a = FloatVector.fromArray(S128, src, from + 2 * t);
                FloatVector b = FloatVector.fromArray(S128, src, from + 2 * t + v);
                a.rearrange(EVEN128, b).intoArray(even, toEven + t);
                a.rearrange(ODD128, b).intoArray(odd, toOdd + t);
            }
            if (t < n) {                                // the tail: one masked step
                VectorMask<Float> first = S128.indexInRange(2 * t, 2 * n);
                VectorMask<Float> second = S128.indexInRange(2 * t + v, 2 * n);
                VectorMask<Float> out = S128.indexInRange(t, n);
                FloatVector a = FloatVector.fromArray(S128, src, from + 2 * t, first);
                FloatVector b = FloatVector.fromArray(S128, src, from + 2 * t + v, second);
                a.rearrange(EVEN128, b).intoArray(even, toEven + t, out);
                a.rearrange(ODD128, b).intoArray(odd, toOdd + t, out);
            }
        }
    }
}
