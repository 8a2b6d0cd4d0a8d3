package dev.vconv.bench.kernel;

import dev.vconv.bench.jmh.BenchDefaults;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Whether 512-bit two-vector permutes and FMAs share execution resources: twelve independent chains of
 * {@code selectFrom(a, b)} ({@code vpermi2ps}), twelve of FMAs, and both interleaved, {@value #ITERATIONS}
 * iterations per call. If {@link #both} takes about as long as {@link #permutes} and {@link #fmas} together, a
 * kernel's permutes cost FMA slots: the stride-2 depthwise kernel does 15 permutes per 18 FMAs
 * ({@code docs/KERNELS.md}, "What bounds the depthwise kernels"). Not in {@code bench quick}; in
 * {@code bench full}, or alone: {@code java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar
 * PermuteFmaBench}.
 */
@State(Scope.Thread)
public class PermuteFmaBench extends BenchDefaults {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    static final int ITERATIONS = 1 << 16;

    private final float[] data = new float[2 * S.length()];
    private final float[] evenLanes = new float[S.length()];

    public PermuteFmaBench() {
        for (int i = 0; i < data.length; i++) {
            data[i] = 1f + i * 1e-3f;
        }
        for (int i = 0; i < evenLanes.length; i++) {
            evenLanes[i] = 2 * i;                  // lane i takes element 2i of the pair (a, b)
        }
    }

    @Benchmark
    public float permutes() {
        FloatVector index = FloatVector.fromArray(S, evenLanes, 0);
        FloatVector a = FloatVector.fromArray(S, data, 0);
        FloatVector b = FloatVector.fromArray(S, data, S.length());
        FloatVector p0 = a, p1 = b, p2 = a, p3 = b, p4 = a, p5 = b;
        FloatVector p6 = a, p7 = b, p8 = a, p9 = b, p10 = a, p11 = b;
        for (int i = 0; i < ITERATIONS; i++) {
            p0 = index.selectFrom(p0, a);
            p1 = index.selectFrom(p1, b);
            p2 = index.selectFrom(p2, a);
            p3 = index.selectFrom(p3, b);
            p4 = index.selectFrom(p4, a);
            p5 = index.selectFrom(p5, b);
            p6 = index.selectFrom(p6, a);
            p7 = index.selectFrom(p7, b);
            p8 = index.selectFrom(p8, a);
            p9 = index.selectFrom(p9, b);
            p10 = index.selectFrom(p10, a);
            p11 = index.selectFrom(p11, b);
        }
        return p0.add(p1).add(p2).add(p3).add(p4).add(p5).add(p6).add(p7).add(p8).add(p9).add(p10).add(p11)
                .reduceLanes(VectorOperators.ADD);
    }

    @Benchmark
    public float fmas() {
        FloatVector a = FloatVector.fromArray(S, data, 0);
        FloatVector b = FloatVector.fromArray(S, data, S.length());
        FloatVector m = FloatVector.broadcast(S, 0.999f);
        FloatVector f0 = a, f1 = b, f2 = a, f3 = b, f4 = a, f5 = b;
        FloatVector f6 = a, f7 = b, f8 = a, f9 = b, f10 = a, f11 = b;
        for (int i = 0; i < ITERATIONS; i++) {
            f0 = f0.fma(m, a);
            f1 = f1.fma(m, b);
            f2 = f2.fma(m, a);
            f3 = f3.fma(m, b);
            f4 = f4.fma(m, a);
            f5 = f5.fma(m, b);
            f6 = f6.fma(m, a);
            f7 = f7.fma(m, b);
            f8 = f8.fma(m, a);
            f9 = f9.fma(m, b);
            f10 = f10.fma(m, a);
            f11 = f11.fma(m, b);
        }
        return f0.add(f1).add(f2).add(f3).add(f4).add(f5).add(f6).add(f7).add(f8).add(f9).add(f10).add(f11)
                .reduceLanes(VectorOperators.ADD);
    }

    /** Both loops' work in one loop: six permute and six FMA chains per turn, two turns per iteration. */
    @Benchmark
    public float both() {
        FloatVector index = FloatVector.fromArray(S, evenLanes, 0);
        FloatVector a = FloatVector.fromArray(S, data, 0);
        FloatVector b = FloatVector.fromArray(S, data, S.length());
        FloatVector m = FloatVector.broadcast(S, 0.999f);
        FloatVector p0 = a, p1 = b, p2 = a, p3 = b, p4 = a, p5 = b;
        FloatVector f0 = a, f1 = b, f2 = a, f3 = b, f4 = a, f5 = b;
        for (int i = 0; i < 2 * ITERATIONS; i++) {
            p0 = index.selectFrom(p0, a);
            f0 = f0.fma(m, a);
            p1 = index.selectFrom(p1, b);
            f1 = f1.fma(m, b);
            p2 = index.selectFrom(p2, a);
            f2 = f2.fma(m, a);
            p3 = index.selectFrom(p3, b);
            f3 = f3.fma(m, b);
            p4 = index.selectFrom(p4, a);
            f4 = f4.fma(m, a);
            p5 = index.selectFrom(p5, b);
            f5 = f5.fma(m, b);
        }
        return p0.add(p1).add(p2).add(p3).add(p4).add(p5).add(f0).add(f1).add(f2).add(f3).add(f4).add(f5)
                .reduceLanes(VectorOperators.ADD);
    }
}
