package dev.vconv.core;

import dev.vconv.core.testing.ConvAsserts;
import dev.vconv.core.testing.ConvGrid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The textbook examples of convolution, on every engine of core. */
class TextbookExamplesTest {

    static List<Conv2d> engines() {
        return List.of(Engines.reference(), Engines.scalar(), Engines.best());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void crossCorrelationOf3x3With2x2(Conv2d engine) {
        Tensor x = Tensor.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8}, 1, 1, 3, 3);
        Tensor k = Tensor.of(new float[] {0, 1, 2, 3}, 1, 1, 2, 2);
        ConvSpec spec = ConvSpec.builder(1, 1, 2).bias(false).build();

        Tensor y = engine.forward(spec, x, k, null);

        assertEquals(Shape.of(1, 1, 2, 2), y.shape());
        assertArrayEquals(new float[] {19, 25, 37, 43}, y.data());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void edgeKernelFindsVerticalEdges(Conv2d engine) {
        // A 6x8 image of ones whose columns 2..5 are zero; kernel [[1, -1]] marks the two vertical edges.
        float[] image = new float[6 * 8];
        for (int r = 0; r < 6; r++) {
            for (int c = 0; c < 8; c++) {
                image[r * 8 + c] = (c >= 2 && c <= 5) ? 0 : 1;
            }
        }
        ConvSpec spec = ConvSpec.builder(1, 1, 1, 2).bias(false).build();

        Tensor y = engine.forward(spec, Tensor.of(image, 1, 1, 6, 8), Tensor.of(new float[] {1, -1}, 1, 1, 1, 2), null);

        assertEquals(Shape.of(1, 1, 6, 7), y.shape());
        for (int r = 0; r < 6; r++) {
            for (int c = 0; c < 7; c++) {
                float expected = c == 1 ? 1 : c == 5 ? -1 : 0;
                assertEquals(expected, y.data()[r * 7 + c], "row " + r + ", column " + c);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void paddingKeepsTheSizeForAnOddKernel(Conv2d engine) {
        ConvSpec spec = ConvSpec.builder(1, 1, 5, 3).padding(2, 1).build();
        Tensor x = Tensor.random(1, 1, 1, 8, 8);
        Tensor y = engine.forward(spec, x, Tensor.random(2, 1, 1, 5, 3), Tensor.random(3, 1));
        assertEquals(Shape.of(1, 1, 8, 8), y.shape());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void strideTwoHalvesTheSize(Conv2d engine) {
        ConvSpec spec = ConvSpec.builder(1, 1, 3).padding(1).stride(2).build();
        Tensor y = engine.forward(spec, Tensor.random(1, 1, 1, 8, 8), Tensor.random(2, 1, 1, 3, 3), Tensor.random(3, 1));
        assertEquals(Shape.of(1, 1, 4, 4), y.shape());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void fiveByFiveWithStrideTwoGivesThreeByThree(Conv2d engine) {
        ConvSpec spec = ConvSpec.builder(1, 1, 3).padding(1).stride(2).bias(false).build();
        Tensor x = Tensor.random(4, 1, 1, 5, 5);
        Tensor w = Tensor.random(5, 1, 1, 3, 3);
        Tensor y = engine.forward(spec, x, w, null);
        assertEquals(Shape.of(1, 1, 3, 3), y.shape());
        // The centre output reads the 3x3 window around input (2, 2) exactly.
        double centre = 0;
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                centre += (double) x.data()[(1 + i) * 5 + 1 + j] * w.data()[i * 3 + j];
            }
        }
        assertEquals(centre, y.data()[4], 1e-5);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void multipleInputChannelsAreSummed(Conv2d engine) {
        // Two channels: the result is the sum of the single-channel correlations (the textbook example).
        Tensor x = Tensor.of(new float[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4, 5, 6, 7, 8, 9}, 1, 2, 3, 3);
        Tensor k = Tensor.of(new float[] {0, 1, 2, 3, 1, 2, 3, 4}, 1, 2, 2, 2);
        ConvSpec spec = ConvSpec.builder(2, 1, 2).bias(false).build();

        Tensor y = engine.forward(spec, x, k, null);

        assertArrayEquals(new float[] {56, 72, 104, 120}, y.data());
    }

    @ParameterizedTest
    @MethodSource("engines")
    void pointwiseConvolutionIsAMatrixProduct(Conv2d engine) {
        int cin = 3;
        int cout = 2;
        int h = 3;
        int w = 3;
        Tensor x = Tensor.random(11, 1, cin, h, w);
        Tensor k = Tensor.random(12, cout, cin, 1, 1);
        ConvSpec spec = ConvSpec.builder(cin, cout, 1).bias(false).build();

        Tensor y = engine.forward(spec, x, k, null);

        // Y[cout x hw] = K[cout x cin] * X[cin x hw]
        for (int o = 0; o < cout; o++) {
            for (int p = 0; p < h * w; p++) {
                double sum = 0;
                for (int c = 0; c < cin; c++) {
                    sum += (double) k.data()[o * cin + c] * x.data()[c * h * w + p];
                }
                assertEquals(sum, y.data()[o * h * w + p], 1e-5, "output channel " + o + ", pixel " + p);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("engines")
    void batchedGroupedDilatedStridedPaddedWithBiasEqualsTheReference(Conv2d engine) {
        ConvSpec spec = ConvSpec.builder(4, 6, 3).groups(2).dilation(2).stride(2).padding(2, 1).build();
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, Shape.of(3, 4, 11, 9), 21);

        Tensor expected = Engines.reference().forward(spec, ops.input(), ops.weight(), ops.bias());
        Tensor actual = engine.forward(spec, ops.input(), ops.weight(), ops.bias());

        assertEquals(Shape.of(3, 6, 6, 4), actual.shape());
        ConvAsserts.assertClose(spec, ops.input().shape(), expected, actual);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void unbatchedInputGivesUnbatchedOutput(Conv2d engine) {
        ConvSpec spec = ConvSpec.builder(2, 3, 3).padding(1).build();
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, Shape.of(2, 5, 5), 5);
        Tensor batched = Tensor.of(ops.input().data(), 1, 2, 5, 5);

        Tensor y = engine.forward(spec, ops.input(), ops.weight(), ops.bias());
        Tensor yb = engine.forward(spec, batched, ops.weight(), ops.bias());

        assertEquals(Shape.of(3, 5, 5), y.shape());
        assertArrayEquals(yb.data(), y.data());
    }
}
