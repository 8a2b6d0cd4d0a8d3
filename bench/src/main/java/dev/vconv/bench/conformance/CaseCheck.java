package dev.vconv.bench.conformance;

import dev.vconv.core.Conv2d;
import dev.vconv.core.Tensor;

import java.util.Arrays;

/**
 * Runs one {@code conv2d} case on one engine and judges the result. Shared by the command-line runner and
 * the JUnit conformance test, so that both apply exactly the same rule.
 *
 * @param passed  the engine reproduced the reference within tolerance and kept the engine contract
 * @param message for a failure, what went wrong (worst element or exception); for a pass, the worst element
 */
public record CaseCheck(boolean passed, String message) {

    /**
     * Runs {@code testCase} on {@code engine}. The output starts filled with NaN, so an engine that leaves an
     * element unwritten, or accumulates into the output without clearing it first, fails visibly; the operands
     * are compared with copies afterwards, since engines promise never to modify them.
     */
    public static CaseCheck run(ConformanceCase testCase, Conv2d engine) {
        Tensor input = testCase.input().copy();
        Tensor weight = testCase.weight().copy();
        Tensor bias = testCase.bias() == null ? null : testCase.bias().copy();
        Tensor output = Tensor.zeros(testCase.expected().shape());
        Arrays.fill(output.data(), Float.NaN);
        try {
            engine.forward(testCase.spec(), input, weight, bias, output);
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            // An engine crash is a failed case, reported with its message; the run goes on with the next case.
            return new CaseCheck(false, "engine " + engine.name() + " threw " + e.getClass().getSimpleName() + ": "
                    + e.getMessage());
        }
        String modified = modifiedOperand(testCase, input, weight, bias);
        if (modified != null) {
            return new CaseCheck(false, "engine " + engine.name() + " modified its " + modified + " tensor");
        }
        OutputComparison comparison = OutputComparison.compare(testCase.expected().data(), output.data(),
                testCase.reductionLength(), testCase.exact());
        return new CaseCheck(comparison.passed(), comparison.describeWorst(testCase.expected().shape()));
    }

    private static String modifiedOperand(ConformanceCase testCase, Tensor input, Tensor weight, Tensor bias) {
        if (!Arrays.equals(input.data(), testCase.input().data())) {
            return "input";
        }
        if (!Arrays.equals(weight.data(), testCase.weight().data())) {
            return "weight";
        }
        if (bias != null && !Arrays.equals(bias.data(), testCase.bias().data())) {
            return "bias";
        }
        return null;
    }
}
