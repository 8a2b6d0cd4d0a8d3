package dev.vconv.bench.progress;

import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.WorkloadParams;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.VerboseMode;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The benchmarks a JMH run will execute, in the order it runs them, worked out before the run as JMH's
 * {@code Runner} does: the generated benchmark list filtered by the includes and excludes, each mode the
 * options ask for, and every combination of {@code @Param} values (the options' values over the annotated
 * ones). The count is the total of the progress lines; a profile's size follows the benchmarks as they change.
 *
 * @param benchmarks one entry per benchmark and parameter combination, in JMH's order
 */
public record BenchmarkPlan(List<Benchmark> benchmarks) {

    public BenchmarkPlan {
        benchmarks = List.copyOf(benchmarks);
    }

    /** One benchmark run: the method's full name and its parameters. */
    public record Benchmark(String name, SortedMap<String, String> params) {
        public Benchmark {
            params = new TreeMap<>(params);
        }
    }

    /** The plan of {@code options}, from the benchmark list the annotation processor generated into the jar. */
    public static BenchmarkPlan of(Options options) {
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        Collection<BenchmarkListEntry> found = BenchmarkList.defaultList()
                .find(OutputFormatFactory.createFormatInstance(nowhere, VerboseMode.SILENT), options.getIncludes(),
                        options.getExcludes());
        List<BenchmarkListEntry> moded = new ArrayList<>();
        for (BenchmarkListEntry entry : found) {
            if (!options.getBenchModes().isEmpty()) {
                options.getBenchModes().forEach(mode -> moded.add(entry.cloneWith(mode)));
            } else if (entry.getMode() == Mode.All) {
                Arrays.stream(Mode.values()).filter(mode -> mode != Mode.All).forEach(mode -> moded.add(entry.cloneWith(mode)));
            } else {
                moded.add(entry);
            }
        }
        // JMH's order: by mode, name, then the parameter values in their declared order, the first key slowest.
        TreeSet<BenchmarkListEntry> ordered = new TreeSet<>();
        for (BenchmarkListEntry entry : moded) {
            if (entry.getParams().hasValue()) {
                explode(entry, options).forEach(params -> ordered.add(entry.cloneWith(params)));
            } else {
                ordered.add(entry);
            }
        }
        List<Benchmark> benchmarks = new ArrayList<>();
        for (BenchmarkListEntry entry : ordered) {
            SortedMap<String, String> params = new TreeMap<>();
            WorkloadParams values = entry.getWorkloadParams();
            if (values != null) {
                values.keys().forEach(key -> params.put(key, values.get(key)));
            }
            benchmarks.add(new Benchmark(entry.getUsername(), params));
        }
        return new BenchmarkPlan(benchmarks);
    }

    /** Every combination of the entry's parameter values. */
    private static List<WorkloadParams> explode(BenchmarkListEntry entry, Options options) {
        List<WorkloadParams> all = List.of(new WorkloadParams());
        for (Map.Entry<String, String[]> param : new TreeMap<>(entry.getParams().orElse(Map.of())).entrySet()) {
            Collection<String> values = options.getParameter(param.getKey()).orElse(Arrays.asList(param.getValue()));
            List<WorkloadParams> next = new ArrayList<>();
            for (WorkloadParams partial : all) {
                int order = 0;
                for (String value : values) {
                    WorkloadParams params = partial.copy();
                    params.put(param.getKey(), value, order++);
                    next.add(params);
                }
            }
            all = next;
        }
        return all;
    }

    public int size() {
        return benchmarks.size();
    }
}
