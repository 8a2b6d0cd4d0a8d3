package dev.vconv.simd.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.vconv.core.Conv2dBackward;
import dev.vconv.core.Conv2dBackwardPlan;
import dev.vconv.core.ConvGradients;
import dev.vconv.core.ConvTranspose2d;
import dev.vconv.core.ConvTransposeSpec;
import dev.vconv.core.Engines;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import dev.vconv.core.testing.ConvAsserts;
import dev.vconv.core.testing.ConvGrid;
import dev.vconv.simd.SimdConv2d;
import dev.vconv.simd.SimdEngines;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The SIMD backward pass and transposed convolution against the reference, at every width: over a sample of
 * the odd-size grid (every padding mode, stride, dilation and group setting) and a grid of transposed specs
 * with output padding.
 */
class SimdTrainingTest {

    @TestFactory
    Stream<DynamicContainer> backwardEqualsTheReference() {
        return Stream.of(256, 128, 512).map(bits -> DynamicContainer.dynamicContainer("simd-" + bits,
                ConvGrid.sampled(bits == 512 ? 9 : 3).stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
                    ConvAsserts.Operands ops = ConvAsserts.Operands.of(c.spec(), c.input(), 41);
                    Tensor gy = Tensor.random(42, c.spec().outputShape(c.input()).dims());
                    long inputSum = ConvAsserts.checksum(ops.input().data());
                    ConvGradients expected = ((Conv2dBackward) Engines.reference()).backward(c.spec(), ops.input(), ops.weight(), gy);
                    ConvGradients actual = SimdEngines.simd(bits).backward(c.spec(), ops.input(), ops.weight(), gy);
                    int outPlane = gy.size() / gy.dim(1);
                    ConvAsserts.assertClose("grad_input", expected.input(), actual.input(),
                            c.spec().outChannelsPerGroup() * c.spec().kernelH() * c.spec().kernelW());
                    ConvAsserts.assertClose("grad_weight", expected.weight(), actual.weight(), outPlane);
                    if (c.spec().hasBias()) {
                        ConvAsserts.assertClose("grad_bias", expected.bias(), actual.bias(), outPlane);
                    }
                    assertEquals(inputSum, ConvAsserts.checksum(ops.input().data()), "input modified");
                }))));
    }

    @TestFactory
    Stream<DynamicContainer> transposedEqualsTheReference() {
        return Stream.of(256, 128, 512).map(bits -> DynamicContainer.dynamicContainer("simd-" + bits, transposeSpecs()
                .map(spec -> DynamicTest.dynamicTest(spec.toString(), () -> {
                    Shape in = Shape.of(2, spec.inChannels(), 5, 4);
                    Tensor x = Tensor.random(1, in.dims());
                    Tensor w = Tensor.random(2, spec.weightShape().dims());
                    Tensor b = spec.hasBias() ? Tensor.random(3, spec.outChannels()) : null;
                    Tensor expected = ((ConvTranspose2d) Engines.reference()).forward(spec, x, w, b);
                    Tensor actual = SimdEngines.simd(bits).forward(spec, x, w, b);
                    ConvAsserts.assertClose("output", expected, actual, spec.inChannelsPerGroup() * spec.kernelH() * spec.kernelW());
                }))));
    }

    private static Stream<ConvTransposeSpec> transposeSpecs() {
        Stream.Builder<ConvTransposeSpec> specs = Stream.builder();
        int index = 0;
        for (int[] ch : new int[][] {{1, 1, 1}, {3, 7, 1}, {4, 6, 2}, {6, 6, 6}, {17, 9, 1}}) {
            for (int stride = 1; stride <= 3; stride++) {
                for (int dilation = 1; dilation <= 2; dilation++) {
                    index++;
                    int outputPadding = Math.max(stride, dilation) > 1 ? index % Math.max(stride, dilation) : 0;
                    specs.add(ConvTransposeSpec.builder(ch[0], ch[1], 1 + index % 3, 2 + index % 2).stride(stride, 1 + index % 2)
                            .padding(index % 2, 0).dilation(dilation, 1).groups(ch[2]).bias(index % 2 == 0)
                            .outputPadding(outputPadding < stride || outputPadding < dilation ? outputPadding : 0, 0).build());
                }
            }
        }
        return specs.build();
    }

    /** A backward plan gives the engine's backward bit for bit, call after call, into stale gradient tensors. */
    @TestFactory
    Stream<DynamicTest> backwardPlanEqualsBackward() {
        return ConvGrid.sampled(11).stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            ConvAsserts.Operands ops = ConvAsserts.Operands.of(c.spec(), c.input(), 51);
            Tensor gy = Tensor.random(52, c.spec().outputShape(c.input()).dims());
            ConvGradients expected = SimdEngines.simd(256).backward(c.spec(), ops.input(), ops.weight(), gy);
            Conv2dBackwardPlan plan = SimdEngines.simd(256).backwardPlan(c.spec(), c.input(), ops.weight());
            Conv2dBackwardPlan fallback = ((Conv2dBackward) Engines.scalar()).backwardPlan(c.spec(), c.input(), ops.weight());
            for (Conv2dBackwardPlan p : new Conv2dBackwardPlan[] {plan, plan, fallback}) {
                Tensor gx = Tensor.random(1, c.input().dims());
                Tensor gw = Tensor.random(2, c.spec().weightShape().dims());
                Tensor gb = c.spec().hasBias() ? Tensor.random(3, c.spec().outChannels()) : null;
                p.backward(ops.input(), gy, gx, gw, gb);
                int outPlane = gy.size() / gy.dim(1);
                if (p == fallback) {
                    ConvAsserts.assertClose("grad_input (scalar plan)", expected.input(), gx, 1 << 16);
                    ConvAsserts.assertClose("grad_weight (scalar plan)", expected.weight(), gw, outPlane);
                } else {
                    org.junit.jupiter.api.Assertions.assertArrayEquals(expected.input().data(), gx.data(), "grad_input");
                    org.junit.jupiter.api.Assertions.assertArrayEquals(expected.weight().data(), gw.data(), "grad_weight");
                    if (gb != null) {
                        org.junit.jupiter.api.Assertions.assertArrayEquals(expected.bias().data(), gb.data(), "grad_bias");
                    }
                }
            }
        }));
    }

    /**
     * The backward pass split into channel shares on 2 and 3 threads, on the shared workers and on an executor,
     * gives the one-thread gradients bit for bit (and those agree with the reference). The layers are above the
     * parallel threshold, so the shares really run on several threads: plain, grouped, depthwise with a channel
     * multiplier, strided and dilated, with reflect padding, and a batch of three.
     */
    @TestFactory
    Stream<DynamicTest> backwardIsTheSameAtAnyThreadCount() {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        dev.vconv.core.ConvSpec[] specs = {
                dev.vconv.core.ConvSpec.builder(8, 12, 3).padding(1).bias(true).build(),
                dev.vconv.core.ConvSpec.builder(8, 12, 3).stride(2).padding(1).groups(2).build(),
                dev.vconv.core.ConvSpec.builder(8, 16, 3).padding(1).groups(8).bias(true).build(),
                dev.vconv.core.ConvSpec.builder(6, 10, 3, 2).dilation(2, 1).padding(2, 1)
                        .paddingMode(dev.vconv.core.PaddingMode.REFLECT).build(),
                dev.vconv.core.ConvSpec.builder(5, 7, 1).bias(true).build(),
        };
        return java.util.Arrays.stream(specs).flatMap(spec -> Stream.of(512, 256).map(bits ->
                DynamicTest.dynamicTest("simd-" + bits + " " + spec, () -> {
                    Shape shape = Shape.of(3, spec.inChannels(), 71, 69);
                    ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 61);
                    Tensor gy = Tensor.random(62, spec.outputShape(shape).dims());
                    SimdConv2d one = SimdEngines.simd(bits).withThreads(1);
                    ConvGradients expected = one.backward(spec, ops.input(), ops.weight(), gy);
                    ConvGradients reference = ((Conv2dBackward) Engines.reference()).backward(spec, ops.input(), ops.weight(), gy);
                    int outPlane = gy.size() / gy.dim(1);
                    ConvAsserts.assertClose("grad_weight", reference.weight(), expected.weight(), outPlane);
                    for (SimdConv2d engine : new SimdConv2d[] {one.withThreads(2), one.withThreads(3), one.withThreads(3).withExecutor(pool)}) {
                        SimdBackwardPlan plan = (SimdBackwardPlan) engine.backwardPlan(spec, shape, ops.weight());
                        org.junit.jupiter.api.Assertions.assertTrue(plan.shareCount() >= Math.min(spec.inChannels(), 2 * engine.threads()),
                                plan.shareCount() + " shares for " + engine);
                        for (int call = 0; call < 2; call++) {
                            Tensor gx = Tensor.random(1, shape.dims());
                            Tensor gw = Tensor.random(2, spec.weightShape().dims());
                            Tensor gb = spec.hasBias() ? Tensor.random(3, spec.outChannels()) : null;
                            plan.backward(ops.input(), gy, gx, gw, gb);
                            org.junit.jupiter.api.Assertions.assertArrayEquals(expected.input().data(), gx.data(), "grad_input, " + engine);
                            org.junit.jupiter.api.Assertions.assertArrayEquals(expected.weight().data(), gw.data(), "grad_weight, " + engine);
                            if (gb != null) {
                                org.junit.jupiter.api.Assertions.assertArrayEquals(expected.bias().data(), gb.data(), "grad_bias, " + engine);
                            }
                        }
                    }
                }))).onClose(pool::shutdown);
    }

    /** How the backward pass is cut: whole groups when they are enough, else even ranges of each group's channels. */
    @org.junit.jupiter.api.Test
    void backwardSharesCoverEveryChannelOnce() {
        dev.vconv.core.ConvSpec dense = dev.vconv.core.ConvSpec.builder(10, 4, 3).build();
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 0, 10}, SimdBackwardPlan.shares(dense, 1));
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 0, 2, 0, 2, 5, 0, 5, 7, 0, 7, 10},
                SimdBackwardPlan.shares(dense, 2));
        dev.vconv.core.ConvSpec grouped = dev.vconv.core.ConvSpec.builder(6, 6, 3).groups(3).build();
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 0, 1, 0, 1, 2, 1, 0, 1, 1, 1, 2, 2, 0, 1, 2, 1, 2},
                SimdBackwardPlan.shares(grouped, 2));
        dev.vconv.core.ConvSpec depthwise = dev.vconv.core.ConvSpec.builder(5, 10, 3).groups(5).build();
        org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {0, 0, 1, 1, 0, 1, 2, 0, 1, 3, 0, 1, 4, 0, 1},
                SimdBackwardPlan.shares(depthwise, 2));
    }

    @org.junit.jupiter.api.Test
    void backwardPlanRejectsBadCallsBeforeWriting() {
        dev.vconv.core.ConvSpec spec = dev.vconv.core.ConvSpec.builder(2, 3, 3).padding(1).build();
        Shape in = Shape.of(1, 2, 5, 5);
        Conv2dBackwardPlan plan = SimdEngines.simd(256).backwardPlan(spec, in, Tensor.random(1, spec.weightShape().dims()));
        Tensor x = Tensor.random(2, in.dims());
        Tensor gy = Tensor.random(3, 1, 3, 5, 5);
        Tensor gx = Tensor.random(4, in.dims());
        float[] before = gx.data().clone();
        Tensor gw = Tensor.zeros(spec.weightShape());
        Tensor gb = Tensor.zeros(3);
        assertEquals("gradOutput must have size [1, 3, 5, 5] for this plan, but got gradOutput of size [1, 3, 5, 4]",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> plan.backward(x, Tensor.zeros(1, 3, 5, 4), gx, gw, gb)).getMessage());
        assertEquals("gradBias of size [3] is required: the spec has bias=true, but got gradBias=null",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> plan.backward(x, gy, gx, gw, null)).getMessage());
        assertEquals("the gradient tensors must not share their arrays with the operands or each other",
                org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> plan.backward(x, gy, Tensor.of(x.data(), in), gw, gb)).getMessage());
        assertEquals("gradInput", org.junit.jupiter.api.Assertions.assertThrows(NullPointerException.class,
                () -> plan.backward(x, gy, null, gw, gb)).getMessage());
        org.junit.jupiter.api.Assertions.assertArrayEquals(before, gx.data(), "a rejected call wrote into gradInput");
    }
}
