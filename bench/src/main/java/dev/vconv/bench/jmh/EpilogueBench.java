package dev.vconv.bench.jmh;

import dev.vconv.core.Activation;
import dev.vconv.core.Conv2dPlan;
import dev.vconv.core.Epilogue;
import dev.vconv.core.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * What a fused epilogue costs: the SIMD engine on each dense suite layer (groups 1) with no epilogue and with the
 * epilogues networks use, in one run, so that {@code RELU} against {@code NONE} on a layer is the price of the
 * fusion. Each plan's first output is checked against the same engine's bare output with the epilogue applied
 * after it ({@link Epilogue#apply(Tensor, Tensor)}): bit for bit, or within {@link Epilogue#TRANSCENDENTAL_ULPS}
 * for SiLU.
 */
public class EpilogueBench extends BenchDefaults {

    /** The suite's dense layers (groups 1, not the two tiny seeds). */
    public enum DenseLayer {
        resnet_conv1_7x7s2, resnet_3x3_64x56, resnet_3x3s2_128x56, resnet_3x3_256x14, resnet_3x3_512x7,
        resnet_1x1_256to64x56, resnet_1x1_1024to256x14, resnet_1x1s2_512to1024x28, deeplab_d2_3x3_256x28,
        deeplab_d4_3x3_128x32, batch8_3x3_64x56, lenet_5x5_32to64x28, inception_1x7_64x56;

        NetLayer layer() {
            return NetLayer.valueOf(name());
        }
    }

    /** The epilogues measured; the in-place residual is the output array itself (oneDNN's sum post-op). */
    public enum Fused {
        NONE(Epilogue.NONE),
        RELU(Epilogue.of(Activation.relu())),
        RELU6(Epilogue.of(Activation.relu6())),
        SILU(Epilogue.of(Activation.silu())),
        RESIDUAL_RELU(Epilogue.of(Activation.relu()).withResidual()),
        INPLACE_RESIDUAL_RELU(Epilogue.of(Activation.relu()).withResidual());

        final Epilogue epilogue;

        Fused(Epilogue epilogue) {
            this.epilogue = epilogue;
        }
    }

    @State(Scope.Benchmark)
    public static class FusedLayer {
        @Param
        public DenseLayer layer;

        @Param
        public Fused epilogue;

        @Param({"1"})
        public int threads;

        Workload w;
        Conv2dPlan plan;
        Tensor residual;

        @Setup(Level.Trial)
        public void setup() {
            w = Workload.of(layer.layer());
            Epilogue fused = epilogue.epilogue;
            String what = "EpilogueBench " + layer + " " + epilogue + " threads=" + threads;
            Conv2dPlan bare = BenchEngines.checkedPlan("simd", threads, w, what + " (bare)");
            Tensor expected = Tensor.zeros(w.output.shape());
            bare.forward(w.input, expected);
            Tensor separate = fused.hasResidual() ? Tensor.random(BenchDefaults.BIAS_SEED + 1, w.output.shape().dims()) : null;
            residual = epilogue == Fused.INPLACE_RESIDUAL_RELU ? w.output : separate;
            if (residual == w.output) {
                System.arraycopy(separate.data(), 0, w.output.data(), 0, separate.size());
            }
            fused.apply(expected, separate);
            plan = BenchEngines.engine("simd", threads).plan(w.spec, w.inputShape, w.weight, w.bias, fused);
            plan.forward(w.input, residual, w.output);
            float[] want = expected.data();
            float[] got = w.output.data();
            for (int i = 0; i < want.length; i++) {
                boolean same = Float.floatToIntBits(want[i]) == Float.floatToIntBits(got[i]);
                if (!same && !(epilogue == Fused.SILU && fused.withinBound(want[i], got[i]))) {
                    throw new IllegalStateException(what + ": the fused output differs from the bare output followed by "
                            + fused + " at element " + i + ": " + got[i] + " instead of " + want[i]);
                }
            }
        }
    }

    @Benchmark
    public Tensor simd(FusedLayer s) {
        s.plan.forward(s.w.input, s.residual, s.w.output);
        return s.w.output;
    }
}
