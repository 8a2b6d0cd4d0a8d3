package dev.vconv.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vconv.core.Conv2dPlan;
import dev.vconv.core.Engines;
import dev.vconv.core.Tensor;
import dev.vconv.core.testing.ConvAsserts;
import dev.vconv.core.testing.ConvGrid;
import java.util.List;
import java.util.stream.Stream;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The SIMD engine against the reference over the odd-size grid, at every vector width and with 1, 2 and 3
 * threads; outputs must be bit-identical between thread counts, and operands unchanged. 512 bits is not
 * intrinsified on a machine without AVX-512 (correct but slow), where it runs a sample of the grid.
 */
class SimdContractTest {

    @TestFactory
    Stream<DynamicContainer> everyWidthEqualsTheReferenceAndEveryThreadCountAgrees() {
        return Stream.of(256, 128, 512).map(bits -> DynamicContainer.dynamicContainer("simd-" + bits,
                (bits == 512 && FloatVector.SPECIES_PREFERRED.vectorBitSize() < 512 ? ConvGrid.sampled(4) : ConvGrid.full()).stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
                    ConvAsserts.Operands ops = ConvAsserts.Operands.of(c.spec(), c.input(), 31);
                    long inputSum = ConvAsserts.checksum(ops.input().data());
                    long weightSum = ConvAsserts.checksum(ops.weight().data());
                    Tensor expected = Engines.reference().forward(c.spec(), ops.input(), ops.weight(), ops.bias());
                    Tensor single = null;
                    for (int threads : List.of(1, 2, 3)) {
                        Conv2dPlan plan = SimdEngines.simd(bits).withThreads(threads).plan(c.spec(), c.input(), ops.weight(), ops.bias());
                        Tensor actual = plan.forward(ops.input());
                        ConvAsserts.assertClose(c.spec(), c.input(), expected, actual);
                        if (single == null) {
                            single = actual;
                        } else {
                            assertArrayEquals(single.data(), actual.data(), "threads=" + threads + " differs from threads=1");
                        }
                    }
                    assertEquals(inputSum, ConvAsserts.checksum(ops.input().data()), "input modified");
                    assertEquals(weightSum, ConvAsserts.checksum(ops.weight().data()), "weight modified");
                }))));
    }
}
