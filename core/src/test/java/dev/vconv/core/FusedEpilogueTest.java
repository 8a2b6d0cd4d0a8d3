package dev.vconv.core;

import dev.vconv.core.testing.ConvGrid;
import dev.vconv.core.testing.FusedChecks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The scalar engine's fused epilogue equals its plain output followed by the epilogue, bit for bit on every
 * activation (it calls the same arithmetic), over the odd-size grid and on layers long and wide enough for several
 * reduction blocks and column panels of its GEMM; the reference engine (the interface default) likewise.
 */
class FusedEpilogueTest {

    @TestFactory
    Stream<DynamicTest> scalarFusedEqualsScalarUnfusedOverTheGrid() {
        List<Epilogue> epilogues = FusedChecks.epilogues();
        List<ConvGrid.Case> cases = ConvGrid.sampled(3);
        // every epilogue on every 3rd grid case would be 39 x ~600 calls; rotate instead, so each epilogue meets
        // every padding, stride, group and size setting over the grid
        return java.util.stream.IntStream.range(0, cases.size()).mapToObj(i -> {
            ConvGrid.Case c = cases.get(i);
            Epilogue e = epilogues.get(i % epilogues.size());
            return DynamicTest.dynamicTest(e + ": " + c, () -> FusedChecks.assertFusedEqualsUnfused(Engines.scalar(), c.spec(), c.input(), e, i));
        });
    }

    /** K = 306 and 17x33 = 561 output pixels: two reduction blocks (KC = 256) and two column panels (NC = 512). */
    @TestFactory
    Stream<DynamicTest> scalarFusedAcrossReductionBlocksAndColumnPanels() {
        ConvSpec dense = ConvSpec.builder(34, 5, 3).padding(1).build();
        ConvSpec pointwise = ConvSpec.builder(300, 6, 1).bias(false).build();
        ConvSpec grouped = ConvSpec.builder(68, 10, 3).groups(2).padding(1, 0).build();
        return Stream.of(dense, pointwise, grouped).flatMap(spec -> FusedChecks.epilogues().stream()
                .filter(e -> e.hasResidual() || e.activation().kind() == Activation.Kind.GELU)
                .map(e -> DynamicTest.dynamicTest(e + ": " + spec, () -> FusedChecks.assertFusedEqualsUnfused(Engines.scalar(), spec,
                        Shape.of(2, spec.inChannels(), 17, 33), e, 5))));
    }

    @TestFactory
    Stream<DynamicTest> referenceFusedEqualsReferenceUnfused() {
        List<ConvGrid.Case> cases = ConvGrid.sampled(40);
        List<Epilogue> epilogues = FusedChecks.epilogues();
        return java.util.stream.IntStream.range(0, cases.size()).mapToObj(i -> {
            ConvGrid.Case c = cases.get(i);
            Epilogue e = epilogues.get((7 * i) % epilogues.size());
            return DynamicTest.dynamicTest(e + ": " + c, () -> FusedChecks.assertFusedEqualsUnfused(Engines.reference(), c.spec(), c.input(), e, i));
        });
    }

    @Test
    void theGridRotationReachesEveryEpilogue() {
        assertEquals(39, FusedChecks.epilogues().size());
        assertEquals(true, ConvGrid.sampled(3).size() > 3 * FusedChecks.epilogues().size());
    }
}
