package dev.vconv.bench.kernel;

import dev.vconv.bench.jmh.BenchDefaults;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * The FMA peak of one core through the Vector API, so that every report can state % of peak: twelve
 * independent chains of 256-bit fused multiply-adds (enough to cover a 4-cycle latency on two FMA pipes, and
 * 14 of 16 ymm registers with the two operands), {@value #ITERATIONS} iterations per call. The report reads the
 * FLOPs of one call from {@code flopsPerOp}: 12 chains x 8 lanes x 2 FLOPs x iterations.
 *
 * <p>256 bits because that is the widest species the machines these numbers come from run natively (AVX2:
 * no AVX-512); on an AVX-512 machine a 512-bit variant would state the higher peak.
 */
@State(Scope.Thread)
public class FmaPeakBench extends BenchDefaults {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    static final VectorSpecies<Float> S512 = FloatVector.SPECIES_512;
    static final int ITERATIONS = 1 << 17;

    /** 12 chains x 8 lanes x 2 FLOPs x 131072 iterations: one call takes about a quarter of a millisecond. */
    @Param({"25165824"})
    public long flopsPerOp;

    private final float a = 0.999f;
    private final float b = 1e-3f;

    @Benchmark
    public float fmaPeak256() {
        FloatVector va = FloatVector.broadcast(S, a);
        FloatVector vb = FloatVector.broadcast(S, b);
        FloatVector c0 = vb, c1 = vb, c2 = vb, c3 = vb, c4 = vb, c5 = vb;
        FloatVector c6 = vb, c7 = vb, c8 = vb, c9 = vb, c10 = vb, c11 = vb;
        for (int i = 0; i < ITERATIONS; i++) {
            c0 = c0.fma(va, vb);
            c1 = c1.fma(va, vb);
            c2 = c2.fma(va, vb);
            c3 = c3.fma(va, vb);
            c4 = c4.fma(va, vb);
            c5 = c5.fma(va, vb);
            c6 = c6.fma(va, vb);
            c7 = c7.fma(va, vb);
            c8 = c8.fma(va, vb);
            c9 = c9.fma(va, vb);
            c10 = c10.fma(va, vb);
            c11 = c11.fma(va, vb);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }

    /**
     * The same with 512-bit vectors, for AVX-512 machines (24 chains: 32 zmm registers, FMA latency 4 on two
     * pipes). On a machine without AVX-512 it measures the Java fallback, far below fmaPeak256; the report takes
     * the higher of the two.
     */
    @Benchmark
    public float fmaPeak512() {
        FloatVector va = FloatVector.broadcast(S512, a);
        FloatVector vb = FloatVector.broadcast(S512, b);
        FloatVector c0 = vb, c1 = vb, c2 = vb, c3 = vb, c4 = vb, c5 = vb;
        FloatVector c6 = vb, c7 = vb, c8 = vb, c9 = vb, c10 = vb, c11 = vb;
        for (int i = 0; i < ITERATIONS / 2; i++) {
            c0 = c0.fma(va, vb);
            c1 = c1.fma(va, vb);
            c2 = c2.fma(va, vb);
            c3 = c3.fma(va, vb);
            c4 = c4.fma(va, vb);
            c5 = c5.fma(va, vb);
            c6 = c6.fma(va, vb);
            c7 = c7.fma(va, vb);
            c8 = c8.fma(va, vb);
            c9 = c9.fma(va, vb);
            c10 = c10.fma(va, vb);
            c11 = c11.fma(va, vb);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
                .reduceLanes(VectorOperators.ADD);
    }
}
