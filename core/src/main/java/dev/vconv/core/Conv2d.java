package dev.vconv.core;

import java.util.Objects;

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
     * Computes {@code output = epilogue(conv(input) + bias, residual)}: the convolution followed by the
     * {@link Epilogue}, {@code act(conv(x) + bias + alpha * residual)}. Every argument is checked before anything
     * is written. {@code residual} has the output's shape, or is {@code null} exactly when the epilogue has no
     * residual; it may be {@code output} itself (the result then accumulates onto it in place), or share an
     * operand's array (which is only read).
     *
     * <p>The default runs {@link #forward(ConvSpec, Tensor, Tensor, Tensor, Tensor)} and then applies the epilogue
     * unfused ({@link Epilogue#apply(Tensor, Tensor)}; a residual that is the output is copied first). This is
     * what the reference engine does; engines that fuse override it and promise the same result (bit for bit,
     * or within {@link Epilogue#TRANSCENDENTAL_ULPS} ulps for the transcendental activations).
     */
    default void forward(ConvSpec spec, Tensor input, Tensor weight, Tensor bias, Epilogue epilogue, Tensor residual,
                         Tensor output) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(epilogue, "epilogue");
        spec.checkForward(input, weight, bias, output);
        epilogue.checkResidual(output.shape(), residual);
        if (epilogue.isNone()) {
            forward(spec, input, weight, bias, output);
            return;
        }
        float[] r = residual == null ? null : residual.data() == output.data() ? residual.data().clone() : residual.data();
        forward(spec, input, weight, bias, output);
        epilogue.applyUnchecked(output.data(), 0, r, 0, output.data(), 0, output.size());
    }

    /** Computes the convolution and its epilogue into a new output tensor. */
    default Tensor forward(ConvSpec spec, Tensor input, Tensor weight, Tensor bias, Epilogue epilogue, Tensor residual) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(input, "input");
        Tensor output = Tensor.zeros(spec.outputShape(input.shape()));
        forward(spec, input, weight, bias, epilogue, residual, output);
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

    /**
     * Prepares repeated calls of the convolution followed by {@code epilogue} (see
     * {@link #forward(ConvSpec, Tensor, Tensor, Tensor, Epilogue, Tensor, Tensor)}). A plan whose epilogue has a
     * residual is called with {@link Conv2dPlan#forward(Tensor, Tensor, Tensor)}.
     *
     * <p>The default wraps {@link #plan(ConvSpec, Shape, Tensor, Tensor)} and applies the epilogue after each call,
     * unfused; it keeps one output-sized buffer per calling thread for a residual that is the output itself, so
     * repeated calls allocate nothing more than the wrapped plan does. {@link Epilogue#NONE} gives the plain plan.
     */
    default Conv2dPlan plan(ConvSpec spec, Shape inputShape, Tensor weight, Tensor bias, Epilogue epilogue) {
        Objects.requireNonNull(epilogue, "epilogue");
        Conv2dPlan convolution = plan(spec, inputShape, weight, bias);
        return epilogue.isNone() ? convolution : new UnfusedEpiloguePlan(convolution, epilogue);
    }
}
