package dev.vconv.bench;

import dev.vconv.bench.conformance.CaseLine;
import dev.vconv.bench.conformance.ConformanceReader;
import dev.vconv.bench.conformance.ConformanceRunner;
import dev.vconv.bench.conformance.Tally;
import dev.vconv.core.Conv2d;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code conformance FILE [--engine NAME] [--verbose]}: one engine on one file; and
 * {@code conformance-all [FILE] [--verbose]}: every available engine on the bundled vectors (or FILE).
 * Both close with {@code N passed, M failed, K skipped} and exit 1 when anything failed.
 */
final class ConformanceCommand {

    static final String USAGE = """
              conformance FILE [--engine %s] [--verbose]
                  run a conformance file (JSON Lines, see FORMAT.md) on one engine (default reference)
              conformance-all [FILE] [--verbose]
                  run the bundled vectors (or FILE) on every available engine
            """.formatted(EngineCatalog.NAMES);

    private ConformanceCommand() {
    }

    static int conformance(List<String> args, PrintStream out, PrintStream err) {
        String file = null;
        String engineName = "reference";
        boolean verbose = false;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--verbose" -> verbose = true;
                case "--engine" -> {
                    if (i + 1 == args.size()) {
                        return Main.usageError(err, "--engine needs a name: " + EngineCatalog.NAMES);
                    }
                    engineName = args.get(++i);
                }
                default -> {
                    if (arg.startsWith("--") || file != null) {
                        return Main.usageError(err, "unexpected argument '" + arg + "' for conformance");
                    }
                    file = arg;
                }
            }
        }
        if (file == null) {
            return Main.usageError(err, "conformance needs a FILE");
        }
        EngineCatalog.Lookup lookup;
        try {
            lookup = EngineCatalog.find(engineName);
        } catch (IllegalArgumentException e) {
            return Main.usageError(err, e.getMessage());
        }
        if (lookup.engine() == null) {
            err.println("engine '" + engineName + "': " + lookup.unavailableReason());
            return Main.EXIT_USAGE;
        }
        List<CaseLine> lines = readFile(file, err);
        if (lines == null) {
            return Main.EXIT_USAGE;
        }
        Tally tally = new ConformanceRunner(out, verbose).run(lines, lookup.engine());
        out.println(tally);
        return tally.failed() > 0 ? Main.EXIT_FAILED : Main.EXIT_OK;
    }

    static int conformanceAll(List<String> args, PrintStream out, PrintStream err) {
        String file = null;
        boolean verbose = false;
        for (String arg : args) {
            if (arg.equals("--verbose")) {
                verbose = true;
            } else if (arg.startsWith("--") || file != null) {
                return Main.usageError(err, "unexpected argument '" + arg + "' for conformance-all");
            } else {
                file = arg;
            }
        }
        List<CaseLine> lines = file == null ? ConformanceReader.readBundled() : readFile(file, err);
        if (lines == null) {
            return Main.EXIT_USAGE;
        }
        String source = file == null ? "bundled " + ConformanceReader.BUNDLED : file;
        String simdMissing = EngineCatalog.simdUnavailableReason();
        if (simdMissing != null) {
            out.println("note: engine simd skipped: " + simdMissing);
        }
        ConformanceRunner runner = new ConformanceRunner(out, verbose);
        Tally total = Tally.ZERO;
        StringBuilder summaries = new StringBuilder();
        for (Conv2d engine : EngineCatalog.available()) {
            out.println("== " + engine.name() + " on " + source);
            Tally tally = runner.run(lines, engine);
            summaries.append(String.format("%-10s %s%n", engine.name() + ":", tally));
            total = total.plus(tally);
        }
        out.print(summaries);
        out.println(total);
        return total.failed() > 0 ? Main.EXIT_FAILED : Main.EXIT_OK;
    }

    /** The parsed lines of {@code file}, or {@code null} after a message when it cannot be read. */
    private static List<CaseLine> readFile(String file, PrintStream err) {
        try {
            return ConformanceReader.read(Path.of(file));
        } catch (IOException | RuntimeException e) {
            // Missing file, directory, bad UTF-8, invalid path: a usage problem, reported in one line.
            err.println("cannot read conformance file '" + file + "': " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return null;
        }
    }
}
