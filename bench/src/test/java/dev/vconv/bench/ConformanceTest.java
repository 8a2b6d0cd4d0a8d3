package dev.vconv.bench;

import dev.vconv.bench.conformance.CaseCheck;
import dev.vconv.bench.conformance.CaseLine;
import dev.vconv.bench.conformance.ConformanceCase;
import dev.vconv.bench.conformance.ConformanceReader;
import dev.vconv.bench.conformance.FusedCase;
import dev.vconv.core.Conv2d;
import dev.vconv.core.Conv2dBackward;
import dev.vconv.core.ConvTranspose2d;
import dev.vconv.core.Engines;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every {@code conv2d} case of the bundled PyTorch vectors on every engine: reference, scalar and, once the
 * simd module provides {@code SimdEngines}, the SIMD engine at 256 and 128 bits; every {@code conv2d_fused} case on
 * those and at 512 bits too. One dynamic test per case and engine, so a failure names both, with the worst element.
 */
class ConformanceTest {

    private static final List<CaseLine> LINES = ConformanceReader.readBundled();

    private static List<ConformanceCase> conv2dCases() {
        return LINES.stream().filter(CaseLine.Conv2dCase.class::isInstance)
                .map(line -> ((CaseLine.Conv2dCase) line).testCase()).toList();
    }

    /** The engines under test. When {@code SimdEngines} exists, its widths must load: no silent skip. */
    private static List<Conv2d> engines() {
        List<Conv2d> engines = new ArrayList<>(List.of(Engines.reference(), Engines.scalar()));
        if (EngineCatalog.simdUnavailableReason() == null || !EngineCatalog.simdUnavailableReason().contains("not on the class path")) {
            for (String name : List.of("simd-256", "simd-128")) {
                EngineCatalog.Lookup lookup = EngineCatalog.find(name);
                assertNotNull(lookup.engine(), () -> name + ": " + lookup.unavailableReason());
                engines.add(lookup.engine());
            }
        } else {
            System.out.println("ConformanceTest: " + EngineCatalog.simdUnavailableReason() + "; testing reference and scalar");
        }
        return engines;
    }

    @TestFactory
    Stream<DynamicContainer> everyConv2dCaseOnEveryEngine() {
        List<ConformanceCase> cases = conv2dCases();
        return engines().stream().map(engine -> DynamicContainer.dynamicContainer(engine.name(),
                cases.stream().map(testCase -> DynamicTest.dynamicTest(testCase.id() + " [" + testCase.category() + "]", () -> {
                    CaseCheck check = CaseCheck.run(testCase, engine);
                    assertTrue(check.passed(), () -> engine.name() + " fails " + testCase + ": " + check.message());
                }))));
    }

    private static List<FusedCase> fusedCases() {
        return LINES.stream().filter(CaseLine.FusedConv2dCase.class::isInstance)
                .map(line -> ((CaseLine.FusedConv2dCase) line).testCase()).toList();
    }

    /** The fused cases on every engine and every SIMD width: each fuses, or passes through the interface default. */
    @TestFactory
    Stream<DynamicContainer> everyFusedCaseOnEveryEngineAndWidth() {
        List<Conv2d> engines = new ArrayList<>(engines());
        if (engines.size() > 2) {
            EngineCatalog.Lookup w512 = EngineCatalog.find("simd-512");
            assertNotNull(w512.engine(), () -> "simd-512: " + w512.unavailableReason());
            engines.add(w512.engine());
        }
        List<FusedCase> cases = fusedCases();
        return engines.stream().map(engine -> DynamicContainer.dynamicContainer(engine.name(),
                cases.stream().map(testCase -> DynamicTest.dynamicTest(testCase.id() + " [" + testCase.category() + "]", () -> {
                    CaseCheck check = CaseCheck.run(testCase, engine);
                    assertTrue(check.passed(), () -> engine.name() + " fails " + testCase + ": " + check.message());
                }))));
    }

    /**
     * Every {@code conv2d} and {@code conv2d_fused} case on the SIMD engine at every width with Winograd taken wherever
     * it applies ({@code SimdConv2d.Algorithm.WINOGRAD}, so that small layers take it too), within the same
     * tolerance. The integer-valued exact cases are left out: Winograd's transforms (thirds, sixths) round, so it
     * reproduces no exact sum; the default engine takes it only by cost, and {@code DIRECT} keeps sums exact.
     */
    @TestFactory
    Stream<DynamicContainer> everyInexactCaseWithWinogradWhereverItApplies() {
        List<ConformanceCase> cases = conv2dCases().stream().filter(c -> !c.exact()).toList();
        List<FusedCase> fused = fusedCases().stream().filter(c -> !c.conv().exact()).toList();
        assertTrue(cases.stream().anyMatch(c -> c.spec().kernelH() == 3 && c.spec().kernelW() == 3 && c.spec().strideH() == 1
                && c.spec().strideW() == 1 && c.spec().dilationH() == 1 && c.spec().dilationW() == 1 && c.spec().groups() == 1),
                "no conformance case Winograd computes");
        return Stream.of(512, 256, 128).map(bits -> {
            Conv2d engine = dev.vconv.simd.SimdEngines.simd(bits).withAlgorithm(dev.vconv.simd.SimdConv2d.Algorithm.WINOGRAD);
            Stream<DynamicTest> plain = cases.stream().map(testCase -> DynamicTest.dynamicTest(testCase.id(), () -> {
                CaseCheck check = CaseCheck.run(testCase, engine);
                assertTrue(check.passed(), () -> engine + " fails " + testCase + ": " + check.message());
            }));
            Stream<DynamicTest> withEpilogue = fused.stream().map(testCase -> DynamicTest.dynamicTest(testCase.conv().id() + " fused", () -> {
                CaseCheck check = CaseCheck.run(testCase, engine);
                assertTrue(check.passed(), () -> engine + " fails " + testCase + ": " + check.message());
            }));
            return DynamicContainer.dynamicContainer("simd-" + bits + " WINOGRAD", Stream.concat(plain, withEpilogue));
        });
    }

    /**
     * Every {@code conv2d_backward} and {@code conv_transpose2d} case on every engine that implements the op
     * (reference and scalar; the SIMD engine once it does), and a check that reference and scalar do.
     */
    @TestFactory
    Stream<DynamicContainer> everyBackwardAndTransposedCaseOnEveryEngineThatHasThem() {
        assertTrue(Engines.reference() instanceof Conv2dBackward && Engines.reference() instanceof ConvTranspose2d);
        assertTrue(Engines.scalar() instanceof Conv2dBackward && Engines.scalar() instanceof ConvTranspose2d);
        return engines().stream().map(engine -> DynamicContainer.dynamicContainer(engine.name(), LINES.stream()
                .<DynamicTest>mapMulti((line, sink) -> {
                    if (line instanceof CaseLine.BackwardCase b && engine instanceof Conv2dBackward training) {
                        sink.accept(DynamicTest.dynamicTest(b.testCase().id() + " [" + b.testCase().category() + "]", () -> {
                            CaseCheck check = CaseCheck.run(b.testCase(), engine, training);
                            assertTrue(check.passed(), () -> engine.name() + " fails " + b.testCase() + ": " + check.message());
                        }));
                    } else if (line instanceof CaseLine.TransposedCase t && engine instanceof ConvTranspose2d transposed) {
                        sink.accept(DynamicTest.dynamicTest(t.testCase().id() + " [" + t.testCase().category() + "]", () -> {
                            CaseCheck check = CaseCheck.run(t.testCase(), transposed);
                            assertTrue(check.passed(), () -> engine.name() + " fails " + t.testCase() + ": " + check.message());
                        }));
                    }
                })));
    }

    @Test
    void bundledVectorsParseCompletely() {
        List<String> malformed = LINES.stream().filter(CaseLine.Malformed.class::isInstance)
                .map(line -> ((CaseLine.Malformed) line).message()).toList();
        assertEquals(List.of(), malformed);
        Map<String, Integer> byOp = new TreeMap<>();
        for (CaseLine line : LINES) {
            String op = switch (line) {
                case CaseLine.Conv2dCase c -> "conv2d";
                case CaseLine.BackwardCase b -> "conv2d_backward";
                case CaseLine.TransposedCase t -> "conv_transpose2d";
                case CaseLine.FusedConv2dCase f -> "conv2d_fused";
                case CaseLine.Malformed m -> "malformed";
            };
            byOp.merge(op, 1, Integer::sum);
        }
        assertEquals(Map.of("conv2d", 305, "conv2d_backward", 40, "conv_transpose2d", 30, "conv2d_fused", 80), byOp);
    }

    @Test
    void bundledConv2dCategoriesMatchTheFormat() {
        Map<String, Integer> byCategory = new TreeMap<>();
        conv2dCases().forEach(c -> byCategory.merge(c.category(), 1, Integer::sum));
        assertEquals(Map.ofEntries(Map.entry("basic", 50), Map.entry("noncontig_params", 20), Map.entry("asym_pad", 30),
                Map.entry("groups", 35), Map.entry("depthwise", 25), Map.entry("depthwise_mult", 20), Map.entry("same", 25),
                Map.entry("reflect", 15), Map.entry("replicate", 15), Map.entry("circular", 15), Map.entry("tiny_output", 15),
                Map.entry("pointwise", 15), Map.entry("deep_reduction", 10), Map.entry("int_exact", 15)), byCategory);
        assertEquals(15, conv2dCases().stream().filter(ConformanceCase::exact).count());
    }

    @Test
    void bundledFusedCasesCoverEveryActivationResidualAndBatchNorm() {
        Map<String, Integer> byCategory = new TreeMap<>();
        fusedCases().forEach(c -> byCategory.merge(c.category(), 1, Integer::sum));
        assertEquals(Map.of("fused_activation", 33, "fused_residual", 22, "fused_batch_norm", 15, "fused_int_exact", 10), byCategory);
        for (dev.vconv.core.Activation.Kind kind : dev.vconv.core.Activation.Kind.values()) {
            assertTrue(fusedCases().stream().anyMatch(c -> c.epilogue().activation().kind() == kind && c.residual() == null), kind + " alone");
            assertTrue(fusedCases().stream().anyMatch(c -> c.epilogue().activation().kind() == kind && c.residual() != null), kind + " with a residual");
        }
        assertTrue(fusedCases().stream().anyMatch(c -> c.residual() != null && c.epilogue().alpha() != 1f), "alpha != 1");
        assertTrue(fusedCases().stream().anyMatch(c -> c.batchNorm() != null && c.residual() != null), "BatchNorm and a residual");
        assertTrue(fusedCases().stream().anyMatch(c -> c.batchNorm() != null && c.conv().bias() == null), "BatchNorm on a conv without bias");
        assertEquals(10, fusedCases().stream().filter(c -> c.conv().exact()).count());
    }
}
