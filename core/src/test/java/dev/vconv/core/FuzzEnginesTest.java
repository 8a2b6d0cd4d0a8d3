package dev.vconv.core;

import dev.vconv.core.testing.ConvAsserts;
import dev.vconv.core.testing.FuzzCases;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Property-based fuzzing of the core engines against the reference: random specs over every parameter
 * ({@link FuzzCases}), forward (direct call and plan), backward and transposed. A failure shrinks to a minimal
 * spec and prints it with the first bad position. Tries: {@link FuzzCases.Tries} ({@code ./mvnw test}), or a
 * share of {@code -Dvconv.fuzz.tries=N} for the long run (see docs/RELIABILITY.md).
 */
@AddLifecycleHook(FuzzCases.Budget.class)
class FuzzEnginesTest {

    /** The reference's cost bound per case: about a millisecond or two of the naive loop nest. */
    static final long MAX_FLOPS = 2_000_000L;

    @Provide
    Arbitrary<FuzzCases.Case> convCases() {
        return FuzzCases.conv(MAX_FLOPS);
    }

    @Provide
    Arbitrary<FuzzCases.TransposeCase> transposeCases() {
        return FuzzCases.transposed(MAX_FLOPS);
    }

    @Property
    @FuzzCases.Tries(ci = 600, share = 0.5)
    void scalarForwardAndPlanEqualTheReference(@ForAll("convCases") FuzzCases.Case c) {
        long flops = c.flops();
        Statistics.label("reference cost").collect(flops < 10_000 ? "< 10 kFLOP" : flops < 100_000 ? "< 100 kFLOP"
                : flops < 1_000_000 ? "< 1 MFLOP" : "<= 2 MFLOP");
        Statistics.label("largest channel count").collect(Math.max(c.spec().inChannels(), c.spec().outChannels()) <= 8 ? "1..8"
                : Math.max(c.spec().inChannels(), c.spec().outChannels()) <= 20 ? "9..20" : "21+");
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(c.spec(), c.input(), c.seed());
        long inputSum = ConvAsserts.checksum(ops.input().data());
        long weightSum = ConvAsserts.checksum(ops.weight().data());
        Tensor expected = Engines.reference().forward(c.spec(), ops.input(), ops.weight(), ops.bias());
        Tensor direct = Engines.scalar().forward(c.spec(), ops.input(), ops.weight(), ops.bias());
        ConvAsserts.assertClose(c.spec(), c.input(), expected, direct);
        Conv2dPlan plan = Engines.scalar().plan(c.spec(), c.input(), ops.weight(), ops.bias());
        Tensor planned = Tensor.random(c.seed() + 9, plan.outputShape().dims()); // garbage in the output: all overwritten
        plan.forward(ops.input(), planned);
        ConvAsserts.assertClose(c.spec(), c.input(), expected, planned);
        assertEquals(inputSum, ConvAsserts.checksum(ops.input().data()), "input modified");
        assertEquals(weightSum, ConvAsserts.checksum(ops.weight().data()), "weight modified");
    }

    @Property
    @FuzzCases.Tries(ci = 300, share = 0.25)
    void scalarBackwardEqualsTheReference(@ForAll("convCases") FuzzCases.Case c) {
        ConvSpec spec = c.spec();
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, c.input(), c.seed());
        Tensor gy = Tensor.random(c.seed() + 5, spec.outputShape(c.input()).dims());
        ConvGradients expected = ((Conv2dBackward) Engines.reference()).backward(spec, ops.input(), ops.weight(), gy);
        ConvGradients actual = ((Conv2dBackward) Engines.scalar()).backward(spec, ops.input(), ops.weight(), gy);
        int outElemsPerChannel = gy.size() / spec.outChannels();
        // Reduction lengths: an input element gathers up to (cout/groups)*kh*kw terms per padded copy of it (reflect,
        // replicate and circular fold up to kh*kw copies onto one border element); weight and bias sum over n*hout*wout.
        int foldedCopies = spec.paddingMode() == PaddingMode.ZEROS ? 1 : spec.kernelH() * spec.kernelW();
        assertClose(c, "grad_input", expected.input(), actual.input(),
                (long) spec.outChannelsPerGroup() * spec.kernelH() * spec.kernelW() * foldedCopies);
        assertClose(c, "grad_weight", expected.weight(), actual.weight(), outElemsPerChannel);
        if (spec.hasBias()) {
            assertClose(c, "grad_bias", expected.bias(), actual.bias(), outElemsPerChannel);
        } else if (actual.bias() != null) {
            fail("grad_bias must be null without bias for " + c);
        }
    }

    @Property
    @FuzzCases.Tries(ci = 300, share = 0.25)
    void scalarTransposedEqualsTheReference(@ForAll("transposeCases") FuzzCases.TransposeCase c) {
        ConvTransposeSpec spec = c.spec();
        Tensor input = Tensor.random(c.seed(), c.input().dims());
        Tensor weight = Tensor.random(c.seed() + 1, spec.weightShape().dims());
        Tensor bias = spec.hasBias() ? Tensor.random(c.seed() + 2, spec.outChannels()) : null;
        Tensor expected = ((ConvTranspose2d) Engines.reference()).forward(spec, input, weight, bias);
        Tensor actual = Tensor.random(c.seed() + 3, expected.shape().dims());
        ((ConvTranspose2d) Engines.scalar()).forward(spec, input, weight, bias, actual);
        assertClose(c, "conv_transpose2d", expected, actual, (long) spec.inChannelsPerGroup() * spec.kernelH() * spec.kernelW());
    }

    /** The conformance rule with an explicit reduction length; a failure names the case. */
    static void assertClose(Object c, String what, Tensor expected, Tensor actual, long k) {
        ConvAsserts.assertClose(what + " for " + c, expected, actual, (int) Math.min(Integer.MAX_VALUE, k));
    }
}
