package dev.vconv.core.testing;

import dev.vconv.core.Activation;
import dev.vconv.core.Conv2d;
import dev.vconv.core.Conv2dBackward;
import dev.vconv.core.Conv2dPlan;
import dev.vconv.core.ConvGradients;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.ConvTranspose2d;
import dev.vconv.core.ConvTransposeSpec;
import dev.vconv.core.Epilogue;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

/**
 * Valid inputs with batch 0, which PyTorch computes to an empty output: the sizes of a real layer, and images so
 * large that anything sized by them (an im2col buffer, {@code hout*wout} in an int, a stride table) would fail or
 * overflow although nothing is to be computed. Every engine returns the empty output (and, for backward, a zero
 * weight and bias gradient), through {@code forward}, plans, epilogues, backward and the transposed convolution.
 */
public final class EmptyBatches {

    private EmptyBatches() {
    }

    /** One case: a spec and a batch-0 input shape it accepts. */
    public record Case(String name, ConvSpec spec, Shape input) {
        @Override
        public String toString() {
            return name + ": " + spec + " on input " + input;
        }
    }

    public static List<Case> cases() {
        return List.of(
                new Case("a ResNet layer", ConvSpec.builder(64, 64, 3).padding(1).build(), Shape.of(0, 64, 56, 56)),
                new Case("im2col buffer of 2.2e9 floats", ConvSpec.builder(4096, 1, 7).bias(false).build(), Shape.of(0, 4096, 110, 110)),
                new Case("hout*wout = 1e10 overflows an int", ConvSpec.builder(1, 2, 3).padding(1).build(), Shape.of(0, 1, 100_000, 100_000)),
                new Case("pointwise over 2.1e9 pixels", ConvSpec.builder(3, 4, 1).build(), Shape.of(0, 3, 46_341, 46_341)),
                new Case("depthwise stride 2 on 50000x50000", ConvSpec.builder(8, 8, 3).groups(8).stride(2).padding(1).build(),
                        Shape.of(0, 8, 50_000, 50_000)),
                new Case("stride 2^31-1", ConvSpec.builder(2, 2, 3).stride(1, Integer.MAX_VALUE).padding(1).build(),
                        Shape.of(0, 2, 9, 1 << 20)),
                new Case("dilation 10^6, padding 5*10^5", ConvSpec.builder(2, 3, 2).dilation(1_000_000).padding(500_000).build(),
                        Shape.of(0, 2, 1, 1)));
    }

    /** {@code engine} on {@code c}: every forward form returns the empty output; backward, zero weight and bias gradients. */
    public static void check(Conv2d engine, Case c) {
        ConvSpec spec = c.spec();
        Shape out = spec.outputShape(c.input());
        assertEquals(0, out.dim(0), c + ": the output's batch");
        Tensor input = Tensor.zeros(c.input());
        Tensor weight = Tensor.random(3, spec.weightShape().dims());
        Tensor bias = spec.hasBias() ? Tensor.random(4, spec.outChannels()) : null;
        String what = engine.name() + ", " + c;
        assertEquals(out, engine.forward(spec, input, weight, bias).shape(), what);
        Conv2dPlan plan = engine.plan(spec, c.input(), weight, bias);
        plan.forward(input, Tensor.zeros(out));
        Epilogue epilogue = Epilogue.of(Activation.gelu()).withResidual(0.5f);
        Tensor inPlace = Tensor.zeros(out);
        engine.forward(spec, input, weight, bias, epilogue, inPlace, inPlace);
        engine.plan(spec, c.input(), weight, bias, epilogue).forward(input, inPlace, inPlace);
        if (engine instanceof Conv2dBackward training) {
            ConvGradients g = training.backward(spec, input, weight, Tensor.zeros(out));
            assertEquals(c.input(), g.input().shape(), what);
            assertArrayEquals(new float[weight.size()], g.weight().data(), what + ": grad_weight");
            if (bias == null) {
                assertNull(g.bias(), what);
            } else {
                assertArrayEquals(new float[bias.size()], g.bias().data(), what + ": grad_bias");
            }
        }
    }

    /** Transposed convolutions of a batch-0 input whose output planes would be huge. */
    public static void checkTransposed(Conv2d engine) {
        if (!(engine instanceof ConvTranspose2d transposed)) {
            return;
        }
        ConvTransposeSpec spec = ConvTransposeSpec.builder(2, 3, 3).stride(2).build();
        Shape input = Shape.of(0, 2, 50_000, 50_000);
        Tensor output = transposed.forward(spec, Tensor.zeros(input), Tensor.random(5, spec.weightShape().dims()),
                Tensor.random(6, spec.outChannels()));
        assertEquals(Shape.of(0, 3, 100_001, 100_001), output.shape(), engine.name());
    }
}
