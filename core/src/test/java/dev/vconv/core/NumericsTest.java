package dev.vconv.core;

import dev.vconv.core.testing.ConvAsserts;
import dev.vconv.core.testing.FuzzCases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Special values through the scalar engine, against the reference: NaN and infinities propagate to the same
 * positions (same sign of infinity), -0.0, subnormals and huge magnitudes raise nothing and match within the
 * conformance tolerance. Random specs as in {@link FuzzEnginesTest}; a few named examples pin the rules down.
 */
@AddLifecycleHook(FuzzCases.Budget.class)
class NumericsTest {

    @Provide
    Arbitrary<FuzzCases.Case> cases() {
        return FuzzCases.conv(FuzzEnginesTest.MAX_FLOPS);
    }

    @Provide
    Arbitrary<FuzzCases.Special> specials() {
        return Arbitraries.of(FuzzCases.Special.class);
    }

    @Property
    @FuzzCases.Tries(ci = 300, share = 0) // the long run spends its tries on FuzzEnginesTest; this runs its CI count
    void specialValuesPropagateAsInTheReference(@ForAll("cases") FuzzCases.Case c, @ForAll("specials") FuzzCases.Special special,
            @ForAll boolean inWeight) {
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(c.spec(), c.input(), c.seed());
        FuzzCases.plant(inWeight ? ops.weight().data() : ops.input().data(), special, c.seed());
        if (special == FuzzCases.Special.HUGE) {
            FuzzCases.makePositive(inWeight ? ops.input().data() : ops.weight().data());
        }
        Tensor expected = Engines.reference().forward(c.spec(), ops.input(), ops.weight(), ops.bias());
        Tensor alternative = inWeight ? FuzzCases.zeroPaddedReference(c.spec(), ops.input(), ops.weight(), ops.bias()) : null;
        Tensor actual = Engines.scalar().plan(c.spec(), c.input(), ops.weight(), ops.bias()).forward(ops.input());
        FuzzCases.assertSameNumerics("scalar " + special + (inWeight ? " in weight " : " in input ") + c, expected, alternative,
                actual, c.spec().reductionLength());
    }

    @Example
    void oneNaNInputSpoilsExactlyTheWindowsThatCoverIt() {
        ConvSpec spec = ConvSpec.builder(1, 1, 3).padding(1).bias(false).build();
        Tensor input = Tensor.random(1, 1, 1, 5, 5);
        input.data()[0] = Float.NaN; // the top-left corner: outputs (0,0), (0,1), (1,0), (1,1) see it
        Tensor weight = Tensor.random(2, 1, 1, 3, 3);
        for (Conv2d engine : new Conv2d[] {Engines.reference(), Engines.scalar()}) {
            float[] out = engine.forward(spec, input, weight, null).data();
            int nans = 0;
            for (int i = 0; i < out.length; i++) {
                boolean covered = i / 5 <= 1 && i % 5 <= 1;
                assertEquals(covered, Float.isNaN(out[i]), engine.name() + " at " + i);
                nans += Float.isNaN(out[i]) ? 1 : 0;
            }
            assertEquals(4, nans, engine.name());
        }
    }

    @Example
    void infinitiesKeepTheirSignAndOppositeInfinitiesMakeNaN() {
        ConvSpec spec = ConvSpec.builder(1, 1, 1, 2).bias(false).build();
        Tensor weight = Tensor.of(new float[] {1f, 1f}, 1, 1, 1, 2);
        Tensor input = Tensor.of(new float[] {Float.NEGATIVE_INFINITY, 2f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}, 1, 1, 1, 4);
        for (Conv2d engine : new Conv2d[] {Engines.reference(), Engines.scalar()}) {
            float[] out = engine.forward(spec, input, weight, null).data();
            assertEquals(Float.NEGATIVE_INFINITY, out[0], engine.name());
            assertEquals(Float.POSITIVE_INFINITY, out[1], engine.name());
            assertTrue(Float.isNaN(out[2]), engine.name() + ": inf + -inf");
        }
    }

    @Example
    void negativeZeroSubnormalAndHugeValuesAreOrdinaryNumbers() {
        ConvSpec spec = ConvSpec.builder(2, 2, 3).padding(1).build();
        float[] x = new float[2 * 4 * 4];
        for (int i = 0; i < x.length; i++) {
            x[i] = switch (i % 4) {
                case 0 -> -0.0f;
                case 1 -> Float.MIN_VALUE * 3;
                case 2 -> 1e30f;
                default -> 2.5e30f;
            };
        }
        Tensor input = Tensor.of(x, 1, 2, 4, 4);
        Tensor weight = Tensor.random(3, 2, 2, 3, 3);
        FuzzCases.makePositive(weight.data());
        Tensor bias = Tensor.of(new float[] {-0.0f, Float.MIN_NORMAL / 2}, 2);
        Tensor expected = Engines.reference().forward(spec, input, weight, bias);
        Tensor actual = Engines.scalar().forward(spec, input, weight, bias);
        FuzzCases.assertSameNumerics(spec, expected, null, actual, spec.reductionLength());
        for (float v : actual.data()) {
            assertTrue(Float.isFinite(v), "huge values summed to a non-finite " + v);
        }
    }
}
