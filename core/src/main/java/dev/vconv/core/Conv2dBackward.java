package dev.vconv.core;

/** An engine that computes the backward pass of {@link Conv2d}'s convolution. */
public interface Conv2dBackward {

    String name();

    /**
     * The gradients of the loss with respect to input, weight and bias, given {@code dL/d(output)} of the
     * forward call {@code forward(spec, input, weight, bias)} (the bias's value does not enter them).
     */
    ConvGradients backward(ConvSpec spec, Tensor input, Tensor weight, Tensor gradOutput);

    /**
     * Prepares repeated backward passes on inputs of one shape with a fixed weight (copied). The default plan
     * calls {@link #backward} and copies its results; engines with workspaces override it to allocate nothing.
     */
    default Conv2dBackwardPlan backwardPlan(ConvSpec spec, Shape inputShape, Tensor weight) {
        spec.checkWeight(weight);
        Tensor w = weight.copy();
        Conv2dBackward engine = this;
        return new Conv2dBackwardPlan(spec, inputShape) {
            @Override
            protected void compute(Tensor input, Tensor gradOutput, float[] gradInput, float[] gradWeight, float[] gradBias) {
                ConvGradients g = engine.backward(spec, input, w, gradOutput);
                System.arraycopy(g.input().data(), 0, gradInput, 0, gradInput.length);
                System.arraycopy(g.weight().data(), 0, gradWeight, 0, gradWeight.length);
                if (gradBias != null) {
                    System.arraycopy(g.bias().data(), 0, gradBias, 0, gradBias.length);
                }
            }
        };
    }
}
