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

    /**
     * What the plan does to each output element as it stores it ({@link Conv2d#plan(ConvSpec, Shape, Tensor, Tensor,
     * Epilogue)}); {@link Epilogue#NONE} for a plain convolution.
     */
    default Epilogue epilogue() {
        return Epilogue.NONE;
    }

    /**
     * Convolves {@code input} (of {@link #inputShape()}) into {@code output} (of {@link #outputShape()}), with the
     * plan's epilogue.
     *
     * @throws IllegalArgumentException also if the plan's epilogue adds a residual: that needs
     *                                  {@link #forward(Tensor, Tensor, Tensor)}
     */
    void forward(Tensor input, Tensor output);

    /**
     * Convolves {@code input} into {@code output} with the plan's epilogue and {@code residual}: the output's shape
     * when the epilogue adds one (it may be {@code output} itself, to accumulate in place), else {@code null}.
     * Everything is checked before anything is written. The default serves plans without an epilogue: it accepts
     * only a {@code null} residual and calls {@link #forward(Tensor, Tensor)}.
     */
    default void forward(Tensor input, Tensor residual, Tensor output) {
        checkCall(input, residual, output);
        if (epilogue().hasResidual()) {
            throw new UnsupportedOperationException(this + " has the epilogue " + epilogue()
                    + " but does not implement forward(input, residual, output)");
        }
        forward(input, output);
    }

    /** Convolves {@code input} into a new tensor. */
    default Tensor forward(Tensor input) {
        Tensor output = Tensor.zeros(outputShape());
        forward(input, output);
        return output;
    }

    /**
     * Checks the shapes of a call against the plan, and that the output does not alias the input; rejects the call
     * if the plan's epilogue needs a residual.
     */
    default void checkCall(Tensor input, Tensor output) {
        if (epilogue().hasResidual()) {
            throw new IllegalArgumentException("this plan's epilogue " + epilogue()
                    + " adds a residual: call forward(input, residual, output) with a residual of size " + outputShape());
        }
        checkOperands(input, output);
    }

    /** Checks a call with a residual: as {@link #checkCall(Tensor, Tensor)}, and the residual as {@link Epilogue#checkResidual}. */
    default void checkCall(Tensor input, Tensor residual, Tensor output) {
        checkOperands(input, output);
        epilogue().checkResidual(outputShape(), residual);
    }

    private void checkOperands(Tensor input, Tensor output) {
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
