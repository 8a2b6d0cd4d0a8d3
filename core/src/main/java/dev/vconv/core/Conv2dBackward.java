package dev.vconv.core;

/** An engine that computes the backward pass of {@link Conv2d}'s convolution. */
public interface Conv2dBackward {

    String name();

    /**
     * The gradients of the loss with respect to input, weight and bias, given {@code dL/d(output)} of the
     * forward call {@code forward(spec, input, weight, bias)} (the bias's value does not enter them).
     */
    ConvGradients backward(ConvSpec spec, Tensor input, Tensor weight, Tensor gradOutput);
}
