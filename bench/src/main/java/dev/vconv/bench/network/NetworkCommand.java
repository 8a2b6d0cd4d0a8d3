package dev.vconv.bench.network;

import dev.vconv.bench.ort.OrtNetwork;
import dev.vconv.core.Tensor;
import dev.vconv.core.net.Network;
import dev.vconv.core.net.NetworkPlan;
import dev.vconv.simd.SimdConv2d;
import dev.vconv.simd.SimdEngines;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * {@code network --model resnet50|mobilenetv2 --batch N --threads T}: a whole network in vconv against the same
 * network, with the same weights, as one ONNX graph in ONNX Runtime.
 *
 * <ol>
 * <li>Correctness first: both run the same seeded batch, and their logits must agree within 1e-3 of the largest
 * logit, or the command stops (exit 1) before timing anything.</li>
 * <li>Steady state, in this JVM: a warm-up of single calls, alternating, until each has run {@code --warmup}
 * seconds (and at least 5 calls); then rounds of a block of vconv calls and a block of ONNX Runtime calls (each
 * block about 0.25 s, at least one call, and a pause of 0.1 s after each block), each call timed, until each has
 * run {@code --seconds}. The median call of each is the figure. Blocks and pauses rather than single calls: ONNX
 * Runtime's worker threads spin for tens of milliseconds after a run, and without the pause they took a CPU from
 * the first vconv call after them (ResNet-50, batch 1, 2 threads: 66.9 ms against 47-48 for the block's next
 * calls, while ONNX Runtime's first call was as fast as its others). The command prints the first call of a
 * block against the others, for both, so that such an effect shows.</li>
 * <li>Optionally ({@code --profile}) the time of each of vconv's steps, layer by layer and by kind.</li>
 * <li>The first result in a fresh JVM ({@code --cold-runs} processes each, alternating, the median): vconv's plan
 * building and first forward against ONNX Runtime's environment and session creation and first run
 * ({@link FirstResult}).</li>
 * </ol>
 * The last line is {@code vconv/ORT = X.XX}: ONNX Runtime's median over vconv's, above 1 when vconv is faster.
 */
public final class NetworkCommand {

    public static final String USAGE = """
              network --model resnet50|mobilenetv2 --batch N --threads T [--seconds S] [--warmup S]
                      [--cold-runs R] [--profile] [--jvm-arg ARG]...
                  a whole network in vconv and in ONNX Runtime (same weights): logits checked, median ms per
                  batch measured alternately, first result in fresh JVMs; last line vconv/ORT = X.XX
            """;

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    /** How long one block of calls of one runtime lasts in the measured rounds. */
    private static final double BLOCK_SECONDS = 0.25;

    /** The pause after each block of calls, in which the other runtime's threads stop spinning. */
    private static final long SETTLE_MILLIS = 100;

    private NetworkCommand() {
    }

    /** Options of the command. */
    record Options(NetworkModel model, int batch, int threads, double seconds, double warmup, int coldRuns, boolean profile,
                   List<String> jvmArgs, String runtime, int calls) {
    }

    /** Runs {@code network}; returns the exit code. */
    public static int network(List<String> args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = parse(args, false);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        try {
            return run(o, out, err);
        } catch (Exception e) {
            err.println("network: " + e);
            return EXIT_FAILED;
        }
    }

    /** Runs {@code network-first}, the child process of the first-result figure. */
    public static int first(List<String> args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = parse(args, true);
        } catch (IllegalArgumentException e) {
            return usage(err, e.getMessage());
        }
        try {
            FirstResult.run(o.model, o.batch, o.threads, o.runtime, o.calls, out);
            return EXIT_OK;
        } catch (Exception e) {
            err.println("network-first: " + e);
            return EXIT_FAILED;
        }
    }

    static Options parse(List<String> args, boolean child) {
        NetworkModel model = null;
        int batch = 0;
        int threads = 0;
        double seconds = 10;
        double warmup = 5;
        int coldRuns = 3;
        boolean profile = false;
        List<String> jvmArgs = new ArrayList<>();
        String runtime = null;
        int calls = 1;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--profile") && !child) {
                profile = true;
                continue;
            }
            if (i + 1 == args.size()) {
                throw new IllegalArgumentException(arg.startsWith("--") ? arg + " needs a value" : "unexpected argument '" + arg + "'");
            }
            String value = args.get(++i);
            switch (arg) {
                case "--model" -> model = NetworkModel.of(value);
                case "--batch" -> batch = positive(arg, value);
                case "--threads" -> threads = positive(arg, value);
                case "--seconds" -> seconds = positiveSeconds(arg, value);
                case "--warmup" -> warmup = positiveSeconds(arg, value);
                case "--cold-runs" -> coldRuns = nonNegative(arg, value);
                case "--jvm-arg" -> jvmArgs.add(value);
                case "--runtime" -> runtime = value;
                case "--calls" -> calls = positive(arg, value);
                default -> throw new IllegalArgumentException("unknown option '" + arg + "' for network");
            }
        }
        if (model == null || batch == 0 || threads == 0) {
            throw new IllegalArgumentException("network needs --model resnet50|mobilenetv2, --batch N and --threads T");
        }
        if (child != (runtime != null)) {
            throw new IllegalArgumentException(child ? "network-first needs --runtime vconv|ort" : "unknown option '--runtime' for network");
        }
        return new Options(model, batch, threads, seconds, warmup, coldRuns, profile, List.copyOf(jvmArgs), runtime, calls);
    }

    private static int run(Options o, PrintStream out, PrintStream err) throws Exception {
        Network network = o.model.network();
        Tensor input = NetworkModel.input(o.batch);
        SimdConv2d engine = SimdEngines.simd().withThreads(o.threads);
        NetworkPlan plan = network.plan(engine, input.shape());
        Tensor logits = Tensor.zeros(plan.outputShape());
        long gflop = plan.steps().stream().mapToLong(NetworkPlan.StepInfo::flops).sum();
        out.printf(Locale.ROOT, "network %s, batch %d, %d thread%s: input %s, %.2f GFLOP per batch, %d parameters%n",
                o.model, o.batch, o.threads, o.threads == 1 ? "" : "s", input.shape(), gflop / 1e9, network.parameterCount());
        out.printf(Locale.ROOT, "vconv: %s, %d steps, %d MiB of activations; ONNX Runtime %s: intra-op threads %d, sequential, all optimizations%n",
                engine.name(), plan.steps().size(), plan.activationBytes() >> 20, ortVersion(), o.threads);
        try (OrtNetwork ort = OrtNetwork.create(network, input, o.threads)) {
            plan.forward(input, logits);
            ort.run();
            float[] theirs = ort.outputValues();
            double diff = NetworkModel.relativeDifference(theirs, logits.data());
            double largest = 0;
            for (float t : theirs) {
                largest = Math.max(largest, Math.abs(t));
            }
            out.printf(Locale.ROOT, "logits: vconv and ONNX Runtime differ by at most %.2e of the largest logit (%.3f); tolerance %.0e%n",
                    diff, largest, NetworkModel.TOLERANCE);
            if (!(diff <= NetworkModel.TOLERANCE)) {
                err.println("network: vconv's logits disagree with ONNX Runtime's; nothing is timed");
                return EXIT_FAILED;
            }
            Runnable vconv = () -> plan.forward(input, logits);
            Runnable onnx = () -> {
                try {
                    ort.run();
                } catch (ai.onnxruntime.OrtException e) {
                    throw new IllegalStateException(e);
                }
            };
            Alternation alt = alternate(vconv, onnx, o.warmup, o.seconds);
            double v = median(alt.a());
            double r = median(alt.b());
            out.printf(Locale.ROOT, "steady state, this JVM (%.0f s warm-up, then alternating blocks of %d calls, %d ms apart; median of %d and %d calls):%n",
                    o.warmup, alt.block(), SETTLE_MILLIS, alt.a().length, alt.b().length);
            out.printf(Locale.ROOT, "  vconv %9.2f ms per batch  (p10 %.2f, p90 %.2f; %.1f GFLOP/s)%n", v, percentile(alt.a(), 10),
                    percentile(alt.a(), 90), gflop / v / 1e6);
            out.printf(Locale.ROOT, "  ORT   %9.2f ms per batch  (p10 %.2f, p90 %.2f; %.1f GFLOP/s)%n", r, percentile(alt.b(), 10),
                    percentile(alt.b(), 90), gflop / r / 1e6);
            if (alt.block() > 1) {
                out.printf(Locale.ROOT, "  first call of a block against the block's others (medians): vconv %.2f / %.2f ms, ORT %.2f / %.2f ms%n",
                        median(alt.firstOfBlock(alt.a())), median(alt.restOfBlock(alt.a())),
                        median(alt.firstOfBlock(alt.b())), median(alt.restOfBlock(alt.b())));
            }
            if (o.profile) {
                Profile.print(plan, input, logits, Math.max(2, o.seconds / 2), out);
            }
            if (o.coldRuns > 0) {
                coldStart(o, out);
            }
            out.printf(Locale.ROOT, "vconv/ORT = %.2f%n", r / v);
            return EXIT_OK;
        }
    }

    /**
     * The measured calls' times in milliseconds, of {@code a} and of {@code b}, in the order they ran, in blocks of
     * {@code block} calls.
     */
    record Alternation(double[] a, double[] b, int block) {

        /** The times of the calls that began a block. */
        double[] firstOfBlock(double[] times) {
            return IntStream.range(0, times.length).filter(i -> i % block == 0).mapToDouble(i -> times[i]).toArray();
        }

        /** The times of the other calls. */
        double[] restOfBlock(double[] times) {
            return IntStream.range(0, times.length).filter(i -> i % block != 0).mapToDouble(i -> times[i]).toArray();
        }
    }

    /**
     * Warm-up of single calls, alternating, then blocks of calls, alternating, each block followed by a pause of
     * {@link #SETTLE_MILLIS}.
     */
    static Alternation alternate(Runnable a, Runnable b, double warmupSeconds, double seconds) {
        long warmupNanos = (long) (warmupSeconds * 1e9);
        long spentA = 0;
        long spentB = 0;
        int calls = 0;
        while (spentA < warmupNanos || spentB < warmupNanos || calls < 5) {
            spentA += time(a);
            spentB += time(b);
            calls++;
        }
        // Calls per block: about BLOCK_SECONDS of the slower runtime's warm call, at least one.
        double perCall = Math.max(spentA, spentB) / (double) calls;
        int block = (int) Math.max(1, Math.min(1000, BLOCK_SECONDS * 1e9 / perCall));
        List<Double> ta = new ArrayList<>();
        List<Double> tb = new ArrayList<>();
        long measureNanos = (long) (seconds * 1e9);
        spentA = 0;
        spentB = 0;
        while (spentA < measureNanos || spentB < measureNanos || ta.size() < 10) {
            for (int i = 0; i < block; i++) {
                long t = time(a);
                spentA += t;
                ta.add(t / 1e6);
            }
            settle();
            for (int i = 0; i < block; i++) {
                long t = time(b);
                spentB += t;
                tb.add(t / 1e6);
            }
            settle();
        }
        return new Alternation(ta.stream().mapToDouble(Double::doubleValue).toArray(),
                tb.stream().mapToDouble(Double::doubleValue).toArray(), block);
    }

    private static void settle() {
        try {
            Thread.sleep(SETTLE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted between blocks of calls", e);
        }
    }

    private static long time(Runnable r) {
        long t0 = System.nanoTime();
        r.run();
        return System.nanoTime() - t0;
    }

    /** The first result in fresh JVMs: {@code coldRuns} processes of each runtime, alternating; medians. */
    private static void coldStart(Options o, PrintStream out) throws IOException, InterruptedException {
        Map<String, List<Map<String, String>>> runs = new LinkedHashMap<>();
        runs.put("vconv", new ArrayList<>());
        runs.put("ort", new ArrayList<>());
        for (int i = 0; i < o.coldRuns; i++) {
            for (String runtime : runs.keySet()) {
                runs.get(runtime).add(child(o, runtime, 1));
            }
        }
        out.printf(Locale.ROOT, "first result in a fresh JVM (median of %d processes each%s):%n", o.coldRuns,
                o.jvmArgs.isEmpty() ? "" : ", JVM options " + String.join(" ", o.jvmArgs));
        double[] first = new double[2];
        int k = 0;
        for (var e : runs.entrySet()) {
            boolean vconv = e.getKey().equals("vconv");
            double total = medianOf(e.getValue(), "first-result-ms");
            first[k++] = total;
            out.printf(Locale.ROOT, "  %-5s %7.0f ms  (%s %.0f + first %s %.0f; %.0f ms after the JVM started)%n",
                    vconv ? "vconv" : "ORT", total, vconv ? "plan" : "session", medianOf(e.getValue(), "setup-ms"),
                    vconv ? "forward" : "run", medianOf(e.getValue(), "first-call-ms"), medianOf(e.getValue(), "since-jvm-start-ms"));
        }
        out.printf(Locale.ROOT, "  first result ORT/vconv = %.2f%n", first[1] / first[0]);
    }

    /** Runs {@code network-first} in a fresh JVM and returns its {@code key value} lines. */
    static Map<String, String> child(Options o, String runtime, int calls) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.addAll(o.jvmArgs);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("dev.vconv.bench.Main");
        command.addAll(List.of("network-first", "--model", o.model.name(), "--batch", String.valueOf(o.batch), "--threads",
                String.valueOf(o.threads), "--runtime", runtime, "--calls", String.valueOf(calls)));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        Map<String, String> values = new HashMap<>();
        StringBuilder all = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                all.append(line).append('\n');
                int sp = line.indexOf(' ');
                if (sp > 0) {
                    values.merge(line.substring(0, sp), line.substring(sp + 1), (x, y) -> x + "\n" + y);
                }
            }
        }
        int code = p.waitFor();
        if (code != 0 || !values.containsKey("first-result-ms")) {
            throw new IOException("the fresh JVM for " + runtime + " failed (exit " + code + "): " + all);
        }
        return values;
    }

    private static double medianOf(List<Map<String, String>> runs, String key) {
        return median(runs.stream().mapToDouble(m -> Double.parseDouble(m.get(key))).toArray());
    }

    static double median(double[] values) {
        return percentile(values, 50);
    }

    /** The {@code p}-th percentile by the nearest rank below (the median of an even count is the mean of the middle two). */
    static double percentile(double[] values, int p) {
        double[] s = values.clone();
        Arrays.sort(s);
        if (p == 50 && s.length % 2 == 0) {
            return (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
        }
        return s[Math.min(s.length - 1, (int) ((long) p * s.length / 100))];
    }

    private static String ortVersion() {
        try {
            return ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion();
        } catch (RuntimeException | LinkageError e) {
            return "(version unknown)";
        }
    }

    private static int positive(String name, String value) {
        int v = nonNegative(name, value);
        if (v == 0) {
            throw new IllegalArgumentException(name + " must be at least 1, but got " + value);
        }
        return v;
    }

    private static int nonNegative(String name, String value) {
        try {
            int v = Integer.parseInt(value);
            if (v < 0) {
                throw new IllegalArgumentException(name + " must not be negative, but got " + value);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, but got '" + value + "'");
        }
    }

    private static double positiveSeconds(String name, String value) {
        try {
            double v = Double.parseDouble(value);
            if (!(v > 0) || Double.isInfinite(v)) {
                throw new IllegalArgumentException(name + " must be a positive number of seconds, but got " + value);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number of seconds, but got '" + value + "'");
        }
    }

    private static int usage(PrintStream err, String problem) {
        err.println(problem);
        err.println();
        err.print("usage: dev.vconv.bench.Main " + USAGE);
        return EXIT_USAGE;
    }
}
