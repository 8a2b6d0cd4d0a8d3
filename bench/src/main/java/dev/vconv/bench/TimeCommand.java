package dev.vconv.bench;

import dev.vconv.bench.jmh.NetLayer;
import dev.vconv.core.Conv2dPlan;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import dev.vconv.simd.ConvPlan;
import dev.vconv.simd.SimdEngines;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code time LAYER [--threads N] [--bits B] [--seconds S] [--warmup S]}: the hand-run loop that the figures
 * marked so in {@code docs/} come from. One plan of the SIMD engine is called for {@code warmup} seconds, then
 * each call is timed for {@code seconds}; it prints the path the planner took, the 10th, 50th and 90th
 * percentile speeds (p10 is the fast end), the median call and the bytes the calling thread allocated per call
 * over 100 more calls. Quicker to run and to compare between builds than JMH, and noisier: compare interleaved
 * runs, and quote medians.
 *
 * <p>{@code LAYER} is a suite layer ({@link NetLayer}, e.g. {@code resnet_3x3_64x56}) or a layer written as
 * {@code key=value} pairs joined by commas: {@code cin}, {@code h}, {@code w} (default {@code h}), {@code cout},
 * {@code k} (or {@code kh} and {@code kw}), and optionally {@code n} (1), {@code stride} (or {@code sh},
 * {@code sw}; 1), {@code pad} (0 on every side; or {@code top}, {@code bottom}, {@code left}, {@code right}),
 * {@code dilation} (1), {@code groups} (1) and {@code bias} (false); e.g.
 * {@code cin=288,h=35,cout=384,k=3,stride=2}.
 */
final class TimeCommand {

    static final String USAGE = """
              time LAYER [--threads N] [--bits 512|256|128] [--seconds S] [--warmup S]
                  time one plan of the simd engine in a loop (p10 / p50 / p90 GFLOP/s); LAYER is a suite
                  layer or cin=..,h=..,cout=..,k=..[,w=..,n=..,stride=..,pad=..,dilation=..,groups=..,bias=true]
            """;

    private static final Set<String> KEYS = Set.of("cin", "h", "w", "cout", "k", "kh", "kw", "n", "stride", "sh", "sw",
            "pad", "top", "bottom", "left", "right", "dilation", "groups", "bias");

    private TimeCommand() {
    }

    static int time(List<String> args, PrintStream out, PrintStream err) {
        String layer = null;
        int threads = 1;
        int bits = 0;
        double seconds = 3;
        double warmup = 1.5;
        try {
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                if (arg.startsWith("--")) {
                    if (i + 1 == args.size()) {
                        return Main.usageError(err, arg + " needs a value");
                    }
                    String value = args.get(++i);
                    switch (arg) {
                        case "--threads" -> threads = positiveInt("--threads", value);
                        case "--bits" -> bits = positiveInt("--bits", value);
                        case "--seconds" -> seconds = positiveSeconds("--seconds", value);
                        case "--warmup" -> warmup = positiveSeconds("--warmup", value);
                        default -> {
                            return Main.usageError(err, "unknown option '" + arg + "' for time");
                        }
                    }
                } else if (layer == null) {
                    layer = arg;
                } else {
                    return Main.usageError(err, "time takes one layer, got '" + layer + "' and '" + arg + "'");
                }
            }
            if (layer == null) {
                return Main.usageError(err, "time needs a layer: a suite layer name or cin=..,h=..,cout=..,k=..");
            }
            Layer l = parse(layer);
            var engine = (bits == 0 ? SimdEngines.simd() : SimdEngines.simd(bits)).withThreads(threads);
            Tensor x = Tensor.random(1, l.shape().dims());
            ConvSpec spec = l.spec();
            Tensor weight = Tensor.random(2, spec.outChannels(), spec.inChannelsPerGroup(), spec.kernelH(), spec.kernelW());
            Tensor bias = spec.hasBias() ? Tensor.random(3, spec.outChannels()) : null;
            ConvPlan plan = engine.plan(spec, l.shape(), weight, bias);
            Tensor y = Tensor.zeros(spec.outputShape(l.shape()));
            long[] calls = loop(plan, x, y, warmup, seconds);
            long bytes = allocatedPerCall(plan, x, y);
            double flops = spec.flops(l.shape());
            out.printf(Locale.ROOT, "%s on %s, simd-%d, %d thread%s: %s%n", spec, l.shape(), engine.vectorBits(),
                    plan.threads(), plan.threads() == 1 ? "" : "s", plan.path());
            out.printf(Locale.ROOT, "p10 %.1f  p50 %.1f  p90 %.1f GFLOP/s  (p50 %.3f ms, %d calls)  allocated %d B/call%n",
                    flops / calls[calls.length / 10], flops / calls[calls.length / 2], flops / calls[calls.length * 9 / 10],
                    calls[calls.length / 2] / 1e6, calls.length, bytes);
            return Main.EXIT_OK;
        } catch (IllegalArgumentException | IllegalStateException e) {
            return Main.usageError(err, e.getMessage());
        }
    }

    /** The layer to time: a spec and an input shape. */
    record Layer(ConvSpec spec, Shape shape) {
    }

    /** A suite layer's name, or {@code key=value} pairs (see the class comment). */
    static Layer parse(String text) {
        if (!text.contains("=")) {
            NetLayer layer;
            try {
                layer = NetLayer.valueOf(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layer '" + text + "' is neither a suite layer ("
                        + Arrays.toString(NetLayer.values()) + ") nor key=value pairs");
            }
            return new Layer(layer.spec(), layer.inputShape());
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq).trim();
            if (eq < 0 || !KEYS.contains(key)) {
                throw new IllegalArgumentException("layer: '" + pair + "' is not one of " + new java.util.TreeSet<>(KEYS)
                        + " as key=value");
            }
            if (values.put(key, pair.substring(eq + 1).trim()) != null) {
                throw new IllegalArgumentException("layer: " + key + " is given twice");
            }
        }
        for (String required : List.of("cin", "h", "cout")) {
            if (!values.containsKey(required)) {
                throw new IllegalArgumentException("layer: " + required + " is required (cin, h, cout and k)");
            }
        }
        if (!values.containsKey("k") && !(values.containsKey("kh") && values.containsKey("kw"))) {
            throw new IllegalArgumentException("layer: k (or kh and kw) is required");
        }
        int k = values.containsKey("k") ? intValue(values, "k", 0) : 0;
        int stride = intValue(values, "stride", 1);
        int pad = intValue(values, "pad", 0);
        ConvSpec.Builder builder = ConvSpec.builder(intValue(values, "cin", 0), intValue(values, "cout", 0),
                        intValue(values, "kh", k), intValue(values, "kw", k))
                .stride(intValue(values, "sh", stride), intValue(values, "sw", stride))
                .padding(intValue(values, "top", pad), intValue(values, "bottom", pad), intValue(values, "left", pad),
                        intValue(values, "right", pad))
                .dilation(intValue(values, "dilation", 1))
                .groups(intValue(values, "groups", 1))
                .bias(booleanValue(values, "bias"));
        ConvSpec spec = builder.build();
        int h = intValue(values, "h", 0);
        Shape shape = Shape.of(intValue(values, "n", 1), spec.inChannels(), h, intValue(values, "w", h));
        spec.outputShape(shape);                           // checks the input against the spec, with its message
        return new Layer(spec, shape);
    }

    private static int intValue(Map<String, String> values, String key, int otherwise) {
        String value = values.get(key);
        if (value == null) {
            return otherwise;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("layer: " + key + "=" + value + " is not an integer");
        }
    }

    private static boolean booleanValue(Map<String, String> values, String key) {
        String value = values.getOrDefault(key, "false");
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("layer: " + key + "=" + value + " must be true or false");
        }
        return Boolean.parseBoolean(value);
    }

    private static int positiveInt(String option, String value) {
        try {
            int n = Integer.parseInt(value);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " " + value + ": must be a positive integer");
    }

    private static double positiveSeconds(String option, String value) {
        try {
            double s = Double.parseDouble(value);
            if (s > 0 && s <= 3600) {
                return s;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " " + value + ": must be seconds in (0, 3600]");
    }

    /** Calls for {@code warmup} seconds, then times each call for {@code seconds}; the times sorted, in ns. */
    private static long[] loop(Conv2dPlan plan, Tensor x, Tensor y, double warmup, double seconds) {
        long end = System.nanoTime() + (long) (warmup * 1e9);
        while (System.nanoTime() < end) {
            plan.forward(x, y);
        }
        List<Long> times = new ArrayList<>();
        end = System.nanoTime() + (long) (seconds * 1e9);
        do {
            long t0 = System.nanoTime();
            plan.forward(x, y);
            times.add(System.nanoTime() - t0);
        } while (System.nanoTime() < end);
        return times.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    /** Bytes the calling thread allocated per call over 100 calls; -1 where the JVM does not count them. */
    private static long allocatedPerCall(Conv2dPlan plan, Tensor x, Tensor y) {
        if (!(java.lang.management.ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx)
                || !mx.isThreadAllocatedMemorySupported()) {
            return -1;
        }
        long id = Thread.currentThread().threadId();
        long before = mx.getThreadAllocatedBytes(id);
        for (int i = 0; i < 100; i++) {
            plan.forward(x, y);
        }
        return (mx.getThreadAllocatedBytes(id) - before) / 100;
    }
}
