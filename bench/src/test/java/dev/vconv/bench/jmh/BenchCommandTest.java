package dev.vconv.bench.jmh;

import dev.vconv.bench.network.NetworkModel;
import dev.vconv.bench.progress.BenchmarkPlan;
import dev.vconv.bench.progress.Progress;
import dev.vconv.bench.report.BenchReport;
import dev.vconv.bench.report.MarkdownReport;
import dev.vconv.bench.results.JmhResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.runner.options.Options;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What {@code bench smoke} and {@code bench quick} print, without running JMH: the profile's real plan (from the
 * benchmark list JMH generated), a progress line for each of its benchmarks as {@link Progress} prints them,
 * and the summary of a report that holds a result for every one of them.
 */
class BenchCommandTest {

    @TempDir
    Path dir;

    /**
     * The JVM prints one line of its own before {@code Main} runs ({@code WARNING: Using incubator modules:
     * jdk.incubator.vector}, on stderr).
     */
    private static final int JVM_LINES = 1;

    @ParameterizedTest
    @ValueSource(strings = {"smoke", "quick"})
    void aProfilePrintsAtMostTheLineBudgetWithEveryBenchmarkAndEveryRow(String profile) {
        Path json = dir.resolve("jmh-" + profile + ".json");
        Path log = dir.resolve(BenchCommand.LOG_FILE);
        Options options = BenchCommand.options(profile, null, json);
        BenchmarkPlan plan = BenchmarkPlan.of(options);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);

        console.println(BenchCommand.header(profile, options, plan, json, log));
        long[] clock = {0};
        Progress progress = new Progress(console, plan.size(), () -> clock[0] += 1_000_000_000L);
        List<JmhResult> results = new ArrayList<>();
        for (BenchmarkPlan.Benchmark benchmark : plan.benchmarks()) {
            progress.started(benchmark.name(), benchmark.params());
            progress.finished(1.0, "ms/op");
            results.add(result(benchmark));
        }
        progress.end();
        BenchReport report = BenchReport.of(results, List.of());
        BenchCommand.printSummary(report, MarkdownReport.render(report), json, dir, log, console);

        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        String shown = String.join("\n", lines);
        assertTrue(lines.size() + JVM_LINES <= BenchCommand.CONSOLE_LINE_BUDGET, "bench " + profile + " prints "
                + (lines.size() + JVM_LINES) + " lines, more than " + BenchCommand.CONSOLE_LINE_BUDGET + ":\n" + shown);

        // Short by design, not by leaving things out: every benchmark is on a progress line, every row in a table.
        assertTrue(lines.get(0).startsWith("bench " + profile + ": " + plan.size() + " benchmarks"), shown);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("ran " + plan.size() + " of " + plan.size() + " benchmarks in ")), shown);
        for (BenchmarkPlan.Benchmark benchmark : plan.benchmarks()) {
            String name = benchmark.name().substring(benchmark.name().lastIndexOf('.', benchmark.name().lastIndexOf('.') - 1) + 1);
            Map<String, String> rest = new TreeMap<>(benchmark.params());
            String threads = rest.remove("threads");
            String head = name + rest.entrySet().stream().map(e -> " " + e.getKey() + "=" + e.getValue()).reduce("", String::concat) + "  ";
            assertTrue(lines.stream().anyMatch(l -> l.contains("] " + head)
                            && (threads == null || l.contains("threads=" + threads + " 1.00 ms"))),
                    "no progress line for " + benchmark + ":\n" + shown);
        }
        assertEquals(plan.benchmarks().stream().filter(b -> b.name().endsWith("NetSuiteBench.simd")).count() / 2,
                report.suite().size());
        for (BenchReport.Row row : report.suite()) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("| `" + row.name() + "` |")), "no row for " + row.name() + ":\n" + shown);
        }
        for (BenchReport.NetworkRow row : report.networks()) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("| `" + row.model() + "` | " + row.batch() + " |")),
                    "no row for " + row.model() + ":\n" + shown);
        }
        assertEquals(profile.equals("quick") ? NetworkModel.values().length : 0, report.networks().size());
        for (BenchReport.Row row : report.grid()) {
            assertTrue(lines.stream().anyMatch(l -> l.startsWith("| `" + row.name() + "` |")), "no row for " + row.name() + ":\n" + shown);
        }
        assertTrue(lines.get(lines.size() - 1).startsWith("wrote " + json), shown);
    }

    /** The plans are what the profiles say, counted as JMH counts them. */
    @Test
    void thePlansHoldTheProfilesBenchmarksInJmhsOrder() {
        Path json = dir.resolve("x.json");
        BenchmarkPlan smoke = BenchmarkPlan.of(BenchCommand.options("smoke", null, json));
        assertEquals(BenchCommand.SMOKE_LAYERS.size() * 5 + BenchCommand.SMOKE_GRID.size() * 2, smoke.size());
        BenchmarkPlan quick = BenchmarkPlan.of(BenchCommand.options("quick", null, json));
        long peaks = quick.benchmarks().stream().filter(b -> b.name().contains(".kernel.")).count();
        assertEquals(2, peaks, "FmaPeakBench's 256- and 512-bit peaks");
        long networks = quick.benchmarks().stream().filter(b -> b.name().contains("NetworkBench.")).count();
        assertEquals(NetworkModel.values().length * 2 * 2, networks, "each model in vconv and ORT at 1 and 2 threads");
        assertEquals(NetLayer.values().length * 5 + BenchCommand.QUICK_GRID.size() * 2 + peaks + networks, quick.size());
        // JMH runs a method's thread counts one after the other, so they share a progress line.
        List<BenchmarkPlan.Benchmark> simd = quick.benchmarks().stream().filter(b -> b.name().endsWith("NetSuiteBench.simd")).toList();
        int first = quick.benchmarks().indexOf(simd.get(0));
        assertEquals(simd, quick.benchmarks().subList(first, first + simd.size()));
        assertEquals(List.of("1", "2"), simd.subList(0, 2).stream().map(b -> b.params().get("threads")).toList());
        assertEquals(simd.get(0).params().get("layer"), simd.get(1).params().get("layer"));
        assertEquals(NetLayer.values()[0].name(), simd.get(0).params().get("layer"), "layers in their declared order");
    }

    private static JmhResult result(BenchmarkPlan.Benchmark benchmark) {
        return new JmhResult(benchmark.name(), "avgt", benchmark.params(), 1, "ms/op", 1.0, 1.0, Double.NaN,
                new double[][] {{1.0}}, Map.of(), new JmhResult.Environment("25", "vm", "25", List.of(), new TreeMap<>()));
    }
}
