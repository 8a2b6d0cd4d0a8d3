package dev.vconv.bench.report;

import dev.vconv.bench.jmh.ConvCase;
import dev.vconv.bench.jmh.NetLayer;
import dev.vconv.bench.network.NetworkModel;
import dev.vconv.bench.results.JmhResult;
import dev.vconv.bench.results.Units;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The numbers of a report, computed from JMH results (and optionally PyTorch's): GFLOP/s per layer, path and
 * thread count, % of the measured FMA peak and vconv's ratio to ONNX Runtime. {@link MarkdownReport} and
 * {@link HtmlReport} only format what this class computes.
 *
 * <p>GFLOP/s is {@code flops / (seconds per call) / 1e9}, with the FLOP count of the layer's spec
 * ({@link NetLayer#flops()}, {@link ConvCase#flops()}) and the median time per call of JMH's iterations.
 *
 * <p>Which results are which: {@code NetSuiteBench.<path>} with {@code layer} (and {@code threads}, else 1)
 * is the suite; {@code GridBench.<path>} with {@code conv} is the grid. The FMA peak is a benchmark of the
 * {@code dev.vconv.bench.kernel} package whose name contains {@code peak}; it states its FLOPs by an
 * {@code @AuxCounters} metric named {@code flops} (operations per time) or a {@code flopsPerOp} param. Its
 * GFLOP/s divided by its JMH thread count is the peak of one core; {@code % of peak} of a run at t threads
 * is against t cores' peak. {@code NetworkBench.vconv} and {@code NetworkBench.onnxruntime} with {@code model},
 * {@code batch} and {@code threads} are whole networks: milliseconds per batch, and vconv's speed over ONNX
 * Runtime's.
 */
public final class BenchReport {

    /** vconv's best engine is {@code simd}; where it did not run, the report falls back to {@code scalar}. */
    static final List<String> VCONV_PATHS = List.of("simd", "scalar");

    /** One measured value. */
    public record Cell(double gflops, double millis) {
    }

    /** A row: a suite layer or a grid case, its MFLOP and a cell per series. */
    public record Row(String name, double mflop, Map<Series, Cell> cells) {
        public Optional<Cell> cell(Series s) {
            return Optional.ofNullable(cells.get(s));
        }

        /** vconv's GFLOP/s at a thread count: simd, else scalar. */
        public Optional<Double> vconv(int threads) {
            for (String path : VCONV_PATHS) {
                Cell c = cells.get(new Series(path, threads));
                if (c != null) {
                    return Optional.of(c.gflops());
                }
            }
            return Optional.empty();
        }

        /** GFLOP/s of one series over another's, when both ran. */
        public Optional<Double> ratio(Series num, Series den) {
            Cell a = cells.get(num);
            Cell b = cells.get(den);
            return a == null || b == null ? Optional.empty() : Optional.of(a.gflops() / b.gflops());
        }
    }

    /**
     * A whole network at a batch size: the median milliseconds per batch of vconv and of ONNX Runtime, by thread
     * count.
     */
    public record NetworkRow(String model, int batch, Map<Integer, Double> vconvMillis, Map<Integer, Double> ortMillis) {
        /** ONNX Runtime's time over vconv's at {@code threads}: above 1 when vconv is faster. */
        public Optional<Double> vconvOverOrt(int threads) {
            Double v = vconvMillis.get(threads);
            Double o = ortMillis.get(threads);
            return v == null || o == null ? Optional.empty() : Optional.of(o / v);
        }
    }

    /** The FMA peak, or why there is none. */
    public record Peak(double gflopsPerCore, String source, String missingReason) {
        public boolean measured() {
            return missingReason == null;
        }
    }

    private final List<Row> suite;
    private final List<Series> suiteSeries;
    private final List<Row> grid;
    private final List<Series> gridSeries;
    private final List<NetworkRow> networks;
    private final Peak peak;
    private final List<String> notes;

    private BenchReport(List<Row> suite, List<Series> suiteSeries, List<Row> grid, List<Series> gridSeries,
                        List<NetworkRow> networks, Peak peak, List<String> notes) {
        this.suite = suite;
        this.suiteSeries = suiteSeries;
        this.grid = grid;
        this.gridSeries = gridSeries;
        this.networks = networks;
        this.peak = peak;
        this.notes = notes;
    }

    /** Builds the report from JMH results and PyTorch's (empty when the torch script did not run). */
    public static BenchReport of(List<JmhResult> results, List<TorchJson.Entry> torch) {
        List<String> notes = new ArrayList<>();
        Map<String, Map<Series, Cell>> suiteCells = new LinkedHashMap<>();
        Map<String, Map<Series, Cell>> gridCells = new LinkedHashMap<>();
        // model, then batch, then (vconv's, ORT's) milliseconds by thread count
        Map<NetworkModel, Map<Integer, List<Map<Integer, Double>>>> networkCells = new TreeMap<>();
        for (JmhResult r : results) {
            String cls = r.className();
            if (cls.equals("NetworkBench") && (r.method().equals("vconv") || r.method().equals("onnxruntime"))) {
                NetworkModel model;
                try {
                    model = NetworkModel.valueOf(r.params().getOrDefault("model", ""));
                } catch (IllegalArgumentException e) {
                    notes.add("skipped " + r.benchmark() + " " + r.params() + ": unknown model");
                    continue;
                }
                int batch = Integer.parseInt(r.params().getOrDefault("batch", "1"));
                int threads = Integer.parseInt(r.params().getOrDefault("threads", "1"));
                List<Map<Integer, Double>> byRuntime = networkCells.computeIfAbsent(model, k -> new TreeMap<>())
                        .computeIfAbsent(batch, k -> List.of(new TreeMap<>(), new TreeMap<>()));
                byRuntime.get(r.method().equals("vconv") ? 0 : 1).put(threads, r.secondsPerOp() * 1e3);
                continue;
            }
            if (cls.equals("NetSuiteBench") || cls.equals("GridBench")) {
                boolean isSuite = cls.equals("NetSuiteBench");
                String name = r.params().get(isSuite ? "layer" : "conv");
                Long flops = name == null ? null : isSuite ? suiteFlops(name) : gridFlops(name);
                if (flops == null) {
                    notes.add("skipped " + r.benchmark() + " " + r.params() + ": unknown " + (isSuite ? "layer" : "case"));
                    continue;
                }
                int threads = Integer.parseInt(r.params().getOrDefault("threads", "1"));
                double seconds = r.secondsPerOp();
                Cell cell = new Cell(flops / seconds / 1e9, seconds * 1e3);
                (isSuite ? suiteCells : gridCells).computeIfAbsent(name, k -> new TreeMap<>())
                        .put(new Series(r.method(), threads), cell);
            }
        }
        for (TorchJson.Entry e : torch) {
            Long flops = suiteFlops(e.layer());
            if (flops == null) {
                notes.add("skipped torch result for unknown layer " + e.layer());
                continue;
            }
            suiteCells.computeIfAbsent(e.layer(), k -> new TreeMap<>()).put(new Series("torch", e.threads()),
                    new Cell(flops / e.secondsPerOp() / 1e9, e.secondsPerOp() * 1e3));
        }
        List<Row> suite = new ArrayList<>();
        for (NetLayer layer : NetLayer.values()) {
            Map<Series, Cell> cells = suiteCells.get(layer.name());
            if (cells != null) {
                suite.add(new Row(layer.name(), layer.flops() / 1e6, Collections.unmodifiableMap(cells)));
            }
        }
        List<Row> grid = new ArrayList<>();
        for (ConvCase c : ConvCase.values()) {
            Map<Series, Cell> cells = gridCells.get(c.name());
            if (cells != null) {
                grid.add(new Row(c.name(), c.flops() / 1e6, Collections.unmodifiableMap(cells)));
            }
        }
        List<NetworkRow> networks = new ArrayList<>();
        networkCells.forEach((model, batches) -> batches.forEach((batch, ms) -> networks.add(new NetworkRow(model.name(),
                batch, Collections.unmodifiableMap(ms.get(0)), Collections.unmodifiableMap(ms.get(1))))));
        return new BenchReport(List.copyOf(suite), seriesOf(suite), List.copyOf(grid), seriesOf(grid),
                List.copyOf(networks), findPeak(results), List.copyOf(notes));
    }

    private static List<Series> seriesOf(List<Row> rows) {
        TreeSet<Series> all = new TreeSet<>();
        rows.forEach(r -> all.addAll(r.cells().keySet()));
        return List.copyOf(all);
    }

    static Long suiteFlops(String name) {
        try {
            return NetLayer.valueOf(name).flops();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static Long gridFlops(String name) {
        try {
            return ConvCase.valueOf(name).flops();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    static Peak findPeak(List<JmhResult> results) {
        Peak best = null;
        String unusable = null;
        for (JmhResult r : results) {
            if (!r.benchmark().contains(".kernel.") || !r.benchmark().toLowerCase(Locale.ROOT).contains("peak")) {
                continue;
            }
            double gflops = Double.NaN;
            for (Map.Entry<String, JmhResult.Metric> m : r.secondary().entrySet()) {
                if (m.getKey().equalsIgnoreCase("flops")) {
                    gflops = 1 / Units.secondsPerOp(m.getValue().score(), m.getValue().unit()) / 1e9;
                }
            }
            String perOp = r.params().get("flopsPerOp");
            if (Double.isNaN(gflops) && perOp != null) {
                gflops = Double.parseDouble(perOp) / r.secondsPerOp() / 1e9;
            }
            if (Double.isNaN(gflops)) {
                unusable = r.benchmark() + " states no FLOP count (an @AuxCounters metric 'flops' or a param 'flopsPerOp')";
                continue;
            }
            double perCore = gflops / Math.max(1, r.threads());
            if (best == null || perCore > best.gflopsPerCore()) {
                best = new Peak(perCore, r.benchmark() + (r.params().isEmpty() ? "" : " " + r.params()), null);
            }
        }
        if (best != null) {
            return best;
        }
        return new Peak(Double.NaN, null, unusable != null ? unusable : "no FMA peak benchmark in the results");
    }

    public List<Row> suite() {
        return suite;
    }

    public List<Series> suiteSeries() {
        return suiteSeries;
    }

    public List<Row> grid() {
        return grid;
    }

    public List<Series> gridSeries() {
        return gridSeries;
    }

    /** Whole networks, in {@link NetworkModel}'s order, then by batch. */
    public List<NetworkRow> networks() {
        return networks;
    }

    /** The thread counts at which a whole network ran. */
    public List<Integer> networkThreads() {
        TreeSet<Integer> t = new TreeSet<>();
        for (NetworkRow row : networks) {
            t.addAll(row.vconvMillis().keySet());
            t.addAll(row.ortMillis().keySet());
        }
        return List.copyOf(t);
    }

    public Peak peak() {
        return peak;
    }

    /** Results that could not be placed (unknown layer names and the like). */
    public List<String> notes() {
        return notes;
    }

    /** The thread counts at which vconv ran on the suite. */
    public List<Integer> vconvThreads() {
        TreeSet<Integer> t = new TreeSet<>();
        for (Series s : suiteSeries) {
            if (VCONV_PATHS.contains(s.path())) {
                t.add(s.threads());
            }
        }
        return List.copyOf(t);
    }

    /** The thread counts at which ONNX Runtime ran on the suite. */
    public List<Integer> ortThreads() {
        TreeSet<Integer> t = new TreeSet<>();
        for (Series s : suiteSeries) {
            if (s.path().equals("onnxruntime")) {
                t.add(s.threads());
            }
        }
        return List.copyOf(t);
    }

    /** vconv's GFLOP/s at t threads as a percentage of t cores' FMA peak, when both are known. */
    public Optional<Double> percentOfPeak(Row row, int threads) {
        if (!peak.measured()) {
            return Optional.empty();
        }
        return row.vconv(threads).map(g -> 100 * g / (peak.gflopsPerCore() * threads));
    }

    /** vconv's GFLOP/s over ONNX Runtime's at the same thread count. */
    public Optional<Double> vconvOverOrt(Row row, int threads) {
        Cell ort = row.cells().get(new Series("onnxruntime", threads));
        return ort == null ? Optional.empty() : row.vconv(threads).map(g -> g / ort.gflops());
    }
}
