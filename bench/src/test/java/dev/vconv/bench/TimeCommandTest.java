package dev.vconv.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.Shape;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * {@code Main time}: what it times and prints, and the usage errors, each naming what is wrong. The speeds it
 * prints are not checked (no timed assertions): only that a line of them is there.
 */
class TimeCommandTest {

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void parsesKeyValueLayersWithTheirDefaults() {
        TimeCommand.Layer layer = TimeCommand.parse("cin=8,h=9,w=11,cout=6,kh=3,kw=1,stride=2,sw=1,pad=1,left=0,groups=2,bias=true,n=3");
        ConvSpec expected = ConvSpec.builder(8, 6, 3, 1).stride(2, 1).padding(1, 1, 0, 1).groups(2).bias(true).build();
        assertEquals(expected.toString(), layer.spec().toString());
        assertEquals(Shape.of(3, 8, 9, 11), layer.shape());
        TimeCommand.Layer square = TimeCommand.parse("cin=4,h=7,cout=5,k=3");
        assertEquals(ConvSpec.builder(4, 5, 3).bias(false).build().toString(), square.spec().toString());
        assertEquals(Shape.of(1, 4, 7, 7), square.shape());
        TimeCommand.Layer suite = TimeCommand.parse("lenet_5x5_32to64x28");
        assertEquals(Shape.of(1, 32, 28, 28), suite.shape());
    }

    @Test
    void timesALayerAndPrintsItsPathAndSpeeds() {
        Run run = run("time", "cin=4,h=9,cout=8,k=3,pad=1", "--seconds", "0.05", "--warmup", "0.05", "--bits", "128");
        assertEquals(Main.EXIT_OK, run.code(), run.err());
        assertTrue(run.out().contains("on [1, 4, 9, 9], simd-128, 1 thread: "), run.out());
        assertTrue(run.out().matches("(?s).*p10 [0-9.]+  p50 [0-9.]+  p90 [0-9.]+ GFLOP/s  \\(p50 [0-9.]+ ms, [0-9]+ calls\\)  "
                + "allocated -?[0-9]+ B/call\\s*"), run.out());
    }

    @Test
    void badInputIsAUsageErrorThatSaysWhy() {
        assertUsage("time needs a layer", "time");
        assertUsage("is neither a suite layer", "time", "resnet_nothing");
        assertUsage("k (or kh and kw) is required", "time", "cin=4,h=9,cout=8");
        assertUsage("cout is required", "time", "cin=4,h=9,k=3");
        assertUsage("'depth=3' is not one of", "time", "cin=4,h=9,cout=8,k=3,depth=3");
        assertUsage("stride=two is not an integer", "time", "cin=4,h=9,cout=8,k=3,stride=two");
        assertUsage("bias=yes must be true or false", "time", "cin=4,h=9,cout=8,k=3,bias=yes");
        assertUsage("k is given twice", "time", "cin=4,h=9,cout=8,k=3,k=5");
        assertUsage("Kernel size can't be greater than actual input size", "time", "cin=4,h=2,cout=8,k=5");
        assertUsage("--threads 0: must be a positive integer", "time", "lenet_5x5_32to64x28", "--threads", "0");
        assertUsage("--seconds -1: must be seconds", "time", "lenet_5x5_32to64x28", "--seconds", "-1");
        assertUsage("--bits needs a value", "time", "lenet_5x5_32to64x28", "--bits");
        assertUsage("unknown option '--fast'", "time", "lenet_5x5_32to64x28", "--fast", "1");
        assertUsage("time takes one layer", "time", "lenet_5x5_32to64x28", "resnet_3x3_64x56");
    }

    private static void assertUsage(String message, String... args) {
        Run run = run(args);
        assertEquals(Main.EXIT_USAGE, run.code(), String.join(" ", args) + ": " + run.out() + run.err());
        assertTrue(run.err().contains(message), "expected '" + message + "' in: " + run.err());
        assertTrue(run.out().isEmpty(), run.out());
    }
}
