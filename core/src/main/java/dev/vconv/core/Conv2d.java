package dev.vconv.core;

/**
 * A 2D convolution engine with PyTorch's semantics (see {@link ConvSpec}). Engines are stateless and safe
 * to use from several threads; every call checks all its tensors before it writes anything, and never
 * modifies the input, weight or bias.
 */
public interface Conv2d {

    /** A short name: {@code reference}, {@code scalar}, {@code simd-256}, ... */
    String name();

    /**
     * Computes the convolution of {@code input} ({@code [n, cin, h, w]} or {@code [cin, h, w]}) into the
     * caller's {@code output}, whose shape must be {@link ConvSpec#outputShape}.
     *
     * @param bias {@code [cout]}, or {@code null} exactly when the spec has no bias
     */
    void forward(ConvSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor output);

    /** Computes the convolution into a new output tensor. */
    default Tensor forward(ConvSpec spec, Tensor input, Tensor weight, Tensor bias) {
        Tensor output = Tensor.zeros(spec.outputShape(input.shape()));
        forward(spec, input, weight, bias, output);
        return output;
    }

    /**
     * Prepares repeated calls on inputs of one shape with fixed weights. The plan keeps its own copy (or
     * packed form) of {@code weight} and {@code bias}: later changes to the caller's arrays do not reach it.
     * Engines with weight packing or workspaces override this; the default plan calls {@link #forward}.
     */
    default Conv2dPlan plan(ConvSpec spec, Shape inputShape, Tensor weight, Tensor bias) {
        spec.checkParameters(weight, bias);
        Tensor w = weight.copy();
        Tensor b = bias == null ? null : bias.copy();
        Conv2d engine = this;
        return new AbstractConv2dPlan(spec, inputShape) {
            @Override
            public void forward(Tensor input, Tensor output) {
                checkCall(input, output);
                engine.forward(spec, input, w, b, output);
            }

            @Override
            public String toString() {
                return engine.name() + " plan for " + spec + " on input " + inputShape;
            }
        };
    }
}
