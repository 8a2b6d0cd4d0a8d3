package dev.vconv.core.testing;

import dev.vconv.core.Conv2d;
import dev.vconv.core.Conv2dBackward;
import dev.vconv.core.ConvGradients;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.Engines;
import dev.vconv.core.PaddingMode;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/**
 * Valid layers whose stride, dilation or padding is extreme while their output is small: PyTorch computes them,
 * and so must every engine, quickly and in a small heap. Anything an engine sizes by the stride (a table per stride
 * phase), by the padded input (a padded copy of a 1x1 image under a padding of 10^6) or by an int product of them
 * would crash, overflow or take gigabytes here, where the work is a few hundred multiply-adds. {@link #check} runs
 * each case through {@code forward}, a plan called twice and, where the engine trains, {@code backward}, and
 * compares with the reference. From the hostile-input probe of issue 23, where each of these crashed or allocated
 * gigabytes on the SIMD engine.
 */
public final class ExtremeGeometries {

    private ExtremeGeometries() {
    }

    /** What {@code forward} and a plan of a case may allocate on the calling thread: the inputs are a few KB. */
    static final long MAX_BYTES = 16L << 20;

    /**
     * Bytes the calling thread has allocated so far (HotSpot's per-thread counter), by reflection: the tests are
     * compiled inside module dev.vconv.core, which reads no management module. 0 on a JVM without the counter.
     */
    private static long allocatedBytes() {
        try {
            Object bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            Class<?> hotspot = Class.forName("com.sun.management.ThreadMXBean");
            return hotspot.isInstance(bean) ? (Long) hotspot.getMethod("getCurrentThreadAllocatedBytes").invoke(bean) : 0;
        } catch (ReflectiveOperationException e) {
            return 0;
        }
    }

    /** One case: a spec and an input shape it accepts. */
    public record Case(String name, ConvSpec spec, Shape input) {
        @Override
        public String toString() {
            return name + ": " + spec + " on input " + input;
        }
    }

    /** Every case; each costs at most a few thousand FLOPs. */
    public static List<Case> cases() {
        return List.of(
                new Case("depthwise 3x3 stride 50000 on 3x3", ConvSpec.builder(4, 4, 3).groups(4).stride(50_000).build(),
                        Shape.of(2, 4, 3, 3)),
                new Case("depthwise 3x3 stride 40000, padding 1", ConvSpec.builder(3, 6, 3).groups(3).stride(40_000).padding(1).build(),
                        Shape.of(1, 3, 5, 5)),
                new Case("stride (1, 2^31-1)", ConvSpec.builder(2, 3, 3).stride(1, Integer.MAX_VALUE).padding(1).build(),
                        Shape.of(1, 2, 5, 6)),
                new Case("dense 3x3, padding 1, stride (1, 2^28)", ConvSpec.builder(3, 5, 3).stride(1, 1 << 28).padding(1).build(),
                        Shape.of(2, 3, 9, 9)),
                new Case("stride (2^30, 3)", ConvSpec.builder(2, 2, 2).stride(1 << 30, 3).build(), Shape.of(1, 2, 4, 11)),
                new Case("dilation 10^6, padding 5*10^5 on 1x1", ConvSpec.builder(2, 3, 2).dilation(1_000_000).padding(500_000).build(),
                        Shape.of(1, 2, 1, 1)),
                new Case("depthwise dilation 10^6, padding 5*10^5 on 1x1",
                        ConvSpec.builder(3, 3, 2).groups(3).dilation(1_000_000).padding(500_000).build(), Shape.of(1, 3, 1, 1)),
                new Case("'same' with dilation 100000 on 2x2", ConvSpec.builder(2, 4, 3).dilation(100_000).paddingSame().build(),
                        Shape.of(1, 2, 2, 2)),
                new Case("depthwise 'same' with dilation 100000 on 2x2",
                        ConvSpec.builder(2, 2, 3).groups(2).dilation(100_000).paddingSame().build(), Shape.of(1, 2, 2, 2)),
                new Case("1x1 output of a 14001x14001 padded input",
                        ConvSpec.builder(2, 2, 3).dilation(7_000).padding(7_000).build(), Shape.of(1, 2, 1, 1)),
                new Case("depthwise 1x1 output of a 14001x14001 padded input",
                        ConvSpec.builder(2, 2, 3).groups(2).dilation(7_000).padding(7_000).build(), Shape.of(1, 2, 1, 1)),
                new Case("reflect padding, stride 30000", ConvSpec.builder(2, 2, 3).stride(30_000).padding(2)
                        .paddingMode(PaddingMode.REFLECT).build(), Shape.of(1, 2, 4, 4)),
                new Case("pointwise stride 2^31-1", ConvSpec.builder(3, 4, 1).stride(Integer.MAX_VALUE).build(), Shape.of(1, 3, 7, 7)),
                new Case("padding 10^6 on one side", ConvSpec.builder(2, 2, 3).padding(0, 0, 1_000_000, 0).stride(1, 500_000).build(),
                        Shape.of(1, 2, 3, 3)));
    }

    /**
     * {@code engine} on {@code c} equals the reference through {@code forward}, a plan called twice (into a stale
     * output), and {@code backward} where the engine has it.
     */
    public static void check(Conv2d engine, Case c) {
        ConvSpec spec = c.spec();
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, c.input(), 31);
        Shape outShape = spec.outputShape(c.input());
        assertTrue(outShape.size() <= 1_000, c + ": the case is meant to have a small output, not " + outShape);
        Conv2d reference = Engines.reference();
        Tensor expected = reference.forward(spec, ops.input(), ops.weight(), ops.bias());
        String what = engine.name() + ", " + c;
        long before = allocatedBytes();
        Tensor direct = engine.forward(spec, ops.input(), ops.weight(), ops.bias());
        var plan = engine.plan(spec, c.input(), ops.weight(), ops.bias());
        long allocated = allocatedBytes() - before;
        assertTrue(allocated < MAX_BYTES, what + ": forward and plan allocated " + allocated + " bytes on the calling thread");
        ConvAsserts.assertClose(what + ", forward", expected, direct, spec.reductionLength());
        for (int call = 0; call < 2; call++) {
            Tensor out = Tensor.random(40 + call, outShape.dims());
            plan.forward(ops.input(), out);
            ConvAsserts.assertClose(what + ", plan call " + call, expected, out, spec.reductionLength());
        }
        if (engine instanceof Conv2dBackward training && reference instanceof Conv2dBackward ref) {
            Tensor gy = Tensor.random(50, outShape.dims());
            ConvGradients e = ref.backward(spec, ops.input(), ops.weight(), gy);
            ConvGradients a = training.backward(spec, ops.input(), ops.weight(), gy);
            int perChannel = outShape.size() / spec.outChannels();
            ConvAsserts.assertClose(what + ", grad_input", e.input(), a.input(),
                    spec.outChannelsPerGroup() * spec.kernelH() * spec.kernelW());
            ConvAsserts.assertClose(what + ", grad_weight", e.weight(), a.weight(), perChannel);
            if (spec.hasBias()) {
                ConvAsserts.assertClose(what + ", grad_bias", e.bias(), a.bias(), perChannel);
            }
        }
    }
}
