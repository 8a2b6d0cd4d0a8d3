package dev.vconv.core;

import java.util.Objects;

/**
 * A convolution prepared for one {@link ConvSpec}, one input shape and fixed weights (see
 * {@link Conv2d#plan}). A plan may be used from several threads at once.
 */
public interface Conv2dPlan {

    ConvSpec spec();

    Shape inputShape();

    Shape outputShape();

    /** Convolves {@code input} (of {@link #inputShape()}) into {@code output} (of {@link #outputShape()}). */
    void forward(Tensor input, Tensor output);

    /** Convolves {@code input} into a new tensor. */
    default Tensor forward(Tensor input) {
        Tensor output = Tensor.zeros(outputShape());
        forward(input, output);
        return output;
    }

    /** Checks the shapes of a call against the plan, and that the output does not alias the input. */
    default void checkCall(Tensor input, Tensor output) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        if (!input.shape().equals(inputShape())) {
            throw new IllegalArgumentException("this plan was made for input of size " + inputShape()
                    + ", but got input of size " + input.shape() + ": make a plan for each input size");
        }
        if (!output.shape().equals(outputShape())) {
            throw new IllegalArgumentException("output must have size " + outputShape() + " for input of size "
                    + inputShape() + ", but got output of size " + output.shape());
        }
        if (output.data() == input.data()) {
            throw new IllegalArgumentException("output must not share its array with the input: "
                    + "the convolution reads its input while it writes the output");
        }
    }
}
