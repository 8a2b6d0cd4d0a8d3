package dev.vconv.bench.gate;

import dev.vconv.bench.results.JmhResult;
import java.util.List;

/**
 * The outcome of a {@link RegressionGate} check, with its Markdown rendering.
 *
 * @param threshold    the slowdown tolerated, as a fraction
 * @param rows         one per benchmark present in both files, in the current file's order
 * @param added        keys of benchmarks only in the current file (listed, not judged)
 * @param missing      keys of benchmarks only in the baseline (listed, not judged)
 * @param incomparable reasons the files cannot be compared; non-empty means no verdict at all
 */
public record GateReport(double threshold, List<Row> rows, List<String> added, List<String> missing,
                         List<String> incomparable) {

    /** Exit codes of the {@code check} command. */
    public static final int PASS = 0;
    public static final int FAIL = 1;
    public static final int NOT_COMPARABLE = 2;

    /** The time verdict of one benchmark. */
    public enum Verdict { REGRESSION, IMPROVEMENT, UNCHANGED }

    /**
     * One benchmark in both files.
     *
     * @param change          relative change of the score, {@code (current - baseline) / baseline}
     * @param slowdown        the change in the "worse" direction: {@code change} for time modes, {@code -change}
     *                        for throughput
     * @param allocRegression allocation per operation grew beyond the slack
     */
    public record Row(JmhResult baseline, JmhResult current, double change, double slowdown, Significance significance,
                      Verdict verdict, boolean allocRegression) {

        public boolean fails() {
            return verdict == Verdict.REGRESSION || allocRegression;
        }
    }

    public GateReport {
        rows = List.copyOf(rows);
        added = List.copyOf(added);
        missing = List.copyOf(missing);
        incomparable = List.copyOf(incomparable);
    }

    /** {@link #PASS}, {@link #FAIL} (a time or allocation regression) or {@link #NOT_COMPARABLE}. */
    public int exitCode() {
        if (!incomparable.isEmpty()) {
            return NOT_COMPARABLE;
        }
        return rows.stream().anyMatch(Row::fails) ? FAIL : PASS;
    }

    /** The report as Markdown: a table of every compared benchmark, the unmatched ones, and the result. */
    public String markdown() {
        StringBuilder md = new StringBuilder("## Benchmark regression check\n\n");
        if (!incomparable.isEmpty()) {
            md.append("**NOT COMPARABLE**: the results cannot be compared, so no verdict is given.\n\n");
            incomparable.forEach(reason -> md.append("- ").append(reason).append('\n'));
            return md.toString();
        }
        md.append("Regression: slower by more than ").append(percent(threshold))
                .append(" and significant (Welch's t-test on per-fork means, p < ").append(Significance.ALPHA)
                .append("; with fewer than ").append(Significance.MIN_FORKS_FOR_T_TEST)
                .append(" forks, disjoint 99% confidence intervals). Allocation: more than baseline + max(")
                .append((int) RegressionGate.ALLOC_SLACK_BYTES).append(" B, ")
                .append(percent(RegressionGate.ALLOC_SLACK_FRACTION)).append(").\n\n");
        md.append("| benchmark | params | mode | baseline | current | change | p | alloc B/op | verdict |\n");
        md.append("|---|---|---|---:|---:|---:|---|---:|---|\n");
        for (Row row : rows) {
            JmhResult then = row.baseline();
            JmhResult now = row.current();
            md.append("| ").append(cell(shortName(now.benchmark())))
                    .append(" | ").append(cell(now.paramsText()))
                    .append(" | ").append(now.mode())
                    .append(" | ").append(score(then.score())).append(' ').append(cell(then.unit()))
                    .append(" | ").append(score(now.score())).append(' ').append(cell(now.unit()))
                    .append(" | ").append(String.format("%+.1f%%", 100 * row.change()))
                    .append(" | ").append(row.significance().method())
                    .append(" | ").append(alloc(then, now))
                    .append(" | ").append(verdictText(row)).append(" |\n");
        }
        if (!added.isEmpty()) {
            md.append("\nNew benchmarks (not in the baseline, not judged):\n");
            added.forEach(key -> md.append("- ").append(key).append('\n'));
        }
        if (!missing.isEmpty()) {
            md.append("\nMissing benchmarks (in the baseline, not in the current results):\n");
            missing.forEach(key -> md.append("- ").append(key).append('\n'));
        }
        long regressions = rows.stream().filter(r -> r.verdict() == Verdict.REGRESSION).count();
        long allocRegressions = rows.stream().filter(Row::allocRegression).count();
        long improvements = rows.stream().filter(r -> r.verdict() == Verdict.IMPROVEMENT).count();
        md.append("\n**Result: ").append(exitCode() == PASS ? "PASS" : "FAIL").append("**: ")
                .append(rows.size()).append(" compared, ").append(regressions).append(" regression(s), ")
                .append(allocRegressions).append(" allocation regression(s), ").append(improvements)
                .append(" improvement(s), ").append(added.size()).append(" new, ").append(missing.size())
                .append(" missing\n");
        return md.toString();
    }

    private static String verdictText(Row row) {
        String speed = switch (row.verdict()) {
            case REGRESSION -> "**REGRESSION** " + percent(row.slowdown()) + " slower";
            case IMPROVEMENT -> "improvement, " + percent(-row.slowdown()) + " faster";
            case UNCHANGED -> row.significance().significant() ? "ok (within threshold)" : "ok (not significant)";
        };
        return row.allocRegression() ? speed + "; **ALLOCATION REGRESSION**" : speed;
    }

    private static String alloc(JmhResult then, JmhResult now) {
        if (then.allocBytesPerOp() == null || now.allocBytesPerOp() == null) {
            return "-";
        }
        return String.format("%.0f → %.0f", then.allocBytesPerOp(), now.allocBytesPerOp());
    }

    /** {@code dev.vconv.bench.jmh.ConvBench.forward} becomes {@code ConvBench.forward}. */
    private static String shortName(String benchmark) {
        int method = benchmark.lastIndexOf('.');
        int type = method <= 0 ? -1 : benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(type + 1);
    }

    private static String score(double value) {
        return String.format("%.4g", value);
    }

    private static String percent(double fraction) {
        return String.format("%.1f%%", 100 * fraction);
    }

    /** Keeps a value from breaking the table. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
