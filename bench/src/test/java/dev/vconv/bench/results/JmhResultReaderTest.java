package dev.vconv.bench.results;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one reader of JMH's JSON, on what JMH writes: {@code jmh-quick-sample.json} holds three results of a real
 * {@code bench quick --forks 2} run (commit 219c6f3, stamped with the environment), picked out of its JSON array
 * and written back with Python's {@code json.dump(indent=4)}: the fields and values are JMH's.
 */
class JmhResultReaderTest {

    private static String sample() throws IOException {
        try (InputStream in = JmhResultReaderTest.class.getResourceAsStream("/results/jmh-quick-sample.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsEveryFieldTheReportAndTheGateUseFromJmhsOwnOutput() throws Exception {
        List<JmhResult> results = JmhResultReader.parse("sample", sample());
        assertEquals(3, results.size());

        JmhResult grid = results.get(0);
        assertEquals("dev.vconv.bench.jmh.GridBench.scalar", grid.benchmark());
        assertEquals("GridBench", grid.className());
        assertEquals("scalar", grid.method());
        assertEquals("avgt", grid.mode());
        assertEquals(Map.of("conv", "S1_D1_G1_K3"), grid.params());
        assertEquals("dev.vconv.bench.jmh.GridBench.scalar avgt {conv=S1_D1_G1_K3}", grid.key());
        assertEquals(1, grid.threads());
        assertEquals("ms/op", grid.unit());
        assertEquals(3.077083930372284, grid.score());
        assertEquals(2.6535874694256756, grid.median());
        assertEquals(3.0188189272249675, grid.scoreError());
        assertEquals(2, grid.forks().length);
        assertArrayEquals(new double[] {2.391348211764706, 2.5710005875, 2.412646094117647}, grid.forks()[0]);
        assertEquals(136.5447734499205, grid.allocBytesPerOp());
        assertEquals(2.6535874694256756e-3, grid.secondsPerOp(), 1e-18, "the median, in seconds");
        assertEquals("512", grid.environment().extra().get("vectorBits"));
        assertEquals("25.0.3", grid.environment().jdkVersion());
        assertTrue(grid.environment().jvmArgs().contains("-Xmx1g"), grid.environment().toString());

        JmhResult simd = results.get(1);
        assertEquals(Map.of("layer", "resnet_3x3_64x56", "threads", "2"), simd.params());
        assertEquals("layer=resnet_3x3_64x56, threads=2", simd.paramsText());

        JmhResult peak = results.get(2);
        assertEquals("25165824", peak.params().get("flopsPerOp"));
        assertEquals("B/op", peak.secondary().get(JmhResult.ALLOC_METRIC).unit());
        assertTrue(peak.secondary().containsKey("gc.count"), peak.secondary().toString());
    }

    /** JMH writes "NaN" for an error it cannot compute (one iteration) and may omit percentiles: both optional. */
    @Test
    void whatJmhLeavesOutOrWritesAsNanIsNaNNotAnError() throws Exception {
        String json = sample().replace("\"scoreError\": 3.0188189272249675", "\"scoreError\": \"NaN\"")
                .replaceFirst("\"scorePercentiles\": \\{[^}]*\\},", "");
        JmhResult grid = JmhResultReader.parse("sample", json).get(0);
        assertTrue(Double.isNaN(grid.scoreError()));
        assertTrue(Double.isNaN(grid.median()));
        assertEquals(3.077083930372284e-3, grid.secondsPerOp(), 1e-18, "no median: the mean");
    }

    @Test
    void withoutTheGcProfilerThereIsNoAllocationFigure() throws Exception {
        String json = sample().replace("\"gc.alloc.rate.norm\"", "\"gc.other\"");
        assertNull(JmhResultReader.parse("sample", json).get(0).allocBytesPerOp());
    }

    @Test
    void aThreadCountThatIsNotAPositiveWholeNumberIsRejectedByName() {
        ResultFileException e = assertThrows(ResultFileException.class,
                () -> JmhResultReader.parse("sample", sample().replaceFirst("\"threads\": 1", "\"threads\": 0")));
        assertTrue(e.getMessage().contains("field 'threads' must be a positive whole number, but got 0"), e.getMessage());
        assertTrue(e.getMessage().contains("GridBench.scalar"), e.getMessage());
    }

    @Test
    void unitsConvertToSecondsPerOp() {
        assertEquals(2e-3, Units.secondsPerOp(2, "ms/op"), 1e-15);
        assertEquals(2e-6, Units.secondsPerOp(2, "us/op"), 1e-18);
        assertEquals(5e-4, Units.secondsPerOp(2, "ops/ms"), 1e-15);
        assertEquals(0.5, Units.secondsPerOp(2, "ops/s"), 1e-15);
    }
}
