package dev.vconv.bench.progress;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The console's progress lines, on a clock the test moves. */
class ProgressTest {
    private static final String SIMD = "dev.vconv.bench.jmh.NetSuiteBench.simd";
    private static final String ORT = "dev.vconv.bench.jmh.NetSuiteBench.onnxruntime";
    private static final String GRID = "dev.vconv.bench.jmh.GridBench.scalar";
    private static final long SECOND = 1_000_000_000L;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private long now = 42 * SECOND;

    private Progress progress(int total) {
        return new Progress(console, total, () -> now);
    }

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static SortedMap<String, String> params(String... keyValues) {
        SortedMap<String, String> map = new TreeMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    @Test
    void benchmarksThatDifferOnlyInThreadsShareALineWithTheCountTheTotalAndTheTimeLeft() {
        Progress progress = progress(4);
        progress.started(SIMD, params("layer", "resnet_3x3_64x56", "threads", "1"));
        now += 10 * SECOND;
        progress.finished(2.4171, "ms/op");
        progress.started(SIMD, params("layer", "resnet_3x3_64x56", "threads", "2"));
        now += 10 * SECOND;
        progress.finished(1.3733, "ms/op");
        assertEquals(List.of(), lines(), "the line waits for the last benchmark of its group");

        progress.started(GRID, params("conv", "S1_D1_G1_K3"));
        // 20 s for 2 benchmarks, 2 left: 20 s.
        assertEquals(List.of("[2/4] NetSuiteBench.simd layer=resnet_3x3_64x56  threads=1 2.42 ms  threads=2 1.37 ms  ETA 0:20"),
                lines());
        now += 5 * SECOND;
        progress.finished(0.0123, "ms/op");
        progress.started(GRID, params("conv", "S2_D1_G1_K3"));
        assertEquals("[3/4] GridBench.scalar conv=S1_D1_G1_K3  12.3 us  ETA 0:08", lines().get(1));
        now += 5 * SECOND;
        progress.finished(1500, "ms/op");
        progress.end();
        assertEquals(List.of("[4/4] GridBench.scalar conv=S2_D1_G1_K3  1.50 s", "ran 4 of 4 benchmarks in 0:30"),
                lines().subList(2, 4), "the last line has no estimate");
    }

    @Test
    void aBenchmarkThatEndsWithoutAResultFailedWithTheFirstLineOfJmhsFailure() {
        Progress progress = progress(3);
        progress.started(ORT, params("layer", "lenet", "threads", "1"));
        progress.jmhOutput("# Warmup Iteration   1: 1.0 ms/op");
        progress.jmhOutput("<failure>");
        progress.jmhOutput("");
        progress.jmhOutput("java.lang.IllegalStateException: NetSuiteBench.onnxruntime lenet differs at [0, 1, 2, 3]\n"
                + "\tat dev.vconv.bench.jmh.ReferenceCheck.compare(ReferenceCheck.java:80)");
        progress.started(ORT, params("layer", "lenet", "threads", "2"));
        progress.jmhOutput("<forked VM failed with exit code 1>");
        progress.started(GRID, params("conv", "S1_D1_G1_K3"));
        progress.finished(1, "ms/op");
        progress.end();
        List<String> lines = lines();
        assertEquals("[2/3] NetSuiteBench.onnxruntime layer=lenet  threads=1 FAILED: java.lang.IllegalStateException:"
                + " NetSuiteBench.onnxruntime lenet differs at [0, 1, 2, 3]  threads=2 FAILED: forked VM failed with"
                + " exit code 1  ETA 0:00", lines.get(0));
        assertEquals("[3/3] GridBench.scalar conv=S1_D1_G1_K3  1.00 ms", lines.get(1));
        assertEquals("ran 3 of 3 benchmarks in 0:00, 2 FAILED (the reasons in full are in JMH's log)", lines.get(2));
    }

    @Test
    void aLongReasonIsCutAndTheLastBenchmarkFailsWhenTheRunEndsWithoutIt() {
        Progress progress = progress(1);
        progress.started(GRID, params("conv", "S1_D1_G1_K3"));
        progress.jmhOutput("<failure>");
        progress.jmhOutput("java.lang.IllegalStateException: " + "x".repeat(200));
        progress.end();
        String line = lines().get(0);
        String reason = line.substring(line.indexOf("FAILED: ") + "FAILED: ".length());
        assertEquals(Progress.MAX_REASON, reason.length(), line);
        assertTrue(reason.endsWith("..."), line);
        assertTrue(lines().get(1).contains("1 FAILED"), lines().toString());
    }

    @Test
    void scoresReadAsTimesPerCall() {
        assertEquals("2.42 ms", Progress.formatScore(2.4171, "ms/op"));
        assertEquals("242 us", Progress.formatScore(0.2417, "ms/op"));
        assertEquals("1.00 s", Progress.formatScore(999.7, "ms/op"));
        assertEquals("80.0 ms", Progress.formatScore(12.5, "ops/s"));
        assertEquals("3.00 ns", Progress.formatScore(3, "ns/op"));
        assertEquals("0.500 ns", Progress.formatScore(0.5, "ns/op"));
        assertEquals("1234 s", Progress.formatScore(1234, "s/op"));
        assertEquals("5.00 B/op", Progress.formatScore(5, "B/op"));
    }

    @Test
    void durationsAreMinutesAndSecondsThenHours() {
        assertEquals("0:00", Progress.duration(0));
        assertEquals("1:05", Progress.duration(65 * SECOND));
        assertEquals("59:59", Progress.duration(3599 * SECOND));
        assertEquals("1:02:05", Progress.duration(3725 * SECOND));
    }
}
