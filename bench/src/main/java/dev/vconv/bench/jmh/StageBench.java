package dev.vconv.bench.jmh;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.MatMul;
import dev.vconv.core.Nchw;
import dev.vconv.core.ScalarIm2col;
import dev.vconv.core.Tensor;
import dev.vconv.simd.SimdEngines;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.Arrays;

/**
 * The stages of a convolution by themselves, on the shapes of dense suite layers (image 0, group 0):
 * {@code im2col} (core's scalar im2col: {@code K x P} columns, the scalar engine's first stage) and
 * {@code packedGemm} (the SIMD engine's packed GEMM on the plain matrices {@code W[cout x K] * cols[K x P]},
 * packing both operands, as the training paths do; the forward engine packs the weights once per plan and
 * fuses im2col into the packing of B instead). The GEMM's FLOPs are the layer's ({@code 2 * cout * K * P});
 * its result is checked once in {@code @Setup} against core's scalar GEMM.
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar StageBench}.
 */
public class StageBench extends BenchDefaults {

    @State(Scope.Thread)
    public static class Stage {
        @Param({"resnet_3x3_64x56", "resnet_3x3_256x14", "resnet_1x1_256to64x56", "deeplab_d2_3x3_256x28"})
        public NetLayer layer;

        ConvSpec spec;
        Nchw in;
        Tensor input;
        float[] weight;
        float[] cols;
        float[] out;
        int k;
        int p;
        MatMul gemm;

        @Setup(Level.Trial)
        public void setup() {
            spec = layer.spec();
            if (spec.groups() != 1) {
                throw new IllegalArgumentException("StageBench takes ungrouped layers, but " + layer + " has groups=" + spec.groups());
            }
            in = Nchw.of(layer.inputShape());
            input = Tensor.random(BenchDefaults.INPUT_SEED, layer.inputShape().dims());
            weight = Tensor.random(BenchDefaults.WEIGHT_SEED, spec.weightShape().dims()).data();
            k = spec.reductionLength();
            p = spec.outputHeight(in.h()) * spec.outputWidth(in.w());
            cols = new float[k * p];
            out = new float[spec.outChannels() * p];
            gemm = SimdEngines.matMul(FloatVectorWidth.BITS);
            ScalarIm2col.fill(spec, in, input.data(), 0, 0, cols);
            gemm.multiplyAdd(spec.outChannels(), p, k, weight, 0, k, false, cols, 0, p, false, out, 0, p);
            float[] expected = new float[out.length];
            MatMul.scalar().multiplyAdd(spec.outChannels(), p, k, weight, 0, k, false, cols, 0, p, false, expected, 0, p);
            ReferenceCheck.compare("StageBench.packedGemm " + layer + " vs the scalar GEMM", spec, expected, out, out.length);
        }
    }

    /** The preferred vector width of this JVM, for the GEMM stage. */
    static final class FloatVectorWidth {
        static final int BITS = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize();
    }

    @Benchmark
    public float[] im2col(Stage s) {
        ScalarIm2col.fill(s.spec, s.in, s.input.data(), 0, 0, s.cols);
        return s.cols;
    }

    @Benchmark
    public float[] packedGemm(Stage s) {
        Arrays.fill(s.out, 0f);
        s.gemm.multiplyAdd(s.spec.outChannels(), s.p, s.k, s.weight, 0, s.k, false, s.cols, 0, s.p, false, s.out, 0, s.p);
        return s.out;
    }
}
