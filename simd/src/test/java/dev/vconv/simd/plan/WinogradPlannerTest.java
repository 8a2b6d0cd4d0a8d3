package dev.vconv.simd.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.PaddingMode;
import dev.vconv.core.Shape;
import dev.vconv.simd.kernel.VectorWidth;
import org.junit.jupiter.api.Test;

/**
 * The planner's Winograd rule, as values: F(4x4, 3x3) where it applies (3x3, stride 1, dilation 1, one group) and its
 * work, transforms counted, is below the cheapest direct path's; never without being allowed; blocks and splits.
 */
class WinogradPlannerTest {

    private static PlanDecision plan(ConvSpec spec, Shape shape, int bits, int threads) {
        return ConvPlanner.plan(spec, shape, VectorWidth.ofBits(bits), threads, true);
    }

    @Test
    void resnetsThreeByThreeLayersTakeWinogradWhereTheirTilesFillTheVectors() {
        for (int bits : new int[] {512, 256, 128}) {
            PlanDecision d64 = plan(ConvSpec.builder(64, 64, 3).padding(1).build(), Shape.of(1, 64, 56, 56), bits, 1);
            assertEquals(Path.WINOGRAD, d64.path(), d64.reason());
            assertTrue(d64.reason().contains("Winograd F(4x4,3x3) work"), d64.reason());
            PlanDecision d256 = plan(ConvSpec.builder(256, 256, 3).padding(1).build(), Shape.of(1, 256, 14, 14), bits, 1);
            assertEquals(Path.WINOGRAD, d256.path(), d256.reason());
            PlanDecision batch = plan(ConvSpec.builder(64, 64, 3).padding(1).paddingMode(PaddingMode.REFLECT).build(),
                    Shape.of(8, 64, 56, 56), bits, 2);
            assertEquals(Path.WINOGRAD, batch.path(), batch.reason());
        }
        // 7x7: four tiles of 4x4 fill a quarter of a 512-bit vector, and compute 64 outputs for 49
        PlanDecision d512 = plan(ConvSpec.builder(512, 512, 3).padding(1).build(), Shape.of(1, 512, 7, 7), 512, 1);
        assertEquals(Path.PIXEL_ROWS, d512.path(), d512.reason());
        assertTrue(d512.reason().contains("Winograd F(4x4,3x3) work"), d512.reason());
    }

    @Test
    void fewChannelsAndLayersItCannotComputeStayDirect() {
        assertNotEquals(Path.WINOGRAD, plan(ConvSpec.builder(3, 8, 3).padding(1).build(), Shape.of(1, 3, 56, 56), 512, 1).path());
        assertNotEquals(Path.WINOGRAD, plan(ConvSpec.builder(64, 64, 3).stride(2).padding(1).build(), Shape.of(1, 64, 56, 56), 512, 1).path());
        assertNotEquals(Path.WINOGRAD, plan(ConvSpec.builder(64, 64, 3).dilation(2).padding(2).build(), Shape.of(1, 64, 56, 56), 512, 1).path());
        assertNotEquals(Path.WINOGRAD, plan(ConvSpec.builder(64, 64, 3).groups(2).padding(1).build(), Shape.of(1, 64, 56, 56), 512, 1).path());
        assertNotEquals(Path.WINOGRAD, plan(ConvSpec.builder(64, 64, 5).padding(2).build(), Shape.of(1, 64, 56, 56), 512, 1).path());
        // not allowed: the direct paths' decision, whatever Winograd would cost
        ConvSpec spec = ConvSpec.builder(64, 64, 3).padding(1).build();
        assertEquals(Path.IMPLICIT_GEMM, ConvPlanner.plan(spec, Shape.of(1, 64, 56, 56), VectorWidth.W512, 1, false).path());
        assertEquals(Path.IMPLICIT_GEMM, ConvPlanner.plan(spec, Shape.of(1, 64, 56, 56), VectorWidth.W512, 1).path());
    }

    @Test
    void blocksHoldAPanelOfTilesAndSplitsShareTheTasks() {
        PlanDecision.Winograd d = (PlanDecision.Winograd) plan(ConvSpec.builder(64, 64, 3).padding(1).build(), Shape.of(1, 64, 56, 56), 512, 2);
        assertEquals(14, d.tilesH());
        assertEquals(14, d.tilesW());
        assertEquals(48, d.tilesPerBlock());                  // 36 x 64 x 48 floats of V: under 2^17, one 8x3v panel
        assertEquals(5, d.blocks());
        assertEquals(d.blocks() * d.panelSplits(), d.tasks());
        assertEquals(2, d.threads());
        assertEquals(PlanDecision.Source.TRANSFORMED, d.source());
        PlanDecision.Winograd small = (PlanDecision.Winograd) plan(ConvSpec.builder(256, 256, 3).padding(1).build(), Shape.of(1, 256, 14, 14), 512, 2);
        assertEquals(1, small.blocks());
        assertEquals(16, small.tilesPerBlock());
        assertTrue(small.panelSplits() >= 2, "one block: the output channels are split for the second thread");
    }
}
