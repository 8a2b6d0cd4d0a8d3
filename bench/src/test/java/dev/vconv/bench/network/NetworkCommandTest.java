package dev.vconv.bench.network;

import dev.vconv.bench.Main;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The {@code network} command: its output ends in the ratio line; bad arguments are usage errors that say why. */
class NetworkCommandTest {

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A short run, first results in fresh JVMs included (the test JVM's class path has every class they need). */
    @Test
    void printsTheFiguresAndEndsWithTheRatio() {
        Run r = run("network", "--model", "mobilenetv2", "--batch", "1", "--threads", "1", "--seconds", "0.3", "--warmup", "0.3",
                "--cold-runs", "1", "--profile");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertTrue(lines.get(lines.size() - 1).matches("vconv/ORT = \\d+\\.\\d\\d"), lines.get(lines.size() - 1));
        assertTrue(r.out().contains("logits: vconv and ONNX Runtime differ by at most"), r.out());
        assertTrue(r.out().matches("(?s).*\\n  vconv +\\d+\\.\\d\\d ms per batch.*"), r.out());
        assertTrue(r.out().matches("(?s).*\\n  ORT +\\d+ ms +\\(session \\d+ \\+ first run \\d+.*"), r.out());
        assertTrue(r.out().contains("features.2.conv.0.0") && r.out().contains("classifier.1"), "the profile lists every step");
    }

    @ParameterizedTest
    @CsvSource(delimiterString = " => ", value = {
            "--model resnet18 --batch 1 --threads 1 => --model must be one of [resnet50, mobilenetv2], but got 'resnet18'",
            "--model resnet50 --batch 0 --threads 1 => --batch must be at least 1, but got 0",
            "--model resnet50 --batch 1 --threads x => --threads must be an integer, but got 'x'",
            "--model resnet50 --batch 1 => network needs --model resnet50|mobilenetv2, --batch N and --threads T",
            "--model resnet50 --batch 1 --threads 1 --seconds -1 => --seconds must be a positive number of seconds, but got -1",
            "--model resnet50 --batch 1 --threads 1 --runtime ort => unknown option '--runtime' for network",
            "--model resnet50 --batch 1 --threads 1 --frobnicate 3 => unknown option '--frobnicate' for network",
            "--model resnet50 --batch 1 --threads => --threads needs a value"})
    void badArgumentsAreUsageErrors(String args, String message) {
        String[] a = ("network " + args).split(" ");
        Run r = run(a);
        assertEquals(2, r.code());
        assertEquals(message, r.err().lines().findFirst().orElse(""));
    }

    @Test
    void measuredCallsAlternateInWholeBlocksAndSplitIntoFirstAndRest() {
        StringBuilder order = new StringBuilder();
        NetworkCommand.Alternation alt = NetworkCommand.alternate(() -> order.append('a'), () -> order.append('b'), 0.001, 1e-9);
        int block = alt.block();
        assertTrue(block >= 1 && block <= 1000, "block of " + block + " calls");
        assertEquals(alt.a().length, alt.b().length, "each runtime runs as many measured calls");
        assertEquals(0, alt.a().length % block, alt.a().length + " calls in blocks of " + block);
        // The measured calls are the last ones: blocks of a then blocks of b, never mixed.
        String measured = order.substring(order.length() - 2 * alt.a().length);
        for (int i = 0; i < measured.length(); i++) {
            char want = (i / block) % 2 == 0 ? 'a' : 'b';
            assertEquals(want, measured.charAt(i), "call " + i + " of the measured rounds");
        }
        int blocks = alt.a().length / block;
        assertEquals(blocks, alt.firstOfBlock(alt.a()).length);
        assertEquals(alt.a().length - blocks, alt.restOfBlock(alt.a()).length);
        double[] times = new double[alt.a().length];
        for (int i = 0; i < times.length; i++) {
            times[i] = i % block == 0 ? -1 : i;
        }
        for (double t : alt.firstOfBlock(times)) {
            assertEquals(-1, t);
        }
        for (double t : alt.restOfBlock(times)) {
            assertTrue(t > 0);
        }
    }
}
