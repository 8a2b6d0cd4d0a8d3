package dev.vconv.bench.gate;

import dev.vconv.bench.Main;
import dev.vconv.bench.results.SyntheticResults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code check} command end to end, on synthetic JMH result files. */
class CheckCommandTest {
    private static final String BENCH = "dev.vconv.bench.jmh.ConvBench.forward";
    private static final double NO_ALLOC = -1;

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private Run check(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 1];
        all[0] = "check";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = Main.run(all, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run check(SyntheticResults baseline, SyntheticResults current, String... options) {
        String[] args = new String[options.length + 2];
        args[0] = baseline.write(dir.resolve("baseline.json")).toString();
        args[1] = current.write(dir.resolve("current.json")).toString();
        System.arraycopy(options, 0, args, 2, options.length);
        return check(args);
    }

    @Test
    void realTenPercentSlowdownOverFiveForksIsCaught() {
        Run run = check(new SyntheticResults().add(BENCH, "avgt", "k3", 100, 0.01, 5, 1, NO_ALLOC),
                new SyntheticResults().add(BENCH, "avgt", "k3", 110, 0.01, 5, 2, NO_ALLOC));
        assertEquals(1, run.code(), run.out());
        assertTrue(run.out().contains("**REGRESSION**"), run.out());
        assertTrue(run.out().contains("| ConvBench.forward | conv=k3 | avgt |"), run.out());
    }

    @Test
    void threePercentNoiseWithoutRealChangeIsNotARegression() {
        // Forks scatter by 3%: single forks differ by more than the threshold, the means do not significantly.
        Run run = check(new SyntheticResults().add(BENCH, "avgt", "k3", 100, 0.03, 5, 3, NO_ALLOC),
                new SyntheticResults().add(BENCH, "avgt", "k3", 100, 0.03, 5, 4, NO_ALLOC));
        assertEquals(0, run.code(), run.out());
        assertTrue(run.out().contains("ok ("), run.out());
    }

    @Test
    void significantButSmallSlowdownIsWithinThreshold() {
        Run run = check(new SyntheticResults().add(BENCH, "avgt", "k3", 100, 0.002, 5, 5, NO_ALLOC),
                new SyntheticResults().add(BENCH, "avgt", "k3", 103, 0.002, 5, 6, NO_ALLOC));
        assertEquals(0, run.code(), run.out());
        assertTrue(run.out().contains("ok (within threshold)"), run.out());
    }

    @Test
    void improvementPassesAndIsReported() {
        Run run = check(new SyntheticResults().add(BENCH, "avgt", "k3", 100, 0.01, 5, 7, NO_ALLOC),
                new SyntheticResults().add(BENCH, "avgt", "k3", 80, 0.01, 5, 8, NO_ALLOC));
        assertEquals(0, run.code(), run.out());
        assertTrue(run.out().contains("improvement,"), run.out());
        assertTrue(run.out().contains("1 improvement(s)"), run.out());
    }

    @Test
    void throughputDropIsARegressionAndRiseAnImprovement() {
        Run drop = check(new SyntheticResults().add(BENCH, "thrpt", "k3", 50, 0.01, 5, 9, NO_ALLOC),
                new SyntheticResults().add(BENCH, "thrpt", "k3", 44, 0.01, 5, 10, NO_ALLOC));
        assertEquals(1, drop.code(), drop.out());
        Run rise = check(new SyntheticResults().add(BENCH, "thrpt", "k3", 50, 0.01, 5, 9, NO_ALLOC),
                new SyntheticResults().add(BENCH, "thrpt", "k3", 60, 0.01, 5, 10, NO_ALLOC));
        assertEquals(0, rise.code(), rise.out());
        assertTrue(rise.out().contains("improvement,"), rise.out());
    }

    @Test
    void withTwoForksDisjointConfidenceIntervalsDecide() {
        Run run = check(new SyntheticResults().add(BENCH, "avgt", "k3", 100, 0.002, 2, 11, NO_ALLOC),
                new SyntheticResults().add(BENCH, "avgt", "k3", 110, 0.002, 2, 12, NO_ALLOC));
        assertEquals(1, run.code(), run.out());
        assertTrue(run.out().contains("99% CI disjoint"), run.out());
    }

    @Test
    void allocationJumpIsCaughtEvenWhenTimeIsUnchanged() {
        Run run = check(new SyntheticResults().add(BENCH, "avgt", "k3", 100, 0.01, 5, 13, 1024),
                new SyntheticResults().add(BENCH, "avgt", "k3", 100, 0.01, 5, 14, 4096));
        assertEquals(1, run.code(), run.out());
        assertTrue(run.out().contains("**ALLOCATION REGRESSION**"), run.out());
    }

    @Test
    void allocationWithinSlackPasses() {
        // 0 -> 48 B/op stays below the 64-byte floor of the slack.
        Run run = check(new SyntheticResults().add(BENCH, "avgt", "k3", 100, 0.01, 5, 15, 0),
                new SyntheticResults().add(BENCH, "avgt", "k3", 100, 0.01, 5, 16, 48));
        assertEquals(0, run.code(), run.out());
    }

    @Test
    void jdkChangeIsNotComparable() {
        Run run = check(new SyntheticResults().add(BENCH, "avgt", "k3", 100, 0.01, 5, 17, NO_ALLOC),
                new SyntheticResults().jdk("25.0.2").add(BENCH, "avgt", "k3", 100, 0.01, 5, 18, NO_ALLOC));
        assertEquals(2, run.code(), run.out());
        assertTrue(run.out().contains("NOT COMPARABLE"), run.out());
        assertTrue(run.out().contains("jdkVersion: 25.0.1 vs 25.0.2"), run.out());
    }

    /**
     * The flag that silences JDK 25's Unsafe warning changes nothing measured: a baseline without it compares
     * with results that have it. Any other flag still makes the results not comparable.
     */
    @Test
    void theUnsafeWarningFlagIsIgnoredButOtherFlagsAreNot() {
        SyntheticResults baseline = new SyntheticResults().add(BENCH, "avgt", "k3", 100, 0.01, 5, 33, NO_ALLOC);
        SyntheticResults current = new SyntheticResults().add(BENCH, "avgt", "k3", 100, 0.01, 5, 34, NO_ALLOC);
        ((com.fasterxml.jackson.databind.node.ArrayNode) current.last().get("jvmArgs"))
                .insert(0, "--sun-misc-unsafe-memory-access=allow").add("--sun-misc-unsafe-memory-access=allow");
        Run run = check(baseline, current);
        assertEquals(0, run.code(), run.out());

        ((com.fasterxml.jackson.databind.node.ArrayNode) current.last().get("jvmArgs")).add("-Xmx2g");
        run = check(baseline, current);
        assertEquals(2, run.code(), run.out());
        assertTrue(run.out().contains("environment differs: jvmArgs"), run.out());
        assertTrue(run.out().contains("-Xmx2g"), run.out());
    }

    @Test
    void vectorWidthInEnvironmentObjectMustMatch() {
        SyntheticResults baseline = new SyntheticResults().add(BENCH, "avgt", "k3", 100, 0.01, 5, 19, NO_ALLOC);
        baseline.last().putObject("environment").put("vectorBits", 512).put("cpu", "Xeon 8375C");
        SyntheticResults current = new SyntheticResults().add(BENCH, "avgt", "k3", 100, 0.01, 5, 20, NO_ALLOC);
        current.last().putObject("environment").put("vectorBits", 256).put("cpu", "Xeon 8375C");
        Run run = check(baseline, current);
        assertEquals(2, run.code(), run.out());
        assertTrue(run.out().contains("environment.vectorBits: 512 vs 256"), run.out());
    }

    @Test
    void newAndMissingBenchmarksAreListedNotFailed() {
        Run run = check(new SyntheticResults().add(BENCH, "avgt", "k3", 100, 0.01, 5, 21, NO_ALLOC)
                        .add(BENCH, "avgt", "old", 100, 0.01, 5, 22, NO_ALLOC),
                new SyntheticResults().add(BENCH, "avgt", "k3", 100, 0.01, 5, 23, NO_ALLOC)
                        .add(BENCH, "avgt", "new", 100, 0.01, 5, 24, NO_ALLOC));
        assertEquals(0, run.code(), run.out());
        assertTrue(run.out().contains("New benchmarks"), run.out());
        assertTrue(run.out().contains("{conv=new}"), run.out());
        assertTrue(run.out().contains("Missing benchmarks"), run.out());
        assertTrue(run.out().contains("{conv=old}"), run.out());
    }

    @Test
    void malformedFilesGiveExitTwoWithAMessage() throws IOException {
        Path good = new SyntheticResults().add(BENCH, "avgt", "k3", 100, 0.01, 5, 25, NO_ALLOC).write(dir.resolve("good.json"));
        Path notJson = Files.writeString(dir.resolve("notjson.json"), "{ this is not json");
        Path notArray = Files.writeString(dir.resolve("object.json"), "{\"benchmark\": \"x\"}");
        SyntheticResults noScore = new SyntheticResults().add(BENCH, "avgt", "k3", 100, 0.01, 5, 26, NO_ALLOC);
        ((com.fasterxml.jackson.databind.node.ObjectNode) noScore.last().get("primaryMetric")).remove("score");
        SyntheticResults nanScore = new SyntheticResults().add(BENCH, "avgt", "k3", 100, 0.01, 5, 27, NO_ALLOC);
        ((com.fasterxml.jackson.databind.node.ObjectNode) nanScore.last().get("primaryMetric")).put("score", "NaN");

        assertBadInput(check(good.toString(), notJson.toString()), "not valid JSON");
        assertBadInput(check(good.toString(), notArray.toString()), "expected a JSON array");
        assertBadInput(check(good.toString(), noScore.write(dir.resolve("noscore.json")).toString()),
                "missing field 'primaryMetric.score'");
        assertBadInput(check(good.toString(), nanScore.write(dir.resolve("nan.json")).toString()),
                "'primaryMetric.score' must be a finite number, but got \"NaN\"");
        assertBadInput(check(good.toString(), dir.resolve("absent.json").toString()), "cannot read");
    }

    private static void assertBadInput(Run run, String expected) {
        assertEquals(2, run.code(), run.out() + run.err());
        assertTrue(run.err().contains(expected), "expected '" + expected + "' in: " + run.err());
        assertFalse(run.err().contains("Exception\n\tat "), run.err());
    }

    @Test
    void updateBaselineCopiesOnlyAfterAPass() throws IOException {
        SyntheticResults baseline = new SyntheticResults().add(BENCH, "avgt", "k3", 100, 0.01, 5, 28, NO_ALLOC);
        Run failed = check(baseline, new SyntheticResults().add(BENCH, "avgt", "k3", 130, 0.01, 5, 29, NO_ALLOC), "--update-baseline");
        assertEquals(1, failed.code());
        assertTrue(failed.out().contains("Baseline not updated"));
        assertFalse(Files.readString(dir.resolve("baseline.json")).equals(Files.readString(dir.resolve("current.json"))));

        Run passed = check(baseline, new SyntheticResults().add(BENCH, "avgt", "k3", 100, 0.01, 5, 30, NO_ALLOC), "--update-baseline");
        assertEquals(0, passed.code(), passed.out());
        assertEquals(Files.readString(dir.resolve("current.json")), Files.readString(dir.resolve("baseline.json")));
    }

    @Test
    void thresholdOptionIsParsedAndValidated() {
        // A 10% slowdown passes a 15% threshold.
        Run lenient = check(new SyntheticResults().add(BENCH, "avgt", "k3", 100, 0.01, 5, 31, NO_ALLOC),
                new SyntheticResults().add(BENCH, "avgt", "k3", 110, 0.01, 5, 32, NO_ALLOC), "--threshold", "15%");
        assertEquals(0, lenient.code(), lenient.out());
        Run bad = check(new SyntheticResults().add(BENCH, "avgt", "k3", 100, 0.01, 5, 31, NO_ALLOC),
                new SyntheticResults().add(BENCH, "avgt", "k3", 110, 0.01, 5, 32, NO_ALLOC), "--threshold=-3%");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--threshold must be a percentage in (0, 1000), like 5%, but got '-3%'"), bad.err());
    }
}
