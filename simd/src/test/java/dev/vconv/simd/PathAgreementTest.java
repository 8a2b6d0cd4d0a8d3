package dev.vconv.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vconv.core.Activation;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.Epilogue;
import dev.vconv.core.PaddingMode;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import dev.vconv.core.testing.ConvAsserts;
import dev.vconv.core.testing.ConvGrid;
import dev.vconv.simd.kernel.VectorWidth;
import dev.vconv.simd.plan.ConvPlanner;
import dev.vconv.simd.plan.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The packed GEMM, the implicit GEMM and the pixel-rows GEMM compute every output element as the same running
 * sum (from the bias, one fused multiply-add per reduction index, in increasing order), so forcing any of them
 * on any non-depthwise case must give the same output bit for bit, at every width, with and without the ReLU.
 */
class PathAgreementTest {

    @TestFactory
    Stream<DynamicContainer> theGemmPathsAgreeBitForBitOverTheGrid() {
        return Stream.of(512, 256, 128).map(bits -> DynamicContainer.dynamicContainer("simd-" + bits,
                ConvGrid.full().stream()
                        .filter(c -> ConvPlanner.choose(c.spec()).path() != Path.DEPTHWISE)
                        .map(c -> DynamicTest.dynamicTest(c.toString(), () -> assertPathsAgree(c.spec(), c.input(), bits)))));
    }

    @Test
    void pathsAgreeOnWideAndPaddedLayersWithEveryPaddingMode() {
        for (PaddingMode mode : PaddingMode.values()) {
            ConvSpec spec = ConvSpec.builder(5, 19, 3, 5).padding(2, 1, 3, 4).stride(1, 2).dilation(2, 1).paddingMode(mode).build();
            for (int bits : List.of(512, 256, 128)) {
                assertPathsAgree(spec, Shape.of(2, 5, 23, 61), bits);
            }
        }
    }

    @Test
    void pointwiseAgreesOnBatchesGroupsAndWidthsThatLeaveAPartialLastPanel() {
        for (int groups : new int[] {1, 3}) {
            ConvSpec spec = ConvSpec.builder(6 * groups, 9 * groups, 1).groups(groups).build();
            for (int bits : List.of(512, 256, 128)) {
                for (int w : new int[] {1, 7, 16, 49, 67}) {
                    assertPathsAgree(spec, Shape.of(3, 6 * groups, 5, w), bits);
                }
            }
        }
    }

    @Test
    void pathsAgreeOnASmallImageWithManyChannelsAndALongReduction() {
        ConvSpec spec = ConvSpec.builder(70, 101, 3).padding(1).build();   // K = 630: three reduction blocks
        for (int bits : List.of(512, 256, 128)) {
            assertPathsAgree(spec, Shape.of(2, 70, 7, 5), bits);
        }
    }

    @Test
    void pathsAgreeOnAStridedLayerWiderThanAColumnBlock() {
        ConvSpec spec = ConvSpec.builder(3, 21, 7).stride(2).padding(3).build();
        for (int bits : List.of(512, 256, 128)) {
            assertPathsAgree(spec, Shape.of(1, 3, 37, 1201), bits);
        }
    }

    private static void assertPathsAgree(ConvSpec spec, Shape input, int bits) {
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, input, 47);
        VectorWidth width = VectorWidth.ofBits(bits);
        for (Epilogue epilogue : List.of(Epilogue.NONE, Epilogue.of(Activation.relu()))) {
            boolean relu = !epilogue.isNone();
            Tensor packed = new ConvPlan(spec, input, ops.weight(), ops.bias(), ConvPlanner.plan(Path.PACKED_GEMM, spec, input, width, 2), null, epilogue).forward(ops.input());
            Tensor implicit = new ConvPlan(spec, input, ops.weight(), ops.bias(), ConvPlanner.plan(Path.IMPLICIT_GEMM, spec, input, width, 2), null, epilogue).forward(ops.input());
            Tensor pixelRows = new ConvPlan(spec, input, ops.weight(), ops.bias(), ConvPlanner.plan(Path.PIXEL_ROWS, spec, input, width, 3), null, epilogue).forward(ops.input());
            assertArrayEquals(packed.data(), implicit.data(), "implicit: " + spec + " on " + input + " at " + bits + " bits, relu=" + relu);
            assertArrayEquals(packed.data(), pixelRows.data(), "pixel rows: " + spec + " on " + input + " at " + bits + " bits, relu=" + relu);
            if (ConvPlanner.choose(spec).path() == Path.POINTWISE) {
                Tensor pointwise = new ConvPlan(spec, input, ops.weight(), ops.bias(), ConvPlanner.plan(Path.POINTWISE, spec, input, width, 2), null, epilogue)
                        .forward(ops.input());
                assertArrayEquals(packed.data(), pointwise.data(), "pointwise: " + spec + " on " + input + " at " + bits + " bits");
            }
            if (relu) {
                for (float v : implicit.data()) {
                    assertTrue(v >= 0f, "relu output must not be negative");
                }
            }
        }
    }
}
