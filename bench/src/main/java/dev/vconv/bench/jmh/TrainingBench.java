package dev.vconv.bench.jmh;

import dev.vconv.core.Conv2d;
import dev.vconv.core.Conv2dBackward;
import dev.vconv.core.ConvGradients;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.ConvTranspose2d;
import dev.vconv.core.ConvTransposeSpec;
import dev.vconv.core.Engines;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The training path on the network suite: the backward pass (input, weight and bias gradients) and the
 * transposed convolution of each layer, for {@code path} = scalar and simd. The transposed convolution of a
 * layer is its adjoint: input of the layer's output size, output of the layer's input size (the output
 * padding chosen so), the same weight, so its FLOPs equal the forward's and its GFLOP/s compare directly
 * with {@link NetSuiteBench}. The backward pass does two products of the forward's size (grad_input and
 * grad_weight; the bias sum is not counted): {@link #backwardFlops} gives twice the forward's FLOPs.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar TrainingBench -jvmArgsAppend
 * --add-modules=jdk.incubator.vector}. An engine that does not implement the op fails in {@code @Setup}
 * with that reason, never by timing another engine.
 */
public class TrainingBench extends BenchDefaults {

    @State(Scope.Benchmark)
    public static class Layer {
        @Param
        public NetLayer layer;

        @Param({"scalar", "simd"})
        public String path;

        /** Threads of the simd engine's backward pass (1 by default; {@code -p threads=2} for two; scalar: 1 only). */
        @Param({"1"})
        public int threads;

        Workload w;
        Conv2dBackward backward;
        ConvTranspose2d transposed;
        ConvTransposeSpec transposeSpec;
        Tensor gradOutput;
        Tensor transposeOutput;

        @Setup(Level.Trial)
        public void setup() {
            w = Workload.of(layer);
            Conv2d engine = BenchEngines.engine(path, threads);
            gradOutput = Tensor.random(BenchDefaults.INPUT_SEED + 7, w.output.shape().dims());
            transposeSpec = adjoint(w.spec, w.inputShape, w.output.shape());
            transposeOutput = Tensor.zeros(w.inputShape);
            if (engine instanceof Conv2dBackward b) {
                backward = b;
                ConvGradients got = b.backward(w.spec, w.input, w.weight, gradOutput);
                ConvGradients expected = ((Conv2dBackward) checkEngine(w)).backward(w.spec, w.input, w.weight, gradOutput);
                int outPlane = gradOutput.size() / w.spec.outChannels();
                ReferenceCheck.compare("TrainingBench.backward grad_input " + layer + " " + path, w.spec,
                        expected.input().data(), got.input().data(), got.input().size());
                compareWith(w.spec, outPlane, "grad_weight " + layer, expected.weight(), got.weight());
            }
            if (engine instanceof ConvTranspose2d t) {
                transposed = t;
                t.forward(transposeSpec, w.output, w.weight, null, transposeOutput);
                Tensor expected = ((ConvTranspose2d) checkEngine(w)).forward(transposeSpec, w.output, w.weight, null);
                ReferenceCheck.compare("TrainingBench.transpose " + layer + " " + path, w.spec, expected.data(),
                        transposeOutput.data(), expected.size());
            }
        }
    }

    /**
     * What the measured path is checked against: the reference where it runs in reasonable time, else the
     * scalar engine, whose backward and transposed paths equal the reference over the test grid and the
     * conformance vectors (for the scalar path itself on a large layer this checks it against itself: said
     * here rather than hidden).
     */
    static Conv2d checkEngine(Workload w) {
        return w.flops() <= ReferenceCheck.FULL_CHECK_FLOPS ? Engines.reference() : Engines.scalar();
    }

    private static void compareWith(ConvSpec spec, int reduction, String what, Tensor expected, Tensor actual) {
        double scale = 1e-4 * Math.sqrt(reduction);
        for (int i = 0; i < expected.size(); i++) {
            double e = expected.data()[i];
            double a = actual.data()[i];
            if (!(Math.abs(a - e) <= scale * (1 + Math.abs(e)))) {
                throw new IllegalStateException("TrainingBench " + what + ": mismatch for " + spec + " at " + i + ": expected "
                        + e + ", got " + a);
            }
        }
    }

    /** The transposed convolution whose output has the layer's input size: the layer's adjoint. */
    static ConvTransposeSpec adjoint(ConvSpec spec, Shape input, Shape output) {
        if (spec.padTop() != spec.padBottom() || spec.padLeft() != spec.padRight()) {
            throw new IllegalArgumentException("a transposed convolution pads symmetrically, but " + spec + " does not");
        }
        ConvTransposeSpec base = ConvTransposeSpec.builder(spec.outChannels(), spec.inChannels(), spec.kernelH(), spec.kernelW())
                .stride(spec.strideH(), spec.strideW()).padding(spec.padTop(), spec.padLeft())
                .dilation(spec.dilationH(), spec.dilationW()).groups(spec.groups()).bias(false).build();
        return base.withOutputSize(output, input.dim(2), input.dim(3));
    }

    /** FLOPs of one backward call: two products of the forward's size (grad_input and grad_weight). */
    public static long backwardFlops(NetLayer layer) {
        return 2 * layer.spec().flops(layer.inputShape());
    }

    @Benchmark
    public ConvGradients backward(Layer s) {
        if (s.backward == null) {
            throw new IllegalStateException("engine " + s.path + " has no backward pass");
        }
        return s.backward.backward(s.w.spec, s.w.input, s.w.weight, s.gradOutput);
    }

    @Benchmark
    public Tensor transpose(Layer s) {
        if (s.transposed == null) {
            throw new IllegalStateException("engine " + s.path + " has no transposed convolution");
        }
        s.transposed.forward(s.transposeSpec, s.w.output, s.w.weight, null, s.transposeOutput);
        return s.transposeOutput;
    }
}
