package dev.vconv.core;

import dev.vconv.core.testing.ConvAsserts;
import dev.vconv.core.testing.ConvGrid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The padding modes of the reference against an independent construction: pad the input explicitly, as
 * numpy's {@code pad} modes define it (reflect, edge, wrap), then convolve without padding.
 */
class PaddingModeTest {

    @ParameterizedTest
    @EnumSource(PaddingMode.class)
    void referenceEqualsExplicitPadThenValidConvolution(PaddingMode mode) {
        int h = 4;
        int w = 5;
        int top = 2;
        int bottom = 1;
        int left = 3;
        int right = 3;
        if (mode == PaddingMode.REFLECT) {
            left = 2;  // reflect needs padding < size
            right = 4;
        }
        ConvSpec padded = ConvSpec.builder(2, 3, 3, 2).padding(top, bottom, left, right).paddingMode(mode).dilation(1, 2).build();
        ConvSpec valid = ConvSpec.builder(2, 3, 3, 2).dilation(1, 2).build();
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(padded, Shape.of(2, 2, h, w), 3);

        Tensor explicit = pad(ops.input(), top, bottom, left, right, mode);
        Tensor expected = Engines.reference().forward(valid, explicit, ops.weight(), ops.bias());
        Tensor actual = Engines.reference().forward(padded, ops.input(), ops.weight(), ops.bias());

        assertArrayEquals(expected.data(), actual.data());
        ConvAsserts.assertClose(padded, ops.input().shape(), expected, Engines.scalar().forward(padded, ops.input(), ops.weight(), ops.bias()));
    }

    @ParameterizedTest
    @EnumSource(PaddingMode.class)
    void oneDimensionalExamples(PaddingMode mode) {
        // [1 2 3] padded by 2 on each side.
        float[] expected = switch (mode) {
            case ZEROS -> new float[] {0, 0, 1, 2, 3, 0, 0};
            case REFLECT -> new float[] {3, 2, 1, 2, 3, 2, 1};
            case REPLICATE -> new float[] {1, 1, 1, 2, 3, 3, 3};
            case CIRCULAR -> new float[] {2, 3, 1, 2, 3, 1, 2};
        };
        float[] row = {1, 2, 3};
        float[] got = new float[7];
        for (int i = 0; i < 7; i++) {
            int j = mode.map(i - 2, 3);
            got[i] = j < 0 ? 0 : row[j];
        }
        assertArrayEquals(expected, got);
    }

    /** numpy-style padding, written independently of {@link PaddingMode#map}. */
    private static Tensor pad(Tensor x, int top, int bottom, int left, int right, PaddingMode mode) {
        Nchw in = Nchw.of(x.shape());
        int ph = in.h() + top + bottom;
        int pw = in.w() + left + right;
        float[] out = new float[in.n() * in.c() * ph * pw];
        for (int nc = 0; nc < in.n() * in.c(); nc++) {
            for (int y = 0; y < ph; y++) {
                for (int xx = 0; xx < pw; xx++) {
                    int sy = source(y - top, in.h(), mode);
                    int sx = source(xx - left, in.w(), mode);
                    out[(nc * ph + y) * pw + xx] = sy < 0 || sx < 0 ? 0 : x.data()[(nc * in.h() + sy) * in.w() + sx];
                }
            }
        }
        return Tensor.of(out, in.n(), in.c(), ph, pw);
    }

    private static int source(int i, int n, PaddingMode mode) {
        if (i >= 0 && i < n) {
            return i;
        }
        switch (mode) {
            case ZEROS:
                return -1;
            case REPLICATE:
                return Math.max(0, Math.min(n - 1, i));
            case CIRCULAR:
                return ((i % n) + n) % n;
            default: // reflect: the period is 2(n-1), mirrored about the edges
                int period = 2 * (n - 1);
                int m = ((i % period) + period) % period;
                return m < n ? m : period - m;
        }
    }
}
