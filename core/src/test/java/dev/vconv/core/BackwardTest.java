package dev.vconv.core;

import dev.vconv.core.testing.ConvAsserts;
import dev.vconv.core.testing.ConvGrid;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The reference backward pass against the explicit matrix form, over a sample of the odd-size grid:
 * forward is {@code M x}; the input gradient is {@code M^T gy}; adjointness
 * {@code <conv(x), y> = <x, conv^T(y)>}; the weight gradient is the forward of the unit kernels.
 */
class BackwardTest {

    private static Stream<ConvGrid.Case> smallCases() {
        return ConvGrid.sampled(7).stream().filter(c -> c.input().size() <= 400 && c.spec().outChannels() <= 8);
    }

    /**
     * The backward pass split into shares of input channels ({@link ConvTraining#backwardChannels}), run in a
     * scrambled order, gives {@link ConvTraining#backwardInto}'s gradients bit for bit: what lets the SIMD engine
     * run the shares on several threads.
     */
    @TestFactory
    Stream<DynamicTest> channelSharesGiveTheWholePassBitForBit() {
        return ConvGrid.sampled(5).stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            ConvSpec spec = c.spec();
            Nchw in = Nchw.of(c.input());
            Tensor x = Tensor.random(8, c.input().dims());
            Tensor w = Tensor.random(9, spec.weightShape().dims());
            Tensor gy = Tensor.random(10, spec.outputShape(c.input()).dims());
            int columns = ConvTraining.columnBufferSize(spec, c.input());
            float[] gx = new float[x.size()];
            float[] gw = new float[w.size()];
            float[] gb = spec.hasBias() ? new float[spec.outChannels()] : null;
            ConvTraining.backwardInto(MatMul.scalar(), spec, in, x, w.data(), gy, gx, gw, gb, new float[columns]);
            float[] sx = new float[x.size()];
            float[] sw = new float[w.size()];
            float[] sb = spec.hasBias() ? new float[spec.outChannels()] : null;
            int cinG = spec.inChannelsPerGroup();
            int cut = (cinG + 1) / 2;   // shares [cut, cinG) then [0, cut), groups from the last
            float[] cols = new float[columns];
            java.util.Arrays.fill(cols, Float.NaN);   // stale: a share must write every column it reads
            for (int g = spec.groups() - 1; g >= 0; g--) {
                if (cut < cinG) {
                    ConvTraining.backwardChannels(MatMul.scalar(), spec, in, x.data(), w.data(), gy.data(), sx, sw, sb, g, cut, cinG, cols);
                }
                ConvTraining.backwardChannels(MatMul.scalar(), spec, in, x.data(), w.data(), gy.data(), sx, sw, sb, g, 0, cut, cols);
            }
            assertArrayEquals(gx, sx, "grad_input of " + spec);
            assertArrayEquals(gw, sw, "grad_weight of " + spec);
            if (gb != null) {
                assertArrayEquals(gb, sb, "grad_bias of " + spec);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> forwardIsTheMatrixTimesTheInput() {
        return smallCases().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            ConvSpec spec = c.spec().toBuilder().bias(false).build();
            Shape image = Shape.of(c.input().dim(1), c.input().dim(2), c.input().dim(3));
            Tensor x = Tensor.random(3, image.dims());
            Tensor w = Tensor.random(4, spec.weightShape().dims());
            double[] mx = ConvMatrix.of(spec, image, w).multiply(x.data());
            Tensor y = Engines.reference().forward(spec, x, w, null);
            for (int i = 0; i < mx.length; i++) {
                assertEquals(mx[i], y.data()[i], 1e-5 * (1 + Math.abs(mx[i])), "output " + i + " of " + spec);
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> backwardMatchesTheMatrixFormAndAdjointness() {
        return smallCases().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            ConvSpec spec = c.spec();
            Shape image = Shape.of(c.input().dim(1), c.input().dim(2), c.input().dim(3));
            Tensor x = Tensor.random(5, image.dims());
            Tensor w = Tensor.random(6, spec.weightShape().dims());
            Shape outShape = spec.outputShape(image);
            Tensor gy = Tensor.random(7, outShape.dims());

            ConvGradients grads = ReferenceConv2dBackward.backward(spec, x, w, gy);

            double[] mtg = ConvMatrix.of(spec, image, w).multiplyTransposed(gy.data());
            for (int i = 0; i < mtg.length; i++) {
                assertEquals(mtg[i], grads.input().data()[i], 1e-5 * (1 + Math.abs(mtg[i])), "grad_input " + i + " of " + spec);
            }
            // <conv(x), gy> = <x, conv^T(gy)> (without bias: conv is then linear in x)
            ConvSpec noBias = spec.toBuilder().bias(false).build();
            double left = dot(Engines.reference().forward(noBias, x, w, null).data(), gy.data());
            double right = dot(x.data(), grads.input().data());
            assertEquals(left, right, 1e-4 * (1 + Math.abs(left)), "adjointness for " + spec);
            // dL/dw[i] = <gy, conv(x, e_i)>: the output's gradient against the forward of each unit kernel
            for (int i = 0; i < w.size(); i++) {
                float[] unit = new float[w.size()];
                unit[i] = 1;
                double expected = dot(Engines.reference().forward(noBias, x, Tensor.of(unit, w.shape()), null).data(), gy.data());
                assertEquals(expected, grads.weight().data()[i], 1e-4 * (1 + Math.abs(expected)), "grad_weight " + i + " of " + spec);
            }
            if (spec.hasBias()) {
                int hw = outShape.dim(1) * outShape.dim(2);
                for (int o = 0; o < spec.outChannels(); o++) {
                    double sum = 0;
                    for (int p = 0; p < hw; p++) {
                        sum += gy.data()[o * hw + p];
                    }
                    assertEquals(sum, grads.bias().data()[o], 1e-5 * (1 + Math.abs(sum)), "grad_bias " + o);
                }
            }
        }));
    }

    @Test
    void reflectGradientFoldsBackOntoTheMirroredInput() {
        // One row [a b c], reflect padding 1 left: padded [b a b c]; a 1x1 kernel of weight 1 with a
        // gradient of ones sends 2 to b (read twice), 1 to a and c.
        ConvSpec spec = ConvSpec.builder(1, 1, 1).padding(0, 0, 1, 0).paddingMode(PaddingMode.REFLECT).bias(false).build();
        ConvGradients g = ReferenceConv2dBackward.backward(spec, Tensor.of(new float[] {5, 6, 7}, 1, 1, 1, 3),
                Tensor.of(new float[] {1}, 1, 1, 1, 1), Tensor.of(new float[] {1, 1, 1, 1}, 1, 1, 1, 4));
        assertArrayEquals(new float[] {1, 2, 1}, g.input().data());
        assertArrayEquals(new float[] {6 + 5 + 6 + 7}, g.weight().data());
    }

    @Test
    void gradOutputMustHaveTheOutputShape() {
        ConvSpec spec = ConvSpec.builder(1, 1, 3).bias(false).build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ReferenceConv2dBackward.backward(spec,
                Tensor.zeros(1, 1, 5, 5), Tensor.zeros(1, 1, 3, 3), Tensor.zeros(1, 1, 3, 2)));
        assertEquals("gradOutput must have the output's size [1, 1, 3, 3] for input of size [1, 1, 5, 5], but got gradOutput of size [1, 1, 3, 2]",
                e.getMessage());
    }

    @Test
    void learnsTheEdgeKernelByGradientDescent() {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        float[] kernel = EdgeKernelExample.learn(100, 3e-2f, 0, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertEquals(1f, kernel[0], 1e-3f);
        assertEquals(-1f, kernel[1], 1e-3f);
        String printed = log.toString(StandardCharsets.UTF_8);
        assertEquals(10, printed.lines().filter(l -> l.startsWith("epoch")).count(), printed);
    }

    @Test
    void backwardBeforeForwardIsAnError() {
        Conv2dLayer layer = new Conv2dLayer(ConvSpec.builder(1, 1, 1).build(), 1);
        assertThrows(IllegalStateException.class, () -> layer.backward(Tensor.zeros(1, 1, 1, 1)));
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }
}
