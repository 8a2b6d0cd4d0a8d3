package dev.vconv.bench.jmh;

import dev.vconv.core.Conv2dPlan;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * MobileNetV2's 3x3 depthwise layers whose output rows are narrower than a 512-bit vector (14 and 7 columns),
 * which the suite does not hold (its depthwise layers are 56 and 112 wide): the SIMD engine at 1 and 2 threads.
 * They take the wrapped depthwise kernels (`docs/KERNELS.md`); in the {@code full} profile, or alone:
 * {@code java -jar bench/target/benchmarks.jar NarrowDepthwiseBench}. A result reads
 * {@code NarrowDepthwiseBench.simd layer=MBV2_576CH_14X14_S1 threads=2}.
 */
public class NarrowDepthwiseBench extends BenchDefaults {

    /** 3x3, padding 1, bias, one image of {@code channels} channels, {@code size} square, at {@code stride}. */
    public enum Layer {
        MBV2_192CH_28X28_S2(192, 28, 2), MBV2_576CH_14X14_S2(576, 14, 2), MBV2_576CH_14X14_S1(576, 14, 1),
        MBV2_960CH_7X7_S1(960, 7, 1);

        private final int channels;
        private final int size;
        private final int stride;

        Layer(int channels, int size, int stride) {
            this.channels = channels;
            this.size = size;
            this.stride = stride;
        }

        public ConvSpec spec() {
            return ConvSpec.builder(channels, channels, 3).groups(channels).stride(stride).padding(1).build();
        }

        public Shape inputShape() {
            return Shape.of(1, channels, size, size);
        }
    }

    /** Operands, plan and the once-checked output of one layer at a thread count. */
    @State(Scope.Benchmark)
    public static class Case {
        @Param
        public Layer layer;

        @Param({"1", "2"})
        public int threads;

        Workload w;
        Conv2dPlan plan;

        @Setup(Level.Trial)
        public void setup() {
            w = new Workload(layer.spec(), layer.inputShape());
            String what = "NarrowDepthwiseBench.simd " + layer + " threads=" + threads;
            plan = BenchEngines.checkedPlan("simd", threads, w, what);
        }
    }

    @Benchmark
    public Tensor simd(Case c) {
        c.plan.forward(c.w.input, c.w.output);
        return c.w.output;
    }
}
