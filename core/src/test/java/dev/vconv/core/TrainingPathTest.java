package dev.vconv.core;

import dev.vconv.core.testing.ConvAsserts;
import dev.vconv.core.testing.ConvGrid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The scalar backward and transposed paths against the reference, and the transposed convolution's rules. */
class TrainingPathTest {

    @TestFactory
    Stream<DynamicTest> scalarBackwardEqualsReference() {
        return ConvGrid.sampled(3).stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            ConvAsserts.Operands ops = ConvAsserts.Operands.of(c.spec(), c.input(), 17);
            Tensor gy = Tensor.random(18, c.spec().outputShape(c.input()).dims());
            ConvGradients expected = ((Conv2dBackward) Engines.reference()).backward(c.spec(), ops.input(), ops.weight(), gy);
            ConvGradients actual = ((Conv2dBackward) Engines.scalar()).backward(c.spec(), ops.input(), ops.weight(), gy);
            int outPlane = gy.size() / gy.dim(1);
            ConvAsserts.assertClose("grad_input", expected.input(), actual.input(), c.spec().outChannelsPerGroup() * c.spec().kernelH() * c.spec().kernelW());
            ConvAsserts.assertClose("grad_weight", expected.weight(), actual.weight(), outPlane);
            if (c.spec().hasBias()) {
                ConvAsserts.assertClose("grad_bias", expected.bias(), actual.bias(), outPlane);
            }
        }));
    }

    static List<ConvTransposeSpec> transposeSpecs() {
        List<ConvTransposeSpec> specs = new ArrayList<>();
        int index = 0;
        for (int[] ch : new int[][] {{1, 1, 1}, {3, 5, 1}, {4, 6, 2}, {6, 6, 6}, {3, 6, 3}}) {
            for (int stride = 1; stride <= 3; stride++) {
                for (int dilation = 1; dilation <= 2; dilation++) {
                    for (int pad = 0; pad <= 2; pad++) {
                        index++;
                        int kh = 1 + index % 3;
                        int kw = 2 + index % 2;
                        int opH = Math.max(stride, dilation) > 1 ? index % Math.max(stride, dilation) : 0;
                        ConvTransposeSpec.Builder b = ConvTransposeSpec.builder(ch[0], ch[1], kh, kw).stride(stride, 1 + index % 2)
                                .padding(pad, index % 2).dilation(dilation, 1).groups(ch[2]).bias(index % 2 == 0);
                        try {
                            specs.add(b.outputPadding(opH, 0).build());
                        } catch (IllegalArgumentException skipped) {
                            specs.add(b.outputPadding(0, 0).build());
                        }
                    }
                }
            }
        }
        return specs;
    }

    @TestFactory
    Stream<DynamicTest> scalarTransposeEqualsReference() {
        return transposeSpecs().stream().flatMap(spec -> Stream.of(Shape.of(2, spec.inChannels(), 4, 5), Shape.of(1, spec.inChannels(), 1, 3))
                .filter(in -> spec.outputHeight(in.dim(2)) > 0 && spec.outputWidth(in.dim(3)) > 0)
                .map(in -> DynamicTest.dynamicTest(spec + " on " + in, () -> {
                    Tensor x = Tensor.random(1, in.dims());
                    Tensor w = Tensor.random(2, spec.weightShape().dims());
                    Tensor b = spec.hasBias() ? Tensor.random(3, spec.outChannels()) : null;
                    Tensor expected = ((ConvTranspose2d) Engines.reference()).forward(spec, x, w, b);
                    Tensor actual = ((ConvTranspose2d) Engines.scalar()).forward(spec, x, w, b);
                    ConvAsserts.assertClose("output", expected, actual, spec.inChannelsPerGroup() * spec.kernelH() * spec.kernelW());
                })));
    }

    /** Specs whose output, fed to the adjoint forward convolution, gives back the input size (4 x 5). */
    private static List<ConvTransposeSpec> roundTripSpecs() {
        Shape in = Shape.of(1, 4, 5);
        return transposeSpecs().stream().map(s -> s.toBuilder().bias(false).outputPadding(0).build())
                .filter(s -> s.outputHeight(4) > 0 && s.outputWidth(5) > 0)
                .filter(s -> s.adjoint().outputShape(Shape.of(s.outChannels(), (int) s.outputHeight(4), (int) s.outputWidth(5)))
                        .equals(Shape.of(s.inChannels(), 4, 5)))
                .toList();
    }

    @Test
    void roundTripSpecsAreMany() {
        assertTrue(roundTripSpecs().size() >= 40, "only " + roundTripSpecs().size() + " specs");
    }

    @TestFactory
    Stream<DynamicTest> transposeIsTheMatrixTransposeOfTheAdjointConvolution() {
        return roundTripSpecs().stream().map(spec -> DynamicTest.dynamicTest(spec.toString(), () -> {
            Shape in = Shape.of(spec.inChannels(), 4, 5);
            Shape out = spec.outputShape(in);
            Tensor x = Tensor.random(4, in.dims());
            Tensor w = Tensor.random(5, spec.weightShape().dims());
            double[] expected = ConvMatrix.of(spec.adjoint(), out, w).multiplyTransposed(x.data());
            Tensor actual = ((ConvTranspose2d) Engines.reference()).forward(spec, x, w, null);
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], actual.data()[i], 1e-5 * (1 + Math.abs(expected[i])), "element " + i + " of " + spec);
            }
        }));
    }

    @Test
    void outputSizeFollowsTheFormula() {
        ConvTransposeSpec spec = ConvTransposeSpec.builder(2, 3, 3).stride(2).padding(1).outputPadding(1).build();
        // (5-1)*2 - 2 + 1*(3-1) + 1 + 1 = 10
        assertEquals(Shape.of(1, 3, 10, 10), spec.outputShape(Shape.of(1, 2, 5, 5)));
        assertEquals(Shape.of(3, 4, 4), ConvTransposeSpec.builder(2, 3, 2).build().outputShape(Shape.of(2, 3, 3)));
    }

    @Test
    void outputPaddingMustBeSmallerThanStrideOrDilation() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvTransposeSpec.builder(1, 1, 3).stride(2).outputPadding(2, 0).build());
        assertEquals("output padding must be smaller than either stride or dilation, but got output_padding_height: 2 output_padding_width: 0 "
                + "stride_height: 2 stride_width: 2 dilation_height: 1 dilation_width: 1", e.getMessage());
        ConvTransposeSpec.builder(1, 1, 3).stride(1).dilation(2).outputPadding(1).build(); // smaller than dilation: fine
    }

    @Test
    void requestedOutputSizeMustBeInRange() {
        ConvTransposeSpec spec = ConvTransposeSpec.builder(1, 1, 3).stride(2).padding(1).build();
        Shape in = Shape.of(1, 1, 5, 5);
        assertEquals(1, spec.withOutputSize(in, 10, 9).outputPadH());
        assertEquals(0, spec.withOutputSize(in, 10, 9).outputPadW());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spec.withOutputSize(in, 11, 9));
        assertEquals("requested an output size of [11, 9], but valid sizes range from [9, 9] to [10, 10] (for an input of [5, 5])", e.getMessage());
    }

    @Test
    void onlyZerosPadding() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvTransposeSpec.builder(1, 1, 3).paddingMode(PaddingMode.REFLECT).build());
        assertEquals("Only \"zeros\" padding mode is supported for ConvTranspose2d, but got padding_mode='reflect'", e.getMessage());
    }

    @Test
    void sharedRulesNameTheTransposedSpecsParameters() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConvTransposeSpec.builder(3, 4, 3).groups(2).build());
        assertEquals("in_channels must be divisible by groups, but got in_channels=3, groups=2", e.getMessage());
    }

    @Test
    void tooSmallOutputIsRejected() {
        ConvTransposeSpec spec = ConvTransposeSpec.builder(1, 1, 1).padding(2).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> spec.outputShape(Shape.of(1, 1, 2, 2)));
        assertEquals("Given input size per channel: (2 x 2). Calculated output size per channel: (-2 x -2). Output size is too small", e.getMessage());
    }
}
