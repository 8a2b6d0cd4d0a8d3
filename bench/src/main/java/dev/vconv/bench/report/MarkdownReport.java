package dev.vconv.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The report as Markdown tables: the network suite, the whole networks, then the grid. */
public final class MarkdownReport {
    static final String MISSING = "-";

    private MarkdownReport() {
    }

    public static String render(BenchReport report) {
        StringBuilder md = new StringBuilder();
        md.append("## Network suite (GFLOP/s)\n\n");
        if (report.suite().isEmpty()) {
            md.append("No suite results.\n\n");
        } else {
            List<String> head = new ArrayList<>(List.of("Layer", "MFLOP"));
            report.suiteSeries().forEach(s -> head.add(s.label()));
            report.vconvThreads().forEach(t -> head.add("vconv " + t + "T % peak"));
            report.ortThreads().forEach(t -> head.add("vconv/ORT " + t + "T"));
            List<List<String>> rows = new ArrayList<>();
            for (BenchReport.Row row : report.suite()) {
                List<String> cells = new ArrayList<>(List.of("`" + row.name() + "`", mflop(row.mflop())));
                report.suiteSeries().forEach(s -> cells.add(gflops(row.cell(s).map(BenchReport.Cell::gflops))));
                report.vconvThreads().forEach(t -> cells.add(report.peak().measured()
                        ? percent(report.percentOfPeak(row, t)) : "n/a"));
                report.ortThreads().forEach(t -> cells.add(ratio(report.vconvOverOrt(row, t))));
                rows.add(cells);
            }
            table(md, head, rows);
            md.append('\n');
            BenchReport.Peak peak = report.peak();
            md.append(peak.measured()
                    ? String.format(Locale.ROOT, "FMA peak: %.2f GFLOP/s per core (%s).%n", peak.gflopsPerCore(), peak.source())
                    : "FMA peak: peak not measured (" + peak.missingReason() + ").\n");
            md.append("GFLOP/s = the layer's FLOPs / the median time per call of JMH's measured iterations (all forks). vconv = the simd engine (scalar where simd"
                    + " did not run); % peak is against t cores' peak; vconv/ORT > 1 means vconv is faster.\n\n");
        }
        if (!report.networks().isEmpty()) {
            md.append("## Whole networks, 224x224 (ms per batch; vconv/ORT = ORT's time / vconv's, > 1: vconv faster)\n\n");
            List<String> head = new ArrayList<>(List.of("Network", "batch"));
            for (int t : report.networkThreads()) {
                head.addAll(List.of("vconv " + t + "T", "ORT " + t + "T", "vconv/ORT " + t + "T"));
            }
            List<List<String>> rows = new ArrayList<>();
            for (BenchReport.NetworkRow row : report.networks()) {
                List<String> cells = new ArrayList<>(List.of("`" + row.model() + "`", String.valueOf(row.batch())));
                for (int t : report.networkThreads()) {
                    cells.add(millis(row.vconvMillis().get(t)));
                    cells.add(millis(row.ortMillis().get(t)));
                    cells.add(ratio(row.vconvOverOrt(t)));
                }
                rows.add(cells);
            }
            table(md, head, rows);
            md.append('\n');
        }
        if (!report.grid().isEmpty()) {
            md.append("## Grid: stride x dilation x groups, ").append("32->32 channels, 28x28, 1 thread (GFLOP/s)\n\n");
            List<String> head = new ArrayList<>(List.of("Case", "MFLOP"));
            report.gridSeries().forEach(s -> head.add(s.label()));
            Series scalar = new Series("scalar", 1);
            Series simd = new Series("simd", 1);
            boolean speedup = report.gridSeries().contains(scalar) && report.gridSeries().contains(simd);
            if (speedup) {
                head.add("simd/scalar");
            }
            List<List<String>> rows = new ArrayList<>();
            for (BenchReport.Row row : report.grid()) {
                List<String> cells = new ArrayList<>(List.of("`" + row.name() + "`", mflop(row.mflop())));
                report.gridSeries().forEach(s -> cells.add(gflops(row.cell(s).map(BenchReport.Cell::gflops))));
                if (speedup) {
                    cells.add(ratio(row.ratio(simd, scalar)));
                }
                rows.add(cells);
            }
            table(md, head, rows);
            md.append('\n');
        }
        for (String note : report.notes()) {
            md.append("- note: ").append(note).append('\n');
        }
        return md.toString();
    }

    static String mflop(double mflop) {
        return String.format(Locale.ROOT, mflop < 1 ? "%.3g" : "%.1f", mflop);
    }

    static String gflops(Optional<Double> v) {
        return v.map(x -> String.format(Locale.ROOT, "%.2f", x)).orElse(MISSING);
    }

    static String millis(Double v) {
        return v == null ? MISSING : String.format(Locale.ROOT, "%.2f", v);
    }

    static String ratio(Optional<Double> v) {
        return v.map(x -> String.format(Locale.ROOT, "%.2f", x)).orElse(MISSING);
    }

    static String percent(Optional<Double> v) {
        return v.map(x -> String.format(Locale.ROOT, "%.1f%%", x)).orElse(MISSING);
    }

    private static void table(StringBuilder md, List<String> head, List<List<String>> rows) {
        md.append("| ").append(String.join(" | ", head)).append(" |\n|");
        for (int i = 0; i < head.size(); i++) {
            md.append(i == 0 ? " --- |" : " ---: |");
        }
        md.append('\n');
        for (List<String> row : rows) {
            md.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
    }
}
