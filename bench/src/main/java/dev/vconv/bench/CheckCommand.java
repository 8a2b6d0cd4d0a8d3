package dev.vconv.bench;

import dev.vconv.bench.gate.GateReport;
import dev.vconv.bench.gate.RegressionGate;
import dev.vconv.bench.results.JmhResult;
import dev.vconv.bench.results.JmhResultReader;
import dev.vconv.bench.results.ResultFileException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code check BASELINE.json CURRENT.json [--threshold 5%] [--update-baseline]}: the benchmark regression gate
 * over two JMH JSON result files. Prints a Markdown report; exits 0 on pass, 1 on a regression, 2 when the
 * files are malformed or not comparable. {@code --update-baseline} copies CURRENT over BASELINE after a pass.
 */
final class CheckCommand {

    static final String USAGE = """
              check BASELINE.json CURRENT.json [--threshold 5%] [--update-baseline]
                  compare two JMH JSON result files (-rf json); exit 0 pass, 1 regression, 2 not comparable
            """;

    /** The default tolerated slowdown: 5%. */
    static final double DEFAULT_THRESHOLD = 0.05;

    private CheckCommand() {
    }

    static int check(List<String> args, PrintStream out, PrintStream err) {
        List<String> files = new ArrayList<>();
        double threshold = DEFAULT_THRESHOLD;
        boolean updateBaseline = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            try {
                if (arg.equals("--update-baseline")) {
                    updateBaseline = true;
                } else if (arg.equals("--threshold")) {
                    if (i + 1 == args.size()) {
                        return Main.usageError(err, "--threshold needs a value, e.g. --threshold 5%");
                    }
                    threshold = parseThreshold(args.get(++i));
                } else if (arg.startsWith("--threshold=")) {
                    threshold = parseThreshold(arg.substring("--threshold=".length()));
                } else if (arg.startsWith("--")) {
                    return Main.usageError(err, "unknown option '" + arg + "' for check");
                } else {
                    files.add(arg);
                }
            } catch (IllegalArgumentException e) {
                return Main.usageError(err, e.getMessage());
            }
        }
        if (files.size() != 2) {
            return Main.usageError(err, "check needs BASELINE.json and CURRENT.json, but got " + files.size() + " file(s)");
        }
        Path baselineFile = Path.of(files.get(0));
        Path currentFile = Path.of(files.get(1));
        List<JmhResult> baseline;
        List<JmhResult> current;
        try {
            baseline = JmhResultReader.read(baselineFile);
            current = JmhResultReader.read(currentFile);
        } catch (ResultFileException e) {
            err.println("check: bad input: " + e.getMessage());
            return GateReport.NOT_COMPARABLE;
        }
        GateReport report = new RegressionGate(threshold).compare(baseline, current);
        out.print(report.markdown());
        int code = report.exitCode();
        if (updateBaseline) {
            if (code != GateReport.PASS) {
                out.println("\nBaseline not updated: the check did not pass.");
            } else {
                try {
                    Files.copy(currentFile, baselineFile, StandardCopyOption.REPLACE_EXISTING);
                    out.println("\nBaseline updated: copied " + currentFile + " over " + baselineFile + ".");
                } catch (IOException e) {
                    err.println("check: cannot update baseline " + baselineFile + ": " + e.getMessage());
                    return GateReport.NOT_COMPARABLE;
                }
            }
        }
        return code;
    }

    /**
     * Parses {@code 5%} or {@code 5} (both meaning 5%) into a fraction.
     *
     * @throws IllegalArgumentException unless the value is a percentage in (0, 1000)
     */
    static double parseThreshold(String text) {
        String number = text.endsWith("%") ? text.substring(0, text.length() - 1) : text;
        double percent;
        try {
            percent = Double.parseDouble(number.strip());
        } catch (NumberFormatException e) {
            percent = Double.NaN;
        }
        if (!(percent > 0 && percent < 1000)) {
            throw new IllegalArgumentException("--threshold must be a percentage in (0, 1000), like 5%, but got '" + text + "'");
        }
        return percent / 100;
    }
}
