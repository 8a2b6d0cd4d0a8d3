package dev.vconv.simd;

import dev.vconv.core.Conv2d;
import dev.vconv.core.Conv2dBackward;
import dev.vconv.core.ConvGradients;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.ConvTranspose2d;
import dev.vconv.core.ConvTransposeSpec;
import dev.vconv.core.Engines;
import dev.vconv.core.PaddingMode;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import dev.vconv.core.testing.ConvAsserts;
import dev.vconv.core.testing.FuzzCases;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.statistics.Statistics;

/**
 * A probe of hostile but mostly valid layers, of the kinds that crashed the SIMD engine in issue 23's probe: strides,
 * dilations and paddings from 1 to {@code 2^31-1} around images of 1 to 6 pixels a side, batches of 0 to 2, dense,
 * grouped and depthwise layers in every padding mode. On every engine (reference, scalar, SIMD at 512, 256 and 128
 * bits, 1 and 3 threads), through {@code forward}, a plan into a stale output, and {@code backward}:
 * <ul>
 * <li>a spec PyTorch would refuse is refused when it is built, with an IllegalArgumentException;</li>
 * <li>otherwise every engine equals the reference, or fails with an IllegalArgumentException whose message says
 *     why (only where a buffer would exceed a Java array, which the small outputs here never reach), leaving the
 *     caller's output as it was; nothing else ever escapes (no index error, overflow, {@code OutOfMemoryError});</li>
 * <li>the input, weight and bias are never modified.</li>
 * </ul>
 * The transposed convolution gets the same geometries on 1-3 pixel inputs, every engine against the reference.
 * Each try costs at most a few thousand multiply-adds however large its stride or padding: anything an engine
 * sized by them would show as a failure or as a slow run. {@link FuzzCases.Tries}: 300 in CI, as many in a long run.
 */
@AddLifecycleHook(FuzzCases.Budget.class)
class HostileInputsTest {

    /** Outputs at most this many elements: the reference stays cheap whatever the geometry. */
    static final int MAX_OUTPUT = 2_000;

    /** One hostile layer: its spec (or the reason it was refused) and the input shape. */
    record Hostile(ConvSpec spec, Shape input, String refused) {
        @Override
        public String toString() {
            return refused != null ? "refused: " + refused : spec + " on input " + input;
        }
    }

    /** One of {@code small}, or (one time in {@code 1 + odds}) a value from 1,000 to {@code 2^31-1}. */
    private static Arbitrary<Integer> extreme(int odds, int... small) {
        Integer[] values = new Integer[small.length];
        for (int i = 0; i < small.length; i++) {
            values[i] = small[i];
        }
        return Arbitraries.frequencyOf(Tuple.of(odds, Arbitraries.of(values)), Tuple.of(1, Arbitraries.of(1_000, 40_000, 50_000,
                100_000, 500_000, 1_000_000, 1 << 20, 1 << 28, 1 << 30, Integer.MAX_VALUE)));
    }

    @Provide
    Arbitrary<Hostile> hostile() {
        Arbitrary<int[]> geometry = Combinators.combine(
                Arbitraries.integers().between(1, 3),              // kernel h
                Arbitraries.integers().between(1, 3),              // kernel w
                extreme(1, 1, 2, 3),                               // stride h
                extreme(1, 1, 2, 3),                               // stride w
                extreme(2, 1, 2),                                  // dilation h
                extreme(2, 1, 2),                                  // dilation w
                extreme(3, 0, 1, 2),                               // padding h
                extreme(3, 0, 1, 2)).as((kh, kw, sh, sw, dh, dw, ph, pw) -> new int[] {kh, kw, sh, sw, dh, dw, ph, pw});
        Arbitrary<int[]> layer = Combinators.combine(
                Arbitraries.integers().between(0, 2),              // batch
                Arbitraries.integers().between(1, 6),              // h
                Arbitraries.integers().between(1, 6),              // w
                Arbitraries.integers().between(0, 2),              // 0 dense, 1 grouped, 2 depthwise
                Arbitraries.integers().between(0, 3),              // padding mode
                Arbitraries.integers().between(0, 3)).as((n, h, w, kind, mode, pad) -> new int[] {n, h, w, kind, mode, pad});
        return Combinators.combine(geometry, layer).as(HostileInputsTest::build);
    }

    private static Hostile build(int[] g, int[] l) {
        int channels = l[3] == 0 ? 3 : 4;
        int out = l[3] == 2 ? 4 : 6;
        ConvSpec.Builder b = ConvSpec.builder(channels, out, g[0], g[1]).stride(g[2], g[3]).dilation(g[4], g[5])
                .groups(l[3] == 0 ? 1 : l[3] == 1 ? 2 : 4).paddingMode(PaddingMode.values()[l[4] % PaddingMode.values().length]);
        b = switch (l[5]) {
            case 0 -> b.padding(g[6], g[7]);
            case 1 -> b.paddingSame();
            case 2 -> b.paddingValid();
            default -> b.padding(g[6], 0, 0, g[7]);
        };
        Shape input = Shape.of(l[0], channels, l[1], l[2]);
        try {
            ConvSpec spec = b.build();
            spec.outputShape(input);
            return new Hostile(spec, input, null);
        } catch (IllegalArgumentException e) {
            return new Hostile(null, input, e.getMessage());
        }
    }

    /** A transposed convolution of the same geometry, on a 1-3 pixel input: the stride then spreads few pixels far. */
    record HostileTransposed(ConvTransposeSpec spec, Shape input, String refused) {
        @Override
        public String toString() {
            return refused != null ? "refused: " + refused : "ConvTranspose2d " + spec + " on input " + input;
        }
    }

    @Provide
    Arbitrary<HostileTransposed> hostileTransposed() {
        Arbitrary<int[]> geometry = Combinators.combine(
                Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 3),
                extreme(1, 1, 2, 3), extreme(1, 1, 2, 3), extreme(2, 1, 2), extreme(2, 1, 2), extreme(3, 0, 1, 2),
                extreme(3, 0, 1, 2)).as((kh, kw, sh, sw, dh, dw, ph, pw) -> new int[] {kh, kw, sh, sw, dh, dw, ph, pw});
        Arbitrary<int[]> layer = Combinators.combine(Arbitraries.integers().between(0, 2), Arbitraries.integers().between(1, 3),
                Arbitraries.integers().between(1, 3), Arbitraries.integers().between(0, 1))
                .as((n, h, w, grouped) -> new int[] {n, h, w, grouped});
        return Combinators.combine(geometry, layer).as((g, l) -> {
            Shape input = Shape.of(l[0], 4, l[1], l[2]);
            try {
                ConvTransposeSpec spec = ConvTransposeSpec.builder(4, 2, g[0], g[1]).stride(g[2], g[3]).dilation(g[4], g[5])
                        .padding(g[6], g[7]).groups(l[3] == 0 ? 1 : 2).build();
                spec.outputShape(input);
                return new HostileTransposed(spec, input, null);
            } catch (IllegalArgumentException e) {
                return new HostileTransposed(null, input, e.getMessage());
            }
        });
    }

    @Property
    @FuzzCases.Tries(ci = 300, share = 0)
    void noTransposedConvolutionCrashesOrDisagrees(@ForAll("hostileTransposed") HostileTransposed c) {
        if (c.refused() != null) {
            return;                  // refused when built, or its output too large for an array: an IllegalArgumentException
        }
        Shape outShape = c.spec().outputShape(c.input());
        Statistics.collect(outShape.size() > MAX_OUTPUT ? "output too large to compare" : "compared");
        if (outShape.size() > MAX_OUTPUT) {
            return;
        }
        FuzzSimdTest.onOwnThread(() -> {
            ConvTransposeSpec spec = c.spec();
            Tensor input = Tensor.random(8, c.input().dims());
            Tensor weight = Tensor.random(9, spec.weightShape().dims());
            Tensor bias = spec.hasBias() ? Tensor.random(10, spec.outChannels()) : null;
            Tensor expected = ((ConvTranspose2d) Engines.reference()).forward(spec, input, weight, bias);
            for (Conv2d engine : engines()) {
                Tensor out = Tensor.random(11, outShape.dims());
                ((ConvTranspose2d) engine).forward(spec, input, weight, bias, out);
                ConvAsserts.assertClose("conv_transpose2d " + engine + ", " + c, expected, out,
                        spec.inChannelsPerGroup() * spec.kernelH() * spec.kernelW());
            }
        });
    }

    /** Every engine of the probe: the core engines, and the SIMD engine at every width on 1 and 3 threads. */
    static List<Conv2d> engines() {
        List<Conv2d> engines = new ArrayList<>(List.of(Engines.reference(), Engines.scalar()));
        for (int bits : new int[] {512, 256, 128}) {
            engines.add(SimdEngines.simd(bits).withThreads(1));
            engines.add(SimdEngines.simd(bits).withThreads(3));
        }
        return engines;
    }

    @Property
    @FuzzCases.Tries(ci = 300, share = 0)
    void noEngineCrashesWritesPartlyOrDisagrees(@ForAll("hostile") Hostile c) {
        if (c.refused() != null) {
            return;                  // refused when built, as PyTorch refuses it, with an IllegalArgumentException
        }
        Shape outShape = c.spec().outputShape(c.input());
        Statistics.collect(outShape.size() > MAX_OUTPUT ? "output too large to compare" : "compared");
        if (outShape.size() <= MAX_OUTPUT) {
            FuzzSimdTest.onOwnThread(() -> check(c, outShape));
        }
    }

    private static void check(Hostile c, Shape outShape) {
        ConvSpec spec = c.spec();
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, c.input(), 5);
        long[] sums = {ConvAsserts.checksum(ops.input().data()), ConvAsserts.checksum(ops.weight().data()),
                ops.bias() == null ? 0 : ConvAsserts.checksum(ops.bias().data())};
        Tensor expected = Engines.reference().forward(spec, ops.input(), ops.weight(), ops.bias());
        Tensor gy = Tensor.random(6, outShape.dims());
        ConvGradients expectedGradients = ((Conv2dBackward) Engines.reference()).backward(spec, ops.input(), ops.weight(), gy);
        for (Conv2d engine : engines()) {
            String what = engine + ", " + c;
            Tensor stale = Tensor.random(7, outShape.dims());
            Tensor out = Tensor.of(stale.data().clone(), outShape.dims());
            try {
                engine.plan(spec, c.input(), ops.weight(), ops.bias()).forward(ops.input(), out);
                ConvAsserts.assertClose(what + ", plan", expected, out, spec.reductionLength());
                ConvAsserts.assertClose(what + ", forward", expected, engine.forward(spec, ops.input(), ops.weight(), ops.bias()),
                        spec.reductionLength());
            } catch (IllegalArgumentException e) {
                if (!String.valueOf(e.getMessage()).contains("more than a Java array can hold")) {
                    throw new AssertionError(what + ": refused a valid layer: " + e.getMessage(), e);
                }
                if (ConvAsserts.checksum(out.data()) != ConvAsserts.checksum(stale.data())) {
                    throw new AssertionError(what + ": a refused call wrote into the output");
                }
            }
            if (engine instanceof Conv2dBackward training) {
                ConvGradients g = training.backward(spec, ops.input(), ops.weight(), gy);
                int perChannel = outShape.size() / spec.outChannels();
                ConvAsserts.assertClose(what + ", grad_input", expectedGradients.input(), g.input(),
                        spec.outChannelsPerGroup() * spec.kernelH() * spec.kernelW() * spec.kernelH() * spec.kernelW());
                ConvAsserts.assertClose(what + ", grad_weight", expectedGradients.weight(), g.weight(), Math.max(1, perChannel));
            }
            if (ConvAsserts.checksum(ops.input().data()) != sums[0] || ConvAsserts.checksum(ops.weight().data()) != sums[1]
                    || (ops.bias() != null && ConvAsserts.checksum(ops.bias().data()) != sums[2])) {
                throw new AssertionError(what + ": changed its input, weight or bias");
            }
        }
    }
}
