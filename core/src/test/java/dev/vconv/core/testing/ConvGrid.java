package dev.vconv.core.testing;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.PaddingMode;
import dev.vconv.core.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * The odd-size grid every engine is tested on against the reference: channels 1, 3, 7, 17; spatial 1, 5,
 * 13; every stride and dilation 1..3; groups 1, 2 and depthwise (with and without a channel multiplier);
 * symmetric and asymmetric padding; every padding mode; bias on and off. Sizes are odd so that every
 * vector tail and scalar tail runs. Only valid combinations are kept (the rest are the business of the
 * validation tests).
 */
public final class ConvGrid {

    /** One grid point: a spec and an input shape it accepts. */
    public record Case(ConvSpec spec, Shape input) {
        @Override
        public String toString() {
            return spec + " on input " + input;
        }
    }

    private static final int[] CHANNELS = {1, 3, 7, 17};
    private static final int[] SPATIAL = {1, 5, 13};

    private ConvGrid() {
    }

    /** The full grid (a few thousand cases; fast engines only). */
    public static List<Case> full() {
        return build(1);
    }

    /** Every {@code step}-th case of the full grid, for slower engines or widths. */
    public static List<Case> sampled(int step) {
        return build(step);
    }

    private static List<Case> build(int step) {
        List<Case> cases = new ArrayList<>();
        int index = 0;
        for (int channels : CHANNELS) {
            for (int groupsKind = 0; groupsKind < 4; groupsKind++) {
                // groups 1; groups 2 (on twice the channels, since the listed counts are odd); depthwise;
                // depthwise with channel multiplier 2. A single channel's depthwise case is groups 1 again.
                if (groupsKind == 2 && channels == 1) {
                    continue;
                }
                int cin = groupsKind == 1 ? 2 * channels : channels;
                int groups = switch (groupsKind) {
                    case 0 -> 1;
                    case 1 -> 2;
                    default -> channels;
                };
                int cout = switch (groupsKind) {
                    case 0 -> channels == 1 ? 2 : channels;
                    case 1 -> 6;
                    case 2 -> channels;
                    default -> 2 * channels;
                };
                for (int spatial : SPATIAL) {
                    for (int stride = 1; stride <= 3; stride++) {
                        for (int dilation = 1; dilation <= 3; dilation++) {
                            for (int pad = 0; pad < 4; pad++) {
                                index++;
                                if (index % step != 0) {
                                    continue;
                                }
                                Case c = make(cin, cout, groups, spatial, stride, dilation, pad, index);
                                if (c != null) {
                                    cases.add(c);
                                }
                            }
                        }
                    }
                }
            }
        }
        return cases;
    }

    /**
     * One case: the padding shape {@code pad} picks none, symmetric, asymmetric or 'same'; the padding mode,
     * kernel shape, bias and batch rotate with {@code index} so the grid covers them without multiplying.
     */
    private static Case make(int cin, int cout, int groups, int spatial, int stride, int dilation, int pad, int index) {
        int kh = 1 + index % 3;           // 1, 2, 3
        int kw = 1 + (index / 3) % 3 * 2;  // 1, 3, 5
        PaddingMode mode = PaddingMode.values()[(index / 9) % 4];
        ConvSpec.Builder b = ConvSpec.builder(cin, cout, kh, kw)
                .stride(stride, stride == 3 ? 1 : stride)
                .dilation(dilation, 1 + (dilation % 3))
                .groups(groups)
                .bias(index % 2 == 0)
                .paddingMode(mode);
        switch (pad) {
            case 0 -> b.padding(0);
            case 1 -> b.padding(1, 2);
            case 2 -> b.padding(2, 0, 1, 3);
            default -> {
                if (stride != 1) {
                    b.padding(0, 1, 1, 0);
                } else {
                    b.paddingSame();
                }
            }
        }
        ConvSpec spec = b.build();
        int batch = 1 + index % 2;
        Shape input = Shape.of(batch, cin, spatial, spatial + (index % 5 == 0 ? 2 : 0));
        try {
            spec.checkInput(input);
        } catch (IllegalArgumentException invalid) {
            return null;
        }
        return new Case(spec, input);
    }
}
