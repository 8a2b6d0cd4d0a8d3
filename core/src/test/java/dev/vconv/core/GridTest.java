package dev.vconv.core;

import dev.vconv.core.testing.ConvAsserts;
import dev.vconv.core.testing.ConvGrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The scalar engine against the reference over the odd-size grid. */
class GridTest {

    @Test
    void gridCoversEverySetting() {
        List<ConvGrid.Case> cases = ConvGrid.full();
        assertTrue(cases.size() > 1000, "grid has " + cases.size() + " cases");
        for (PaddingMode mode : PaddingMode.values()) {
            assertTrue(cases.stream().anyMatch(c -> c.spec().paddingMode() == mode && c.spec().hasPadding()), mode.name());
        }
        for (int s = 1; s <= 3; s++) {
            int stride = s;
            assertTrue(cases.stream().anyMatch(c -> c.spec().strideH() == stride), "stride " + s);
            assertTrue(cases.stream().anyMatch(c -> c.spec().dilationH() == stride), "dilation " + s);
        }
        assertTrue(cases.stream().anyMatch(c -> c.spec().groups() == 2));
        assertTrue(cases.stream().anyMatch(c -> c.spec().groups() == 17 && c.spec().outChannels() == 17));
        assertTrue(cases.stream().anyMatch(c -> c.spec().groups() == 17 && c.spec().outChannels() == 34));
        assertTrue(cases.stream().anyMatch(c -> c.spec().paddingKind() == ConvSpec.PaddingKind.SAME));
        assertTrue(cases.stream().anyMatch(c -> c.spec().padTop() != c.spec().padBottom()));
    }

    @TestFactory
    Stream<DynamicTest> scalarEqualsReference() {
        return ConvGrid.full().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            ConvAsserts.Operands ops = ConvAsserts.Operands.of(c.spec(), c.input(), 7);
            long inputSum = ConvAsserts.checksum(ops.input().data());
            long weightSum = ConvAsserts.checksum(ops.weight().data());
            Tensor expected = Engines.reference().forward(c.spec(), ops.input(), ops.weight(), ops.bias());
            Tensor actual = Engines.scalar().forward(c.spec(), ops.input(), ops.weight(), ops.bias());
            ConvAsserts.assertClose(c.spec(), c.input(), expected, actual);
            assertEquals(inputSum, ConvAsserts.checksum(ops.input().data()), "input modified");
            assertEquals(weightSum, ConvAsserts.checksum(ops.weight().data()), "weight modified");
        }));
    }

    @TestFactory
    Stream<DynamicTest> scalarPlanEqualsScalarForwardBitForBitOnEveryCall() {
        return ConvGrid.sampled(5).stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            ConvAsserts.Operands ops = ConvAsserts.Operands.of(c.spec(), c.input(), 9);
            Tensor expected = Engines.scalar().forward(c.spec(), ops.input(), ops.weight(), ops.bias());
            Conv2dPlan plan = Engines.scalar().plan(c.spec(), c.input(), ops.weight(), ops.bias());
            for (int call = 0; call < 2; call++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(expected.data(), plan.forward(ops.input()).data(), "call " + call);
            }
        }));
    }
}
