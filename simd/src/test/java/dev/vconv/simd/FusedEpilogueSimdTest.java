package dev.vconv.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vconv.core.Activation;
import dev.vconv.core.Conv2d;
import dev.vconv.core.Conv2dPlan;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.Epilogue;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import dev.vconv.core.testing.ConvGrid;
import dev.vconv.core.testing.FusedChecks;
import dev.vconv.simd.kernel.VectorWidth;
import dev.vconv.simd.plan.ConvPlanner;
import dev.vconv.simd.plan.DepthwiseVariant;
import dev.vconv.simd.plan.Path;
import dev.vconv.simd.plan.PlanDecision;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The SIMD engine's fused epilogue ({@code act(conv + bias + alpha * residual)}, applied as each block of output is
 * stored) equals the same engine's plain output followed by {@link Epilogue}'s element-wise application: bit for
 * bit for the exact activations and the residual add, within {@link Epilogue#TRANSCENDENTAL_ULPS} ulps for the
 * others; through {@code forward} and a plan, with a separate residual and with the output as its own residual. On
 * every path, every depthwise variant and every width, over the odd-size grid and on layers that span several
 * column blocks, reduction blocks and pixel panels, at one and three threads.
 */
class FusedEpilogueSimdTest {

    /** Every grid case on the path the planner picks, each epilogue in turn, at each width. */
    @TestFactory
    Stream<DynamicTest> fusedEqualsUnfusedOverTheGridAtEveryWidth() {
        List<Epilogue> epilogues = FusedChecks.epilogues();
        List<ConvGrid.Case> cases = ConvGrid.sampled(4);
        return Stream.of(512, 256, 128).flatMap(bits -> IntStream.range(0, cases.size()).mapToObj(i -> {
            ConvGrid.Case c = cases.get(i);
            Epilogue e = epilogues.get((i + bits) % epilogues.size());
            return DynamicTest.dynamicTest(bits + " bits, " + e + ": " + c,
                    () -> FusedChecks.assertFusedEqualsUnfused(SimdEngines.simd(bits).withThreads(1 + i % 3), c.spec(), c.input(), e, i));
        }));
    }

    /**
     * Each GEMM path forced, with every epilogue, on layers large enough for two column blocks or several pixel
     * panels and two reduction blocks (K = 306), at 512 and 256 bits and three threads.
     */
    @TestFactory
    Stream<DynamicTest> everyGemmPathFusesEveryEpilogue() {
        ConvSpec dense = ConvSpec.builder(34, 19, 3).padding(1, 0, 2, 1).stride(1, 2).build();
        ConvSpec pointwise = ConvSpec.builder(30, 21, 1).groups(3).build();
        List<DynamicTest> tests = new ArrayList<>();
        for (int bits : new int[] {512, 256}) {
            for (Path path : new Path[] {Path.PACKED_GEMM, Path.IMPLICIT_GEMM, Path.PIXEL_ROWS, Path.POINTWISE}) {
                ConvSpec spec = path == Path.POINTWISE ? pointwise : dense;
                Shape shape = Shape.of(2, spec.inChannels(), 23, 41);
                for (Epilogue e : FusedChecks.epilogues()) {
                    tests.add(DynamicTest.dynamicTest(bits + " bits, " + path + ", " + e,
                            () -> FusedChecks.assertFusedEqualsUnfused(new Forced(path, VectorWidth.ofBits(bits), 3), spec, shape, e, 11)));
                }
            }
        }
        return tests.stream();
    }

    /** The depthwise variants (direct, wrapped, planes) with every epilogue, a channel multiplier, at 512 bits. */
    @TestFactory
    Stream<DynamicTest> everyDepthwiseVariantFusesEveryEpilogue() {
        record Case(ConvSpec spec, Shape shape, Class<?> variant, boolean forcePlanes) {
        }
        List<Case> cases = List.of(
                new Case(ConvSpec.builder(6, 12, 3).groups(6).padding(1).build(), Shape.of(2, 6, 9, 45), DepthwiseVariant.Direct.class, false),
                new Case(ConvSpec.builder(6, 6, 3).groups(6).stride(2).padding(1).build(), Shape.of(2, 6, 19, 45), DepthwiseVariant.Direct.class, false),
                new Case(ConvSpec.builder(6, 12, 3).groups(6).padding(1).build(), Shape.of(2, 6, 7, 7), DepthwiseVariant.Wrapped.class, false),
                new Case(ConvSpec.builder(6, 6, 3).groups(6).stride(2).padding(1).build(), Shape.of(2, 6, 14, 14), DepthwiseVariant.Wrapped.class, false),
                new Case(ConvSpec.builder(6, 12, 3).groups(6).padding(1).build(), Shape.of(2, 6, 9, 45), DepthwiseVariant.Planes.class, true),
                new Case(ConvSpec.builder(4, 8, 5).groups(4).dilation(2).padding(3).build(), Shape.of(1, 4, 13, 17), DepthwiseVariant.Planes.class, false));
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases) {
            Conv2d engine = c.forcePlanes() ? new Forced(Path.DEPTHWISE, VectorWidth.W512, 2) : SimdEngines.simd(512).withThreads(2);
            PlanDecision decision = c.forcePlanes() ? ConvPlanner.plan(Path.DEPTHWISE, c.spec(), c.shape(), VectorWidth.W512, 2)
                    : ConvPlanner.plan(c.spec(), c.shape(), VectorWidth.W512, 2);
            assertTrue(c.variant().isInstance(((PlanDecision.Depthwise) decision).variant()), c + ": " + decision.reason());
            for (Epilogue e : FusedChecks.epilogues()) {
                tests.add(DynamicTest.dynamicTest(c.variant().getSimpleName() + " " + c.spec() + ", " + e,
                        () -> FusedChecks.assertFusedEqualsUnfused(engine, c.spec(), c.shape(), e, 3)));
            }
        }
        return tests.stream();
    }

    /** The grid reaches the implicit, pixel-rows and depthwise paths at 512 bits (the others are forced above). */
    @Test
    void theGridReachesEveryPath() {
        Set<Path> reached = EnumSet.noneOf(Path.class);
        for (ConvGrid.Case c : ConvGrid.sampled(4)) {
            reached.add(ConvPlanner.plan(c.spec(), c.input(), VectorWidth.W512, 1).path());
        }
        assertTrue(reached.containsAll(EnumSet.of(Path.IMPLICIT_GEMM, Path.DEPTHWISE, Path.PIXEL_ROWS)), reached.toString());
    }

    /** A plan reports its epilogue, and a residual plan refuses a call without a residual. */
    @Test
    void aPlanCarriesItsEpilogue() {
        ConvSpec spec = ConvSpec.builder(8, 8, 3).padding(1).build();
        Shape shape = Shape.of(1, 8, 9, 9);
        Epilogue e = Epilogue.of(Activation.relu6()).withResidual(0.5f);
        Conv2dPlan plan = SimdEngines.simd(512).plan(spec, shape, Tensor.random(1, 8, 8, 3, 3), Tensor.random(2, 8), e);
        assertEquals(e, plan.epilogue());
        Tensor out = Tensor.zeros(plan.outputShape());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> plan.forward(Tensor.random(3, 1, 8, 9, 9), out));
    }

    /** The SIMD engine with every plan on one path (the planner's decision for that path otherwise). */
    private record Forced(Path path, VectorWidth width, int threads) implements Conv2d {
        @Override
        public String name() {
            return "simd-" + width.bits + " forced " + path;
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
            return new ConvPlan(spec, inputShape, weight, bias, ConvPlanner.plan(path, spec, inputShape, width, threads), null, epilogue);
        }
    }
}
