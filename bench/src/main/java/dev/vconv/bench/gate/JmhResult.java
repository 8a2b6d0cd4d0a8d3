package dev.vconv.bench.gate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One benchmark of a JMH JSON result file ({@code -rf json}), reduced to what the regression gate needs.
 *
 * @param benchmark  fully qualified benchmark method
 * @param mode       {@code thrpt}, {@code avgt}, {@code sample} or {@code ss}
 * @param params     the {@code @Param} values, sorted by name
 * @param unit       the score unit, e.g. {@code us/op}
 * @param score      JMH's primary score
 * @param forks      measurements as {@code [fork][iteration]}; for {@code sample} mode each iteration's mean
 * @param allocBytesPerOp {@code gc.alloc.rate.norm} in bytes per operation, or {@code null} when not measured
 * @param environment where it was measured
 */
public record JmhResult(String benchmark, String mode, SortedMap<String, String> params, String unit, double score,
                        double[][] forks, Double allocBytesPerOp, Environment environment) {

    public JmhResult {
        params = new TreeMap<>(params);
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

    /**
     * What a measurement depends on besides the code: the JVM and its flags, and whatever the benchmarks add in
     * an {@code environment} object (vector width, CPU model, ...).
     */
    public record Environment(String jdkVersion, String vmName, String vmVersion, List<String> jvmArgs,
                              SortedMap<String, String> extra) {

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
            compare(found, "jvmArgs", String.valueOf(jvmArgs), String.valueOf(other.jvmArgs));
            TreeMap<String, String> keys = new TreeMap<>(extra);
            other.extra.forEach(keys::putIfAbsent);
            for (Map.Entry<String, String> key : keys.entrySet()) {
                compare(found, "environment." + key.getKey(), extra.get(key.getKey()), other.extra.get(key.getKey()));
            }
            return found;
        }

        private static void compare(List<String> found, String field, String mine, String theirs) {
            if (!Objects.equals(mine, theirs)) {
                found.add(field + ": " + (mine == null ? "(absent)" : mine) + " vs " + (theirs == null ? "(absent)" : theirs));
            }
        }
    }
}
