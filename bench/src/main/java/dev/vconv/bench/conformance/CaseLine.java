package dev.vconv.bench.conformance;

/**
 * One line of a conformance file after parsing: a {@code conv2d}, {@code conv2d_backward},
 * {@code conv_transpose2d} or {@code conv2d_fused} case to run, or a line that could not be read as a case (counted
 * as failed).
 */
public sealed interface CaseLine {

    /** 1-based line number in the file. */
    int lineNumber();

    /** A {@code conv2d} case, ready to run. */
    record Conv2dCase(int lineNumber, ConformanceCase testCase) implements CaseLine {
    }

    /** A {@code conv2d_backward} case. */
    record BackwardCase(int lineNumber, GradientCase testCase) implements CaseLine {
    }

    /** A {@code conv_transpose2d} case. */
    record TransposedCase(int lineNumber, TransposeCase testCase) implements CaseLine {
    }

    /** A {@code conv2d_fused} case. */
    record FusedConv2dCase(int lineNumber, FusedCase testCase) implements CaseLine {
    }

    /** A line that is not a valid case; {@code message} names the line, the field and what is wrong. */
    record Malformed(int lineNumber, String message) implements CaseLine {
    }
}
