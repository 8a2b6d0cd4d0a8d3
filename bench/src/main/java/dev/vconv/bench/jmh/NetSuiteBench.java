package dev.vconv.bench.jmh;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import dev.vconv.bench.EngineCatalog;
import dev.vconv.bench.ort.OrtConv;
import dev.vconv.core.Conv2dPlan;
import dev.vconv.core.Engines;
import dev.vconv.core.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The network suite of {@link NetLayer}, side by side: vconv's scalar engine (one thread: it has no other
 * mode), vconv's SIMD engine and ONNX Runtime, the last two at 1 and 2 threads. The method names the path,
 * so a result reads {@code NetSuiteBench.onnxruntime layer=resnet_3x3_64x56 threads=2}.
 */
public class NetSuiteBench extends BenchDefaults {

    /** The scalar engine on one layer. */
    @State(Scope.Benchmark)
    public static class ScalarLayer {
        @Param
        public NetLayer layer;

        Workload w;
        Conv2dPlan plan;

        @Setup(Level.Trial)
        public void setup() {
            w = Workload.of(layer);
            plan = BenchEngines.checkedPlan("scalar", 1, w, "NetSuiteBench.scalar " + layer);
        }
    }

    /** The SIMD engine on one layer at a thread count. */
    @State(Scope.Benchmark)
    public static class SimdLayer {
        @Param
        public NetLayer layer;

        @Param({"1", "2"})
        public int threads;

        Workload w;
        Conv2dPlan plan;

        @Setup(Level.Trial)
        public void setup() {
            w = Workload.of(layer);
            plan = BenchEngines.checkedPlan("simd", threads, w, "NetSuiteBench.simd " + layer + " threads=" + threads);
        }
    }

    /**
     * ONNX Runtime on one layer at a thread count. Its output is checked against the reference (as every
     * path's) and, in full, against vconv's: the SIMD engine's, or the scalar engine's where SIMD is missing.
     */
    @State(Scope.Benchmark)
    public static class OrtLayer {
        @Param
        public NetLayer layer;

        @Param({"1", "2"})
        public int threads;

        OrtConv ort;

        @Setup(Level.Trial)
        public void setup() throws OrtException {
            Workload w = Workload.of(layer);
            ort = new OrtConv(w.spec, w.input, w.weight, w.bias, threads);
            ort.run();
            String what = "NetSuiteBench.onnxruntime " + layer + " threads=" + threads;
            Tensor actual = Tensor.of(ort.outputValues(), w.output.shape());
            ReferenceCheck.check(what, w, actual);
            EngineCatalog.Lookup simd = EngineCatalog.find("simd");
            var vconv = simd.engine() != null ? simd.engine() : Engines.scalar();
            vconv.forward(w.spec, w.input, w.weight, w.bias, w.output);
            ReferenceCheck.compare(what + " vs vconv " + vconv.name() + " (full output)", w.spec, w.output.data(),
                    actual.data(), actual.size());
        }

        @TearDown(Level.Trial)
        public void tearDown() throws OrtException {
            ort.close();
        }
    }

    @Benchmark
    public Tensor scalar(ScalarLayer s) {
        s.plan.forward(s.w.input, s.w.output);
        return s.w.output;
    }

    @Benchmark
    public Tensor simd(SimdLayer s) {
        s.plan.forward(s.w.input, s.w.output);
        return s.w.output;
    }

    @Benchmark
    public OnnxTensor onnxruntime(OrtLayer s) throws OrtException {
        s.ort.run();
        return s.ort.output();
    }
}
