package dev.vconv.simd.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.PaddingMode;
import dev.vconv.core.Shape;
import dev.vconv.simd.kernel.VectorWidth;
import org.junit.jupiter.api.Test;

/**
 * The planner's Winograd rule, as values: Winograd where it applies (3x3, stride 1, dilation 1, one group) and the
 * work of its least costly variant (F(4x4) or F(2x2), tiles in the vectors or as the GEMMs' rows), transforms
 * counted, is below the cheapest direct path's; never without being allowed; blocks, and how threads share them.
 */
class WinogradPlannerTest {

    private static PlanDecision plan(ConvSpec spec, Shape shape, int bits, int threads) {
        return ConvPlanner.plan(spec, shape, VectorWidth.ofBits(bits), threads, true);
    }

    @Test
    void resnetsThreeByThreeLayersTakeWinogradAtEveryWidth() {
        for (int bits : new int[] {512, 256, 128}) {
            PlanDecision d64 = plan(ConvSpec.builder(64, 64, 3).padding(1).build(), Shape.of(1, 64, 56, 56), bits, 1);
            assertEquals(Path.WINOGRAD, d64.path(), d64.reason());
            assertTrue(d64.reason().contains("Winograd F("), d64.reason());
            PlanDecision d256 = plan(ConvSpec.builder(256, 256, 3).padding(1).build(), Shape.of(1, 256, 14, 14), bits, 1);
            assertEquals(Path.WINOGRAD, d256.path(), d256.reason());
            PlanDecision batch = plan(ConvSpec.builder(64, 64, 3).padding(1).paddingMode(PaddingMode.REFLECT).build(),
                    Shape.of(8, 64, 56, 56), bits, 2);
            assertEquals(Path.WINOGRAD, batch.path(), batch.reason());
        }
    }

    /**
     * At 512 bits: 56x56's 196 tiles fill the vectors (F(4x4), tiles in the vectors); 14x14's 16 tiles are the GEMMs'
     * rows (F(4x4), output channels in the vectors); 7x7's four F(4x4) tiles would stream a 36 MiB filter for four
     * uses of each float, its sixteen F(2x2) tiles stream 16 MiB from the cache: F(2x2), tiles as rows.
     */
    @Test
    void fewTilesTakeTheTilesAsRowsAndSevenBySevenF2x2() {
        PlanDecision.Winograd d64 = (PlanDecision.Winograd) plan(ConvSpec.builder(64, 64, 3).padding(1).build(), Shape.of(1, 64, 56, 56), 512, 1);
        assertEquals(4, d64.tile(), d64.reason());
        assertFalse(d64.tileRows(), d64.reason());
        PlanDecision.Winograd d256 = (PlanDecision.Winograd) plan(ConvSpec.builder(256, 256, 3).padding(1).build(), Shape.of(1, 256, 14, 14), 512, 1);
        assertEquals(4, d256.tile(), d256.reason());
        assertTrue(d256.tileRows(), d256.reason());
        assertTrue(d256.reason().contains("F(4x4,3x3) tiles as rows of f32_gemm_4x4v_512"), d256.reason());
        PlanDecision d512 = plan(ConvSpec.builder(512, 512, 3).padding(1).build(), Shape.of(1, 512, 7, 7), 512, 1);
        assertEquals(Path.WINOGRAD, d512.path(), d512.reason());
        PlanDecision.Winograd w512 = (PlanDecision.Winograd) d512;
        assertEquals(2, w512.tile(), d512.reason());
        assertTrue(w512.tileRows(), d512.reason());
        assertEquals(16, w512.tilesPerBlock());
        assertTrue(d512.reason().contains("Winograd F(2x2,3x3) tiles as rows"), d512.reason());
        assertThrows(IllegalArgumentException.class, () -> ConvPlanner.winograd(ConvSpec.builder(8, 8, 3).build(), Shape.of(1, 8, 9, 9),
                VectorWidth.W512, 1, 2, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvPlanner.winograd(
                ConvSpec.builder(8, 8, 3).build(), Shape.of(1, 8, 9, 9), VectorWidth.W512, 1, 3, true));
        assertTrue(e.getMessage().contains("tile must be 4, or 2 with tiles as rows, but got 3"), e.getMessage());
    }

    /**
     * Two threads: a layer of one block (14x14, 7x7) transforms its input once, shared, the output channels split;
     * one of blocks that share the threads evenly enough (56x56's 48 + 48 + 48 + 48 + 4 tiles: 100 against 98 a
     * thread), or a batch, hands whole blocks to the tasks, each transforming its own; one thread always does.
     */
    @Test
    void oneBlockSharesItsInputTransformManyBlocksDoNot() {
        PlanDecision.Winograd d256 = (PlanDecision.Winograd) plan(ConvSpec.builder(256, 256, 3).padding(1).build(), Shape.of(1, 256, 14, 14), 512, 2);
        assertTrue(d256.inputTasks() >= 2 && d256.panelSplits() >= 2, d256.reason());
        assertEquals(d256.blocks() * d256.panelSplits(), d256.tasks());
        assertTrue(d256.reason().contains("the input transformed once"), d256.reason());
        PlanDecision.Winograd one = (PlanDecision.Winograd) plan(ConvSpec.builder(256, 256, 3).padding(1).build(), Shape.of(1, 256, 14, 14), 512, 1);
        assertEquals(0, one.inputTasks());
        assertEquals(1, one.panelSplits());
        PlanDecision.Winograd d64 = (PlanDecision.Winograd) plan(ConvSpec.builder(64, 64, 3).padding(1).build(), Shape.of(1, 64, 56, 56), 512, 2);
        assertEquals(0, d64.inputTasks(), d64.reason());
        assertEquals(5, d64.tasks());
        PlanDecision.Winograd batch = (PlanDecision.Winograd) plan(ConvSpec.builder(256, 256, 3).padding(1).build(), Shape.of(8, 256, 14, 14), 512, 2);
        assertEquals(0, batch.inputTasks(), batch.reason());
        assertEquals(8, batch.tasks());
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
    void blocksHoldAPanelOfTiles() {
        PlanDecision.Winograd d = (PlanDecision.Winograd) plan(ConvSpec.builder(64, 64, 3).padding(1).build(), Shape.of(1, 64, 56, 56), 512, 2);
        assertEquals(14, d.tilesH());
        assertEquals(14, d.tilesW());
        assertEquals(48, d.tilesPerBlock());                  // 36 x 64 x 48 floats of V: under 2^17, one 8x3v panel
        assertEquals(5, d.blocks());
        assertEquals(2, d.threads());
        assertEquals(PlanDecision.Source.TRANSFORMED, d.source());
        PlanDecision.Winograd small = (PlanDecision.Winograd) plan(ConvSpec.builder(256, 256, 3).padding(1).build(), Shape.of(1, 256, 14, 14), 512, 2);
        assertEquals(1, small.blocks());
        assertEquals(16, small.tilesPerBlock());
    }
}
