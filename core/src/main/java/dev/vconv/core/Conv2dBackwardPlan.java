package dev.vconv.core;

import java.util.Objects;

/**
 * A backward pass prepared for one spec, input shape and weight (see {@link Conv2dBackward#backwardPlan}): it
 * writes the gradients into the caller's tensors. A plan may be used from several threads at once.
 */
public abstract class Conv2dBackwardPlan {
    private final ConvSpec spec;
    private final Shape inputShape;
    private final Shape outputShape;
    private final Shape weightShape;
    private final Shape biasShape;
    private final Nchw input;

    protected Conv2dBackwardPlan(ConvSpec spec, Shape inputShape) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.inputShape = Objects.requireNonNull(inputShape, "inputShape");
        this.outputShape = spec.outputShape(inputShape);
        this.weightShape = spec.weightShape();
        this.biasShape = spec.biasShape();
        this.input = Nchw.of(inputShape);
    }

    /** The input shape seen as NCHW. */
    protected final Nchw nchw() {
        return input;
    }

    public final ConvSpec spec() {
        return spec;
    }

    public final Shape inputShape() {
        return inputShape;
    }

    /**
     * Writes {@code dL/d(input)}, {@code dL/d(weight)} and {@code dL/d(bias)} (null exactly when the spec has no
     * bias) for {@code dL/d(output)} = {@code gradOutput} of the forward call on {@code input}. Every shape is
     * checked first; the gradient tensors must not share arrays with the operands or each other.
     */
    public final void backward(Tensor input, Tensor gradOutput, Tensor gradInput, Tensor gradWeight, Tensor gradBias) {
        check("input", input, inputShape);
        check("gradOutput", gradOutput, outputShape);
        check("gradInput", gradInput, inputShape);
        check("gradWeight", gradWeight, weightShape);
        if (spec.hasBias() != (gradBias != null)) {
            throw new IllegalArgumentException(spec.hasBias()
                    ? "gradBias of size " + biasShape + " is required: the spec has bias=true, but got gradBias=null"
                    : "gradBias must be null: the spec has bias=false, but got gradBias of size " + gradBias.shape());
        }
        if (gradBias != null) {
            check("gradBias", gradBias, biasShape);
        }
        float[] gx = gradInput.data();
        float[] gw = gradWeight.data();
        float[] gb = gradBias == null ? null : gradBias.data();
        if (shared(gx, input, gradOutput) || shared(gw, input, gradOutput) || gw == gx
                || (gb != null && (shared(gb, input, gradOutput) || gb == gx || gb == gw))) {
            throw new IllegalArgumentException("the gradient tensors must not share their arrays with the operands or each other");
        }
        compute(input, gradOutput, gradInput.data(), gradWeight.data(), gradBias == null ? null : gradBias.data());
    }

    /** The engine's work, on checked tensors. */
    protected abstract void compute(Tensor input, Tensor gradOutput, float[] gradInput, float[] gradWeight, float[] gradBias);

    private static boolean shared(float[] gradient, Tensor a, Tensor b) {
        return gradient == a.data() || gradient == b.data();
    }

    private static void check(String name, Tensor t, Shape expected) {
        Objects.requireNonNull(t, name);
        if (!t.shape().equals(expected)) {
            throw new IllegalArgumentException(name + " must have size " + expected + " for this plan, but got " + name + " of size "
                    + t.shape());
        }
    }
}
