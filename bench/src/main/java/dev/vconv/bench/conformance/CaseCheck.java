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
        return runOutput(engine.name(), testCase.input(), testCase.weight(), testCase.bias(), testCase.expected(),
                testCase.reductionLength(), testCase.exact(), (in, w, b, out) -> engine.forward(testCase.spec(), in, w, b, out));
    }

    /** Runs a transposed-convolution case, with the same rules as {@link #run(ConformanceCase, Conv2d)}. */
    public static CaseCheck run(TransposeCase testCase, ConvTranspose2d engine) {
        return runOutput(engine.name(), testCase.input(), testCase.weight(), testCase.bias(), testCase.expected(),
                testCase.reductionLength(), testCase.exact(), (in, w, b, out) -> engine.forward(testCase.spec(), in, w, b, out));
    }

    /** An engine call writing {@code output} from copies of the case's operands. */
    @FunctionalInterface
    private interface OutputCall {
        void run(Tensor input, Tensor weight, Tensor bias, Tensor output);
    }

    private static CaseCheck runOutput(String engine, Tensor input, Tensor weight, Tensor bias, Tensor expected, int k,
                                       boolean exact, OutputCall call) {
        Tensor in = input.copy();
        Tensor w = weight.copy();
        Tensor b = bias == null ? null : bias.copy();
        Tensor output = Tensor.zeros(expected.shape());
        Arrays.fill(output.data(), Float.NaN);
        try {
            call.run(in, w, b, output);
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            // An engine crash is a failed case, reported with its message; the run goes on with the next case.
            return new CaseCheck(false, "engine " + engine + " threw " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        String modified = modifiedOperand(input, in, weight, w, bias, b);
        if (modified != null) {
            return new CaseCheck(false, "engine " + engine + " modified its " + modified + " tensor");
        }
        OutputComparison comparison = OutputComparison.compare(expected.data(), output.data(), k, exact);
        return new CaseCheck(comparison.passed(), comparison.describeWorst(expected.shape()));
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
        String modified = modifiedOperand(f.input(), input, f.weight(), weight, null, null);
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

    /** Which operand's copy differs from its original after the call, or {@code null}. */
    private static String modifiedOperand(Tensor input, Tensor inputCopy, Tensor weight, Tensor weightCopy, Tensor bias,
                                          Tensor biasCopy) {
        if (!Arrays.equals(inputCopy.data(), input.data())) {
            return "input";
        }
        if (!Arrays.equals(weightCopy.data(), weight.data())) {
            return "weight";
        }
        if (bias != null && !Arrays.equals(biasCopy.data(), bias.data())) {
            return "bias";
        }
        return null;
    }
}
