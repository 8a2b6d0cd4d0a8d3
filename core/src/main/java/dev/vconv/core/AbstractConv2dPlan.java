package dev.vconv.core;

import java.util.Objects;

/**
 * What every {@link Conv2dPlan} holds: its spec, the input shape it was made for and the output shape that
 * follows (checked at construction, with the spec's messages). Engines extend it with their prepared state.
 */
public abstract class AbstractConv2dPlan implements Conv2dPlan {
    private final ConvSpec spec;
    private final Shape inputShape;
    private final Shape outputShape;
    private final Epilogue epilogue;

    /** Checks {@code inputShape} against {@code spec} and records both; no epilogue. */
    protected AbstractConv2dPlan(ConvSpec spec, Shape inputShape) {
        this(spec, inputShape, Epilogue.NONE);
    }

    /** Checks {@code inputShape} against {@code spec} and records both, and the epilogue the plan applies. */
    protected AbstractConv2dPlan(ConvSpec spec, Shape inputShape, Epilogue epilogue) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.inputShape = Objects.requireNonNull(inputShape, "inputShape");
        this.epilogue = Objects.requireNonNull(epilogue, "epilogue");
        this.outputShape = spec.outputShape(inputShape);
    }

    @Override
    public final Epilogue epilogue() {
        return epilogue;
    }

    @Override
    public final ConvSpec spec() {
        return spec;
    }

    @Override
    public final Shape inputShape() {
        return inputShape;
    }

    @Override
    public final Shape outputShape() {
        return outputShape;
    }
}
