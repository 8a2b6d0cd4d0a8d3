package dev.vconv.bench.gate;

import dev.vconv.bench.results.JmhResult;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compares a JMH result file with a baseline and decides whether the code got slower (issue 4).
 *
 * <p>A benchmark regresses only when it is slower by more than the threshold <em>and</em> the slowdown is
 * significant across forks ({@link Significance}): the threshold alone fails on noise, significance alone fails
 * on real but negligible changes. Allocation is gated separately and deterministically: JMH's
 * {@code gc.alloc.rate.norm} barely varies between runs, so any growth beyond {@value #ALLOC_SLACK_BYTES} bytes
 * and {@link #ALLOC_SLACK_FRACTION} of the baseline is real. Results measured in different environments are
 * refused rather than compared.
 */
public final class RegressionGate {

    /** Allocation growth always tolerated, in bytes per operation: JMH's own measurement jitter is below this. */
    public static final double ALLOC_SLACK_BYTES = 64;

    /** Allocation growth tolerated relative to the baseline. */
    public static final double ALLOC_SLACK_FRACTION = 0.05;

    private final double threshold;

    /**
     * @param threshold the slowdown tolerated, as a fraction ({@code 0.05} for 5%)
     * @throws IllegalArgumentException unless {@code 0 < threshold < 10}
     */
    public RegressionGate(double threshold) {
        if (!(threshold > 0 && threshold < 10)) {
            throw new IllegalArgumentException("threshold must be a fraction in (0, 10), e.g. 0.05 for 5%, but got "
                    + threshold);
        }
        this.threshold = threshold;
    }

    /** Matches results by benchmark, mode and parameters, and judges each pair. */
    public GateReport compare(List<JmhResult> baseline, List<JmhResult> current) {
        Map<String, JmhResult> before = byKey(baseline);
        Map<String, JmhResult> after = byKey(current);
        List<GateReport.Row> rows = new ArrayList<>();
        List<String> added = new ArrayList<>();
        Set<String> incomparable = new LinkedHashSet<>();
        for (JmhResult now : current) {
            JmhResult then = before.get(now.key());
            if (then == null) {
                added.add(now.key());
                continue;
            }
            for (String difference : then.environment().differences(now.environment())) {
                incomparable.add("environment differs: " + difference);
            }
            if (!then.unit().equals(now.unit())) {
                incomparable.add(now.key() + ": score unit differs: " + then.unit() + " vs " + now.unit());
                continue;
            }
            rows.add(judge(then, now));
        }
        List<String> missing = new ArrayList<>();
        for (JmhResult then : baseline) {
            if (!after.containsKey(then.key())) {
                missing.add(then.key());
            }
        }
        if (rows.isEmpty() && incomparable.isEmpty()) {
            incomparable.add("no benchmark appears in both files: nothing to compare");
        }
        return new GateReport(threshold, rows, added, missing, List.copyOf(incomparable));
    }

    private GateReport.Row judge(JmhResult then, JmhResult now) {
        double change = (now.score() - then.score()) / then.score();
        double slowdown = now.higherIsBetter() ? -change : change;
        Significance significance = Significance.of(then.forks(), now.forks());
        GateReport.Verdict verdict;
        if (significance.significant() && slowdown > threshold) {
            verdict = GateReport.Verdict.REGRESSION;
        } else if (significance.significant() && -slowdown > threshold) {
            verdict = GateReport.Verdict.IMPROVEMENT;
        } else {
            verdict = GateReport.Verdict.UNCHANGED;
        }
        boolean allocRegression = false;
        if (then.allocBytesPerOp() != null && now.allocBytesPerOp() != null) {
            double base = then.allocBytesPerOp();
            allocRegression = now.allocBytesPerOp() > base + Math.max(ALLOC_SLACK_BYTES, ALLOC_SLACK_FRACTION * base);
        }
        return new GateReport.Row(then, now, change, slowdown, significance, verdict, allocRegression);
    }

    private static Map<String, JmhResult> byKey(List<JmhResult> results) {
        Map<String, JmhResult> map = new LinkedHashMap<>();
        for (JmhResult result : results) {
            map.put(result.key(), result);
        }
        return map;
    }
}
