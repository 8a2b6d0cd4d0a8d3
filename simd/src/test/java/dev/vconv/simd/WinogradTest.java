package dev.vconv.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vconv.core.Conv2d;
import dev.vconv.core.Conv2dPlan;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.Engines;
import dev.vconv.core.Epilogue;
import dev.vconv.core.PaddingMode;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import dev.vconv.core.testing.ConvAsserts;
import dev.vconv.core.testing.ConvGrid;
import dev.vconv.core.testing.FusedChecks;
import dev.vconv.simd.kernel.VectorWidth;
import dev.vconv.simd.plan.ConvPlanner;
import dev.vconv.simd.plan.Path;
import dev.vconv.simd.plan.PlanDecision;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Winograd's F(4x4, 3x3) path, forced: equal to the reference within the conformance tolerance
 * ({@code 1e-4 * sqrt(K) * (1 + |expected|)}, {@link ConvAsserts#assertClose}) over the odd-size grid's 3x3 stride-1
 * cases and odd layers of its own (tile edges, channel counts that are no multiple of a vector or panel, blocks that
 * cross tile rows, every padding mode, batches, no bias), at every width, and bit for bit the same on one and two
 * threads; every fused epilogue equal to the unfused output followed by the epilogue; and its error against a
 * float64 direct convolution, beside the direct paths', for 64 to 512 channels.
 */
class WinogradTest {

    /** The layers of this test besides the grid's: each forced onto Winograd. */
    static List<ConvGrid.Case> layers() {
        List<ConvGrid.Case> cases = new ArrayList<>();
        cases.add(new ConvGrid.Case(ConvSpec.builder(3, 5, 3).padding(1).build(), Shape.of(2, 3, 13, 11)));
        for (PaddingMode mode : PaddingMode.values()) {
            cases.add(new ConvGrid.Case(ConvSpec.builder(17, 33, 3).padding(1).paddingMode(mode).build(), Shape.of(1, 17, 9, 23)));
            cases.add(new ConvGrid.Case(ConvSpec.builder(33, 19, 3).padding(2, 0, 1, 3).paddingMode(mode).build(), Shape.of(3, 33, 14, 6)));
            cases.add(new ConvGrid.Case(ConvSpec.builder(16, 24, 3).padding(1).paddingMode(mode).build(), Shape.of(2, 16, 57, 61)));
        }
        cases.add(new ConvGrid.Case(ConvSpec.builder(70, 101, 3).padding(1).build(), Shape.of(2, 70, 7, 5)));
        cases.add(new ConvGrid.Case(ConvSpec.builder(9, 10, 3).bias(false).build(), Shape.of(1, 9, 3, 3)));
        cases.add(new ConvGrid.Case(ConvSpec.builder(7, 9, 3).padding(3).bias(false).build(), Shape.of(2, 7, 1, 2)));
        cases.add(new ConvGrid.Case(ConvSpec.builder(600, 9, 3).padding(1).build(), Shape.of(1, 600, 9, 10)));
        return cases;
    }

    /**
     * The odd-size grid's settings for the specs Winograd computes (3x3, stride 1, dilation 1, one group: the shared
     * grid dilates its widths): channels 1, 3, 7, 17, 33; spatial 1, 5, 13 (and 2 wider); no, symmetric, asymmetric
     * and 'same' padding; the padding modes, bias and batch 1 or 2 rotating.
     */
    static List<ConvGrid.Case> grid() {
        List<ConvGrid.Case> cases = new ArrayList<>();
        int index = 0;
        for (int channels : new int[] {1, 3, 7, 17, 33}) {
            for (int spatial : new int[] {1, 5, 13}) {
                for (int pad = 0; pad < 4; pad++, index++) {
                    ConvSpec.Builder b = ConvSpec.builder(channels, channels == 1 ? 2 : channels + 2, 3)
                            .paddingMode(PaddingMode.values()[index % 4]).bias(index % 2 == 0);
                    switch (pad) {
                        case 0 -> b.padding(0);
                        case 1 -> b.padding(1, 2);
                        case 2 -> b.padding(2, 0, 1, 3);
                        default -> b.paddingSame();
                    }
                    ConvSpec spec = b.build();
                    Shape input = Shape.of(1 + index % 2, channels, spatial, spatial + (index % 3 == 0 ? 2 : 0));
                    try {
                        spec.checkInput(input);
                    } catch (IllegalArgumentException invalid) {
                        continue;
                    }
                    cases.add(new ConvGrid.Case(spec, input));
                }
            }
        }
        return cases;
    }

    /** The variants: F(4x4) with tiles in the vectors, F(4x4) and F(2x2) with tiles as the GEMMs' rows. */
    static final List<int[]> FORMS = List.of(new int[] {4, 0}, new int[] {4, 1}, new int[] {2, 1});

    @TestFactory
    Stream<DynamicTest> equalsTheReferenceAtEveryWidthAndTheSameBitsOnOneTwoAndThreeThreads() {
        List<ConvGrid.Case> cases = grid();
        cases.addAll(layers());
        return Stream.of(512, 256, 128).flatMap(bits -> FORMS.stream().flatMap(form -> cases.stream().map(c -> DynamicTest.dynamicTest(
                bits + " bits, F(" + form[0] + ")" + (form[1] == 1 ? " tile rows" : "") + ": " + c, () -> {
            ConvAsserts.Operands ops = ConvAsserts.Operands.of(c.spec(), c.input(), 17);
            long inputSum = ConvAsserts.checksum(ops.input().data());
            Tensor expected = Engines.reference().forward(c.spec(), ops.input(), ops.weight(), ops.bias());
            Tensor one = forced(bits, 1, form[0], form[1] == 1).plan(c.spec(), c.input(), ops.weight(), ops.bias()).forward(ops.input());
            ConvAsserts.assertClose(c.spec(), c.input(), expected, one);
            for (int threads : new int[] {2, 3}) {
                Tensor more = forced(bits, threads, form[0], form[1] == 1).plan(c.spec(), c.input(), ops.weight(), ops.bias()).forward(ops.input());
                assertArrayEquals(one.data(), more.data(), threads + " threads differ from one");
            }
            assertEquals(inputSum, ConvAsserts.checksum(ops.input().data()), "input modified");
        }))));
    }

    /** A layer of one block on two threads: the input transformed once, shared, the output channels split. */
    @Test
    void oneBlockOnTwoThreadsSharesOneInputTransform() {
        ConvSpec spec = ConvSpec.builder(64, 80, 3).padding(1).build();
        Shape shape = Shape.of(1, 64, 7, 9);
        for (int[] form : FORMS) {
            PlanDecision.Winograd d = (PlanDecision.Winograd) ConvPlanner.winograd(spec, shape, VectorWidth.W512, 2, form[0], form[1] == 1);
            assertTrue(d.inputTasks() > 0 && d.panelSplits() >= 2, d.toString());
            ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 5);
            Tensor expected = Engines.reference().forward(spec, ops.input(), ops.weight(), ops.bias());
            Tensor one = forced(512, 1, form[0], form[1] == 1).plan(spec, shape, ops.weight(), ops.bias()).forward(ops.input());
            Tensor two = forced(512, 2, form[0], form[1] == 1).plan(spec, shape, ops.weight(), ops.bias()).forward(ops.input());
            ConvAsserts.assertClose(spec, shape, expected, two);
            assertArrayEquals(one.data(), two.data(), "two threads differ from one");
        }
    }

    /** Every epilogue, with a separate residual and the output as its own, on layers of several blocks and panels. */
    @TestFactory
    Stream<DynamicTest> everyEpilogueFusesIntoTheOutputTransform() {
        List<DynamicTest> tests = new ArrayList<>();
        ConvSpec spec = ConvSpec.builder(19, 21, 3).padding(1).paddingMode(PaddingMode.REPLICATE).build();
        Shape shape = Shape.of(2, 19, 23, 41);
        for (int bits : new int[] {512, 256, 128}) {
            for (int[] form : FORMS) {
                for (Epilogue e : FusedChecks.epilogues()) {
                    tests.add(DynamicTest.dynamicTest(bits + " bits, F(" + form[0] + ")" + (form[1] == 1 ? " tile rows, " : ", ") + e,
                            () -> FusedChecks.assertFusedEqualsUnfused(forced(bits, 2, form[0], form[1] == 1), spec, shape, e, 5)));
                }
            }
        }
        return tests.stream();
    }

    /**
     * The max error relative to the largest output, against a float64 direct convolution, of the direct paths and of
     * Winograd, on ResNet's 3x3 layers' channel counts (random inputs and weights in [-1, 1), 14x14, pad 1), at the
     * preferred width: printed (docs/KERNELS.md, Winograd, has the table) and held under 5e-6 (direct) and 3e-5
     * (Winograd).
     */
    @Test
    void errorAgainstFloat64DirectConvolution() {
        for (int channels : new int[] {64, 128, 256, 512}) {
            ConvSpec spec = ConvSpec.builder(channels, channels, 3).padding(1).bias(false).build();
            Shape shape = Shape.of(1, channels, 14, 14);
            SplittableRandom random = new SplittableRandom(channels);
            Tensor x = Tensor.zeros(shape);
            Tensor w = Tensor.zeros(spec.weightShape());
            for (float[] a : new float[][] {x.data(), w.data()}) {
                for (int i = 0; i < a.length; i++) {
                    a[i] = (float) random.nextDouble(-1, 1);
                }
            }
            double[] exact = direct64(spec, shape, x.data(), w.data());
            double largest = 0;
            for (double v : exact) {
                largest = Math.max(largest, Math.abs(v));
            }
            int bits = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 512 ? 512 : 256;
            Tensor direct = SimdEngines.simd(bits).withAlgorithm(SimdConv2d.Algorithm.DIRECT).withThreads(2).plan(spec, shape, w, null).forward(x);
            Tensor wino = forced(bits, 2, 4, false).plan(spec, shape, w, null).forward(x);
            Tensor winoRows = forced(bits, 2, 4, true).plan(spec, shape, w, null).forward(x);
            Tensor wino2 = forced(bits, 2, 2, true).plan(spec, shape, w, null).forward(x);
            double directError = maxError(exact, direct.data()) / largest;
            double winoError = maxError(exact, wino.data()) / largest;
            double winoRowsError = maxError(exact, winoRows.data()) / largest;
            double wino2Error = maxError(exact, wino2.data()) / largest;
            System.out.printf(Locale.ROOT, "WinogradTest error, %d channels 14x14, %d bits: direct %.2e, F(4x4,3x3) %.2e "
                            + "(tile rows %.2e), F(2x2,3x3) %.2e%n", channels, bits, directError, winoError, winoRowsError, wino2Error);
            assertTrue(directError < 5e-6, "direct " + directError);
            assertTrue(winoError < 3e-5, "Winograd " + winoError);
            assertTrue(winoRowsError < 3e-5, "Winograd, tile rows " + winoRowsError);
            assertTrue(wino2Error < 1e-5, "Winograd F(2x2) " + wino2Error);
        }
    }

    @Test
    void thePlannerTakesWinogradOnlyWhereAskedAndItApplies() {
        ConvSpec spec = ConvSpec.builder(64, 64, 3).padding(1).build();
        Shape shape = Shape.of(1, 64, 56, 56);
        Tensor weight = Tensor.zeros(spec.weightShape());
        Tensor bias = Tensor.zeros(spec.biasShape());
        assertEquals("WINOGRAD", SimdEngines.simd(256).plan(spec, shape, weight, bias).path());
        assertEquals("IMPLICIT_GEMM", SimdEngines.simd(256).withAlgorithm(SimdConv2d.Algorithm.DIRECT).plan(spec, shape, weight, bias).path());
        assertTrue(SimdEngines.simd(256).withAlgorithm(SimdConv2d.Algorithm.DIRECT).toString().contains("DIRECT"));
        ConvSpec small = ConvSpec.builder(3, 4, 3).padding(1).build();
        assertEquals("WINOGRAD", SimdEngines.simd(128).withAlgorithm(SimdConv2d.Algorithm.WINOGRAD)
                .plan(small, Shape.of(1, 3, 5, 5), Tensor.zeros(small.weightShape()), Tensor.zeros(small.biasShape())).path());
        ConvSpec strided = ConvSpec.builder(64, 64, 3).padding(1).stride(2).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvPlanner.plan(Path.WINOGRAD, strided, shape, VectorWidth.W256, 1));
        assertTrue(e.getMessage().contains("3x3 kernel at stride 1"), e.getMessage());
    }

    private static double maxError(double[] exact, float[] got) {
        double worst = 0;
        for (int i = 0; i < exact.length; i++) {
            worst = Math.max(worst, Math.abs(got[i] - exact[i]));
        }
        return worst;
    }

    /** The direct convolution in float64, stride 1, one group, zero padding: no rounding to speak of. */
    static double[] direct64(ConvSpec spec, Shape shape, float[] x, float[] w) {
        int cin = spec.inChannels();
        int cout = spec.outChannels();
        int h = shape.dims()[2];
        int wd = shape.dims()[3];
        int hout = spec.outputHeight(h);
        int wout = spec.outputWidth(wd);
        double[] y = new double[cout * hout * wout];
        for (int oc = 0; oc < cout; oc++) {
            for (int ic = 0; ic < cin; ic++) {
                for (int ky = 0; ky < 3; ky++) {
                    for (int kx = 0; kx < 3; kx++) {
                        double g = w[((oc * cin + ic) * 3 + ky) * 3 + kx];
                        for (int oy = 0; oy < hout; oy++) {
                            int iy = oy + ky - spec.padTop();
                            if (Integer.compareUnsigned(iy, h) >= 0) {
                                continue;
                            }
                            for (int ox = 0; ox < wout; ox++) {
                                int ix = ox + kx - spec.padLeft();
                                if (Integer.compareUnsigned(ix, wd) < 0) {
                                    y[(oc * hout + oy) * wout + ox] += g * x[(ic * h + iy) * wd + ix];
                                }
                            }
                        }
                    }
                }
            }
        }
        return y;
    }

    /** The engine at {@code bits} on {@code threads} threads with every plan forced onto Winograd, the planner's variant. */
    static Conv2d forced(int bits, int threads) {
        return forced(bits, threads, 0, false);
    }

    /**
     * The engine at {@code bits} on {@code threads} threads with every plan forced onto Winograd's F({@code tile}),
     * tiles as rows or not; tile 0: the planner's variant.
     */
    static Conv2d forced(int bits, int threads, int tile, boolean tileRows) {
        return new Conv2d() {
            @Override
            public String name() {
                return "simd-" + bits + " Winograd";
            }

            @Override
            public void forward(ConvSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor output) {
                plan(spec, input.shape(), weight, bias).forward(input, output);
            }

            @Override
            public void forward(ConvSpec spec, Tensor input, Tensor weight, Tensor bias, Epilogue epilogue, Tensor residual, Tensor output) {
                plan(spec, input.shape(), weight, bias, epilogue).forward(input, residual, output);
            }

            @Override
            public Conv2dPlan plan(ConvSpec spec, Shape inputShape, Tensor weight, Tensor bias) {
                return plan(spec, inputShape, weight, bias, Epilogue.NONE);
            }

            @Override
            public Conv2dPlan plan(ConvSpec spec, Shape inputShape, Tensor weight, Tensor bias, Epilogue epilogue) {
                VectorWidth width = VectorWidth.ofBits(bits);
                return new ConvPlan(spec, inputShape, weight, bias, tile == 0
                        ? ConvPlanner.plan(Path.WINOGRAD, spec, inputShape, width, threads)
                        : ConvPlanner.winograd(spec, inputShape, width, threads, tile, tileRows), null, epilogue);
            }
        };
    }
}
