package dev.vconv.bench.conformance;

import dev.vconv.core.Conv2d;
import dev.vconv.core.Conv2dBackward;
import dev.vconv.core.ConvTranspose2d;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs parsed conformance lines on one engine and reports: one line per failed case (or per case with
 * {@code verbose}), then the skipped ops with their reason. Malformed lines count as failed.
 */
public final class ConformanceRunner {

    /** Why a backward or transposed case is skipped on an engine that does not implement that op. */
    static String skipReason(Conv2d engine, String op) {
        return "engine " + engine.name() + " does not implement " + op + " yet";
    }

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
                case CaseLine.Conv2dCase conv -> {
                    CaseCheck check = CaseCheck.run(conv.testCase(), engine);
                    if (report(check, conv.testCase().id(), conv.testCase().category(), conv.testCase().toString())) {
                        passed++;
                    } else {
                        failed++;
                    }
                }
                case CaseLine.BackwardCase backward -> {
                    GradientCase testCase = backward.testCase();
                    if (engine instanceof Conv2dBackward training) {
                        CaseCheck check = CaseCheck.run(testCase, engine, training);
                        if (report(check, testCase.id(), testCase.category(), testCase.toString())) {
                            passed++;
                        } else {
                            failed++;
                        }
                    } else {
                        skip(skippedByOp, engine, "conv2d_backward", testCase.id());
                    }
                }
                case CaseLine.FusedConv2dCase fused -> {
                    CaseCheck check = CaseCheck.run(fused.testCase(), engine);
                    if (report(check, fused.testCase().id(), fused.testCase().category(), fused.testCase().toString())) {
                        passed++;
                    } else {
                        failed++;
                    }
                }
                case CaseLine.TransposedCase transposed -> {
                    TransposeCase testCase = transposed.testCase();
                    if (engine instanceof ConvTranspose2d transposeEngine) {
                        CaseCheck check = CaseCheck.run(testCase, transposeEngine);
                        if (report(check, testCase.id(), testCase.category(), testCase.toString())) {
                            passed++;
                        } else {
                            failed++;
                        }
                    } else {
                        skip(skippedByOp, engine, "conv_transpose2d", testCase.id());
                    }
                }
            }
        }
        int skipped = 0;
        for (Map.Entry<String, Integer> entry : skippedByOp.entrySet()) {
            skipped += entry.getValue();
            out.println("SKIPPED " + entry.getValue() + " " + entry.getKey() + " case(s): " + skipReason(engine, entry.getKey()));
        }
        return new Tally(passed, failed, skipped);
    }

    /** Prints a failed case (every case with {@code verbose}); returns whether it passed. */
    private boolean report(CaseCheck check, String id, String category, String description) {
        if (!check.passed() || verbose) {
            out.println((check.passed() ? "PASS " : "FAIL ") + id + " [" + category + "] "
                    + (verbose ? description + ": " : "") + check.message());
        }
        return check.passed();
    }

    private void skip(Map<String, Integer> skippedByOp, Conv2d engine, String op, String id) {
        skippedByOp.merge(op, 1, Integer::sum);
        if (verbose) {
            out.println("SKIP " + id + " (" + op + "): " + skipReason(engine, op));
        }
    }
}
