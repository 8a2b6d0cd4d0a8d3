package dev.vconv.bench.jmh;

import dev.vconv.core.Conv2dPlan;
import dev.vconv.core.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The grid of {@link ConvCase}: every stride, dilation and group count on one mid-size layer, one thread,
 * on the scalar and the SIMD engine. The benchmark method names the path ({@code scalar}, {@code simd}), so a
 * result reads {@code GridBench.simd conv=S2_D3_G4_K3}.
 */
public class GridBench extends BenchDefaults {

    /** Operands, plan and the once-checked output of one grid case on one engine. */
    @State(Scope.Benchmark)
    public abstract static class Case {
        /** Every constant when no value is given: a bare {@code @Param} on an enum runs them all. */
        @Param
        public ConvCase conv;

        Workload w;
        Conv2dPlan plan;

        abstract String path();

        @Setup(Level.Trial)
        public void setup() {
            w = Workload.of(conv);
            plan = BenchEngines.checkedPlan(path(), 1, w, "GridBench." + path() + " " + conv);
        }
    }

    public static class ScalarCase extends Case {
        @Override
        String path() {
            return "scalar";
        }
    }

    public static class SimdCase extends Case {
        @Override
        String path() {
            return "simd";
        }
    }

    @Benchmark
    public Tensor scalar(ScalarCase c) {
        c.plan.forward(c.w.input, c.w.output);
        return c.w.output;
    }

    @Benchmark
    public Tensor simd(SimdCase c) {
        c.plan.forward(c.w.input, c.w.output);
        return c.w.output;
    }
}
