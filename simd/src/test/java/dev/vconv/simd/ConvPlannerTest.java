package dev.vconv.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.PaddingMode;
import dev.vconv.simd.ConvPlanner.Path;
import org.junit.jupiter.api.Test;

/** The planner by itself: which path a spec takes, and that it says why. */
class ConvPlannerTest {

    private static Path path(ConvSpec.Builder b) {
        ConvPlanner.Choice choice = ConvPlanner.choose(b.build());
        assertFalse(choice.reason().isBlank(), "a choice must say why");
        return choice.path();
    }

    @Test
    void aDepthwise3x3SpecSelectsDepthwise() {
        assertEquals(Path.DEPTHWISE, path(ConvSpec.builder(32, 32, 3).groups(32).padding(1)));
    }

    @Test
    void depthwiseWithAChannelMultiplierSelectsDepthwise() {
        assertEquals(Path.DEPTHWISE, path(ConvSpec.builder(8, 16, 5).groups(8).stride(2).dilation(2)));
    }

    @Test
    void depthwiseWithReflectPaddingSelectsDepthwise() {
        assertEquals(Path.DEPTHWISE, path(ConvSpec.builder(3, 3, 3).groups(3).padding(1).paddingMode(PaddingMode.REFLECT)));
    }

    @Test
    void aSingleChannelIsNotDepthwiseButAnOrdinaryConvolution() {
        assertEquals(Path.GEMM, path(ConvSpec.builder(1, 4, 3)));
        assertEquals(Path.POINTWISE, path(ConvSpec.builder(1, 4, 1)));
    }

    @Test
    void a1x1StrideOneUnpaddedSpecSelectsPointwise() {
        assertEquals(Path.POINTWISE, path(ConvSpec.builder(256, 64, 1)));
    }

    @Test
    void aGrouped1x1SpecSelectsPointwise() {
        assertEquals(Path.POINTWISE, path(ConvSpec.builder(8, 12, 1).groups(4)));
    }

    @Test
    void a1x1SpecWithStrideOrPaddingSelectsGemm() {
        assertEquals(Path.GEMM, path(ConvSpec.builder(16, 8, 1).stride(2)));
        assertEquals(Path.GEMM, path(ConvSpec.builder(16, 8, 1).padding(1)));
        assertEquals(Path.GEMM, path(ConvSpec.builder(16, 8, 1).padding(0, 1, 0, 0)));
    }

    @Test
    void aDense3x3SpecSelectsGemm() {
        assertEquals(Path.GEMM, path(ConvSpec.builder(64, 64, 3).padding(1)));
        assertEquals(Path.GEMM, path(ConvSpec.builder(6, 4, 3).groups(2)));
        assertEquals(Path.GEMM, path(ConvSpec.builder(3, 8, 1, 7).padding(0, 0, 3, 3)));
    }

    @Test
    void theSameSpecAlwaysGetsTheSameChoice() {
        ConvSpec spec = ConvSpec.builder(17, 34, 3).groups(17).build();
        assertEquals(ConvPlanner.choose(spec), ConvPlanner.choose(spec));
    }
}
