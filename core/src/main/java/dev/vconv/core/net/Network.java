package dev.vconv.core.net;

import dev.vconv.core.Activation;
import dev.vconv.core.BatchNorm2d;
import dev.vconv.core.Conv2d;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A feed-forward network for inference: convolutions, each with an optional eval-mode BatchNorm, residual add
 * and activation, and the few plain ops image classifiers end with (max pool, global average pool, flatten,
 * linear). It is a description only, independent of the input size like a torchvision model; {@link #plan}
 * compiles it for one engine and one input shape into a {@link NetworkPlan} that runs without allocating.
 *
 * <p>Built by {@link Builder}, which checks each layer against the values it reads as it is added (channels,
 * weight shapes, ranks); the spatial checks that depend on the input size happen in {@link #plan} and name the
 * layer. The network keeps its own copies of the tensors it is given. {@link Models} builds torchvision's
 * ResNet-50 and MobileNetV2.
 */
public final class Network {
    private final String name;
    private final int inChannels;
    private final List<Layer> layers;
    private final int output;

    private Network(String name, int inChannels, List<Layer> layers, int output) {
        this.name = name;
        this.inChannels = inChannels;
        this.layers = List.copyOf(layers);
        this.output = output;
    }

    /** A builder for a network named {@code name} whose input has {@code inChannels} channels ({@code [n, inChannels, h, w]}). */
    public static Builder builder(String name, int inChannels) {
        return new Builder(name, inChannels);
    }

    public String name() {
        return name;
    }

    /** The channel count of the input {@code [n, c, h, w]}. */
    public int inChannels() {
        return inChannels;
    }

    /** The layers in execution order; value {@code i + 1} is the output of layer {@code i}, value 0 the input. */
    public List<Layer> layers() {
        return layers;
    }

    /** The id of the value the network returns. */
    public int output() {
        return output;
    }

    /** Learnable parameters as PyTorch counts them: convolution and linear weights and biases, BatchNorm's weight and bias. */
    public long parameterCount() {
        return layers.stream().mapToLong(Layer::parameterCount).sum();
    }

    /**
     * The shape of every value for an input of {@code inputShape}: index 0 the input, {@code i + 1} layer
     * {@code i}'s output.
     *
     * @throws IllegalArgumentException if the input is not {@code [n, inChannels, h, w]} with n, h, w at least 1,
     *                                  or is too small for a layer (the message names the layer)
     */
    public List<Shape> shapes(Shape inputShape) {
        Objects.requireNonNull(inputShape, "inputShape");
        if (inputShape.rank() != 4 || inputShape.dim(1) != inChannels || inputShape.dim(0) < 1 || inputShape.dim(2) < 1
                || inputShape.dim(3) < 1) {
            throw new IllegalArgumentException("network '" + name + "' takes input of size [n, " + inChannels
                    + ", h, w] with n, h and w at least 1, but got input of size " + inputShape);
        }
        List<Shape> shapes = new ArrayList<>(layers.size() + 1);
        shapes.add(inputShape);
        for (Layer layer : layers) {
            Shape in = shapes.get(layer.input());
            Shape out;
            try {
                out = layer.outputShape(in);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("network '" + name + "' on input of size " + inputShape + ": layer '"
                        + layer.name() + "' cannot take its input of size " + in + ": " + e.getMessage(), e);
            }
            if (layer instanceof Layer.Conv conv && conv.residual() >= 0 && !shapes.get(conv.residual()).equals(out)) {
                throw new IllegalArgumentException("network '" + name + "' on input of size " + inputShape + ": layer '"
                        + layer.name() + "' adds a residual of size " + shapes.get(conv.residual())
                        + " to its output of size " + out + ": they must be equal");
            }
            shapes.add(out);
        }
        return shapes;
    }

    /** The shape of the network's output for an input of {@code inputShape} (checked as {@link #shapes}). */
    public Shape outputShape(Shape inputShape) {
        return shapes(inputShape).get(output);
    }

    /**
     * Compiles this network for {@code engine} and inputs of {@code inputShape}: every convolution planned once
     * with its BatchNorm folded and its residual add and activation fused, the activations allocated once.
     *
     * @throws IllegalArgumentException as {@link #shapes}
     */
    public NetworkPlan plan(Conv2d engine, Shape inputShape) {
        Objects.requireNonNull(engine, "engine");
        return NetworkPlan.compile(this, engine, shapes(inputShape));
    }

    @Override
    public String toString() {
        return "network '" + name + "' (" + layers.size() + " layers, " + parameterCount() + " parameters)";
    }

    /** A handle on a value of the network being built: the input, or a layer's output. */
    public static final class Value {
        private final Builder owner;
        private final int id;
        private final int rank;
        private final int channels;

        private Value(Builder owner, int id, int rank, int channels) {
            this.owner = owner;
            this.id = id;
            this.rank = rank;
            this.channels = channels;
        }

        /** 0 for the input, {@code i + 1} for layer {@code i}'s output. */
        public int id() {
            return id;
        }

        /** Dimension 1 of the value: channels of an image {@code [n, c, h, w]}, features of {@code [n, f]}. */
        public int channels() {
            return channels;
        }

        /** 4 for an image, 2 after {@link Builder#flatten}. */
        public int rank() {
            return rank;
        }

        @Override
        public String toString() {
            return "value " + id + (rank == 4 ? " (" + channels + " channels)" : channels >= 0 ? " (" + channels + " features)"
                    : " (flattened)");
        }
    }

    /**
     * Adds layers one at a time, each reading values made before it; {@link #build} fixes the output. Layer names
     * must be unique and non-empty.
     */
    public static final class Builder {
        private final String name;
        private final int inChannels;
        private final List<Layer> layers = new ArrayList<>();
        private final List<Value> values = new ArrayList<>();
        private final Set<String> names = new HashSet<>();
        private boolean built;

        private Builder(String name, int inChannels) {
            this.name = Objects.requireNonNull(name, "name");
            if (inChannels < 1) {
                throw new IllegalArgumentException("inChannels must be at least 1, but got inChannels=" + inChannels);
            }
            this.inChannels = inChannels;
            values.add(new Value(this, 0, 4, inChannels));
        }

        /** The network's input, {@code [n, inChannels, h, w]}. */
        public Value input() {
            return values.get(0);
        }

        /** {@code activation(bn(conv(x)))}; {@code bias} null exactly when the spec has none, {@code batchNorm} may be null. */
        public Value conv(String name, Value x, ConvSpec spec, Tensor weight, Tensor bias, BatchNorm2d batchNorm,
                          Activation activation) {
            return addConv(name, x, spec, weight, bias, batchNorm, null, activation);
        }

        /**
         * {@code activation(bn(conv(x)) + residual)}, the residual add of ResNet's bottleneck and MobileNetV2's
         * inverted residual; {@code residual} must have the output's shape (checked when planned).
         */
        public Value conv(String name, Value x, ConvSpec spec, Tensor weight, Tensor bias, BatchNorm2d batchNorm,
                          Value residual, Activation activation) {
            Objects.requireNonNull(residual, "residual");
            return addConv(name, x, spec, weight, bias, batchNorm, residual, activation);
        }

        private Value addConv(String name, Value x, ConvSpec spec, Tensor weight, Tensor bias, BatchNorm2d batchNorm,
                              Value residual, Activation activation) {
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(activation, "activation");
            checkImage(name, "input", x);
            if (x.channels != spec.inChannels()) {
                throw new IllegalArgumentException("conv '" + name + "' has in_channels=" + spec.inChannels()
                        + " but its input " + x + " has " + x.channels + " channels");
            }
            spec.checkParameters(weight, bias);
            if (batchNorm != null && batchNorm.numFeatures() != spec.outChannels()) {
                throw new IllegalArgumentException("conv '" + name + "': its BatchNorm has num_features="
                        + batchNorm.numFeatures() + " but the convolution has out_channels=" + spec.outChannels());
            }
            int res = -1;
            if (residual != null) {
                checkImage(name, "residual", residual);
                if (residual.channels != spec.outChannels()) {
                    throw new IllegalArgumentException("conv '" + name + "' has out_channels=" + spec.outChannels()
                            + " but its residual " + residual + " has " + residual.channels + " channels");
                }
                res = residual.id;
            }
            return add(new Layer.Conv(name, x.id, spec, weight.copy(), bias == null ? null : bias.copy(),
                    batchNorm, res, activation), 4, spec.outChannels());
        }

        /** {@code nn.MaxPool2d(kernel, stride, padding)}: kernel and stride at least 1, padding at most half the kernel. */
        public Value maxPool(String name, Value x, int kernel, int stride, int padding) {
            checkImage(name, "input", x);
            if (kernel < 1 || stride < 1) {
                throw new IllegalArgumentException("max pool '" + name + "': kernel and stride must be at least 1, but got kernel="
                        + kernel + ", stride=" + stride);
            }
            if (padding < 0 || padding > kernel / 2) {
                throw new IllegalArgumentException("max pool '" + name + "': padding must be between 0 and half the kernel ("
                        + kernel / 2 + "), but got padding=" + padding);
            }
            return add(new Layer.MaxPool(name, x.id, kernel, stride, padding), 4, x.channels);
        }

        /** {@code nn.AdaptiveAvgPool2d(1)}: {@code [n, c, h, w] -> [n, c, 1, 1]}. */
        public Value globalAvgPool(String name, Value x) {
            checkImage(name, "input", x);
            return add(new Layer.GlobalAvgPool(name, x.id), 4, x.channels);
        }

        /** {@code torch.flatten(x, 1)}: {@code [n, c, h, w] -> [n, c*h*w]}. */
        public Value flatten(String name, Value x) {
            checkImage(name, "input", x);
            return add(new Layer.Flatten(name, x.id), 2, -1);
        }

        /** {@code nn.Linear}: weight {@code [out, in]}, bias {@code [out]} or null, on {@code [n, in]}. */
        public Value linear(String name, Value x, Tensor weight, Tensor bias) {
            checkOwn(name, "input", x);
            Objects.requireNonNull(weight, "weight");
            if (x.rank != 2) {
                throw new IllegalArgumentException("linear '" + name + "' takes [n, features] input: flatten " + x + " first");
            }
            if (weight.rank() != 2) {
                throw new IllegalArgumentException("linear '" + name + "': weight must be [out_features, in_features], but got size "
                        + weight.shape());
            }
            if (x.channels >= 0 && weight.dim(1) != x.channels) {
                throw new IllegalArgumentException("linear '" + name + "': weight of size " + weight.shape() + " takes "
                        + weight.dim(1) + " features but its input " + x + " has " + x.channels);
            }
            if (bias != null && !bias.shape().equals(Shape.of(weight.dim(0)))) {
                throw new IllegalArgumentException("linear '" + name + "': bias must have size [" + weight.dim(0)
                        + "], but got size " + bias.shape());
            }
            return add(new Layer.Linear(name, x.id, weight.copy(), bias == null ? null : bias.copy()), 2, weight.dim(0));
        }

        /** The network that returns {@code output}; the builder cannot be used afterwards. */
        public Network build(Value output) {
            checkOwn("build", "output", output);
            if (layers.isEmpty()) {
                throw new IllegalArgumentException("network '" + name + "' has no layers");
            }
            built = true;
            return new Network(name, inChannels, layers, output.id);
        }

        private Value add(Layer layer, int rank, int channels) {
            if (built) {
                throw new IllegalStateException("network '" + name + "' is already built");
            }
            Objects.requireNonNull(layer.name(), "name");
            if (layer.name().isEmpty() || !names.add(layer.name())) {
                throw new IllegalArgumentException("layer names must be unique and non-empty, but got '" + layer.name()
                        + "' again in network '" + name + "'");
            }
            layers.add(layer);
            Value v = new Value(this, values.size(), rank, channels);
            values.add(v);
            return v;
        }

        private void checkOwn(String layer, String role, Value v) {
            Objects.requireNonNull(v, role);
            if (v.owner != this) {
                throw new IllegalArgumentException("'" + layer + "': its " + role + " " + v
                        + " belongs to another network's builder");
            }
        }

        private void checkImage(String layer, String role, Value v) {
            checkOwn(layer, role, v);
            if (v.rank != 4) {
                throw new IllegalArgumentException("'" + layer + "' takes an image [n, c, h, w] as " + role + ", but " + v
                        + " is flattened");
            }
        }
    }
}
