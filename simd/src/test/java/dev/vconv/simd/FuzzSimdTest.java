package dev.vconv.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vconv.core.Conv2dBackward;
import dev.vconv.core.Conv2dPlan;
import dev.vconv.core.ConvGradients;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.ConvTranspose2d;
import dev.vconv.core.ConvTransposeSpec;
import dev.vconv.core.Engines;
import dev.vconv.core.PaddingMode;
import dev.vconv.core.Tensor;
import dev.vconv.core.testing.ConvAsserts;
import dev.vconv.core.testing.FuzzCases;
import dev.vconv.simd.plan.ConvPlanner;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.statistics.Statistics;

/**
 * Property-based fuzzing of the SIMD engine against the reference over random specs ({@link FuzzCases}): every
 * vector width (512 bits only on small cases: it is not intrinsified on AVX2 machines and runs slowly), 1, 2
 * and 3 threads with bit-identical results, and operands holding NaN, infinities, -0.0, subnormals and huge
 * values. Tries: {@link FuzzCases.Tries}, or a share of {@code -Dvconv.fuzz.tries=N} (docs/RELIABILITY.md).
 */
@AddLifecycleHook(FuzzCases.Budget.class)
class FuzzSimdTest {

    /** Reference cost bound for the serial property; below {@link ConvPlanner#PARALLEL_MIN_FLOPS} calls run on one thread. */
    static final long MAX_FLOPS = 2_000_000L;
    /** 512-bit vectors are emulated on AVX2 (tens of times slower): only cases this small try them. */
    static final long MAX_FLOPS_512 = 200_000L;

    @Provide
    Arbitrary<FuzzCases.Case> small() {
        return FuzzCases.conv(MAX_FLOPS);
    }

    @Provide
    Arbitrary<FuzzCases.Case> parallel() {
        return FuzzCases.conv(ConvPlanner.PARALLEL_MIN_FLOPS, 4 * ConvPlanner.PARALLEL_MIN_FLOPS);
    }

    /**
     * Runs a try on a thread of its own. Work-around: a thread that used a SIMD plan keeps it reachable for good
     * (see {@link AllocationPlanRetentionTest}), so 100,000 tries on jqwik's one thread would run out of heap; a
     * short-lived thread takes its plans with it.
     */
    static void onOwnThread(Runnable body) {
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(() -> {
            try {
                body.run();
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "fuzz-try");
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        if (failure[0] instanceof RuntimeException r) {
            throw r;
        }
        if (failure[0] instanceof Error e) {
            throw e;
        }
    }

    @Property
    @FuzzCases.Tries(ci = 500, share = 0.5)
    void everyWidthEqualsTheReference(@ForAll("small") FuzzCases.Case c) {
        Statistics.label("path").collect(ConvPlanner.choose(c.spec()).path()); // jqwik's statistics live on its thread
        onOwnThread(() -> widthsAgainstReference(c));
    }

    private static void widthsAgainstReference(FuzzCases.Case c) {
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(c.spec(), c.input(), c.seed());
        long inputSum = ConvAsserts.checksum(ops.input().data());
        long weightSum = ConvAsserts.checksum(ops.weight().data());
        Tensor expected = Engines.reference().forward(c.spec(), ops.input(), ops.weight(), ops.bias());
        for (int bits : new int[] {256, 128, 512}) {
            if (bits == 512 && c.flops() > MAX_FLOPS_512) {
                continue;
            }
            SimdConv2d engine = SimdEngines.simd(bits).withThreads(1);
            Tensor planned = Tensor.random(c.seed() + 7, expected.shape().dims()); // stale output: must be overwritten
            engine.plan(c.spec(), c.input(), ops.weight(), ops.bias()).forward(ops.input(), planned);
            ConvAsserts.assertClose(c.spec(), c.input(), expected, planned);
            Tensor direct = engine.forward(c.spec(), ops.input(), ops.weight(), ops.bias());
            assertArrayEquals(planned.data(), direct.data(), "simd-" + bits + ": forward() differs from its plan");
        }
        assertEquals(inputSum, ConvAsserts.checksum(ops.input().data()), "input modified");
        assertEquals(weightSum, ConvAsserts.checksum(ops.weight().data()), "weight modified");
    }

    @Property
    @FuzzCases.Tries(ci = 40, share = 0.1)
    void threadCountsAgreeBitForBitAndEqualTheReference(@ForAll("parallel") FuzzCases.Case c) {
        onOwnThread(() -> threadCounts(c));
    }

    private static void threadCounts(FuzzCases.Case c) {
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(c.spec(), c.input(), c.seed());
        Tensor expected = Engines.reference().forward(c.spec(), ops.input(), ops.weight(), ops.bias());
        for (int bits : new int[] {256, 128}) {
            Tensor single = null;
            for (int threads = 1; threads <= 3; threads++) {
                ConvPlan plan = SimdEngines.simd(bits).withThreads(threads).plan(c.spec(), c.input(), ops.weight(), ops.bias());
                Tensor actual = plan.forward(ops.input());
                if (single == null) {
                    ConvAsserts.assertClose(c.spec(), c.input(), expected, actual);
                    single = actual;
                } else {
                    assertArrayEquals(single.data(), actual.data(), "simd-" + bits + " threads=" + threads + " differs from threads=1 for " + c);
                }
            }
        }
    }

    @Provide
    Arbitrary<FuzzCases.Special> specials() {
        return Arbitraries.of(FuzzCases.Special.class);
    }

    @Property
    @FuzzCases.Tries(ci = 300, share = 0.3)
    void specialValuesPropagateAsInTheReference(@ForAll("small") FuzzCases.Case c, @ForAll("specials") FuzzCases.Special special,
            @ForAll boolean inWeight) {
        onOwnThread(() -> specials(c, special, inWeight));
    }

    private static void specials(FuzzCases.Case c, FuzzCases.Special special, boolean inWeight) {
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(c.spec(), c.input(), c.seed());
        FuzzCases.plant(inWeight ? ops.weight().data() : ops.input().data(), special, c.seed());
        if (special == FuzzCases.Special.HUGE) { // the other operand positive: every product of a sum has one sign
            FuzzCases.makePositive(inWeight ? ops.input().data() : ops.weight().data());
        }
        Tensor expected = Engines.reference().forward(c.spec(), ops.input(), ops.weight(), ops.bias());
        // A non-finite weight meets the zeros of zero padding: 0 * inf = NaN where the padding is multiplied.
        Tensor alternative = inWeight ? FuzzCases.zeroPaddedReference(c.spec(), ops.input(), ops.weight(), ops.bias()) : null;
        for (int bits : new int[] {256, 128, 512}) {
            if (bits == 512 && c.flops() > MAX_FLOPS_512) {
                continue;
            }
            Conv2dPlan plan = SimdEngines.simd(bits).withThreads(1).plan(c.spec(), c.input(), ops.weight(), ops.bias());
            FuzzCases.assertSameNumerics("simd-" + bits + " " + special + (inWeight ? " in weight " : " in input ") + c, expected,
                    alternative, plan.forward(ops.input()), c.spec().reductionLength());
        }
    }

    @Provide
    Arbitrary<FuzzCases.TransposeCase> transposeCases() {
        return FuzzCases.transposed(MAX_FLOPS);
    }

    /** The SIMD backward pass (every width) against the reference, with the scalar engine's tolerances. */
    @Property
    @FuzzCases.Tries(ci = 150, share = 0.05)
    void backwardEqualsTheReference(@ForAll("small") FuzzCases.Case c) {
        onOwnThread(() -> {
            ConvSpec spec = c.spec();
            ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, c.input(), c.seed());
            Tensor gy = Tensor.random(c.seed() + 5, spec.outputShape(c.input()).dims());
            ConvGradients expected = ((Conv2dBackward) Engines.reference()).backward(spec, ops.input(), ops.weight(), gy);
            int outElemsPerChannel = gy.size() / spec.outChannels();
            // An input element gathers up to (cout/groups)*kh*kw terms per padded copy of it (non-zero padding modes
            // fold up to kh*kw copies onto one border element); weight and bias sum over n*hout*wout.
            int foldedCopies = spec.paddingMode() == PaddingMode.ZEROS ? 1 : spec.kernelH() * spec.kernelW();
            for (int bits : new int[] {256, 128, 512}) {
                if (bits == 512 && c.flops() > MAX_FLOPS_512) {
                    continue;
                }
                ConvGradients actual = SimdEngines.simd(bits).backward(spec, ops.input(), ops.weight(), gy);
                String what = "simd-" + bits + " " + c;
                ConvAsserts.assertClose("grad_input of " + what, expected.input(), actual.input(),
                        spec.outChannelsPerGroup() * spec.kernelH() * spec.kernelW() * foldedCopies);
                ConvAsserts.assertClose("grad_weight of " + what, expected.weight(), actual.weight(), outElemsPerChannel);
                if (spec.hasBias()) {
                    ConvAsserts.assertClose("grad_bias of " + what, expected.bias(), actual.bias(), outElemsPerChannel);
                }
            }
        });
    }

    /** The SIMD transposed convolution (every width) against the reference. */
    @Property
    @FuzzCases.Tries(ci = 150, share = 0.05)
    void transposedEqualsTheReference(@ForAll("transposeCases") FuzzCases.TransposeCase c) {
        onOwnThread(() -> {
            ConvTransposeSpec spec = c.spec();
            Tensor input = Tensor.random(c.seed(), c.input().dims());
            Tensor weight = Tensor.random(c.seed() + 1, spec.weightShape().dims());
            Tensor bias = spec.hasBias() ? Tensor.random(c.seed() + 2, spec.outChannels()) : null;
            Tensor expected = ((ConvTranspose2d) Engines.reference()).forward(spec, input, weight, bias);
            for (int bits : new int[] {256, 128, 512}) {
                if (bits == 512 && FuzzCases.transposeFlops(c) > MAX_FLOPS_512) {
                    continue;
                }
                Tensor actual = Tensor.random(c.seed() + 3, expected.shape().dims()); // stale output: must be overwritten
                SimdEngines.simd(bits).forward(spec, input, weight, bias, actual);
                ConvAsserts.assertClose("conv_transpose2d simd-" + bits + " " + c, expected, actual,
                        spec.inChannelsPerGroup() * spec.kernelH() * spec.kernelW());
            }
        });
    }
}
