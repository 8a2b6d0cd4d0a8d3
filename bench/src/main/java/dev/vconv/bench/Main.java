package dev.vconv.bench;

import dev.vconv.bench.jmh.BenchCommand;
import dev.vconv.bench.network.NetworkCommand;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/**
 * The command-line tools of vconv: the conformance runner, the benchmark regression gate, the benchmark
 * suite and a hand-run timing loop.
 *
 * <p>Exit codes: 0 success, 1 failed cases or a regression, 2 usage errors, unreadable or incomparable input.
 * JMH itself is the shaded jar's main class ({@code java -jar benchmarks.jar}); this class is run with
 * {@code -cp benchmarks.jar dev.vconv.bench.Main}.
 */
public final class Main {

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    private static final String BENCH_USAGE = """
              bench [quick|full|smoke] [--out DIR] [--torch FILE] [--report-only]
                  run the JMH suite and write its JSON and report (see BenchCommand)
            """;

    private static final String USAGE = "usage: dev.vconv.bench.Main COMMAND [ARGS]\n\ncommands:\n"
            + ConformanceCommand.USAGE + CheckCommand.USAGE + BENCH_USAGE + TimeCommand.USAGE + NetworkCommand.USAGE;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command and returns its exit code; never calls {@link System#exit}, so tests can call it. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            return usageError(err, "no command given");
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        int code = switch (args[0]) {
            case "conformance" -> ConformanceCommand.conformance(rest, out, err);
            case "conformance-all" -> ConformanceCommand.conformanceAll(rest, out, err);
            case "check" -> CheckCommand.check(rest, out, err);
            case "time" -> TimeCommand.time(rest, out, err);
            case "network" -> NetworkCommand.network(rest, out, err);
            // The child process of network's first-result figure.
            case "network-first" -> NetworkCommand.first(rest, out, err);
            case "bench" -> BenchCommand.run(rest.toArray(String[]::new), out, err);
            case "-h", "--help", "help" -> {
                out.print(USAGE);
                yield EXIT_OK;
            }
            default -> usageError(err, "unknown command '" + args[0] + "'");
        };
        out.flush();
        return code;
    }

    /** Prints {@code problem} and the usage text; returns the usage exit code. */
    static int usageError(PrintStream err, String problem) {
        err.println(problem);
        err.println();
        err.print(USAGE);
        return EXIT_USAGE;
    }
}
