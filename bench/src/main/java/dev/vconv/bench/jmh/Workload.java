package dev.vconv.bench.jmh;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;

/**
 * The operands of one benchmarked convolution, drawn from the fixed seeds of {@link BenchDefaults}: input,
 * weight, bias (or null) and a preallocated output, so that a measured call allocates nothing.
 */
public final class Workload {
    public final ConvSpec spec;
    public final Shape inputShape;
    public final Tensor input;
    public final Tensor weight;
    public final Tensor bias;
    public final Tensor output;

    public Workload(ConvSpec spec, Shape inputShape) {
        this.spec = spec;
        this.inputShape = inputShape;
        this.input = Tensor.random(BenchDefaults.INPUT_SEED, inputShape.dims());
        this.weight = Tensor.random(BenchDefaults.WEIGHT_SEED, spec.weightShape().dims());
        this.bias = spec.hasBias() ? Tensor.random(BenchDefaults.BIAS_SEED, spec.outChannels()) : null;
        this.output = Tensor.zeros(spec.outputShape(inputShape));
    }

    public static Workload of(NetLayer layer) {
        return new Workload(layer.spec(), layer.inputShape());
    }

    public static Workload of(ConvCase c) {
        return new Workload(c.spec(), c.inputShape());
    }

    public long flops() {
        return spec.flops(inputShape);
    }
}
