package dev.vconv.bench.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One benchmark of a JMH JSON result file ({@code -rf json}), as {@link JmhResultReader} reads it: what the
 * report and the regression gate both need.
 *
 * @param benchmark   fully qualified benchmark method, {@code dev.vconv.bench.jmh.NetSuiteBench.simd}
 * @param mode        {@code thrpt}, {@code avgt}, {@code sample} or {@code ss}
 * @param params      the {@code @Param} values, sorted by name; empty when the benchmark has none
 * @param threads     JMH's own thread count for the benchmark (not the engine's {@code threads} param)
 * @param unit        the score unit, {@code ms/op}, {@code ops/s}, ...
 * @param score       JMH's primary score: the mean over all measured iterations of all forks
 * @param median      the median iteration ({@code scorePercentiles["50.0"]}), NaN when JMH gave none
 * @param scoreError  the half-width of JMH's 99.9 % confidence interval, NaN when JMH gave none
 * @param forks       measurements as {@code [fork][iteration]}; in {@code sample} mode each iteration's mean
 * @param secondary   secondary metrics by name ({@code @AuxCounters}, profilers such as {@code gc.alloc.rate.norm})
 * @param environment where it was measured
 */
public record JmhResult(String benchmark, String mode, SortedMap<String, String> params, int threads, String unit,
                        double score, double median, double scoreError, double[][] forks, Map<String, Metric> secondary,
                        Environment environment) {

    /** The GC profiler's allocation per operation, in bytes. */
    public static final String ALLOC_METRIC = "gc.alloc.rate.norm";

    public JmhResult {
        params = new TreeMap<>(params);
        secondary = Map.copyOf(secondary);
    }

    /** A secondary metric's score and unit. */
    public record Metric(double score, String unit) {
    }

    /** The identity results are matched by across files: benchmark, mode and parameters. */
    public String key() {
        return benchmark + " " + mode + " " + params;
    }

    /** The parameters as {@code a=1, b=x}, or empty. */
    public String paramsText() {
        StringBuilder text = new StringBuilder();
        params.forEach((name, value) -> text.append(text.isEmpty() ? "" : ", ").append(name).append('=').append(value));
        return text.toString();
    }

    /** True when a higher score is better ({@code thrpt}); for the time modes lower is better. */
    public boolean higherIsBetter() {
        return mode.equals("thrpt");
    }

    /** {@value #ALLOC_METRIC} in bytes per operation, or {@code null} when the GC profiler did not run. */
    public Double allocBytesPerOp() {
        Metric alloc = secondary.get(ALLOC_METRIC);
        return alloc == null ? null : alloc.score();
    }

    /** The simple class name: {@code NetSuiteBench}. */
    public String className() {
        String[] parts = benchmark.split("\\.");
        return parts.length >= 2 ? parts[parts.length - 2] : "";
    }

    /** The method name: {@code simd}. */
    public String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /**
     * Seconds per operation, from either a time-per-op or an ops-per-time score: the median iteration when JMH
     * gave one (on a shared machine one disturbed iteration moves the mean far more than the median), else the mean.
     */
    public double secondsPerOp() {
        return Units.secondsPerOp(Double.isFinite(median) ? median : score, unit);
    }

    /**
     * What a measurement depends on besides the code: the JVM and its flags, and whatever the benchmarks add in
     * an {@code environment} object (vector width, CPU model, ...).
     */
    public record Environment(String jdkVersion, String vmName, String vmVersion, List<String> jvmArgs,
                              SortedMap<String, String> extra) {

        /**
         * JVM flags that only silence a start-up warning and change nothing measured, left out when flags are
         * compared: {@code --sun-misc-unsafe-memory-access=allow} (JMH's use of {@code sun.misc.Unsafe} on JDK
         * 25), which the bench command added after baselines without it were made.
         */
        static final Set<String> WARNING_ONLY_FLAGS = Set.of("--sun-misc-unsafe-memory-access=allow");

        public Environment {
            jvmArgs = List.copyOf(jvmArgs);
            extra = new TreeMap<>(extra);
        }

        /** Every difference from {@code other}, as {@code field: this vs other}; empty when comparable. */
        public List<String> differences(Environment other) {
            List<String> found = new ArrayList<>();
            compare(found, "jdkVersion", jdkVersion, other.jdkVersion);
            compare(found, "vmName", vmName, other.vmName);
            compare(found, "vmVersion", vmVersion, other.vmVersion);
            compare(found, "jvmArgs", String.valueOf(measuredFlags()), String.valueOf(other.measuredFlags()));
            TreeMap<String, String> keys = new TreeMap<>(extra);
            other.extra.forEach(keys::putIfAbsent);
            for (Map.Entry<String, String> key : keys.entrySet()) {
                compare(found, "environment." + key.getKey(), extra.get(key.getKey()), other.extra.get(key.getKey()));
            }
            return found;
        }

        /** The JVM flags without {@link #WARNING_ONLY_FLAGS}, in their order. */
        public List<String> measuredFlags() {
            return jvmArgs.stream().filter(flag -> !WARNING_ONLY_FLAGS.contains(flag)).toList();
        }

        private static void compare(List<String> found, String field, String mine, String theirs) {
            if (!Objects.equals(mine, theirs)) {
                found.add(field + ": " + (mine == null ? "(absent)" : mine) + " vs " + (theirs == null ? "(absent)" : theirs));
            }
        }
    }
}
