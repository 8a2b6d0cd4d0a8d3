package dev.vconv.bench.conformance;

import dev.vconv.core.Conv2d;
import dev.vconv.core.Conv2dBackward;
import dev.vconv.core.ConvGradients;
import dev.vconv.core.ConvTranspose2d;
import dev.vconv.core.Tensor;

import java.util.Arrays;

/**
 * Runs one case on one engine and judges the result. Shared by the command-line runner and
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

    /**
     * Runs a backward case: the forward output on {@code engine}, then the three gradients on
     * {@code backward}, each against its own reduction length; the worst of them is reported.
     */
    public static CaseCheck run(GradientCase testCase, Conv2d engine, Conv2dBackward backward) {
        CaseCheck forward = run(testCase.forward(), engine);
        if (!forward.passed()) {
            return new CaseCheck(false, "forward output: " + forward.message());
        }
        ConformanceCase f = testCase.forward();
        Tensor input = f.input().copy();
        Tensor weight = f.weight().copy();
        Tensor gradOutput = testCase.gradOutput().copy();
        ConvGradients got;
        try {
            got = backward.backward(f.spec(), input, weight, gradOutput);
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            return new CaseCheck(false, "engine " + backward.name() + " backward threw " + e.getClass().getSimpleName() + ": "
                    + e.getMessage());
        }
        String modified = modifiedOperand(f, input, weight, null);
        if (modified == null && !Arrays.equals(gradOutput.data(), testCase.gradOutput().data())) {
            modified = "grad_output";
        }
        if (modified != null) {
            return new CaseCheck(false, "engine " + backward.name() + " modified its " + modified + " tensor");
        }
        StringBuilder worst = new StringBuilder();
        boolean passed = compareInto(worst, "grad_input", testCase.gradInput(), got.input(), testCase.kInput(), f.exact());
        passed &= compareInto(worst, "grad_weight", testCase.gradWeight(), got.weight(), testCase.kWeight(), f.exact());
        if (testCase.gradBias() != null) {
            passed &= compareInto(worst, "grad_bias", testCase.gradBias(), got.bias(), testCase.kBias(), f.exact());
        } else if (got.bias() != null) {
            return new CaseCheck(false, "engine " + backward.name() + " returned a bias gradient for a spec without bias");
        }
        return new CaseCheck(passed, worst.toString());
    }

    /** Runs a transposed-convolution case, with the same output rules as {@link #run(ConformanceCase, Conv2d)}. */
    public static CaseCheck run(TransposeCase testCase, ConvTranspose2d engine) {
        Tensor input = testCase.input().copy();
        Tensor weight = testCase.weight().copy();
        Tensor bias = testCase.bias() == null ? null : testCase.bias().copy();
        Tensor output = Tensor.zeros(testCase.expected().shape());
        Arrays.fill(output.data(), Float.NaN);
        try {
            engine.forward(testCase.spec(), input, weight, bias, output);
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            return new CaseCheck(false, "engine " + engine.name() + " threw " + e.getClass().getSimpleName() + ": "
                    + e.getMessage());
        }
        String modified = !Arrays.equals(input.data(), testCase.input().data()) ? "input"
                : !Arrays.equals(weight.data(), testCase.weight().data()) ? "weight"
                : bias != null && !Arrays.equals(bias.data(), testCase.bias().data()) ? "bias" : null;
        if (modified != null) {
            return new CaseCheck(false, "engine " + engine.name() + " modified its " + modified + " tensor");
        }
        OutputComparison comparison = OutputComparison.compare(testCase.expected().data(), output.data(),
                testCase.reductionLength(), testCase.exact());
        return new CaseCheck(comparison.passed(), comparison.describeWorst(testCase.expected().shape()));
    }

    /** Compares one result tensor, appends its verdict to {@code report}, and says whether it passed. */
    private static boolean compareInto(StringBuilder report, String name, Tensor expected, Tensor got, int k, boolean exact) {
        if (got == null || !got.shape().equals(expected.shape())) {
            report.append(report.isEmpty() ? "" : "; ").append(name).append(": expected size ").append(expected.shape())
                    .append(", got ").append(got == null ? "null" : got.shape());
            return false;
        }
        OutputComparison comparison = OutputComparison.compare(expected.data(), got.data(), k, exact);
        report.append(report.isEmpty() ? "" : "; ").append(name).append(": ").append(comparison.describeWorst(expected.shape()));
        return comparison.passed();
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
