package dev.vconv.bench.jmh;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import dev.vconv.bench.network.NetworkModel;
import dev.vconv.bench.ort.OrtNetwork;
import dev.vconv.core.Tensor;
import dev.vconv.core.net.Network;
import dev.vconv.core.net.NetworkPlan;
import dev.vconv.simd.SimdEngines;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.time.Duration;

/**
 * Whole networks ({@link NetworkModel}: torchvision's ResNet-50 and MobileNetV2 at 224x224, seeded) in vconv's SIMD
 * engine and in ONNX Runtime, one forward pass per call: {@code NetworkBench.vconv model=resnet50 batch=1 threads=2}.
 * The {@code network} command measures the same two alternately in one JVM; here each runs in its own forks.
 *
 * <p>Each state checks, once in its setup, that vconv's logits and ONNX Runtime's agree within 1e-3 of the largest
 * logit, and fails the benchmark otherwise; the other runtime is released before measuring.
 */
public class NetworkBench extends BenchDefaults {

    /** vconv's plan of a network at a batch size and thread count. */
    @State(Scope.Benchmark)
    public static class Vconv {
        @Param
        public NetworkModel model;

        @Param({"1"})
        public int batch;

        @Param({"1", "2"})
        public int threads;

        NetworkPlan plan;
        Tensor input;
        Tensor output;

        @Setup(Level.Trial)
        public void setup() throws OrtException {
            Network network = model.network();
            input = NetworkModel.input(batch);
            plan = network.plan(SimdEngines.simd().withThreads(threads), input.shape());
            output = Tensor.zeros(plan.outputShape());
            plan.forward(input, output);
            // To steady speed before JMH's warm-up: a fresh fork's first ResNet-50 calls take seconds each, longer
            // than the quick profile's whole warm-up, while C2 compiles the kernels.
            plan.warmUp(Duration.ofSeconds(20));
            try (OrtNetwork ort = OrtNetwork.create(network, input, threads)) {
                ort.run();
                check("NetworkBench.vconv " + model + " batch=" + batch + " threads=" + threads, ort.outputValues(), output.data());
            }
        }
    }

    /** ONNX Runtime's session of the same network. */
    @State(Scope.Benchmark)
    public static class Ort {
        @Param
        public NetworkModel model;

        @Param({"1"})
        public int batch;

        @Param({"1", "2"})
        public int threads;

        OrtNetwork ort;

        @Setup(Level.Trial)
        public void setup() throws OrtException {
            Network network = model.network();
            Tensor input = NetworkModel.input(batch);
            ort = OrtNetwork.create(network, input, threads);
            ort.run();
            Tensor ours = network.plan(SimdEngines.simd().withThreads(threads), input.shape()).forward(input);
            check("NetworkBench.onnxruntime " + model + " batch=" + batch + " threads=" + threads, ort.outputValues(), ours.data());
        }

        @TearDown(Level.Trial)
        public void tearDown() throws OrtException {
            ort.close();
        }
    }

    static void check(String what, float[] ort, float[] vconv) {
        double diff = NetworkModel.relativeDifference(ort, vconv);
        if (!(diff <= NetworkModel.TOLERANCE)) {
            throw new IllegalStateException(what + ": vconv's logits differ from ONNX Runtime's by " + diff
                    + " of the largest logit, more than " + NetworkModel.TOLERANCE);
        }
    }

    @Benchmark
    public Tensor vconv(Vconv s) {
        s.plan.forward(s.input, s.output);
        return s.output;
    }

    @Benchmark
    public OnnxTensor onnxruntime(Ort s) throws OrtException {
        s.ort.run();
        return s.ort.output();
    }
}
