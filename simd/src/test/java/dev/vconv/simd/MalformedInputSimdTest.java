package dev.vconv.simd;

import dev.vconv.core.testing.MalformedInputs;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** The catalogue of malformed inputs ({@link MalformedInputs}) on the SIMD engine at every width and 1 or 3 threads. */
class MalformedInputSimdTest {

    @TestFactory
    Stream<DynamicContainer> everyRowAtEveryWidth() {
        return Stream.of(SimdEngines.simd(256), SimdEngines.simd(128), SimdEngines.simd(512).withThreads(3)).map(engine ->
                DynamicContainer.dynamicContainer(engine.toString(), MalformedInputs.rows().stream()
                        .filter(row -> MalformedInputs.appliesTo(row, engine))
                        .map(row -> DynamicTest.dynamicTest(row.name(), () -> MalformedInputs.check(row, engine)))));
    }
}
