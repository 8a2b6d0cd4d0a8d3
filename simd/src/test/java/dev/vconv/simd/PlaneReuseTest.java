package dev.vconv.simd;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.Epilogue;
import dev.vconv.core.Engines;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import dev.vconv.core.testing.ConvAsserts;
import dev.vconv.simd.ConvPlan;
import dev.vconv.simd.kernel.VectorWidth;
import dev.vconv.simd.plan.ConvPlanner;
import dev.vconv.simd.plan.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Under zero padding the implicit and depthwise paths write only the image's own values into their input planes
 * and rely on the padding still holding the zeros of the buffer's allocation ({@code PhasePlanes.buildChannel}
 * with {@code bordersZero}). One plan, called on several different inputs into the same output in turn, must
 * match the reference every time: at every width, with 1 and 2 threads, at stride 1, 2 and 3, with asymmetric
 * padding, dilation, and the batch.
 */
class PlaneReuseTest {

    static List<Object[]> cases() {
        List<ConvSpec> specs = List.of(
                ConvSpec.builder(5, 7, 3).padding(1).build(),
                ConvSpec.builder(5, 7, 3).stride(2).padding(2, 0, 1, 3).build(),
                ConvSpec.builder(4, 6, 3, 5).stride(3, 2).dilation(2, 1).padding(1, 2).build(),
                ConvSpec.builder(6, 6, 3).padding(1).groups(6).build(),
                ConvSpec.builder(6, 12, 3).stride(2).padding(1).groups(6).build(),
                ConvSpec.builder(3, 3, 5, 3).stride(1, 3).dilation(1, 2).padding(2, 1, 0, 3).groups(3).build());
        List<Object[]> cases = new ArrayList<>();
        for (ConvSpec spec : specs) {
            Path path = spec.groups() == spec.inChannels() ? Path.DEPTHWISE : Path.IMPLICIT_GEMM;
            for (VectorWidth width : VectorWidth.values()) {
                for (int threads : new int[] {1, 2}) {
                    cases.add(new Object[] {spec, path, width, threads});
                }
            }
        }
        return cases;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void everyCallOfOnePlanMatchesTheReference(ConvSpec spec, Path path, VectorWidth width, int threads) {
        Shape shape = Shape.of(2, spec.inChannels(), 19, 37);
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 11);
        ConvPlan plan = new ConvPlan(spec, shape, ops.weight(), ops.bias(), ConvPlanner.plan(path, spec, shape, width, threads), null, Epilogue.NONE);
        Tensor out = Tensor.zeros(plan.outputShape());
        float[] large = new float[shape.size()];
        Arrays.fill(large, 1e6f);
        List<Tensor> inputs = List.of(Tensor.random(1, shape.dims()), Tensor.random(2, shape.dims()), Tensor.of(large, shape),
                Tensor.random(1, shape.dims()));
        for (int call = 0; call < inputs.size(); call++) {
            Tensor input = inputs.get(call);
            plan.forward(input, out);
            Tensor expected = Engines.reference().forward(spec, input, ops.weight(), ops.bias());
            ConvAsserts.assertClose("call " + call + " of " + plan, expected, out, spec.reductionLength());
        }
    }
}
