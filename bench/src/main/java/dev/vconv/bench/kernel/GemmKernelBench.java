package dev.vconv.bench.kernel;

import dev.vconv.bench.jmh.BenchDefaults;
import dev.vconv.simd.kernel.GemmKernel;
import dev.vconv.simd.SimdEngines;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The SIMD engine's GEMM micro-kernel by itself, in cache: one {@code MR x NR} tile over a reduction of
 * {@code kc} (the engine's block, 256), A panel ({@code kc x MR}, 4 KiB at 256 bits) and B panel
 * ({@code kc x NR}, 16 KiB) both in L1. One call is one {@link GemmKernel#tile}, or one
 * {@link GemmKernel#tileGather} ({@code gather}: A read in place, as the pixel-rows path reads 3x3 taps of a
 * 7x7 image padded to 9x9, one row of 7 output pixels); GFLOP/s is the {@code flops}
 * counter (FLOP/s) / 1e9, to hold against {@link FmaPeakBench}. {@code kernel} names one of the width's kernels
 * ({@link SimdEngines#gemmKernels}; empty: the main one). The name avoids "peak" on
 * purpose: the report takes any kernel benchmark named so as the machine's peak.
 *
 * <p>512 bits is left out of the default parameters: on AVX2 machines it is not intrinsified and measures
 * the Java fallback (add {@code -p bits=512} on an AVX-512 machine).
 */
@State(Scope.Thread)
// Throughput in calls per second, not BenchDefaults' milliseconds per call: a tile takes about 0.3 us, and the
// flops counter then reads directly as FLOP/s (in AverageTime mode JMH inverts it into a meaningless ms/op).
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class GemmKernelBench extends BenchDefaults {

    @Param({"256", "128"})
    public int bits;

    @Param({"256"})
    public int kc;

    @Param({""})
    public String kernelName;

    private GemmKernel kernel;
    private float[] a;
    private float[] b;
    private float[] c;
    private long flopsPerCall;
    private float[] planes;
    private int[] rows;
    private int[] pixels;

    /** FLOPs done, reported per time unit as a secondary result. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long flops;

        @Setup(Level.Iteration)
        public void reset() {
            flops = 0;
        }
    }

    @Setup
    public void setUp() {
        kernel = kernelName.isEmpty() ? SimdEngines.gemmKernel(bits) : SimdEngines.gemmKernels(bits).stream()
                .filter(k -> k.name().equals(kernelName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("kernelName must be one of the " + bits + "-bit kernels "
                        + SimdEngines.gemmKernels(bits).stream().map(GemmKernel::name).toList() + ", but got " + kernelName));
        int mr = kernel.mr();
        int nr = kernel.nr();
        SplittableRandom random = new SplittableRandom(BenchDefaults.INPUT_SEED);
        a = new float[kc * mr];
        b = new float[kc * nr];
        c = new float[mr * nr];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (random.nextDouble() * 2 - 1);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) (random.nextDouble() * 2 - 1);
        }
        flopsPerCall = 2L * kc * mr * nr;
        check(mr, nr);
        // 3x3 taps of ceil(kc/9) channels of a 9x9 padded plane; the tile's pixels along output row 3
        planes = new float[(kc / 9 + 1) * 81 + mr];
        for (int i = 0; i < planes.length; i++) {
            planes[i] = (float) (random.nextDouble() * 2 - 1);
        }
        rows = new int[kc];
        for (int k = 0; k < kc; k++) {
            rows[k] = k / 9 * 81 + k % 9 / 3 * 9 + k % 3;
        }
        pixels = new int[mr];
        for (int r = 0; r < mr; r++) {
            pixels[r] = 3 * 9 + r;
        }
    }

    /** The measured kernel must agree bit for bit with the naive product (one fma per k, in order). */
    private void check(int mr, int nr) {
        kernel.tile(kc, a, 0, b, 0, c, 0, nr);
        for (int r = 0; r < mr; r++) {
            for (int j = 0; j < nr; j++) {
                float acc = 0f;
                for (int k = 0; k < kc; k++) {
                    acc = Math.fma(a[k * mr + r], b[k * nr + j], acc);
                }
                if (Float.compare(acc, c[r * nr + j]) != 0) {
                    throw new IllegalStateException(kernel.name() + " disagrees with the naive product at C[" + r + "][" + j
                            + "]: expected " + acc + ", got " + c[r * nr + j]);
                }
            }
        }
    }

    /** One tile; C keeps accumulating across calls (its values stay small: inputs are in [-1, 1) and reset per trial). */
    @Benchmark
    public float[] tile(Counters counters) {
        kernel.tile(kc, a, 0, b, 0, c, 0, kernel.nr());
        counters.flops += flopsPerCall;
        return c;
    }

    /** One tile with A gathered from the planes through the row and pixel tables. */
    @Benchmark
    public float[] gather(Counters counters) {
        kernel.tileGather(kc, planes, 0, rows, 0, pixels, 0, b, 0, c, 0, kernel.nr());
        counters.flops += flopsPerCall;
        return c;
    }
}
