package dev.vconv.bench.conformance;

import dev.vconv.core.BatchNorm2d;
import dev.vconv.core.Conv2d;
import dev.vconv.core.Conv2dBackward;
import dev.vconv.core.Conv2dPlan;
import dev.vconv.core.ConvSpec;
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

    /**
     * Runs a fused case: the BatchNorm (if any) folded by {@link BatchNorm2d#fold}, which must equal PyTorch's float32
     * fold bit for bit; then the fused convolution twice, each judged by {@link OutputComparison#compareFused}:
     * {@code forward} with the residual in its own tensor (which must stay unchanged, as the operands), and a plan
     * with the residual in the output tensor itself (the in-place accumulate), or plain {@code forward(input, output)}
     * on a plan without residual.
     */
    public static CaseCheck run(FusedCase testCase, Conv2d engine) {
        ConformanceCase c = testCase.conv();
        ConvSpec spec = c.spec();
        Tensor weight = c.weight();
        Tensor bias = c.bias();
        if (testCase.batchNorm() != null) {
            BatchNorm2d.Folded folded;
            try {
                folded = testCase.batchNorm().fold(spec, weight.copy(), bias == null ? null : bias.copy());
            } catch (RuntimeException e) {
                return new CaseCheck(false, "BatchNorm2d.fold threw " + e.getClass().getSimpleName() + ": " + e.getMessage());
            }
            String differs = firstDifference("folded weight", testCase.foldedWeight(), folded.weight());
            if (differs == null) {
                differs = firstDifference("folded bias", testCase.foldedBias(), folded.bias());
            }
            if (differs != null) {
                return new CaseCheck(false, differs + " (BatchNorm2d.fold against torch's fuse_conv_bn_weights)");
            }
            spec = folded.spec();
            weight = folded.weight();
            bias = folded.bias();
        }
        ConvSpec fusedSpec = spec;
        Tensor residual = testCase.residual();
        float[] r = residual == null ? null : residual.data();
        float alpha = testCase.epilogue().alpha();
        double slope = OutputComparison.activationSlope(testCase.epilogue().activation());
        Tensor expected = c.expected();

        Tensor in = c.input().copy();
        Tensor w = weight.copy();
        Tensor b = bias == null ? null : bias.copy();
        Tensor res = residual == null ? null : residual.copy();
        Tensor output = Tensor.zeros(expected.shape());
        Arrays.fill(output.data(), Float.NaN);
        try {
            engine.forward(fusedSpec, in, w, b, testCase.epilogue(), res, output);
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            return new CaseCheck(false, "engine " + engine.name() + " threw " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        String modified = modifiedOperand(c.input(), in, weight, w, bias, b);
        if (modified == null && residual != null && !Arrays.equals(res.data(), r)) {
            modified = "residual";
        }
        if (modified != null) {
            return new CaseCheck(false, "engine " + engine.name() + " modified its " + modified + " tensor");
        }
        OutputComparison forward = OutputComparison.compareFused(expected.data(), output.data(), testCase.preActivation().data(), r,
                alpha, c.reductionLength(), slope, c.exact());
        if (!forward.passed()) {
            return new CaseCheck(false, "forward: " + forward.describeWorst(expected.shape()));
        }

        Tensor planned;
        try {
            Conv2dPlan plan = engine.plan(fusedSpec, in.shape(), w, b, testCase.epilogue());
            if (residual == null) {
                planned = Tensor.zeros(expected.shape());
                Arrays.fill(planned.data(), Float.NaN);
                plan.forward(in, planned);
            } else {
                planned = residual.copy();
                plan.forward(in, planned, planned);
            }
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            return new CaseCheck(false, "engine " + engine.name() + " plan threw " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        OutputComparison plan = OutputComparison.compareFused(expected.data(), planned.data(), testCase.preActivation().data(), r,
                alpha, c.reductionLength(), slope, c.exact());
        String where = residual == null ? "plan: " : "plan, residual = output: ";
        return new CaseCheck(plan.passed(), plan.passed() ? forward.describeWorst(expected.shape())
                : where + plan.describeWorst(expected.shape()));
    }

    /** Where two tensors first differ bit for bit, or {@code null}. */
    private static String firstDifference(String name, Tensor expected, Tensor got) {
        float[] e = expected.data();
        float[] g = got.data();
        for (int i = 0; i < e.length; i++) {
            if (Float.floatToIntBits(e[i]) != Float.floatToIntBits(g[i])) {
                return name + " differs at flat index " + i + ": expected " + e[i] + ", got " + g[i];
            }
        }
        return null;
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
