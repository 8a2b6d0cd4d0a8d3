package dev.vconv.simd.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link Transpose} on 512-bit vectors: blocks of 16 x 16 loaded as 16 rows, transposed in registers by four
 * rounds of two-vector permutes ({@code selectFrom}, {@code vpermt2ps}; each round swaps the off-diagonal
 * halves of every 2B x 2B block, B = 8, 4, 2, 1: 64 permutes a block) and stored as 16 columns; the rows and
 * columns past the last whole block one float at a time. Only at 512 bits: two-vector permutes at 256 bits
 * fell into the Vector API's boxing fallback ({@code docs/KERNELS.md}).
 */
final class F32Transpose512 implements Transpose {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    static final int V = 16;
    // Round B: lane l of the low result takes lane l of the first vector where l % 2B < B and lane l - B of the
    // second otherwise; the high result the lanes B further on. Indices past 15 select from the second vector.
    private static final float[] LO8 = {0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 16f, 17f, 18f, 19f, 20f, 21f, 22f, 23f};
    private static final float[] LO4 = {0f, 1f, 2f, 3f, 16f, 17f, 18f, 19f, 8f, 9f, 10f, 11f, 24f, 25f, 26f, 27f};
    private static final float[] LO2 = {0f, 1f, 16f, 17f, 4f, 5f, 20f, 21f, 8f, 9f, 24f, 25f, 12f, 13f, 28f, 29f};
    private static final float[] LO1 = {0f, 16f, 2f, 18f, 4f, 20f, 6f, 22f, 8f, 24f, 10f, 26f, 12f, 28f, 14f, 30f};
    private static final float[] HI8 = {8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 24f, 25f, 26f, 27f, 28f, 29f, 30f, 31f};
    private static final float[] HI4 = {4f, 5f, 6f, 7f, 20f, 21f, 22f, 23f, 12f, 13f, 14f, 15f, 28f, 29f, 30f, 31f};
    private static final float[] HI2 = {2f, 3f, 18f, 19f, 6f, 7f, 22f, 23f, 10f, 11f, 26f, 27f, 14f, 15f, 30f, 31f};
    private static final float[] HI1 = {1f, 17f, 3f, 19f, 5f, 21f, 7f, 23f, 9f, 25f, 11f, 27f, 13f, 29f, 15f, 31f};

    @Override
    public void transpose(float[] src, int sOff, int lds, int rows, int cols, float[] y, int yOff, int ldy) {
        FloatVector lo8 = FloatVector.fromArray(S, LO8, 0);
        FloatVector hi8 = FloatVector.fromArray(S, HI8, 0);
        FloatVector lo4 = FloatVector.fromArray(S, LO4, 0);
        FloatVector hi4 = FloatVector.fromArray(S, HI4, 0);
        FloatVector lo2 = FloatVector.fromArray(S, LO2, 0);
        FloatVector hi2 = FloatVector.fromArray(S, HI2, 0);
        FloatVector lo1 = FloatVector.fromArray(S, LO1, 0);
        FloatVector hi1 = FloatVector.fromArray(S, HI1, 0);
        int wholeRows = rows / V * V;
        int wholeCols = cols / V * V;
        for (int q = 0; q < wholeRows; q += V) {
            for (int c = 0; c < wholeCols; c += V) {
                int at = sOff + q * lds + c;
                int to = yOff + c * ldy + q;
                FloatVector r0 = FloatVector.fromArray(S, src, at);
                FloatVector r1 = FloatVector.fromArray(S, src, at + lds);
                FloatVector r2 = FloatVector.fromArray(S, src, at + 2 * lds);
                FloatVector r3 = FloatVector.fromArray(S, src, at + 3 * lds);
                FloatVector r4 = FloatVector.fromArray(S, src, at + 4 * lds);
                FloatVector r5 = FloatVector.fromArray(S, src, at + 5 * lds);
                FloatVector r6 = FloatVector.fromArray(S, src, at + 6 * lds);
                FloatVector r7 = FloatVector.fromArray(S, src, at + 7 * lds);
                FloatVector r8 = FloatVector.fromArray(S, src, at + 8 * lds);
                FloatVector r9 = FloatVector.fromArray(S, src, at + 9 * lds);
                FloatVector r10 = FloatVector.fromArray(S, src, at + 10 * lds);
                FloatVector r11 = FloatVector.fromArray(S, src, at + 11 * lds);
                FloatVector r12 = FloatVector.fromArray(S, src, at + 12 * lds);
                FloatVector r13 = FloatVector.fromArray(S, src, at + 13 * lds);
                FloatVector r14 = FloatVector.fromArray(S, src, at + 14 * lds);
                FloatVector r15 = FloatVector.fromArray(S, src, at + 15 * lds);
                FloatVector t;
                t = lo8.selectFrom(r0, r8);
                r8 = hi8.selectFrom(r0, r8);
                r0 = t;
                t = lo8.selectFrom(r1, r9);
                r9 = hi8.selectFrom(r1, r9);
                r1 = t;
                t = lo8.selectFrom(r2, r10);
                r10 = hi8.selectFrom(r2, r10);
                r2 = t;
                t = lo8.selectFrom(r3, r11);
                r11 = hi8.selectFrom(r3, r11);
                r3 = t;
                t = lo8.selectFrom(r4, r12);
                r12 = hi8.selectFrom(r4, r12);
                r4 = t;
                t = lo8.selectFrom(r5, r13);
                r13 = hi8.selectFrom(r5, r13);
                r5 = t;
                t = lo8.selectFrom(r6, r14);
                r14 = hi8.selectFrom(r6, r14);
                r6 = t;
                t = lo8.selectFrom(r7, r15);
                r15 = hi8.selectFrom(r7, r15);
                r7 = t;
                t = lo4.selectFrom(r0, r4);
                r4 = hi4.selectFrom(r0, r4);
                r0 = t;
                t = lo4.selectFrom(r1, r5);
                r5 = hi4.selectFrom(r1, r5);
                r1 = t;
                t = lo4.selectFrom(r2, r6);
                r6 = hi4.selectFrom(r2, r6);
                r2 = t;
                t = lo4.selectFrom(r3, r7);
                r7 = hi4.selectFrom(r3, r7);
                r3 = t;
                t = lo4.selectFrom(r8, r12);
                r12 = hi4.selectFrom(r8, r12);
                r8 = t;
                t = lo4.selectFrom(r9, r13);
                r13 = hi4.selectFrom(r9, r13);
                r9 = t;
                t = lo4.selectFrom(r10, r14);
                r14 = hi4.selectFrom(r10, r14);
                r10 = t;
                t = lo4.selectFrom(r11, r15);
                r15 = hi4.selectFrom(r11, r15);
                r11 = t;
                t = lo2.selectFrom(r0, r2);
                r2 = hi2.selectFrom(r0, r2);
                r0 = t;
                t = lo2.selectFrom(r1, r3);
                r3 = hi2.selectFrom(r1, r3);
                r1 = t;
                t = lo2.selectFrom(r4, r6);
                r6 = hi2.selectFrom(r4, r6);
                r4 = t;
                t = lo2.selectFrom(r5, r7);
                r7 = hi2.selectFrom(r5, r7);
                r5 = t;
                t = lo2.selectFrom(r8, r10);
                r10 = hi2.selectFrom(r8, r10);
                r8 = t;
                t = lo2.selectFrom(r9, r11);
                r11 = hi2.selectFrom(r9, r11);
                r9 = t;
                t = lo2.selectFrom(r12, r14);
                r14 = hi2.selectFrom(r12, r14);
                r12 = t;
                t = lo2.selectFrom(r13, r15);
                r15 = hi2.selectFrom(r13, r15);
                r13 = t;
                t = lo1.selectFrom(r0, r1);
                r1 = hi1.selectFrom(r0, r1);
                r0 = t;
                t = lo1.selectFrom(r2, r3);
                r3 = hi1.selectFrom(r2, r3);
                r2 = t;
                t = lo1.selectFrom(r4, r5);
                r5 = hi1.selectFrom(r4, r5);
                r4 = t;
                t = lo1.selectFrom(r6, r7);
                r7 = hi1.selectFrom(r6, r7);
                r6 = t;
                t = lo1.selectFrom(r8, r9);
                r9 = hi1.selectFrom(r8, r9);
                r8 = t;
                t = lo1.selectFrom(r10, r11);
                r11 = hi1.selectFrom(r10, r11);
                r10 = t;
                t = lo1.selectFrom(r12, r13);
                r13 = hi1.selectFrom(r12, r13);
                r12 = t;
                t = lo1.selectFrom(r14, r15);
                r15 = hi1.selectFrom(r14, r15);
                r14 = t;
                r0.intoArray(y, to);
                r1.intoArray(y, to + ldy);
                r2.intoArray(y, to + 2 * ldy);
                r3.intoArray(y, to + 3 * ldy);
                r4.intoArray(y, to + 4 * ldy);
                r5.intoArray(y, to + 5 * ldy);
                r6.intoArray(y, to + 6 * ldy);
                r7.intoArray(y, to + 7 * ldy);
                r8.intoArray(y, to + 8 * ldy);
                r9.intoArray(y, to + 9 * ldy);
                r10.intoArray(y, to + 10 * ldy);
                r11.intoArray(y, to + 11 * ldy);
                r12.intoArray(y, to + 12 * ldy);
                r13.intoArray(y, to + 13 * ldy);
                r14.intoArray(y, to + 14 * ldy);
                r15.intoArray(y, to + 15 * ldy);
            }
        }
        Transpose.SCALAR.transpose(src, sOff + wholeCols, lds, wholeRows, cols - wholeCols, y, yOff + wholeCols * ldy, ldy);
        Transpose.SCALAR.transpose(src, sOff + wholeRows * lds, lds, rows - wholeRows, cols, y, yOff + wholeRows, ldy);
    }
}
