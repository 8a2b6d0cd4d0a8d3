package dev.vconv.bench.report;

import dev.vconv.bench.jmh.ConvCase;
import dev.vconv.bench.jmh.NetLayer;
import dev.vconv.bench.results.JmhResultReader;
import dev.vconv.bench.results.ResultFileException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report's numbers come from the JMH JSON and the specs' FLOP counts, nothing else. */
class BenchReportTest {

    private static final String PKG = "dev.vconv.bench.jmh.";

    /** One JMH result entry as JMH writes it (trimmed to the fields JMH always writes and the report reads). */
    private static String entry(String benchmark, String params, double score, String unit, String secondary) {
        return """
                {"jmhVersion": "1.37", "benchmark": "%s", "mode": "avgt", "threads": 1, "forks": 2,
                 "jvm": "/usr/lib/jvm/temurin-25/bin/java", "jvmArgs": ["--add-modules", "jdk.incubator.vector"],
                 "jdkVersion": "25", "vmName": "OpenJDK 64-Bit Server VM", "vmVersion": "25+36",
                 "warmupIterations": 2, "warmupTime": "200 ms", "measurementIterations": 3, "measurementTime": "200 ms",
                 "params": {%s},
                 "primaryMetric": {"score": %s, "scoreError": 0.01, "scoreConfidence": [0, 1],
                   "scorePercentiles": {"50.0": %s}, "scoreUnit": "%s", "rawData": [[%s, %s, %s], [%s, %s, %s]]},
                 "secondaryMetrics": {%s}}
                """.formatted(benchmark, params, score, score, unit, score, score, score, score, score, score, secondary);
    }

    private static final String LAYER = "resnet_3x3_64x56";
    private static final String OTHER = "mbv2_dw3x3_144x56";

    private static String suiteJson(boolean withPeak) {
        StringBuilder json = new StringBuilder("[");
        json.append(entry(PKG + "NetSuiteBench.scalar", "\"layer\": \"" + LAYER + "\"", 50.0, "ms/op", "")).append(',');
        json.append(entry(PKG + "NetSuiteBench.simd", "\"layer\": \"" + LAYER + "\", \"threads\": \"1\"", 4.0, "ms/op", ""))
                .append(',');
        json.append(entry(PKG + "NetSuiteBench.simd", "\"layer\": \"" + LAYER + "\", \"threads\": \"2\"", 2.5, "ms/op", ""))
                .append(',');
        json.append(entry(PKG + "NetSuiteBench.onnxruntime", "\"layer\": \"" + LAYER + "\", \"threads\": \"1\"", 3.0,
                "ms/op", "")).append(',');
        json.append(entry(PKG + "NetSuiteBench.onnxruntime", "\"layer\": \"" + LAYER + "\", \"threads\": \"2\"", 1600.0,
                "us/op", "")).append(',');
        // A throughput score: 500 ops/s = 2 ms/op.
        json.append(entry(PKG + "NetSuiteBench.simd", "\"layer\": \"" + OTHER + "\", \"threads\": \"1\"", 500.0, "ops/s", ""))
                .append(',');
        json.append(entry(PKG + "GridBench.scalar", "\"conv\": \"S1_D1_G1_K3\"", 5.0, "ms/op", "")).append(',');
        json.append(entry(PKG + "GridBench.simd", "\"conv\": \"S1_D1_G1_K3\"", 0.5, "ms/op", ""));
        if (withPeak) {
            // 32 GFLOP/s: AuxCounters "flops" at 3.2e10 ops/s.
            json.append(',').append(entry("dev.vconv.bench.kernel.FmaPeakBench.fmaPeak", "", 1.0, "ms/op",
                    "\"flops\": {\"score\": 3.2E10, \"scoreError\": \"NaN\", \"scoreUnit\": \"ops/s\", \"rawData\": [[3.2E10]]}"));
        }
        return json.append(']').toString();
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** The cells of the Markdown row that starts with {@code `name`}. */
    private static List<String> row(String markdown, String name) {
        Matcher m = Pattern.compile("^\\| `" + Pattern.quote(name) + "` \\|(.*)\\|$", Pattern.MULTILINE).matcher(markdown);
        assertTrue(m.find(), "no row for " + name + " in\n" + markdown);
        return List.of(m.group(1).trim().split("\\s*\\|\\s*"));
    }

    private static List<String> header(String markdown, String first) {
        Matcher m = Pattern.compile("^\\| " + first + " \\|(.*)\\|$", Pattern.MULTILINE).matcher(markdown);
        assertTrue(m.find(), "no table headed " + first);
        return List.of(m.group(1).trim().split("\\s*\\|\\s*"));
    }

    @Test
    void suiteTableNumbersEqualThoseComputedFromTheJson() throws ResultFileException {
        BenchReport report = BenchReport.of(JmhResultReader.parse("test", suiteJson(true)), List.of());
        String md = MarkdownReport.render(report);

        long flops = NetLayer.valueOf(LAYER).flops();
        double scalar = flops / 50.0e-3 / 1e9;
        double simd1 = flops / 4.0e-3 / 1e9;
        double simd2 = flops / 2.5e-3 / 1e9;
        double ort1 = flops / 3.0e-3 / 1e9;
        double ort2 = flops / 1600e-6 / 1e9;

        assertEquals(List.of("MFLOP", "scalar 1T", "simd 1T", "simd 2T", "ORT 1T", "ORT 2T", "vconv 1T % peak",
                "vconv 2T % peak", "vconv/ORT 1T", "vconv/ORT 2T"), header(md, "Layer"));
        List<String> cells = row(md, LAYER);
        assertEquals(String.format(Locale.ROOT, "%.1f", flops / 1e6), cells.get(0));
        assertEquals(List.of(f(scalar), f(simd1), f(simd2), f(ort1), f(ort2)), cells.subList(1, 6));
        assertEquals(String.format(Locale.ROOT, "%.1f%%", 100 * simd1 / 32.0), cells.get(6));
        assertEquals(String.format(Locale.ROOT, "%.1f%%", 100 * simd2 / 64.0), cells.get(7));
        assertEquals(f(simd1 / ort1), cells.get(8));
        assertEquals(f(simd2 / ort2), cells.get(9));
        assertTrue(md.contains("FMA peak: 32.00 GFLOP/s per core"), md);

        List<String> other = row(md, OTHER);
        assertEquals(f(NetLayer.valueOf(OTHER).flops() / 2e-3 / 1e9), other.get(2));
        assertEquals("-", other.get(1));

        List<String> grid = row(md, "S1_D1_G1_K3");
        long gridFlops = ConvCase.S1_D1_G1_K3.flops();
        assertEquals(List.of(f(gridFlops / 5e-3 / 1e9), f(gridFlops / 0.5e-3 / 1e9), f(10.0)), grid.subList(1, 4));
    }

    /** NetworkBench's results: milliseconds per batch by thread count and ORT's time over vconv's, in model order. */
    @Test
    void wholeNetworksGetTheirOwnTable() throws ResultFileException {
        String net = PKG + "NetworkBench.";
        String json = "[" + String.join(",",
                entry(net + "vconv", "\"model\": \"mobilenetv2\", \"batch\": \"1\", \"threads\": \"1\"", 12.5, "ms/op", ""),
                entry(net + "vconv", "\"model\": \"resnet50\", \"batch\": \"1\", \"threads\": \"1\"", 110.0, "ms/op", ""),
                entry(net + "onnxruntime", "\"model\": \"resnet50\", \"batch\": \"1\", \"threads\": \"1\"", 82.5, "ms/op", ""),
                entry(net + "vconv", "\"model\": \"resnet50\", \"batch\": \"1\", \"threads\": \"2\"", 80.0, "ms/op", ""),
                entry(net + "onnxruntime", "\"model\": \"resnet50\", \"batch\": \"1\", \"threads\": \"2\"", 48000.0, "us/op", ""),
                entry(net + "vconv", "\"model\": \"vgg16\", \"batch\": \"1\", \"threads\": \"1\"", 1.0, "ms/op", "")) + "]";
        BenchReport report = BenchReport.of(JmhResultReader.parse("test", json), List.of());
        assertEquals(List.of("resnet50", "mobilenetv2"), report.networks().stream().map(BenchReport.NetworkRow::model).toList());
        String md = MarkdownReport.render(report);
        assertEquals(List.of("batch", "vconv 1T", "ORT 1T", "vconv/ORT 1T", "vconv 2T", "ORT 2T", "vconv/ORT 2T"),
                header(md, "Network"));
        assertEquals(List.of("1", "110.00", "82.50", f(82.5 / 110), "80.00", "48.00", f(48.0 / 80)), row(md, "resnet50"));
        assertEquals(List.of("1", "12.50", "-", "-", "-", "-", "-"), row(md, "mobilenetv2"));
        assertTrue(report.notes().stream().anyMatch(n -> n.contains("vgg16") && n.contains("unknown model")), report.notes()::toString);
        assertTrue(report.suite().isEmpty());
        String html = HtmlReport.render(report, "t", "e");
        assertTrue(html.contains("Whole networks: vconv / ONNX Runtime"), html);
        assertTrue(html.contains("resnet50 batch 1, vconv / ORT 2T: 0.600"), html);
    }

    /** One disturbed iteration moves the mean; the table reports the median iteration JMH gives. */
    @Test
    void theTableUsesTheMedianIterationNotTheMean() throws ResultFileException {
        String json = "[" + entry(PKG + "NetSuiteBench.simd", "\"layer\": \"" + LAYER + "\", \"threads\": \"1\"", 4.0, "ms/op", "")
                .replace("\"scorePercentiles\": {\"50.0\": 4.0}", "\"scorePercentiles\": {\"50.0\": 2.0}") + "]";
        String md = MarkdownReport.render(BenchReport.of(JmhResultReader.parse("test", json), List.of()));
        int simd1 = header(md, "Layer").indexOf("simd 1T");
        assertEquals(f(NetLayer.valueOf(LAYER).flops() / 2.0e-3 / 1e9), row(md, LAYER).get(simd1));
        String withoutPercentiles = json.replace("\"scorePercentiles\": {\"50.0\": 2.0}, ", "");
        md = MarkdownReport.render(BenchReport.of(JmhResultReader.parse("test", withoutPercentiles), List.of()));
        assertEquals(f(NetLayer.valueOf(LAYER).flops() / 4.0e-3 / 1e9), row(md, LAYER).get(simd1), "no percentiles: the mean");
    }

    @Test
    void suiteRowsFollowTheSuiteOrder() throws ResultFileException {
        BenchReport report = BenchReport.of(JmhResultReader.parse("test", suiteJson(false)), List.of());
        assertEquals(List.of(LAYER, OTHER), report.suite().stream().map(BenchReport.Row::name).toList());
    }

    @Test
    void withoutAPeakBenchmarkThePeakIsNotMeasuredRatherThanInvented() throws ResultFileException {
        BenchReport report = BenchReport.of(JmhResultReader.parse("test", suiteJson(false)), List.of());
        assertFalse(report.peak().measured());
        String md = MarkdownReport.render(report);
        assertTrue(md.contains("peak not measured"), md);
        assertFalse(md.contains("%|"), md);
        assertEquals("n/a", row(md, LAYER).get(6));
    }

    @Test
    void torchResultsJoinTheSuite() throws ResultFileException {
        BenchReport report = BenchReport.of(JmhResultReader.parse("test", suiteJson(false)),
                List.of(new TorchJson.Entry(LAYER, 1, 2e-3), new TorchJson.Entry(LAYER, 2, 1e-3)));
        String md = MarkdownReport.render(report);
        List<String> head = header(md, "Layer");
        int torch1 = head.indexOf("torch 1T");
        assertTrue(torch1 > 0, head.toString());
        assertEquals(f(NetLayer.valueOf(LAYER).flops() / 2e-3 / 1e9), row(md, LAYER).get(torch1));
    }

    @Test
    void unknownLayersAreNotedNotDropped() throws ResultFileException {
        String json = "[" + entry(PKG + "NetSuiteBench.simd", "\"layer\": \"no_such_layer\", \"threads\": \"1\"", 1.0,
                "ms/op", "") + "]";
        BenchReport report = BenchReport.of(JmhResultReader.parse("test", json), List.of());
        assertTrue(report.suite().isEmpty());
        assertEquals(1, report.notes().size());
        assertTrue(report.notes().get(0).contains("no_such_layer"));
    }

    @Test
    void malformedJsonIsRejectedWithAMessage() {
        ResultFileException e = org.junit.jupiter.api.Assertions.assertThrows(ResultFileException.class,
                () -> JmhResultReader.parse("test", "{\"benchmark\": 1}"));
        assertTrue(e.getMessage().contains("JSON array"), e.getMessage());
    }

    @Test
    void htmlHasAnSvgPerChartAndLoadsNothing() throws ResultFileException {
        BenchReport report = BenchReport.of(JmhResultReader.parse("test", suiteJson(true)), List.of());
        String html = HtmlReport.render(report, "vconv <test>", "env");
        // Charts: vconv / ORT, suite GFLOP/s, simd / scalar speedups, grid GFLOP/s.
        assertEquals(4, count(html, "<svg"));
        assertEquals(4, count(html, "</svg>"));
        assertTrue(html.indexOf("vconv / ONNX Runtime") < html.indexOf("GFLOP/s per layer"), "the ratio chart comes first");
        assertFalse(html.contains("http"), "the report must not link anything");
        assertFalse(html.contains("<script"));
        assertFalse(html.contains("<link"));
        assertTrue(html.contains("vconv &lt;test&gt;"));
        // The chart carries the same number as the table.
        double simd1 = NetLayer.valueOf(LAYER).flops() / 4.0e-3 / 1e9;
        assertTrue(html.contains(">" + f(simd1) + "</text>"), "bar label for simd 1T");
        assertTrue(html.contains("<td>" + f(simd1) + "</td>"), "table cell for simd 1T");
    }

    /** The ratio axis is log2, centred on 1.0, as wide as the data needs between 2x and 4x each way. */
    @Test
    void theRatioAxisIsLogarithmicAndCentredOnOne() {
        HtmlReport.RatioAxis axis = HtmlReport.RatioAxis.fitting(200, 720, List.of(List.of(Optional.of(2.0), Optional.of(0.5))));
        assertEquals(1, axis.doublings());
        assertEquals(560, axis.x(1), 1e-9);
        assertEquals(920, axis.x(2), 1e-9);
        assertEquals(200, axis.x(0.5), 1e-9);
        assertEquals(axis.x(1.25) - 560, 560 - axis.x(0.8), 1e-9, "reciprocals lie symmetric about 1.0");

        HtmlReport.RatioAxis wide = HtmlReport.RatioAxis.fitting(200, 720, List.of(List.of(Optional.of(3.0), Optional.empty())));
        assertEquals(2, wide.doublings());
        assertEquals(560 + 180, wide.x(2), 1e-9);

        HtmlReport.RatioAxis clipped = HtmlReport.RatioAxis.fitting(200, 720, List.of(List.of(Optional.of(100.0))));
        assertEquals(HtmlReport.RatioAxis.MAX_DOUBLINGS, clipped.doublings());
        assertEquals(920, clipped.x(100), 1e-9);
        assertTrue(clipped.clipped(100));
        assertFalse(clipped.clipped(3.9));
    }

    /** A bar grows from the 1.0 line: rightwards when vconv is faster, leftwards when slower, equal for 2x and 0.5x. */
    @Test
    void ratioBarsGrowFromTheOneLine() {
        String svg = HtmlReport.ratioChart(List.of("a", "b"), List.of("1T"),
                List.of(List.of(Optional.of(2.0)), List.of(Optional.of(0.5))));
        HtmlReport.RatioAxis axis = HtmlReport.RatioAxis.fitting(200, 720, List.of(List.of(Optional.of(2.0), Optional.of(0.5))));
        double[] faster = bar(svg, "a, 1T: 2.000");
        double[] slower = bar(svg, "b, 1T: 0.500");
        assertEquals(axis.centre(), faster[0], 0.05, "starts at 1.0");
        assertEquals(axis.centre(), slower[0] + slower[1], 0.05, "ends at 1.0");
        assertEquals(faster[1], slower[1], 0.05);
        assertTrue(svg.contains(String.format(Locale.ROOT, "<line x1=\"%.1f\"", axis.centre())), "the 1.0 line");
        assertTrue(svg.contains(">2.00x</text>") && svg.contains(">0.50x</text>"), svg);
    }

    /** The x and width of the bar whose tooltip is {@code title}. */
    private static double[] bar(String svg, String title) {
        Matcher m = Pattern.compile("<rect x=\"([0-9.]+)\" y=\"[0-9]+\" width=\"([0-9.]+)\"[^>]*><title>"
                + Pattern.quote(title) + "</title>").matcher(svg);
        assertTrue(m.find(), "no bar " + title + " in\n" + svg);
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
