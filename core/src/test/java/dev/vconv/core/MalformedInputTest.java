package dev.vconv.core;

import dev.vconv.core.testing.EmptyBatches;
import dev.vconv.core.testing.ExtremeGeometries;
import dev.vconv.core.testing.MalformedInputs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The catalogue of malformed inputs ({@link MalformedInputs}) on the reference and the scalar engine: each row
 * raises exactly an IllegalArgumentException (NullPointerException for a null) naming the parameter, value and
 * rule, and leaves every tensor it was given as it was. The SIMD engine runs the same rows in simd's tests.
 */
class MalformedInputTest {

    @Test
    void theCatalogueHasAtLeastFiftyDistinctRows() {
        List<MalformedInputs.Row> rows = MalformedInputs.rows();
        assertTrue(rows.size() >= 50, "only " + rows.size() + " rows");
        assertEquals(rows.size(), rows.stream().map(MalformedInputs.Row::name).distinct().count(), "duplicate row names");
    }

    @TestFactory
    Stream<DynamicContainer> everyRowOnEveryCoreEngine() {
        return Stream.of(Engines.reference(), Engines.scalar()).map(engine -> DynamicContainer.dynamicContainer(engine.name(),
                MalformedInputs.rows().stream().filter(row -> MalformedInputs.appliesTo(row, engine))
                        .map(row -> DynamicTest.dynamicTest(row.name(), () -> MalformedInputs.check(row, engine)))));
    }

    /** Batch 0 is valid whatever the image size: PyTorch returns the empty output, and so does every core engine. */
    @TestFactory
    Stream<DynamicTest> anEmptyBatchGivesAnEmptyOutputAtAnySize() {
        return Stream.of(Engines.reference(), Engines.scalar()).flatMap(engine -> Stream.concat(
                EmptyBatches.cases().stream().map(c -> DynamicTest.dynamicTest(engine.name() + ", " + c, () -> EmptyBatches.check(engine, c))),
                Stream.of(DynamicTest.dynamicTest(engine.name() + ", transposed", () -> EmptyBatches.checkTransposed(engine)))));
    }

    /** Valid layers with an extreme stride, dilation or padding and a small output: every core engine = the reference. */
    @TestFactory
    Stream<DynamicTest> extremeGeometriesEqualTheReference() {
        return Stream.of(Engines.reference(), Engines.scalar()).flatMap(engine -> ExtremeGeometries.cases().stream()
                .map(c -> DynamicTest.dynamicTest(engine.name() + ", " + c, () -> ExtremeGeometries.check(engine, c))));
    }

    @Test
    void anEmptyBatchIsNotMalformed() {
        ConvSpec spec = ConvSpec.builder(2, 3, 3).padding(1).build();
        for (Conv2d engine : List.of(Engines.reference(), Engines.scalar())) {
            Tensor out = engine.forward(spec, Tensor.zeros(0, 2, 5, 5), Tensor.random(1, 3, 2, 3, 3), Tensor.random(2, 3));
            assertEquals(Shape.of(0, 3, 5, 5), out.shape(), engine.name());
        }
    }
}
