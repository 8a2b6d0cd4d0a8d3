package dev.vconv.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The report as one self-contained HTML file: the Markdown tables' numbers as HTML tables and inline SVG bar
 * charts (GFLOP/s per layer and path; speedups simd/scalar and vconv/ORT; the grid). No scripts, fonts,
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
            List<String> names = report.suiteSeries().stream().map(Series::label).toList();
            List<List<Optional<Double>>> gflops = new ArrayList<>();
            for (BenchReport.Row row : report.suite()) {
                gflops.add(report.suiteSeries().stream().map(s -> row.cell(s).map(BenchReport.Cell::gflops)).toList());
            }
            h.append("<h2>Network suite: GFLOP/s per layer and path</h2>\n");
            h.append(barChart(layers, names, gflops, "GFLOP/s", false));

            List<String> ratioNames = new ArrayList<>();
            List<List<Optional<Double>>> ratios = new ArrayList<>();
            for (int i = 0; i < report.suite().size(); i++) {
                ratios.add(new ArrayList<>());
            }
            Series scalar = new Series("scalar", 1);
            for (int t : report.vconvThreads()) {
                Series simd = new Series("simd", t);
                if (report.suiteSeries().contains(simd) && report.suiteSeries().contains(scalar)) {
                    ratioNames.add("simd " + t + "T / scalar 1T");
                    for (int i = 0; i < report.suite().size(); i++) {
                        ratios.get(i).add(report.suite().get(i).ratio(simd, scalar));
                    }
                }
            }
            for (int t : report.ortThreads()) {
                ratioNames.add("vconv / ORT " + t + "T");
                for (int i = 0; i < report.suite().size(); i++) {
                    ratios.get(i).add(report.vconvOverOrt(report.suite().get(i), t));
                }
            }
            if (!ratioNames.isEmpty()) {
                h.append("<h2>Speedups (1.0 = equal; right of the line = vconv's simd faster)</h2>\n");
                h.append(barChart(layers, ratioNames, ratios, "x", true));
            }
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
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%s (max %.2f)</text>\n", labelWidth, axisY + 14,
                esc(unit), max));
        s.append("</svg>\n");
        return s.toString();
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
