package dev.vconv.bench.jmh;

import dev.vconv.bench.report.BenchReport;
import dev.vconv.bench.report.HtmlReport;
import dev.vconv.bench.report.MarkdownReport;
import dev.vconv.bench.report.TorchJson;
import dev.vconv.bench.results.JmhResult;
import dev.vconv.bench.results.JmhResultReader;
import dev.vconv.bench.results.ResultFileException;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code bench [quick|full|smoke] [--out DIR] [--torch FILE] [--report-only]}: runs the JMH benchmarks and writes
 * the report.
 *
 * <ul>
 *   <li>{@code quick} (the default): the whole network suite on every path and thread count, a slice of the
 *   grid and the kernel FMA peak, with short iterations, sized to finish in well under 10 minutes on 2 cores
 *   (see {@link #QUICK_GRID}).</li>
 *   <li>{@code smoke}: three suite layers and two grid cases, one fork, one 100 ms iteration: proves in
 *   about half a minute that every path sets up, passes its check and reports; its numbers mean little.</li>
 *   <li>{@code full}: every benchmark of {@code dev.vconv.bench.jmh} and {@code dev.vconv.bench.kernel} with the
 *   settings of {@link BenchDefaults} (an hour and more).</li>
 * </ul>
 * It writes {@code DIR/jmh-<profile>.json} (JMH's JSON), {@code DIR/report.md} and {@code DIR/report.html}
 * and prints the table. {@code --torch FILE} joins {@code bench/scripts/torch_suite.py}'s results;
 * {@code --report-only} skips the run and reports an existing {@code DIR/jmh-<profile>.json}.
 */
public final class BenchCommand {

    static final String USAGE = "usage: bench [quick|full|smoke] [--forks N] [--out DIR] [--torch FILE] [--report-only]";

    /** The grid cases of the quick profile: the common shapes and one of each awkward parameter. */
    static final List<ConvCase> QUICK_GRID = List.of(ConvCase.S1_D1_G1_K3, ConvCase.S2_D1_G1_K3,
            ConvCase.S1_D2_G1_K3, ConvCase.S1_D1_G4_K3, ConvCase.S1_D1_DW_K3, ConvCase.S2_D1_DW_K3,
            ConvCase.S3_D3_G2_K3, ConvCase.S1_D1_G1_K1);

    /**
     * The quick profile's timing. 90 suite benchmarks (18 layers: scalar at 1 thread, simd and ONNX Runtime
     * at 1 and 2) and 16 grid ones, one fork each by default: 106 forks x (5 + 3) x 200 ms = 2.8 min of
     * iterations, plus ~3 s per fork of JVM start-up, warm-up of the first calls, setup and the reference check,
     * plus the slow scalar layers, whose iterations last at least one call (batch8 scalar: ~0.5 s a call): about
     * 7 minutes. Five warm-up iterations (a second): Vector API code runs boxed, 10-100x slower, until C2 has
     * compiled the kernels (C1 gives up on the micro-kernel: too many live vectors), and with three a small grid
     * layer was measured mid-warm-up at a tenth of its speed; 200 ms iterations hold 100+ calls of most layers. {@code --forks 2} or more shows fork-to-fork variance, and the regression gate's t-test needs 3.
     */
    static final int QUICK_FORKS = 1;
    static final int QUICK_WARMUP_ITERATIONS = 5;
    static final int QUICK_MEASUREMENT_ITERATIONS = 3;
    static final int QUICK_ITERATION_MILLIS = 200;

    /** The smoke profile: a tiny layer, a deep 3x3 and a strided depthwise one; a dense and a depthwise case. */
    static final List<NetLayer> SMOKE_LAYERS = List.of(NetLayer.seed004_g2d2s2p1, NetLayer.resnet_3x3_256x14,
            NetLayer.mbv2_dw3x3s2_96x112);
    static final List<ConvCase> SMOKE_GRID = List.of(ConvCase.S1_D1_G1_K3, ConvCase.S2_D2_DW_K3);

    /**
     * Estimated JVM start-up, setup, reference check and slow first calls per fork, for the printed estimate
     * (measured: 106 benchmarks x 2 forks took 11.5 minutes, ~3 s per fork beyond the iterations).
     */
    private static final double FORK_OVERHEAD_SECONDS = 3.0;

    private BenchCommand() {
    }

    public static int run(String[] args) {
        String profile = "quick";
        Path out = Path.of("bench-results");
        Path torch = null;
        boolean reportOnly = false;
        Integer forks = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "quick", "full", "smoke" -> profile = args[i];
                case "--out", "--torch" -> {
                    if (i + 1 >= args.length) {
                        System.err.println(args[i] + " needs a value\n" + USAGE);
                        return 2;
                    }
                    Path p = Path.of(args[++i]);
                    if (args[i - 1].equals("--out")) {
                        out = p;
                    } else {
                        torch = p;
                    }
                }
                case "--report-only" -> reportOnly = true;
                case "--forks" -> {
                    if (i + 1 >= args.length) {
                        System.err.println("--forks needs a value\n" + USAGE);
                        return 2;
                    }
                    try {
                        forks = Integer.parseInt(args[++i]);
                    } catch (NumberFormatException e) {
                        forks = -1;
                    }
                    if (forks < 1 || forks > 100) {
                        System.err.println("--forks must be a whole number from 1 to 100, but got '" + args[i] + "'\n" + USAGE);
                        return 2;
                    }
                }
                case "-h", "--help" -> {
                    System.out.println(USAGE);
                    return 0;
                }
                default -> {
                    System.err.println("unknown argument '" + args[i] + "'\n" + USAGE);
                    return 2;
                }
            }
        }
        Path json = out.resolve("jmh-" + profile + ".json");
        try {
            Files.createDirectories(out);
            if (!reportOnly) {
                runJmh(profile, json, forks);
                BenchEnvironment.stamp(json);
            }
            return report(json, torch, out, profile);
        } catch (IOException | RunnerException e) {
            System.err.println("bench: " + e.getMessage());
            return 2;
        }
    }

    private static void runJmh(String profile, Path json, Integer forksOverride) throws RunnerException {
        int quickForks = forksOverride != null ? forksOverride : QUICK_FORKS;
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("dev\\.vconv\\.bench\\.jmh\\.NetSuiteBench\\.")
                .include("dev\\.vconv\\.bench\\.jmh\\.GridBench\\.")
                .jvmArgsAppend(BenchDefaults.FORK_JVM_ARGS)
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString())
                .shouldFailOnError(false);
        if (!profile.equals("smoke")) {
            // gc.alloc.rate.norm per benchmark: the regression gate's allocation check reads it.
            options.addProfiler(GCProfiler.class);
        }
        if (profile.equals("quick")) {
            // The FMA peak of the kernel benchmarks, when it exists, so the table can state % of peak.
            options.include("dev\\.vconv\\.bench\\.kernel\\..*[Pp]eak.*")
                    .param("conv", QUICK_GRID.stream().map(Enum::name).toArray(String[]::new))
                    .forks(quickForks)
                    .warmupIterations(QUICK_WARMUP_ITERATIONS)
                    .warmupTime(TimeValue.milliseconds(QUICK_ITERATION_MILLIS))
                    .measurementIterations(QUICK_MEASUREMENT_ITERATIONS)
                    .measurementTime(TimeValue.milliseconds(QUICK_ITERATION_MILLIS));
            int benchmarks = NetLayer.values().length * 5 + QUICK_GRID.size() * 2;
            double seconds = benchmarks * quickForks * ((QUICK_WARMUP_ITERATIONS + QUICK_MEASUREMENT_ITERATIONS)
                    * QUICK_ITERATION_MILLIS / 1000.0 + FORK_OVERHEAD_SECONDS);
            System.out.printf(Locale.ROOT, "bench quick: %d benchmarks x %d forks, about %.0f minutes; JSON to %s%n",
                    benchmarks, quickForks, Math.ceil(seconds / 60), json);
        } else if (profile.equals("smoke")) {
            options.param("layer", SMOKE_LAYERS.stream().map(Enum::name).toArray(String[]::new))
                    .param("conv", SMOKE_GRID.stream().map(Enum::name).toArray(String[]::new))
                    .forks(1).warmupIterations(1).warmupTime(TimeValue.milliseconds(100))
                    .measurementIterations(1).measurementTime(TimeValue.milliseconds(100));
            System.out.println("bench smoke: " + (SMOKE_LAYERS.size() * 5 + SMOKE_GRID.size() * 2)
                    + " benchmarks, 1 fork, 100 ms iterations; JSON to " + json);
        } else {
            options.include("dev\\.vconv\\.bench\\.kernel\\.")
                    .include("dev\\.vconv\\.bench\\.jmh\\.StageBench\\.")
                    .include("dev\\.vconv\\.bench\\.jmh\\.TrainingBench\\.")
                    .include("dev\\.vconv\\.bench\\.jmh\\.NarrowDepthwiseBench\\.");
            if (forksOverride != null) {
                options.forks(forksOverride);
            }
            int benchmarks = NetLayer.values().length * 5 + ConvCase.values().length * 2;
            double seconds = benchmarks * BenchDefaults.FORKS * ((BenchDefaults.WARMUP_ITERATIONS * BenchDefaults.WARMUP_MILLIS
                    + BenchDefaults.MEASUREMENT_ITERATIONS * BenchDefaults.MEASUREMENT_MILLIS) / 1000.0 + FORK_OVERHEAD_SECONDS);
            System.out.printf(Locale.ROOT, "bench full: %d suite and grid benchmarks x %d forks (plus the kernel, stage,"
                    + " training and narrow depthwise benchmarks), about %.0f minutes; JSON to %s%n", benchmarks, BenchDefaults.FORKS, Math.ceil(seconds / 60), json);
        }
        new Runner(options.build()).run();
    }

    private static int report(Path json, Path torch, Path out, String profile) throws IOException {
        if (!Files.isRegularFile(json)) {
            System.err.println("bench: no JMH results at " + json);
            return 2;
        }
        List<JmhResult> results;
        try {
            results = JmhResultReader.read(json);
        } catch (ResultFileException e) {
            System.err.println("bench: " + e.getMessage());
            return 2;
        }
        List<TorchJson.Entry> torchResults = torch == null ? List.of() : TorchJson.read(torch);
        BenchReport report = BenchReport.of(results, torchResults);
        String markdown = MarkdownReport.render(report);
        System.out.println();
        System.out.println(markdown);
        Files.writeString(out.resolve("report.md"), markdown);
        String environment = environment(profile, json, torch);
        Files.writeString(out.resolve("report.html"), HtmlReport.render(report, "vconv benchmarks", environment));
        System.out.println("wrote " + json + ", " + out.resolve("report.md") + " and " + out.resolve("report.html"));
        List<String> missing = new ArrayList<>();
        if (report.suiteSeries().stream().noneMatch(s -> s.path().equals("simd"))) {
            missing.add("simd");
        }
        if (report.suiteSeries().stream().noneMatch(s -> s.path().equals("onnxruntime"))) {
            missing.add("onnxruntime");
        }
        if (!missing.isEmpty()) {
            System.out.println("note: no suite results for " + String.join(", ", missing)
                    + " (see the JMH output above for the failed @Setup)");
        }
        return 0;
    }

    private static String environment(String profile, Path json, Path torch) {
        return "Profile " + profile + ", JMH results " + json.getFileName() + (torch == null ? "" : ", PyTorch results "
                + torch.getFileName()) + "; JDK " + System.getProperty("java.version") + ", " + System.getProperty("os.arch")
                + ", " + Runtime.getRuntime().availableProcessors() + " CPUs (of the reporting JVM).";
    }
}
