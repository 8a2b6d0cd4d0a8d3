package dev.vconv.bench.jmh;

import dev.vconv.bench.progress.BenchmarkPlan;
import dev.vconv.bench.progress.Progress;
import dev.vconv.bench.progress.ProgressLog;
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
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * {@code bench [quick|full|smoke] [--out DIR] [--torch FILE] [--report-only]}: runs the JMH benchmarks and writes
 * the report.
 *
 * <ul>
 *   <li>{@code quick} (the default): the whole network suite on every path and thread count, ResNet-50 and
 *   MobileNetV2 whole at batch 1 in vconv and ONNX Runtime ({@code NetworkBench}), a slice of the
 *   grid and the kernel FMA peak, with short iterations, sized to finish in well under 10 minutes on 2 cores
 *   (see {@link #QUICK_GRID}).</li>
 *   <li>{@code smoke}: three suite layers and two grid cases, one fork, one 100 ms iteration: proves in
 *   about half a minute that every path sets up, passes its check and reports; its numbers mean little.</li>
 *   <li>{@code full}: every benchmark of {@code dev.vconv.bench.jmh} and {@code dev.vconv.bench.kernel} with the
 *   settings of {@link BenchDefaults} (an hour and more).</li>
 * </ul>
 * It writes {@code DIR/jmh-<profile>.json} (JMH's JSON), JMH's own output to {@code DIR/jmh.log},
 * {@code DIR/report.md} and {@code DIR/report.html}. On the console it prints what a reader follows: a line
 * saying what will run, a progress line per benchmark ({@link Progress}), the report's tables and where the
 * files are: at most {@link #CONSOLE_LINE_BUDGET} lines for {@code smoke} and {@code quick}, checked by a test.
 * {@code --torch FILE} joins {@code bench/scripts/torch_suite.py}'s results; {@code --report-only} skips the
 * run and reports an existing {@code DIR/jmh-<profile>.json}.
 */
public final class BenchCommand {

    static final String USAGE = "usage: bench [quick|full|smoke] [--forks N] [--out DIR] [--torch FILE] [--report-only]";

    /** JMH's output, beside the JSON. */
    static final String LOG_FILE = "jmh.log";

    /** The most lines {@code bench smoke} and {@code bench quick} may print, all told (issue 23). */
    static final int CONSOLE_LINE_BUDGET = 120;

    /** The grid cases of the quick profile: the common shapes and one of each awkward parameter. */
    static final List<ConvCase> QUICK_GRID = List.of(ConvCase.S1_D1_G1_K3, ConvCase.S2_D1_G1_K3,
            ConvCase.S1_D2_G1_K3, ConvCase.S1_D1_G4_K3, ConvCase.S1_D1_DW_K3, ConvCase.S2_D1_DW_K3,
            ConvCase.S3_D3_G2_K3, ConvCase.S1_D1_G1_K1);

    /**
     * The quick profile's timing. 90 suite benchmarks (18 layers: scalar at 1 thread, simd and ONNX Runtime
     * at 1 and 2), 16 grid ones and 2 FMA peaks, one fork each by default: 108 forks x (5 + 3) x 200 ms = 2.9 min
     * of iterations, plus ~3 s per fork of JVM start-up, warm-up of the first calls, setup and the reference check,
     * plus the slow scalar layers, whose iterations last at least one call (batch8 scalar: ~0.5 s a call): about
     * 7 minutes. Five warm-up iterations (a second): Vector API code runs boxed, 10-100x slower, until C2 has
     * compiled the kernels (C1 gives up on the micro-kernel: too many live vectors), and with three a small grid
     * layer was measured mid-warm-up at a tenth of its speed; 200 ms iterations hold 100+ calls of most layers.
     * {@code --forks 2} or more shows fork-to-fork variance, and the regression gate's t-test needs 3. The 8 whole
     * network forks ({@code NetworkBench}) take longer each: building the network, ONNX Runtime's session, the
     * logits check and {@code NetworkPlan.warmUp} add 5-15 s a fork, about a minute in all.
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
     * (measured: {@code bench quick --forks 2} ran its 212 forks in 11.5 minutes and, at 219c6f3, its 216 in 9.1
     * (JMH's "Total time"): 1.7 and 0.9 s per fork beyond the 1.6 s of iterations).
     */
    private static final double FORK_OVERHEAD_SECONDS = 1.5;

    private BenchCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        String profile = "quick";
        Path dir = Path.of("bench-results");
        Path torch = null;
        boolean reportOnly = false;
        Integer forks = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "quick", "full", "smoke" -> profile = args[i];
                case "--out", "--torch" -> {
                    if (i + 1 >= args.length) {
                        err.println(args[i] + " needs a value\n" + USAGE);
                        return 2;
                    }
                    Path p = Path.of(args[++i]);
                    if (args[i - 1].equals("--out")) {
                        dir = p;
                    } else {
                        torch = p;
                    }
                }
                case "--report-only" -> reportOnly = true;
                case "--forks" -> {
                    if (i + 1 >= args.length) {
                        err.println("--forks needs a value\n" + USAGE);
                        return 2;
                    }
                    try {
                        forks = Integer.parseInt(args[++i]);
                    } catch (NumberFormatException e) {
                        forks = -1;
                    }
                    if (forks < 1 || forks > 100) {
                        err.println("--forks must be a whole number from 1 to 100, but got '" + args[i] + "'\n" + USAGE);
                        return 2;
                    }
                }
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> {
                    err.println("unknown argument '" + args[i] + "'\n" + USAGE);
                    return 2;
                }
            }
        }
        Path json = dir.resolve("jmh-" + profile + ".json");
        Path log = dir.resolve(LOG_FILE);
        try {
            Files.createDirectories(dir);
            if (!reportOnly) {
                Options options = options(profile, forks, json);
                BenchmarkPlan plan = BenchmarkPlan.of(options);
                out.println(header(profile, options, plan, json, log));
                runJmh(options, plan, log, out);
                BenchEnvironment.stamp(json);
            }
            return report(json, torch, dir, profile, log, out, err);
        } catch (IOException | RunnerException e) {
            err.println("bench: " + e.getMessage() + (reportOnly ? "" : " (JMH's log: " + log + ")"));
            return 2;
        }
    }

    /** The JMH options of a profile: what is measured. */
    static Options options(String profile, Integer forksOverride, Path json) {
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
        switch (profile) {
            case "quick" -> options
                    // Whole networks at batch 1 (NetworkBench's defaults: both models, 1 and 2 threads).
                    .include("dev\\.vconv\\.bench\\.jmh\\.NetworkBench\\.")
                    // The FMA peak of the kernel benchmarks, when it exists, so the table can state % of peak.
                    .include("dev\\.vconv\\.bench\\.kernel\\..*[Pp]eak.*")
                    .param("conv", QUICK_GRID.stream().map(Enum::name).toArray(String[]::new))
                    .forks(forksOverride != null ? forksOverride : QUICK_FORKS)
                    .warmupIterations(QUICK_WARMUP_ITERATIONS)
                    .warmupTime(TimeValue.milliseconds(QUICK_ITERATION_MILLIS))
                    .measurementIterations(QUICK_MEASUREMENT_ITERATIONS)
                    .measurementTime(TimeValue.milliseconds(QUICK_ITERATION_MILLIS));
            case "smoke" -> options
                    .param("layer", SMOKE_LAYERS.stream().map(Enum::name).toArray(String[]::new))
                    .param("conv", SMOKE_GRID.stream().map(Enum::name).toArray(String[]::new))
                    .forks(1).warmupIterations(1).warmupTime(TimeValue.milliseconds(100))
                    .measurementIterations(1).measurementTime(TimeValue.milliseconds(100));
            case "full" -> {
                options.include("dev\\.vconv\\.bench\\.kernel\\.")
                        .include("dev\\.vconv\\.bench\\.jmh\\.StageBench\\.")
                        .include("dev\\.vconv\\.bench\\.jmh\\.TrainingBench\\.")
                        .include("dev\\.vconv\\.bench\\.jmh\\.NarrowDepthwiseBench\\.")
                        .include("dev\\.vconv\\.bench\\.jmh\\.EpilogueBench\\.")
                        .include("dev\\.vconv\\.bench\\.jmh\\.NetworkBench\\.");
                if (forksOverride != null) {
                    options.forks(forksOverride);
                }
            }
            default -> throw new IllegalArgumentException("profile must be quick, full or smoke, but got '" + profile + "'");
        }
        return options.build();
    }

    /**
     * The first line: the profile's size and an estimate of its time (for {@code full} a lower bound: the kernel,
     * stage and training benchmarks have longer settings of their own), and where JMH's log goes.
     */
    static String header(String profile, Options options, BenchmarkPlan plan, Path json, Path log) {
        int forks = options.getForkCount().orElse(BenchDefaults.FORKS);
        double warmup = options.getWarmupIterations().orElse(BenchDefaults.WARMUP_ITERATIONS)
                * options.getWarmupTime().orElse(TimeValue.milliseconds(BenchDefaults.WARMUP_MILLIS)).convertTo(TimeUnit.MILLISECONDS);
        double measurement = options.getMeasurementIterations().orElse(BenchDefaults.MEASUREMENT_ITERATIONS)
                * options.getMeasurementTime().orElse(TimeValue.milliseconds(BenchDefaults.MEASUREMENT_MILLIS)).convertTo(TimeUnit.MILLISECONDS);
        double seconds = plan.size() * forks * ((warmup + measurement) / 1000 + FORK_OVERHEAD_SECONDS);
        long minutes = Math.max(1, (long) Math.ceil(seconds / 60));
        return String.format(Locale.ROOT, "bench %s: %d benchmarks x %d fork%s, about %s%d minute%s; JSON to %s, JMH's log to %s",
                profile, plan.size(), forks, forks == 1 ? "" : "s", profile.equals("full") ? "(at least) " : "",
                minutes, minutes == 1 ? "" : "s", json, log);
    }

    /** Runs JMH with its output in {@code log} and a progress line per benchmark on {@code console}. */
    private static void runJmh(Options options, BenchmarkPlan plan, Path log, PrintStream console)
            throws IOException, RunnerException {
        Progress progress = new Progress(console, plan.size(), System::nanoTime);
        try (PrintStream logStream = new PrintStream(Files.newOutputStream(log), true, StandardCharsets.UTF_8)) {
            OutputFormat text = OutputFormatFactory.createFormatInstance(logStream, VerboseMode.NORMAL);
            new Runner(options, new ProgressLog(text, progress)).run();
        }
    }

    private static int report(Path json, Path torch, Path dir, String profile, Path log, PrintStream out,
                              PrintStream err) throws IOException {
        if (!Files.isRegularFile(json)) {
            err.println("bench: no JMH results at " + json);
            return 2;
        }
        List<JmhResult> results;
        try {
            results = JmhResultReader.read(json);
        } catch (ResultFileException e) {
            err.println("bench: " + e.getMessage());
            return 2;
        }
        List<TorchJson.Entry> torchResults = torch == null ? List.of() : TorchJson.read(torch);
        BenchReport report = BenchReport.of(results, torchResults);
        String markdown = MarkdownReport.render(report);
        Files.writeString(dir.resolve("report.md"), markdown);
        Files.writeString(dir.resolve("report.html"), HtmlReport.render(report, "vconv benchmarks",
                environment(profile, json, torch)));
        printSummary(report, markdown, json, dir, log, out);
        return 0;
    }

    /**
     * The console's end of a run: the report's tables (without the blank lines Markdown needs), where the
     * files are, and which paths gave no suite results.
     */
    static void printSummary(BenchReport report, String markdown, Path json, Path dir, Path log, PrintStream out) {
        out.println();
        markdown.lines().filter(line -> !line.isBlank()).forEach(out::println);
        out.println("wrote " + json + ", " + dir.resolve("report.md") + " and " + dir.resolve("report.html"));
        List<String> missing = new ArrayList<>();
        for (String path : List.of("simd", "onnxruntime")) {
            if (report.suiteSeries().stream().noneMatch(s -> s.path().equals(path))) {
                missing.add(path);
            }
        }
        if (!missing.isEmpty()) {
            out.println("note: no suite results for " + String.join(", ", missing) + " (the failed @Setup is in " + log + ")");
        }
    }

    private static String environment(String profile, Path json, Path torch) {
        return "Profile " + profile + ", JMH results " + json.getFileName() + (torch == null ? "" : ", PyTorch results "
                + torch.getFileName()) + "; JDK " + System.getProperty("java.version") + ", " + System.getProperty("os.arch")
                + ", " + Runtime.getRuntime().availableProcessors() + " CPUs (of the reporting JVM).";
    }
}
