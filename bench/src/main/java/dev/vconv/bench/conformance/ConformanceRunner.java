package dev.vconv.bench.conformance;

import dev.vconv.core.Conv2d;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs parsed conformance lines on one engine and reports: one line per failed case (or per case with
 * {@code verbose}), then the skipped ops with their reason. Malformed lines count as failed.
 */
public final class ConformanceRunner {

    /** Why backward and transposed cases are skipped: the {@code Conv2d} engines run forward conv2d only. */
    static final String SKIP_REASON = "not run yet: the engines offer forward conv2d only";

    private final PrintStream out;
    private final boolean verbose;

    public ConformanceRunner(PrintStream out, boolean verbose) {
        this.out = out;
        this.verbose = verbose;
    }

    /** Runs every line on {@code engine}; prints as it goes and returns the counts. */
    public Tally run(List<CaseLine> lines, Conv2d engine) {
        int passed = 0;
        int failed = 0;
        Map<String, Integer> skippedByOp = new TreeMap<>();
        for (CaseLine line : lines) {
            switch (line) {
                case CaseLine.Malformed malformed -> {
                    failed++;
                    out.println("FAIL " + malformed.message());
                }
                case CaseLine.Unsupported unsupported -> {
                    skippedByOp.merge(unsupported.op(), 1, Integer::sum);
                    if (verbose) {
                        out.println("SKIP " + unsupported.id() + " (" + unsupported.op() + "): " + SKIP_REASON);
                    }
                }
                case CaseLine.Conv2dCase conv -> {
                    ConformanceCase testCase = conv.testCase();
                    CaseCheck check = CaseCheck.run(testCase, engine);
                    if (check.passed()) {
                        passed++;
                    } else {
                        failed++;
                    }
                    if (!check.passed() || verbose) {
                        out.println((check.passed() ? "PASS " : "FAIL ") + testCase.id() + " [" + testCase.category() + "] "
                                + (verbose ? testCase.spec() + " input " + testCase.input().shape() + ": " : "")
                                + check.message());
                    }
                }
            }
        }
        int skipped = 0;
        for (Map.Entry<String, Integer> entry : skippedByOp.entrySet()) {
            skipped += entry.getValue();
            out.println("SKIPPED " + entry.getValue() + " " + entry.getKey() + " case(s): " + SKIP_REASON);
        }
        return new Tally(passed, failed, skipped);
    }
}
