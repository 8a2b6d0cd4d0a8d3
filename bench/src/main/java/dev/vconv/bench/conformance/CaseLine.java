package dev.vconv.bench.conformance;

/**
 * One line of a conformance file after parsing: a {@code conv2d} case to run, a case of an op the engines
 * do not implement (counted as skipped), or a line that could not be read as a case (counted as failed).
 */
public sealed interface CaseLine {

    /** 1-based line number in the file. */
    int lineNumber();

    /** A {@code conv2d} case, ready to run. */
    record Conv2dCase(int lineNumber, ConformanceCase testCase) implements CaseLine {
    }

    /** A case of an op the engines do not implement yet ({@code conv2d_backward}, {@code conv_transpose2d}). */
    record Unsupported(int lineNumber, String id, String op) implements CaseLine {
    }

    /** A line that is not a valid case; {@code message} names the line, the field and what is wrong. */
    record Malformed(int lineNumber, String message) implements CaseLine {
    }
}
