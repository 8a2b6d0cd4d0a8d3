package dev.vconv.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The report as one self-contained HTML file: the Markdown tables' numbers as HTML tables and inline SVG bar
 * charts (GFLOP/s per layer and path; vconv / ONNX Runtime on a log axis centred on 1.0; the SIMD engine's
 * speedup over the scalar one; whole networks against ONNX Runtime; the grid). No scripts, fonts,
 * styles or images are loaded from anywhere, so the file opens offline.
 */
public final class HtmlReport {
    /** A colour per series, picked to stay apart in print and for common colour-vision deficiencies. */
    private static final String[] COLOURS = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948",
            "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};

    private HtmlReport() {
    }

    public static String render(BenchReport report, String title, String environment) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>").append(esc(title))
                .append("</title>\n<style>body{font-family:sans-serif;margin:2em;max-width:1100px}"
                        + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:2px 6px;"
                        + "text-align:right}td:first-child,th:first-child{text-align:left}"
                        + "svg text{font-family:sans-serif;font-size:11px}</style></head><body>\n");
        h.append("<h1>").append(esc(title)).append("</h1>\n<p>").append(esc(environment)).append("</p>\n");
        BenchReport.Peak peak = report.peak();
        h.append("<p>").append(peak.measured()
                ? esc(String.format(Locale.ROOT, "FMA peak: %.2f GFLOP/s per core (%s).", peak.gflopsPerCore(), peak.source()))
                : esc("FMA peak: peak not measured (" + peak.missingReason() + ").")).append("</p>\n");

        if (!report.suite().isEmpty()) {
            List<String> layers = report.suite().stream().map(BenchReport.Row::name).toList();
            // First what readers look for: how vconv compares with ONNX Runtime.
            h.append(ortRatioChart(report, layers));
            List<String> names = report.suiteSeries().stream().map(Series::label).toList();
            List<List<Optional<Double>>> gflops = new ArrayList<>();
            for (BenchReport.Row row : report.suite()) {
                gflops.add(report.suiteSeries().stream().map(s -> row.cell(s).map(BenchReport.Cell::gflops)).toList());
            }
            h.append("<h2>Network suite: GFLOP/s per layer and path</h2>\n");
            h.append(barChart(layers, names, gflops, "GFLOP/s", false));
            h.append(simdSpeedupChart(report, layers));
        }
        if (!report.networks().isEmpty()) {
            List<String> networks = report.networks().stream().map(r -> r.model() + " batch " + r.batch()).toList();
            List<String> names = report.networkThreads().stream().map(t -> "vconv / ORT " + t + "T").toList();
            List<List<Optional<Double>>> ratios = new ArrayList<>();
            for (BenchReport.NetworkRow row : report.networks()) {
                ratios.add(report.networkThreads().stream().map(row::vconvOverOrt).toList());
            }
            h.append("<h2>Whole networks: vconv / ONNX Runtime at the same thread count</h2>\n");
            h.append(barChart(networks, names, ratios, "ORT's time / vconv's", true));
        }
        if (!report.grid().isEmpty()) {
            List<String> cases = report.grid().stream().map(BenchReport.Row::name).toList();
            List<String> names = report.gridSeries().stream().map(Series::label).toList();
            List<List<Optional<Double>>> gflops = new ArrayList<>();
            for (BenchReport.Row row : report.grid()) {
                gflops.add(report.gridSeries().stream().map(s -> row.cell(s).map(BenchReport.Cell::gflops)).toList());
            }
            h.append("<h2>Grid: GFLOP/s per case (32&#8594;32 channels, 28x28, 1 thread)</h2>\n");
            h.append(barChart(cases, names, gflops, "GFLOP/s", false));
        }
        h.append("<h2>Tables</h2>\n").append(markdownTablesAsHtml(MarkdownReport.render(report)));
        h.append("</body></html>\n");
        return h.toString();
    }

    /**
     * Horizontal grouped bars: a group per category, a bar per series, a value label at each bar's end, a
     * legend on top and, for ratios, a vertical line at 1.0. Missing values leave a gap.
     */
    static String barChart(List<String> categories, List<String> series, List<List<Optional<Double>>> values,
                           String unit, boolean unitLine) {
        int labelWidth = 200;
        int plotWidth = 720;
        int bar = 11;
        int groupGap = 8;
        int legendHeight = 20 * ((series.size() + 3) / 4) + 6;
        int groupHeight = series.size() * bar + groupGap;
        int height = legendHeight + categories.size() * groupHeight + 24;
        double max = unitLine ? 1 : 0;
        for (List<Optional<Double>> row : values) {
            for (Optional<Double> v : row) {
                if (v.isPresent() && Double.isFinite(v.get())) {
                    max = Math.max(max, v.get());
                }
            }
        }
        if (max <= 0) {
            max = 1;
        }
        double scale = (plotWidth - 60) / max;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" "
                + "role=\"img\">\n", labelWidth + plotWidth, height));
        for (int i = 0; i < series.size(); i++) {
            int x = labelWidth + (i % 4) * 180;
            int y = 4 + (i / 4) * 20;
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>\n", x, y, colour(i), x + 16, y + 10, esc(series.get(i))));
        }
        for (int c = 0; c < categories.size(); c++) {
            int top = legendHeight + c * groupHeight;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
                    labelWidth - 6, top + series.size() * bar / 2 + 4, esc(categories.get(c))));
            for (int i = 0; i < series.size(); i++) {
                Optional<Double> v = values.get(c).get(i);
                if (v.isEmpty() || !Double.isFinite(v.get())) {
                    continue;
                }
                double w = Math.max(1, v.get() * scale);
                int y = top + i * bar;
                s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                                + "<title>%s, %s: %.3f %s</title></rect><text x=\"%.1f\" y=\"%d\">%.2f</text>\n",
                        labelWidth, y, w, bar - 1, colour(i), esc(categories.get(c)), esc(series.get(i)), v.get(),
                        esc(unit), labelWidth + w + 3, y + bar - 2, v.get()));
            }
        }
        int axisY = legendHeight + categories.size() * groupHeight;
        s.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#333\"/>\n",
                labelWidth, legendHeight, labelWidth, axisY));
        if (unitLine) {
            double x = labelWidth + scale;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#333\" "
                    + "stroke-dasharray=\"4 3\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">1.0</text>\n",
                    x, legendHeight, x, axisY, x, axisY + 14));
        }
        // At the right end, clear of the 1.0 label near the left.
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s (max %.2f)</text>\n",
                labelWidth + plotWidth, axisY + 14, esc(unit), max));
        s.append("</svg>\n");
        return s.toString();
    }

    /** vconv / ONNX Runtime per suite layer and thread count, on a log axis; empty when ONNX Runtime did not run. */
    private static String ortRatioChart(BenchReport report, List<String> layers) {
        List<String> names = new ArrayList<>();
        List<List<Optional<Double>>> ratios = perRow(report.suite().size());
        for (int t : report.ortThreads()) {
            names.add("vconv / ORT " + t + "T");
            for (int i = 0; i < report.suite().size(); i++) {
                ratios.get(i).add(report.vconvOverOrt(report.suite().get(i), t));
            }
        }
        return names.isEmpty() ? "" : "<h2>vconv / ONNX Runtime at the same thread count (log scale)</h2>\n"
                + "<p>Each bar grows from 1.0: to the right vconv is faster, to the left ONNX Runtime is; 2x and 0.5x"
                + " are bars of one length. &#187; marks a ratio beyond the axis.</p>\n"
                + ratioChart(layers, names, ratios);
    }

    /** The SIMD engine's speedup over the scalar one (one thread) per suite layer and SIMD thread count. */
    private static String simdSpeedupChart(BenchReport report, List<String> layers) {
        Series scalar = new Series("scalar", 1);
        List<String> names = new ArrayList<>();
        List<List<Optional<Double>>> speedups = perRow(report.suite().size());
        for (int t : report.vconvThreads()) {
            Series simd = new Series("simd", t);
            if (report.suiteSeries().contains(simd) && report.suiteSeries().contains(scalar)) {
                names.add("simd " + t + "T / scalar 1T");
                for (int i = 0; i < report.suite().size(); i++) {
                    speedups.get(i).add(report.suite().get(i).ratio(simd, scalar));
                }
            }
        }
        return names.isEmpty() ? "" : "<h2>SIMD speedup over the scalar engine (1.0 = equal)</h2>\n"
                + barChart(layers, names, speedups, "x", true);
    }

    private static List<List<Optional<Double>>> perRow(int rows) {
        List<List<Optional<Double>>> values = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            values.add(new ArrayList<>());
        }
        return values;
    }

    /**
     * The horizontal axis of {@link #ratioChart}: log2 of the ratio, 1.0 in the middle of the plot, as many
     * doublings each way as the largest ratio needs, at least 1 (0.5x..2x) and at most {@value #MAX_DOUBLINGS}
     * (0.25x..4x), so that the ratios near 1 that matter stay wide enough to read; a bar beyond is cut at the
     * edge and says so.
     *
     * @param left      x of the plot's left edge, in pixels
     * @param width     the plot's width in pixels
     * @param doublings the doublings on each side of 1.0
     */
    record RatioAxis(double left, double width, int doublings) {
        static final int MAX_DOUBLINGS = 2;

        static RatioAxis fitting(double left, double width, List<List<Optional<Double>>> values) {
            double largest = 0;
            for (List<Optional<Double>> row : values) {
                for (Optional<Double> v : row) {
                    if (v.isPresent() && v.get() > 0 && Double.isFinite(v.get())) {
                        largest = Math.max(largest, Math.abs(Math.log(v.get()) / Math.log(2)));
                    }
                }
            }
            int doublings = (int) Math.min(MAX_DOUBLINGS, Math.max(1, Math.ceil(largest - 1e-9)));
            return new RatioAxis(left, width, doublings);
        }

        double centre() {
            return left + width / 2;
        }

        /** The x of {@code ratio}, held inside the plot. */
        double x(double ratio) {
            double log2 = Math.log(ratio) / Math.log(2);
            double clamped = Math.max(-doublings, Math.min(doublings, log2));
            return centre() + clamped / doublings * (width / 2);
        }

        boolean clipped(double ratio) {
            return Math.abs(Math.log(ratio) / Math.log(2)) > doublings;
        }

        /** Gridlines: every doubling, and 0.8 and 1.25 (a 20 % difference either way). */
        List<Double> ticks() {
            List<Double> ticks = new ArrayList<>();
            for (int d = -doublings; d <= doublings; d++) {
                ticks.add(Math.pow(2, d));
            }
            ticks.add(0.8);
            ticks.add(1.25);
            ticks.sort(Double::compare);
            return ticks;
        }
    }

    /**
     * Ratios on a log axis centred on 1.0: a bar per series grows from the 1.0 line, to the right where vconv is
     * faster and to the left where it is slower, so 2x and 0.5x are bars of one length on opposite sides. The two
     * halves are tinted and named, each bar carries its value, and bars beyond the axis end in an arrow.
     */
    static String ratioChart(List<String> categories, List<String> series, List<List<Optional<Double>>> values) {
        int labelWidth = 200;
        int plotWidth = 720;
        int bar = 12;
        int groupGap = 8;
        int legendHeight = 20 * ((series.size() + 3) / 4) + 6;
        int headerHeight = legendHeight + 18;
        int groupHeight = series.size() * bar + groupGap;
        int plotTop = headerHeight;
        int plotBottom = plotTop + categories.size() * groupHeight;
        int height = plotBottom + 22;
        RatioAxis axis = RatioAxis.fitting(labelWidth, plotWidth, values);
        double centre = axis.centre();
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" role=\"img\">\n",
                labelWidth + plotWidth + 80, height));
        for (int i = 0; i < series.size(); i++) {
            int x = labelWidth + (i % 4) * 180;
            int y = 4 + (i / 4) * 20;
            s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
                    + "<text x=\"%d\" y=\"%d\">%s</text>\n", x, y, colour(i), x + 16, y + 10, esc(series.get(i))));
        }
        // The two halves, tinted and named above the plot.
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#fbeaea\"/>"
                        + "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"#e8f4ea\"/>\n",
                labelWidth, plotTop, plotWidth / 2.0, plotBottom - plotTop, centre, plotTop, plotWidth / 2.0, plotBottom - plotTop));
        s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\" fill=\"#a33\">"
                        + "&#8592; ONNX Runtime faster</text><text x=\"%.1f\" y=\"%d\" fill=\"#286b36\">vconv faster &#8594;</text>\n",
                centre - 8, plotTop - 6, centre + 8, plotTop - 6));
        for (double tick : axis.ticks()) {
            double x = axis.x(tick);
            boolean one = tick == 1;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
                            + "stroke-width=\"%s\"%s/><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\"%s>%s</text>\n",
                    x, plotTop, x, plotBottom, one ? "#222" : "#bbb", one ? "2" : "1",
                    one ? "" : " stroke-dasharray=\"3 3\"", x, plotBottom + 14, one ? " font-weight=\"bold\"" : "",
                    tickLabel(tick)));
        }
        for (int c = 0; c < categories.size(); c++) {
            int top = plotTop + c * groupHeight + groupGap / 2;
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>\n",
                    labelWidth - 6, top + series.size() * bar / 2 + 4, esc(categories.get(c))));
            for (int i = 0; i < series.size(); i++) {
                Optional<Double> v = values.get(c).get(i);
                if (v.isEmpty() || !(v.get() > 0) || !Double.isFinite(v.get())) {
                    continue;
                }
                double ratio = v.get();
                double end = axis.x(ratio);
                double x = Math.min(centre, end);
                double w = Math.max(1, Math.abs(end - centre));
                int y = top + i * bar;
                boolean right = ratio >= 1;
                String label = String.format(Locale.ROOT, "%.2fx", ratio) + (axis.clipped(ratio) ? (right ? " \u00bb" : " \u00ab") : "");
                s.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\">"
                                + "<title>%s, %s: %.3f</title></rect><text x=\"%.1f\" y=\"%d\"%s>%s</text>\n",
                        x, y, w, bar - 1, colour(i), esc(categories.get(c)), esc(series.get(i)), ratio,
                        right ? end + 3 : end - 3, y + bar - 2, right ? "" : " text-anchor=\"end\"", esc(label)));
            }
        }
        s.append("</svg>\n");
        return s.toString();
    }

    /** {@code 0.25x}, {@code 0.8x}, {@code 1x}, {@code 1.25x}, {@code 4x}. */
    private static String tickLabel(double tick) {
        String text = String.format(Locale.ROOT, "%.2f", tick).replaceAll("0+$", "").replaceAll("\\.$", "");
        return text + "x";
    }

    /** The Markdown report's tables as HTML tables; other lines become paragraphs. */
    static String markdownTablesAsHtml(String markdown) {
        StringBuilder h = new StringBuilder();
        boolean inTable = false;
        boolean header = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("|")) {
                String[] cells = line.substring(1, line.length() - 1).split("\\|");
                if (!inTable) {
                    h.append("<table>\n");
                    inTable = true;
                    header = true;
                }
                if (cells.length > 0 && cells[0].trim().startsWith("---")) {
                    continue;
                }
                h.append("<tr>");
                for (String cell : cells) {
                    String tag = header ? "th" : "td";
                    h.append('<').append(tag).append('>').append(esc(cell.trim().replace("`", ""))).append("</")
                            .append(tag).append('>');
                }
                h.append("</tr>\n");
                header = false;
            } else {
                if (inTable) {
                    h.append("</table>\n");
                    inTable = false;
                }
                if (line.startsWith("## ")) {
                    h.append("<h3>").append(esc(line.substring(3))).append("</h3>\n");
                } else if (!line.isBlank()) {
                    h.append("<p>").append(esc(line)).append("</p>\n");
                }
            }
        }
        if (inTable) {
            h.append("</table>\n");
        }
        return h.toString();
    }

    private static String colour(int i) {
        return COLOURS[i % COLOURS.length];
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
