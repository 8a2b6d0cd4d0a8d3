package dev.vconv.core;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A convolution layer like {@code nn.Conv2d}: it owns its weight {@code [cout, cin/groups, kh, kw]} and
 * bias {@code [cout]}, initialised as PyTorch does (weight from kaiming-uniform with
 * {@code a = sqrt(5)}, which is uniform in {@code ±1/sqrt(fan_in)}; bias uniform in
 * {@code ±1/sqrt(fan_in)}; {@code fan_in = (cin/groups)*kh*kw}), drawn from a seeded generator.
 *
 * <p>{@link #forward} runs on {@link Engines#best()} through a plan per input shape, rebuilt when the
 * weights change. Not thread-safe (the plan cache); plans themselves are.
 */
public final class Conv2dLayer {
    private final ConvSpec spec;
    private final Tensor weight;
    private final Tensor bias;
    private final Conv2d engine;
    private Conv2dPlan plan;

    /** A layer with PyTorch's initialisation from {@code seed}, on the best engine. */
    public Conv2dLayer(ConvSpec spec, long seed) {
        this(spec, seed, Engines.best());
    }

    /** A layer with PyTorch's initialisation from {@code seed}, on the given engine. */
    public Conv2dLayer(ConvSpec spec, long seed, Conv2d engine) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.engine = Objects.requireNonNull(engine, "engine");
        SplittableRandom random = new SplittableRandom(seed);
        double bound = 1.0 / Math.sqrt(spec.reductionLength());
        this.weight = uniform(spec.weightShape(), bound, random);
        this.bias = spec.hasBias() ? uniform(spec.biasShape(), bound, random) : null;
    }

    private static Tensor uniform(Shape shape, double bound, SplittableRandom random) {
        float[] data = new float[shape.size()];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return Tensor.of(data, shape);
    }

    public ConvSpec spec() {
        return spec;
    }

    /** The weight itself (not a copy); call {@link #weightsChanged()} after writing into it. */
    public Tensor weight() {
        return weight;
    }

    /** The bias itself (not a copy), or {@code null}; call {@link #weightsChanged()} after writing into it. */
    public Tensor bias() {
        return bias;
    }

    public Conv2d engine() {
        return engine;
    }

    /** Tells the layer that its weight or bias was changed in place, so the next call re-plans. */
    public void weightsChanged() {
        plan = null;
    }

    /** The convolution of {@code input} ({@code [n, cin, h, w]} or {@code [cin, h, w]}) into a new tensor. */
    public Tensor forward(Tensor input) {
        Objects.requireNonNull(input, "input");
        Conv2dPlan current = plan;
        if (current == null || !current.inputShape().equals(input.shape())) {
            current = engine.plan(spec, input.shape(), weight, bias);
            plan = current;
        }
        return current.forward(input);
    }
}
