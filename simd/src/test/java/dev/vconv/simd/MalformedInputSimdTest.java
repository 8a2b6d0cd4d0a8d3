package dev.vconv.simd;

import dev.vconv.core.Conv2d;
import dev.vconv.core.testing.EmptyBatches;
import dev.vconv.core.testing.ExtremeGeometries;
import dev.vconv.core.testing.MalformedInputs;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The catalogue of malformed inputs ({@link MalformedInputs}), the empty batches ({@link EmptyBatches}) and the
 * extreme geometries ({@link ExtremeGeometries}) on the SIMD engine at every width and 1 or 3 threads.
 */
class MalformedInputSimdTest {

    private static Stream<SimdConv2d> engines() {
        return Stream.of(SimdEngines.simd(256), SimdEngines.simd(128), SimdEngines.simd(512).withThreads(3));
    }

    @TestFactory
    Stream<DynamicContainer> everyRowAtEveryWidth() {
        return engines().map(engine ->
                DynamicContainer.dynamicContainer(engine.toString(), MalformedInputs.rows().stream()
                        .filter(row -> MalformedInputs.appliesTo(row, engine))
                        .map(row -> DynamicTest.dynamicTest(row.name(), () -> MalformedInputs.check(row, engine)))));
    }

    /** The SIMD engine's public matrix product checks its arguments as core's does. */
    @TestFactory
    Stream<DynamicContainer> theMatrixProductChecksItsArgumentsAtEveryWidth() {
        return Stream.of(512, 256, 128).map(bits -> DynamicContainer.dynamicContainer("simd-" + bits + " matMul",
                MalformedInputs.matMulRows("simd-" + bits + " matmul", SimdEngines.matMul(bits)).stream()
                        .map(row -> DynamicTest.dynamicTest(row.name(), () -> MalformedInputs.check(row, SimdEngines.simd(bits))))));
    }

    /** Batch 0 is valid at any image size: the empty output, as PyTorch and the core engines give. */
    @TestFactory
    Stream<DynamicContainer> anEmptyBatchGivesAnEmptyOutputAtEveryWidth() {
        return engines().map(engine -> DynamicContainer.dynamicContainer(engine.toString(), Stream.concat(
                EmptyBatches.cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> EmptyBatches.check(engine, c))),
                Stream.of(DynamicTest.dynamicTest("transposed", () -> EmptyBatches.checkTransposed(engine))))));
    }

    /** Extreme stride, dilation or padding with a small output: every width = the reference, quickly, in a small heap. */
    @TestFactory
    Stream<DynamicContainer> extremeGeometriesEqualTheReferenceAtEveryWidth() {
        return engines().map(engine -> DynamicContainer.dynamicContainer(engine.toString(), ExtremeGeometries.cases().stream()
                .map(c -> DynamicTest.dynamicTest(c.toString(), () -> ExtremeGeometries.check((Conv2d) engine, c)))));
    }
}
