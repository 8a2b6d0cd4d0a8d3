package dev.vconv.bench.report;

import java.util.Map;

/**
 * One entry of a JMH JSON result file, reduced to what the report needs.
 *
 * @param benchmark   the full method name, {@code dev.vconv.bench.jmh.NetSuiteBench.simd}
 * @param params      the {@code @Param} values, empty when the benchmark has none
 * @param threads     JMH's own thread count for the benchmark (not the engine's {@code threads} param)
 * @param score       the primary score in {@code unit}: JMH's mean over all measured iterations
 * @param median      the median of the measured iterations ({@code scorePercentiles["50.0"]}), NaN when absent
 * @param scoreError  the half-width of JMH's 99.9 % confidence interval, NaN when JMH gave none
 * @param unit        {@code ms/op}, {@code ops/s}, ...
 * @param secondary   secondary metrics by name (AuxCounters, profilers): score and unit
 */
public record JmhResult(String benchmark, Map<String, String> params, int threads, double score, double median,
                        double scoreError, String unit, Map<String, Metric> secondary) {

    /** A secondary metric's score and unit. */
    public record Metric(double score, String unit) {
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
}
