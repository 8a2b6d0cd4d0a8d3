package dev.vconv.simd.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vconv.core.Epilogue;
import dev.vconv.core.testing.FusedChecks;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every width's {@link EpilogueKernel} against {@link Epilogue#apply(float, float)}, element by element: every
 * activation without a residual, with one and with alpha -0.625 ({@link FusedChecks#epilogues}); one row and
 * several rows at odd strides; row lengths across whole vectors and the single floats past them; into a separate
 * array, in place ({@code dst} is {@code src}) and onto the residual ({@code dst} is {@code r}). Bit for bit for
 * the exact activations and the residual add, within {@link Epilogue#TRANSCENDENTAL_ULPS} for the others; nothing
 * outside the rows written. The inputs hold NaN, infinities, signed zeros, the clamp bounds and values where
 * {@code exp} overflows.
 */
class EpilogueKernelTest {

    static List<EpilogueKernel> kernels() {
        return List.of(new F32Epilogue128(), new F32Epilogue256(), new F32Epilogue512());
    }

    private enum Target { SEPARATE, IN_PLACE, ONTO_RESIDUAL }

    @ParameterizedTest
    @MethodSource("kernels")
    void everyEpilogueEqualsItsElementWiseDefinition(EpilogueKernel kernel) {
        int lds = 77;
        int ldd = 83;
        int ldr = 79;
        float[] src = values(3 + 4 * lds, 1);
        float[] res = values(5 + 4 * ldr, 2);
        for (Epilogue e : FusedChecks.epilogues()) {
            for (Target target : Target.values()) {
                if (target == Target.ONTO_RESIDUAL && !e.hasResidual()) {
                    continue;
                }
                for (int rows : new int[] {1, 3}) {
                    for (int n : new int[] {0, 1, 3, 4, 7, 8, 15, 16, 17, 31, 33, 48, 64, 70}) {
                        check(kernel, e, target, src, res, rows, n, lds, ldr, ldd);
                    }
                }
            }
        }
    }

    private static void check(EpilogueKernel kernel, Epilogue e, Target target, float[] src, float[] res, int rows, int n,
                              int lds, int ldr, int ldd) {
        float[] s = src.clone();
        float[] r = e.hasResidual() ? res.clone() : null;
        // In place, every operand shares the source's offsets and stride (as the packed GEMM's epilogue does).
        int sOff = 3;
        int rOff = switch (target) {
            case SEPARATE -> 5;
            case IN_PLACE -> sOff;
            case ONTO_RESIDUAL -> 5;
        };
        int rStride = target == Target.IN_PLACE ? lds : ldr;
        if (target == Target.IN_PLACE && r != null) {
            r = values(src.length, 2);
        }
        float[] dst = switch (target) {
            case SEPARATE -> new float[7 + 4 * ldd];
            case IN_PLACE -> s;
            case ONTO_RESIDUAL -> r;
        };
        int dOff = switch (target) {
            case SEPARATE -> 7;
            case IN_PLACE -> sOff;
            case ONTO_RESIDUAL -> rOff;
        };
        int dStride = switch (target) {
            case SEPARATE -> ldd;
            case IN_PLACE -> lds;
            case ONTO_RESIDUAL -> ldr;
        };
        if (target == Target.SEPARATE) {
            Arrays.fill(dst, 12345f);
        }
        float[] before = dst.clone();
        float[] sBefore = s.clone();
        float[] rBefore = r == null ? null : r.clone();
        kernel.apply(e.activation(), e.alpha(), s, sOff, lds, r, rOff, rStride, dst, dOff, dStride, rows, n);
        for (int i = 0; i < dst.length; i++) {
            int q = (i - dOff) / dStride;
            int j = (i - dOff) % dStride;
            boolean written = i >= dOff && q < rows && j < n;
            String what = kernel.getClass().getSimpleName() + ", " + e + ", " + target + ", " + rows + " x " + n + ": dst[" + i
                    + "] (row " + q + ", element " + j + ")";
            if (!written) {
                assertEquals(Float.floatToRawIntBits(before[i]), Float.floatToRawIntBits(dst[i]), what + " must not change");
                continue;
            }
            float x = sBefore[sOff + q * lds + j];
            float want = e.apply(x, rBefore == null ? 0f : rBefore[rOff + q * rStride + j]);
            float got = dst[i];
            boolean same = Float.floatToIntBits(want) == Float.floatToIntBits(got);
            if (!same && (e.activation().kind().isExact() || !e.withinBound(want, got))) {
                fail(what + ": " + got + " instead of " + want + " (source " + x + ")");
            }
        }
    }

    /** Mostly values in [-8, 8), and every so often NaN, an infinity, a signed zero, a clamp bound or a large value. */
    private static float[] values(int size, int seed) {
        java.util.Random random = new java.util.Random(seed);
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = switch (random.nextInt(24)) {
                case 0 -> Float.NaN;
                case 1 -> Float.POSITIVE_INFINITY;
                case 2 -> Float.NEGATIVE_INFINITY;
                case 3 -> -0f;
                case 4 -> 0f;
                case 5 -> 6f;
                case 6 -> -0.5f;
                case 7 -> random.nextBoolean() ? 100f : -100f;
                case 8 -> random.nextBoolean() ? 3e38f : -3e38f;
                default -> random.nextFloat() * 16f - 8f;
            };
        }
        return v;
    }
}
