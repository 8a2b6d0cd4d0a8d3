package dev.vconv.core.net;

import dev.vconv.core.Activation;
import dev.vconv.core.BatchNorm2d;
import dev.vconv.core.Conv2d;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.Engines;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@link NetworkPlan} computes what its network says: against {@link LiteralNetwork} (nothing folded or fused,
 * every value kept), batch against image by image, a copy against the original, on the reference and scalar
 * engines. Networks here are small enough for the reference engine; {@code TorchvisionTest} checks the full models
 * against torchvision and the simd module's {@code NetworkSimdTest} the simd engine against these.
 */
class NetworkPlanTest {

    /** Every op and edge of the planner at odd sizes: residuals from the input and across a pool, three activations. */
    static Network small(long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        Network.Builder b = Network.builder("small", 3);
        Network.Value x = b.input();
        Network.Value a = b.conv("stem", x, ConvSpec.builder(3, 8, 3).stride(2).padding(1).bias(false).build(),
                random(r, 8, 3, 3, 3), null, bn(r, 8), Activation.relu());
        Network.Value p = b.maxPool("pool", a, 3, 2, 1);
        Network.Value c = b.conv("expand", p, ConvSpec.builder(8, 12, 1).build(), random(r, 12, 8, 1, 1), random(r, 12), null,
                Activation.relu6());
        Network.Value d = b.conv("dw", c, ConvSpec.builder(12, 12, 3).padding(1).groups(12).bias(false).build(),
                random(r, 12, 1, 3, 3), null, bn(r, 12), Activation.relu6());
        Network.Value e = b.conv("project", d, ConvSpec.builder(12, 8, 1).bias(false).build(), random(r, 8, 12, 1, 1), null,
                bn(r, 8), p, Activation.identity());
        Network.Value f = b.conv("tail", e, ConvSpec.builder(8, 8, 3).padding(1).build(), random(r, 8, 8, 3, 3),
                random(r, 8), bn(r, 8), e, Activation.relu());
        Network.Value g = b.maxPool("pool2", f, 2, 2, 0);
        Network.Value h = b.globalAvgPool("gap", g);
        Network.Value i = b.flatten("flatten", h);
        return b.build(b.linear("fc", i, random(r, 5, 8), random(r, 5)));
    }

    static Tensor random(java.util.SplittableRandom r, int... dims) {
        Tensor t = Tensor.zeros(dims);
        for (int i = 0; i < t.size(); i++) {
            t.data()[i] = (float) (r.nextDouble() * 2 - 1);
        }
        return t;
    }

    static BatchNorm2d bn(java.util.SplittableRandom r, int c) {
        Tensor gamma = random(r, c);
        Tensor var = random(r, c);
        for (int i = 0; i < c; i++) {
            var.data()[i] = 0.5f + Math.abs(var.data()[i]);
        }
        return BatchNorm2d.of(gamma, random(r, c), random(r, c), var, 1e-5);
    }

    static void assertClose(String what, Tensor expected, Tensor actual, double relative) {
        assertEquals(expected.shape(), actual.shape(), what);
        double largest = 0;
        for (float v : expected.data()) {
            largest = Math.max(largest, Math.abs(v));
        }
        for (int i = 0; i < expected.size(); i++) {
            double err = Math.abs(expected.data()[i] - actual.data()[i]);
            if (!(err <= relative * largest)) {
                throw new AssertionError(what + ": element " + i + " of " + expected.shape() + " is " + actual.data()[i]
                        + ", expected " + expected.data()[i] + " (tolerance " + relative + " of the largest, " + largest + ")");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1,3,13,17", "2,3,9,9", "3,3,31,20"})
    void smallNetworkMatchesTheLiteralOps(String dims) {
        Shape shape = Shape.of(Arrays.stream(dims.split(",")).mapToInt(Integer::parseInt).toArray());
        Network net = small(5);
        Tensor input = Tensor.random(6, shape.dims());
        for (Conv2d engine : List.of(Engines.reference(), Engines.scalar())) {
            Tensor expected = LiteralNetwork.output(net, Engines.reference(), input);
            Tensor actual = net.plan(engine, shape).forward(input);
            assertClose(engine.name() + " on " + shape, expected, actual, 1e-5);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"resnet50", "mobilenet_v2"})
    void modelsAt32MatchTheLiteralOpsOnTheReferenceEngine(String name) {
        Network net = TorchvisionTest.model(name);
        Tensor input = Tensor.random(3, 1, 3, 32, 32);
        Tensor expected = LiteralNetwork.output(net, Engines.reference(), input);
        Tensor actual = net.plan(Engines.reference(), input.shape()).forward(input);
        assertClose(name, expected, actual, 1e-5);
    }

    /** The reference engine and the plain ops compute each image alone, so a batch gives each image's result exactly. */
    @ParameterizedTest
    @ValueSource(strings = {"small", "mobilenet_v2"})
    void batchEqualsImageByImage(String name) {
        Network net = name.equals("small") ? small(7) : TorchvisionTest.model(name);
        int n = 3;
        Shape one = Shape.of(1, 3, 33, 35);
        Tensor batch = Tensor.random(8, n, 3, 33, 35);
        Tensor all = net.plan(Engines.reference(), batch.shape()).forward(batch);
        NetworkPlan single = net.plan(Engines.reference(), one);
        int per = one.size();
        int outPer = all.size() / n;
        for (int i = 0; i < n; i++) {
            Tensor image = Tensor.of(Arrays.copyOfRange(batch.data(), i * per, (i + 1) * per), one);
            Tensor out = single.forward(image);
            assertArrayEquals(Arrays.copyOfRange(all.data(), i * outPer, (i + 1) * outPer), out.data(), name + " image " + i);
        }
    }

    @Test
    void forwardNeverModifiesTheInputAndRepeats() {
        Network net = small(9);
        Tensor input = Tensor.random(10, 2, 3, 15, 15);
        float[] before = input.data().clone();
        NetworkPlan plan = net.plan(Engines.scalar(), input.shape());
        Tensor first = plan.forward(input);
        Tensor second = plan.forward(input);
        assertArrayEquals(before, input.data());
        assertArrayEquals(first.data(), second.data());
    }

    /** A copy shares the planned convolutions but not the activations: interleaved calls give each its own answer. */
    @Test
    void copiesOwnTheirActivations() {
        Network net = small(11);
        Shape shape = Shape.of(1, 3, 21, 21);
        NetworkPlan plan = net.plan(Engines.scalar(), shape);
        NetworkPlan copy = plan.copy();
        Tensor a = Tensor.random(12, shape.dims());
        Tensor b = Tensor.random(13, shape.dims());
        Tensor expectA = plan.forward(a);
        Tensor expectB = plan.forward(b);
        Tensor outA = Tensor.zeros(plan.outputShape());
        Tensor outB = Tensor.zeros(plan.outputShape());
        plan.forward(a, outA);
        copy.forward(b, outB);
        assertArrayEquals(expectA.data(), outA.data());
        assertArrayEquals(expectB.data(), outB.data());
        assertNotEquals(expectA.data()[0], expectB.data()[0]);
    }

    /** Arrays are reused: far fewer bytes than one array per value, and still the literal result (checked above). */
    @Test
    void activationsReuseArrays() {
        Network net = TorchvisionTest.model("resnet50");
        Shape shape = Shape.of(1, 3, 224, 224);
        long perValue = net.shapes(shape).stream().skip(1).mapToLong(s -> (long) s.size() * Float.BYTES).sum();
        NetworkPlan plan = net.plan(Engines.reference(), shape);
        assertTrue(plan.activationBytes() * 3 < perValue, plan.activationBytes() + " bytes of activations, against "
                + perValue + " for one array per value");
    }

    @Test
    void stepsNameTheLayersAndTheProfileCoversThem() {
        Network net = small(14);
        Shape shape = Shape.of(1, 3, 19, 19);
        NetworkPlan plan = net.plan(Engines.scalar(), shape);
        List<String> names = plan.steps().stream().map(NetworkPlan.StepInfo::name).toList();
        assertEquals(List.of("stem", "pool", "expand", "dw", "project", "tail", "pool2", "gap", "fc"), names);
        assertEquals(ConvSpec.builder(3, 8, 3).stride(2).padding(1).build().flops(shape), plan.steps().get(0).flops());
        long[] nanos = new long[names.size()];
        Tensor out = Tensor.zeros(plan.outputShape());
        plan.forward(Tensor.random(1, shape.dims()), out, nanos);
        assertArrayEquals(plan.forward(Tensor.random(1, shape.dims())).data(), out.data());
        assertTrue(Arrays.stream(nanos).allMatch(t -> t > 0), Arrays.toString(nanos));
    }

    @Test
    void warmUpCallsUntilSettledOrTheLimit() {
        NetworkPlan plan = small(15).plan(Engines.scalar(), Shape.of(1, 3, 16, 16));
        NetworkPlan.WarmUp w = plan.warmUp(java.time.Duration.ofSeconds(20));
        assertTrue(w.calls() >= 10 && w.total().compareTo(w.lastCall()) > 0, w.toString());
        NetworkPlan.WarmUp cut = plan.warmUp(java.time.Duration.ofNanos(1));
        assertEquals(1, cut.calls(), "the limit ends the warm-up after the call that passed it: " + cut);
    }

    @Test
    void modelsAreSeeded() {
        Network a = Models.mobileNetV2(3);
        Network b = Models.mobileNetV2(3);
        Network c = Models.mobileNetV2(4);
        Layer.Conv la = (Layer.Conv) a.layers().get(5);
        Layer.Conv lb = (Layer.Conv) b.layers().get(5);
        Layer.Conv lc = (Layer.Conv) c.layers().get(5);
        assertArrayEquals(la.weight().data(), lb.weight().data());
        assertArrayEquals(la.batchNorm().runningVar().data(), lb.batchNorm().runningVar().data());
        assertNotEquals(la.weight().data()[0], lc.weight().data()[0]);
    }

    /** A max pool whose window covers a NaN gives NaN, as PyTorch's; the literal pool says the same. */
    @Test
    void maxPoolPropagatesNaN() {
        Network.Builder b = Network.builder("pool", 1);
        Network net = b.build(b.maxPool("pool", b.input(), 3, 2, 1));
        Tensor input = Tensor.random(2, 1, 1, 6, 7);
        input.data()[2 * 7 + 3] = Float.NaN;
        Tensor out = net.plan(Engines.reference(), input.shape()).forward(input);
        Tensor expected = LiteralNetwork.output(net, Engines.reference(), input);
        assertEquals(expected.shape(), out.shape());
        for (int i = 0; i < out.size(); i++) {
            assertEquals(expected.data()[i], out.data()[i], "element " + i);
        }
        assertTrue(Float.isNaN(out.data()[1 * 4 + 1]) && Float.isNaN(out.data()[1 * 4 + 2]) && !Float.isNaN(out.data()[0]));
    }
}
