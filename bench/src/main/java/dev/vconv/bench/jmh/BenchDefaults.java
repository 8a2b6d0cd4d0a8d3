package dev.vconv.bench.jmh;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * The JMH settings every vconv benchmark shares, in one place. Benchmark classes extend this class: JMH reads
 * these annotations from the superclass. {@link BenchCommand}'s profiles start from the same constants.
 */
@BenchmarkMode(Mode.AverageTime)
// Milliseconds per call: one call takes 0.01 ms (the tiniest suite layers) to ~1 s (scalar on batch 8); the
// report turns time into GFLOP/s with the spec's FLOP count, so one time unit for all keeps that simple.
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = BenchDefaults.FORKS, jvmArgsAppend = {
        // The forked JVM runs the SIMD engine, so it needs the incubator module itself: the parent's flags are
        // not inherited when jvmArgsAppend is given.
        "--add-modules", "jdk.incubator.vector",
        // The largest suite layer (batch8_3x3_64x56) holds ~13 MB of input and output plus an im2col
        // workspace of ~7 MB per image; 1 GB leaves room without letting heap growth blur the timings.
        "-Xms1g", "-Xmx1g",
        // ONNX Runtime loads its native library with System.load: allowed explicitly, without a warning.
        "--enable-native-access=ALL-UNNAMED",
        // JMH 1.37 calls sun.misc.Unsafe::objectFieldOffset once at start-up; JDK 25 warns about it in every fork
        // (four lines each). The flag only decides whether sun.misc.Unsafe's memory access is allowed, warned
        // about or denied; vconv does not use sun.misc.Unsafe.
        BenchDefaults.ALLOW_UNSAFE})
@Warmup(iterations = BenchDefaults.WARMUP_ITERATIONS, time = BenchDefaults.WARMUP_MILLIS, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = BenchDefaults.MEASUREMENT_ITERATIONS, time = BenchDefaults.MEASUREMENT_MILLIS,
        timeUnit = TimeUnit.MILLISECONDS)
public abstract class BenchDefaults {

    /**
     * Two forks at least: JIT decisions and memory layout differ from JVM to JVM, and only several forks show
     * that variance. The regression gate runs Welch's t-test on per-fork means and needs three to do so
     * (with two it falls back to confidence intervals).
     */
    public static final int FORKS = 3;

    /**
     * Warm-up: C2 compiles the kernels within the first few hundred calls; three one-second iterations cover
     * that even for the slow scalar layers (~1 s a call, where each iteration is at least one call).
     */
    public static final int WARMUP_ITERATIONS = 3;
    public static final int WARMUP_MILLIS = 1000;

    /** Measurement: five one-second iterations per fork give a per-fork mean with a usable spread. */
    public static final int MEASUREMENT_ITERATIONS = 5;
    public static final int MEASUREMENT_MILLIS = 1000;

    /**
     * Silences JDK 25's warning about JMH's use of {@code sun.misc.Unsafe}. The regression gate ignores it when
     * it compares JVM flags ({@code JmhResult.Environment}), so results with and without it stay comparable.
     */
    public static final String ALLOW_UNSAFE = "--sun-misc-unsafe-memory-access=allow";

    /** The JVM flags of every fork, as annotated above; {@link BenchCommand} passes the same. */
    public static final String[] FORK_JVM_ARGS = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g",
            "--enable-native-access=ALL-UNNAMED", ALLOW_UNSAFE};

    /** Fixed seeds: every fork and every run convolves the same numbers. */
    public static final long INPUT_SEED = 0x5EED_0001L;
    public static final long WEIGHT_SEED = 0x5EED_0002L;
    public static final long BIAS_SEED = 0x5EED_0003L;
}
