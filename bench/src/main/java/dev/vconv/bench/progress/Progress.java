package dev.vconv.bench.progress;

import dev.vconv.bench.results.Units;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * What a benchmark run shows on the console: a line per benchmark with the count done, the total and an
 * estimate of the time left, then one line for the whole run. Benchmarks that differ only in their
 * {@value #SHARED_LINE_PARAM} parameter run one after the other and share a line, so the suite's five paths x
 * 18 layers take 54 lines, not 90:
 * <pre>
 * [ 62/108] NetSuiteBench.simd layer=resnet_3x3_64x56  threads=1 2.42 ms  threads=2 1.37 ms  ETA 2:10
 * </pre>
 * The time is the median iteration, as in the report's table. A benchmark that ends without a result (its
 * {@code @Setup} check failed, its fork died) shows {@code FAILED} and the first line of JMH's
 * {@code <failure>} text; the whole text is in JMH's log.
 *
 * <p>The estimate is the mean time per finished benchmark times the benchmarks left: the benchmarks of a
 * profile share one iteration setting, so they take about as long as each other.
 */
public final class Progress {

    /** The parameter whose values share a line. */
    static final String SHARED_LINE_PARAM = "threads";

    /** A failure's reason is cut to this many characters; the log has all of it. */
    static final int MAX_REASON = 100;

    private final PrintStream console;
    private final int total;
    private final LongSupplier nanoTime;

    private long startNanos = -1;
    private int done;
    private int failed;
    /** The benchmark started and not yet finished, or null. */
    private String running;
    /** The line being collected: its group and its parts. */
    private String lineHead;
    private final List<String> lineParts = new ArrayList<>();
    /** JMH's {@code <failure>} text of the running benchmark: expecting it, and its first line. */
    private boolean failureFollows;
    private String failureReason;

    /**
     * @param total    the benchmarks the run will execute ({@link BenchmarkPlan#size()})
     * @param nanoTime the clock, {@link System#nanoTime} but in tests
     */
    public Progress(PrintStream console, int total, LongSupplier nanoTime) {
        this.console = console;
        this.total = total;
        this.nanoTime = nanoTime;
    }

    /** A benchmark starts; one still running without a result has failed. */
    public synchronized void started(String benchmark, SortedMap<String, String> params) {
        if (running != null) {
            failed();
        }
        if (startNanos < 0) {
            startNanos = nanoTime.getAsLong();
        }
        SortedMap<String, String> shared = new TreeMap<>(params);
        String value = shared.remove(SHARED_LINE_PARAM);
        String head = shortName(benchmark) + paramsText(shared);
        if (!head.equals(lineHead)) {
            printLine();
            lineHead = head;
        }
        running = value == null ? "" : SHARED_LINE_PARAM + "=" + value + " ";
        failureFollows = false;
        failureReason = null;
    }

    /** The running benchmark finished; {@code score} in {@code unit} (JMH's), its median iteration. */
    public synchronized void finished(double score, String unit) {
        if (running == null) {
            return;
        }
        lineParts.add(running + formatScore(score, unit));
        running = null;
        done++;
    }

    /** A line of JMH's output: the first line after {@code <failure>} is the reason the running benchmark failed. */
    public synchronized void jmhOutput(String text) {
        if (running == null || text == null) {
            return;
        }
        if (text.equals("<failure>")) {
            failureFollows = true;
        } else if (failureFollows && !text.isBlank() && failureReason == null) {
            failureReason = text.strip().lines().findFirst().orElse("");
            failureFollows = false;
        } else if (text.startsWith("<forked VM failed") && failureReason == null) {
            failureReason = text.replaceAll("[<>]", "");
        }
    }

    /** The run ended: prints the last line and a summary of the run. */
    public synchronized void end() {
        if (running != null) {
            failed();
        }
        printLine();
        long elapsed = startNanos < 0 ? 0 : nanoTime.getAsLong() - startNanos;
        console.println("ran " + done + " of " + total + " benchmarks in " + duration(elapsed)
                + (failed == 0 ? "" : ", " + failed + " FAILED (the reasons in full are in JMH's log)"));
        console.flush();
    }

    private void failed() {
        String reason = failureReason == null ? "no result" : failureReason;
        if (reason.length() > MAX_REASON) {
            reason = reason.substring(0, MAX_REASON - 3) + "...";
        }
        lineParts.add(running + "FAILED: " + reason);
        running = null;
        done++;
        failed++;
    }

    private void printLine() {
        if (lineHead == null || lineParts.isEmpty()) {
            return;
        }
        int width = Integer.toString(total).length();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "[%" + width + "d/%d] ", done, total))
                .append(lineHead).append("  ").append(String.join("  ", lineParts));
        if (done < total && done > 0) {
            long elapsed = nanoTime.getAsLong() - startNanos;
            line.append("  ETA ").append(duration(elapsed / done * (total - done)));
        }
        console.println(line);
        console.flush();
        lineParts.clear();
    }

    /** {@code dev.vconv.bench.jmh.NetSuiteBench.simd} becomes {@code NetSuiteBench.simd}. */
    static String shortName(String benchmark) {
        int method = benchmark.lastIndexOf('.');
        int type = method <= 0 ? -1 : benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(type + 1);
    }

    private static String paramsText(Map<String, String> params) {
        StringBuilder text = new StringBuilder();
        params.forEach((name, value) -> text.append(' ').append(name).append('=').append(value));
        return text.toString();
    }

    /**
     * A score as a time per call in s, ms, us or ns with three significant digits ({@code 2.42 ms}), or as JMH
     * gave it where the unit is not a time ({@code 12.5 ops/s} is shown as {@code 80.0 ms}).
     */
    static String formatScore(double score, String unit) {
        double seconds;
        try {
            seconds = Units.secondsPerOp(score, unit);
        } catch (IllegalArgumentException e) {
            return threeDigits(score) + " " + unit;
        }
        String[] names = {"s", "ms", "us", "ns"};
        double scale = 1;
        for (String name : names) {
            // 999.7 ms rounds to 1.00 s, not to "1.00e+03 ms".
            if (Math.abs(seconds) * scale >= 0.9995 || name.equals("ns")) {
                return threeDigits(seconds * scale) + " " + name;
            }
            scale *= 1000;
        }
        throw new AssertionError("unreachable");
    }

    private static String threeDigits(double value) {
        if (!Double.isFinite(value)) {
            return Double.toString(value);
        }
        if (Math.abs(value) >= 999.5) {
            return String.format(Locale.ROOT, "%.0f", value);
        }
        return String.format(Locale.ROOT, "%.3g", value);
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour on. */
    static String duration(long nanos) {
        long seconds = Math.max(0, Math.round(nanos / 1e9));
        long hours = seconds / 3600;
        long minutes = seconds / 60 % 60;
        long secs = seconds % 60;
        return hours > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", hours, minutes, secs)
                : String.format(Locale.ROOT, "%d:%02d", minutes, secs);
    }
}
