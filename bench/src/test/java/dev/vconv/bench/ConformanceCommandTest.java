package dev.vconv.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The conformance runner end to end on small synthetic files: a hand-computed case, a corrupted expected
 * value, malformed lines, and the ops that are skipped.
 */
class ConformanceCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
        String closingLine() {
            String[] lines = out.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    private static Run main(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * X = [[0,1,2],[3,4,5],[6,7,8]] and K = [[0,1],[2,3]], no padding, no bias: out = [[19,25],[37,43]]
     * (top left: 0*0 + 1*1 + 3*2 + 4*3 = 19). Integer-valued, so exact.
     */
    private static ObjectNode tinyCase(String id, float[] expected) {
        ObjectNode c = JSON.createObjectNode();
        c.put("id", id).put("op", "conv2d").put("category", "synthetic");
        c.put("n", 1).put("cin", 1).put("h", 3).put("w", 3).put("cout", 1).put("kh", 2).put("kw", 2);
        c.putArray("stride").add(1).add(1);
        c.putArray("pad").add(0).add(0).add(0).add(0);
        c.putArray("dilation").add(1).add(1);
        c.put("groups", 1).put("padding_mode", "zeros").put("padding_spec", "explicit").put("values", "int").put("exact", true);
        c.putArray("input_shape").add(1).add(1).add(3).add(3);
        c.putArray("weight_shape").add(1).add(1).add(2).add(2);
        c.putNull("bias_shape");
        c.putArray("output_shape").add(1).add(1).add(2).add(2);
        c.putObject("reduction_length").put("output", 4);
        c.put("input", encode(0, 1, 2, 3, 4, 5, 6, 7, 8));
        c.put("weight", encode(0, 1, 2, 3));
        c.putNull("bias");
        c.put("output", encode(expected));
        return c;
    }

    private static String encode(float... values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            bytes.putFloat(v);
        }
        return Base64.getEncoder().encodeToString(bytes.array());
    }

    private Path file(String... lines) throws IOException {
        return Files.write(dir.resolve("cases.jsonl"), List.of(lines), StandardCharsets.UTF_8);
    }

    @Test
    void handComputedCasePassesOnEveryEngine() throws IOException {
        Path file = file(tinyCase("tiny_0001", new float[] {19, 25, 37, 43}).toString());
        for (String engine : List.of("reference", "scalar")) {
            Run run = main("conformance", file.toString(), "--engine", engine);
            assertEquals(0, run.code(), run.out() + run.err());
            assertEquals("1 passed, 0 failed, 0 skipped", run.closingLine());
        }
        Run all = main("conformance-all", file.toString());
        assertEquals(0, all.code(), all.out());
        assertTrue(all.out().contains("reference: 1 passed, 0 failed, 0 skipped"), all.out());
    }

    @Test
    void corruptedExpectedValueFailsWithTheWorstElement() throws IOException {
        Path file = file(tinyCase("tiny_0002", new float[] {19, 25, 37, 44}).toString());
        Run run = main("conformance", file.toString());
        assertEquals(1, run.code(), run.out());
        assertEquals("0 passed, 1 failed, 0 skipped", run.closingLine());
        assertTrue(run.out().contains("FAIL tiny_0002 [synthetic] worst element [0, 0, 1, 1] (flat 3): expected 44.0, got 43.0"),
                run.out());
    }

    @Test
    void oneUlpOffFailsAnExactCaseButPassesWithTolerance() throws IOException {
        float off = Math.nextUp(43f);
        ObjectNode exact = tinyCase("tiny_exact", new float[] {19, 25, 37, off});
        ObjectNode tolerant = tinyCase("tiny_tolerant", new float[] {19, 25, 37, off}).put("exact", false);
        Run run = main("conformance", file(exact.toString(), tolerant.toString()).toString());
        assertEquals("1 passed, 1 failed, 0 skipped", run.closingLine());
        assertTrue(run.out().contains("FAIL tiny_exact"), run.out());
        assertTrue(run.out().contains("exact match required"), run.out());
    }

    @Test
    void malformedLinesAreReportedByLineAndFieldWithoutException() throws IOException {
        ObjectNode missing = tinyCase("tiny_missing", new float[] {19, 25, 37, 43});
        missing.remove("weight");
        ObjectNode negative = tinyCase("tiny_negative", new float[] {19, 25, 37, 43}).put("h", -3);
        ObjectNode huge = tinyCase("tiny_huge", new float[] {19, 25, 37, 43}).put("n", 1_000_000).put("cin", 1_000_000);
        huge.putArray("input_shape").add(1_000_000).add(1_000_000).add(3).add(3);
        ObjectNode nan = tinyCase("tiny_nan", new float[] {19, 25, 37, 43}).put("kh", Double.NaN);
        ObjectNode shortTensor = tinyCase("tiny_short", new float[] {19, 25, 37});
        Path file = file("{not json", missing.toString(), negative.toString(), huge.toString(), nan.toString(),
                shortTensor.toString(), tinyCase("tiny_ok", new float[] {19, 25, 37, 43}).toString());
        Run run = main("conformance", file.toString());
        assertEquals(1, run.code(), run.out());
        assertEquals("1 passed, 6 failed, 0 skipped", run.closingLine());
        assertTrue(run.out().contains("FAIL line 1: not valid JSON"), run.out());
        assertTrue(run.out().contains("FAIL line 2 (tiny_missing): missing field 'weight'"), run.out());
        assertTrue(run.out().contains("FAIL line 3 (tiny_negative): field 'h' must be in [1, 1048576], but got -3"), run.out());
        assertTrue(run.out().contains("FAIL line 4 (tiny_huge): "), run.out());
        assertTrue(run.out().contains("FAIL line 5 (tiny_nan): field 'kh' must be an integer"), run.out());
        assertTrue(run.out().contains("FAIL line 6 (tiny_short): field 'output' decodes to 12 bytes, but a float32 tensor of size [1, 1, 2, 2] needs 16"),
                run.out());
        assertFalse(run.out().contains("Exception"), run.out());
        assertEquals("", run.err());
    }

    @Test
    void backwardAndTransposedCasesRunAndAreJudged() throws IOException {
        List<String> bundled;
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(
                ConformanceCommandTest.class.getResourceAsStream("/conformance/cases.jsonl"), StandardCharsets.UTF_8))) {
            bundled = in.lines().toList();
        }
        String backward = bundled.stream().filter(l -> l.contains("\"op\":\"conv2d_backward\"")).findFirst().orElseThrow();
        String transposed = bundled.stream().filter(l -> l.contains("\"op\":\"conv_transpose2d\"")).findFirst().orElseThrow();
        Run run = main("conformance", file(backward, transposed).toString(), "--engine", "scalar", "--verbose");
        assertEquals(0, run.code(), run.out());
        assertEquals("2 passed, 0 failed, 0 skipped", run.closingLine());
        assertTrue(run.out().contains("PASS conv2d_backward_0001 [backward]"), run.out());
        assertTrue(run.out().contains("grad_weight: "), run.out());

        // A grad_bias that PyTorch did not compute: the case fails and names the gradient.
        ObjectNode corrupted = (ObjectNode) new ObjectMapper().readTree(backward);
        float[] wrongBias = new float[corrupted.get("bias_shape").get(0).asInt()];
        ByteBuffer bytes = ByteBuffer.allocate(wrongBias.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : wrongBias) {
            bytes.putFloat(v + 1000f);
        }
        corrupted.put("grad_bias", Base64.getEncoder().encodeToString(bytes.array()));
        Run bad = main("conformance", file(corrupted.toString()).toString(), "--engine", "reference");
        assertEquals(1, bad.code(), bad.out());
        assertEquals("0 passed, 1 failed, 0 skipped", bad.closingLine());
        assertTrue(bad.out().contains("grad_bias"), bad.out());
    }

    @Test
    void fusedCasesRunAndAreJudged() throws IOException {
        List<String> bundled;
        try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(
                ConformanceCommandTest.class.getResourceAsStream("/conformance/cases.jsonl"), StandardCharsets.UTF_8))) {
            bundled = in.lines().toList();
        }
        String withBatchNorm = bundled.stream().filter(l -> l.contains("\"op\":\"conv2d_fused\"") && l.contains("\"folded_bias\"")
                && !l.contains("\"residual\":null")).findFirst().orElseThrow();
        String exact = bundled.stream().filter(l -> l.contains("\"category\":\"fused_int_exact\"")).findFirst().orElseThrow();
        Run run = main("conformance", file(withBatchNorm, exact).toString(), "--engine", "scalar", "--verbose");
        assertEquals(0, run.code(), run.out());
        assertEquals("2 passed, 0 failed, 0 skipped", run.closingLine());
        assertTrue(run.out().contains("PASS conv2d_fused_"), run.out());

        ObjectMapper mapper = new ObjectMapper();
        ObjectNode badFold = (ObjectNode) mapper.readTree(withBatchNorm);
        ObjectNode bn = (ObjectNode) badFold.get("batch_norm");
        float[] folded = decode(bn.get("folded_bias").asText());
        folded[0] = Math.nextUp(folded[0]);
        bn.put("folded_bias", encode(folded));
        ObjectNode badOutput = (ObjectNode) mapper.readTree(exact);
        float[] output = decode(badOutput.get("output").asText());
        output[output.length - 1] += 1;
        badOutput.put("output", encode(output));
        ObjectNode unknown = ((ObjectNode) mapper.readTree(exact)).put("activation", "swish");
        ObjectNode alphaAlone = ((ObjectNode) mapper.readTree(withBatchNorm)).putNull("residual");
        ObjectNode clampOneBound = ((ObjectNode) mapper.readTree(exact)).put("activation", "clamp");
        clampOneBound.putArray("activation_params").add(1.0);
        Run bad = main("conformance", file(badFold.toString(), badOutput.toString(), unknown.toString(), alphaAlone.toString(),
                clampOneBound.toString()).toString(), "--engine", "reference");
        assertEquals(1, bad.code(), bad.out());
        assertEquals("0 passed, 5 failed, 0 skipped", bad.closingLine());
        assertTrue(bad.out().contains("folded bias differs at flat index 0"), bad.out());
        assertTrue(bad.out().contains("exact match required"), bad.out());
        assertTrue(bad.out().contains("field 'activation' must be one of identity, relu"), bad.out());
        assertTrue(bad.out().contains("field 'alpha' must be null when 'residual' is null"), bad.out());
        assertTrue(bad.out().contains("field 'activation_params' must hold 2 numbers for clamp, but got 1"), bad.out());
        assertFalse(bad.out().contains("Exception"), bad.out());
    }

    private static float[] decode(String base64) {
        java.nio.FloatBuffer floats = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        float[] values = new float[floats.remaining()];
        floats.get(values);
        return values;
    }

    @Test
    void usageErrorsExitTwo() throws IOException {
        assertEquals(2, main().code());
        assertEquals(2, main("frobnicate").code());
        assertEquals(2, main("conformance").code());
        assertEquals(2, main("conformance", dir.resolve("absent.jsonl").toString()).code());
        Run badEngine = main("conformance", file().toString(), "--engine", "gpu");
        assertEquals(2, badEngine.code());
        assertTrue(badEngine.err().contains("engine must be one of reference|scalar|simd"), badEngine.err());
    }

    @Test
    void simdEngineIsUsedOrItsAbsenceExplained() throws IOException {
        Path file = file(tinyCase("tiny", new float[] {19, 25, 37, 43}).toString());
        Run run = main("conformance", file.toString(), "--engine", "simd");
        if (EngineCatalog.simdUnavailableReason() == null) {
            assertEquals(0, run.code(), run.out() + run.err());
        } else {
            assertEquals(2, run.code());
            assertTrue(run.err().contains("simd engine is not available"), run.err());
        }
    }
}
