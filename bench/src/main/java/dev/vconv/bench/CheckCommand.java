package dev.vconv.bench;

import java.io.PrintStream;
import java.util.List;

final class CheckCommand {
    static final String USAGE = """
              check BASELINE.json CURRENT.json [--threshold 5%] [--update-baseline]
            """;

    private CheckCommand() {
    }

    static int check(List<String> args, PrintStream out, PrintStream err) {
        return Main.usageError(err, "check: not implemented yet");
    }
}
