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
 *
 * <p>{@link #backward} differentiates at the input and weight of the last {@code forward} call. Like PyTorch (which
 * raises "one of the variables needed for gradient computation has been modified by an inplace operation"), it
 * refuses to run when either was changed in place since: {@code forward} keeps no copy of the input, only a 64-bit
 * fingerprint of its values and of the weight's (one pass over each), which {@code backward} checks. A change
 * that restores the same values passes; a different array of equal values is a different input and must go
 * through {@code forward}.
 */
public final class Conv2dLayer {
    private final ConvSpec spec;
    private final Tensor weight;
    private final Tensor bias;
    private final Conv2d engine;
    private Conv2dPlan plan;
    private Tensor lastInput;
    private long lastInputFingerprint;
    private long lastWeightFingerprint;

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
        Tensor output = current.forward(input);
        lastInput = input;
        lastInputFingerprint = fingerprint(input.data());
        lastWeightFingerprint = fingerprint(weight.data());
        return output;
    }

    /** A 64-bit hash of the values' bits: a change of any element changes it (barring a 2^-64 coincidence). */
    private static long fingerprint(float[] values) {
        long h = 0x9E3779B97F4A7C15L;
        for (float v : values) {
            h = (h ^ Float.floatToRawIntBits(v)) * 0xBF58476D1CE4E5B9L;
            h ^= h >>> 31;
        }
        return h;
    }

    /**
     * The gradients of the loss with respect to the input, weight and bias of the last {@link #forward}
     * call, given {@code dL/d(output)}: on the layer's engine when it has a backward pass
     * ({@link Conv2dBackward}), else on the reference.
     *
     * @throws IllegalStateException if {@link #forward} was never called, or the input or weight of the last
     *                               {@code forward} call was changed in place since (see the class comment)
     */
    public ConvGradients backward(Tensor gradOutput) {
        if (lastInput == null) {
            throw new IllegalStateException("backward needs the input of a forward call: call forward first");
        }
        if (fingerprint(lastInput.data()) != lastInputFingerprint) {
            throw new IllegalStateException("the input of the last forward call was changed in place since that call, and backward"
                    + " needs the values forward saw (PyTorch: one of the variables needed for gradient computation has been modified"
                    + " by an inplace operation): call forward again with the changed input");
        }
        if (fingerprint(weight.data()) != lastWeightFingerprint) {
            throw new IllegalStateException("the layer's weight was changed since the last forward call (by sgdStep or in place),"
                    + " and backward needs the weight forward used (PyTorch: one of the variables needed for gradient computation"
                    + " has been modified by an inplace operation): call forward again");
        }
        return engine instanceof Conv2dBackward training
                ? training.backward(spec, lastInput, weight, gradOutput)
                : ReferenceConv2dBackward.backward(spec, lastInput, weight, gradOutput);
    }

    /** One plain gradient-descent step: {@code weight -= learningRate * gradWeight} (and the bias likewise). */
    public void sgdStep(ConvGradients gradients, float learningRate) {
        Objects.requireNonNull(gradients, "gradients");
        if (!(learningRate >= 0) || Float.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learningRate must be finite and non-negative, but got " + learningRate);
        }
        spec.checkParameters(gradients.weight(), gradients.bias());
        axpy(-learningRate, gradients.weight().data(), weight.data());
        if (bias != null) {
            axpy(-learningRate, gradients.bias().data(), bias.data());
        }
        weightsChanged();
    }

    private static void axpy(float a, float[] x, float[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] += a * x[i];
        }
    }
}
