package dev.vconv.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Shapes, 'same' and 'valid', FLOPs and the builder's conveniences. */
class ConvSpecTest {

    @Test
    void outputSizeFollowsTheFormula() {
        ConvSpec spec = ConvSpec.builder(3, 8, 3, 5).stride(2, 3).padding(1, 2, 0, 4).dilation(2, 1).build();
        // floor((h + top + bottom - dh*(kh-1) - 1)/sh) + 1
        assertEquals((17 + 1 + 2 - 2 * 2 - 1) / 2 + 1, spec.outputHeight(17));
        assertEquals((10 + 0 + 4 - 1 * 4 - 1) / 3 + 1, spec.outputWidth(10));
        assertEquals(Shape.of(2, 8, 8, 4), spec.outputShape(Shape.of(2, 3, 17, 10)));
        assertEquals(Shape.of(8, 8, 4), spec.outputShape(Shape.of(3, 17, 10)));
    }

    @Test
    void samePutsTheOddExtraRowAndColumnAtBottomAndRight() {
        ConvSpec even = ConvSpec.builder(1, 1, 4, 2).paddingSame().build();
        assertEquals(1, even.padTop());
        assertEquals(2, even.padBottom());
        assertEquals(0, even.padLeft());
        assertEquals(1, even.padRight());
        assertEquals(Shape.of(1, 1, 7, 6), even.outputShape(Shape.of(1, 1, 7, 6)));

        ConvSpec dilated = ConvSpec.builder(1, 1, 3).dilation(3, 2).paddingSame().build();
        assertEquals(3, dilated.padTop());
        assertEquals(3, dilated.padBottom());
        assertEquals(2, dilated.padLeft());
        assertEquals(2, dilated.padRight());
    }

    @Test
    void validMeansNoPadding() {
        ConvSpec spec = ConvSpec.builder(1, 1, 3).padding(5).paddingValid().build();
        assertEquals(0, spec.padTop() + spec.padBottom() + spec.padLeft() + spec.padRight());
        assertEquals(ConvSpec.PaddingKind.VALID, spec.paddingKind());
    }

    @Test
    void flopsCountTwoPerMultiplyAdd() {
        ConvSpec spec = ConvSpec.builder(64, 64, 3).padding(1).bias(false).build();
        assertEquals(2L * 64 * 56 * 56 * 64 * 9, spec.flops(Shape.of(1, 64, 56, 56)));
        ConvSpec grouped = ConvSpec.builder(8, 4, 3).groups(4).build();
        assertEquals(2L * 2 * 4 * 3 * 3 * (2 * 9), grouped.flops(Shape.of(2, 8, 5, 5)));
    }

    @Test
    void pairsAndSinglesMeanTheSame() {
        assertEquals(ConvSpec.builder(2, 2, 3, 3).stride(2, 2).padding(1, 1, 1, 1).dilation(2, 2).build(),
                ConvSpec.builder(2, 2, 3).stride(2).padding(1).dilation(2).build());
    }

    @Test
    void toBuilderRoundTrips() {
        ConvSpec spec = ConvSpec.builder(4, 6, 3, 2).stride(1, 2).padding(1, 0, 2, 1).dilation(2, 1).groups(2)
                .paddingMode(PaddingMode.REPLICATE).bias(false).build();
        assertEquals(spec, spec.toBuilder().build());
        ConvSpec same = ConvSpec.builder(4, 6, 3).paddingSame().build();
        assertEquals(same, same.toBuilder().build());
    }

    @Test
    void toStringReadsLikeTorch() {
        assertEquals("Conv2d(3, 64, kernel_size=(7, 7), stride=(2, 2), padding=(3, 3, 3, 3), dilation=(1, 1), groups=1, "
                + "bias=false, padding_mode='zeros')", ConvSpec.builder(3, 64, 7).stride(2).padding(3).bias(false).build().toString());
    }

    @Test
    void paddingModeNamesAreTorchs() {
        for (PaddingMode mode : PaddingMode.values()) {
            assertEquals(mode, PaddingMode.fromTorchName(mode.torchName()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PaddingMode.fromTorchName("mirror"));
        assertEquals("padding_mode must be 'zeros', 'reflect', 'replicate' or 'circular', but got 'mirror'", e.getMessage());
    }
}
