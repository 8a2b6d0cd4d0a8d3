package dev.vconv.core;

import java.util.Objects;

/**
 * {@link Conv2d#plan(ConvSpec, Shape, Tensor, Tensor, Epilogue)}'s default: an engine's plain plan, then the
 * epilogue applied unfused over the output ({@link Epilogue#apply(Tensor, Tensor)}). A residual that is the output
 * itself is first copied into a buffer of the output's size, one per calling thread, made at that thread's first
 * such call; nothing else is allocated per call.
 */
final class UnfusedEpiloguePlan implements Conv2dPlan {
    private final Conv2dPlan convolution;
    private final Epilogue epilogue;
    private final ThreadLocal<float[]> savedResidual;

    UnfusedEpiloguePlan(Conv2dPlan convolution, Epilogue epilogue) {
        this.convolution = Objects.requireNonNull(convolution, "convolution");
        this.epilogue = Objects.requireNonNull(epilogue, "epilogue");
        int size = convolution.outputShape().size();
        this.savedResidual = ThreadLocal.withInitial(() -> new float[size]);
    }

    @Override
    public ConvSpec spec() {
        return convolution.spec();
    }

    @Override
    public Shape inputShape() {
        return convolution.inputShape();
    }

    @Override
    public Shape outputShape() {
        return convolution.outputShape();
    }

    @Override
    public Epilogue epilogue() {
        return epilogue;
    }

    @Override
    public void forward(Tensor input, Tensor output) {
        checkCall(input, output);
        convolution.forward(input, output);
        epilogue.applyUnchecked(output.data(), 0, null, 0, output.data(), 0, output.size());
    }

    @Override
    public void forward(Tensor input, Tensor residual, Tensor output) {
        checkCall(input, residual, output);
        float[] r = null;
        if (residual != null) {
            r = residual.data();
            if (r == output.data()) {
                float[] saved = savedResidual.get();
                System.arraycopy(r, 0, saved, 0, saved.length);
                r = saved;
            }
        }
        convolution.forward(input, output);
        epilogue.applyUnchecked(output.data(), 0, r, 0, output.data(), 0, output.size());
    }

    @Override
    public String toString() {
        return convolution + " then " + epilogue + " (unfused)";
    }
}
