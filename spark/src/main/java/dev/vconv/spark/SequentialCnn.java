package dev.vconv.spark;

import dev.vconv.core.Conv2d;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.Shape;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A small CNN feature extractor: a stack of convolutions, each optionally followed by a ReLU (the epilogue of its
 * plan, {@code Epilogue.of(Activation.relu())}), then a global average pool over the last feature map. Its weights are plain arrays, so the whole definition is what the
 * driver broadcasts.
 *
 * <p>{@link #featureExtractor} gives a MobileNet-like stack (a strided 3x3 stem, then depthwise 3x3 + pointwise
 * 1x1 pairs); any other stack can be given layer by layer.
 */
public final class SequentialCnn implements NetworkDefinition {
    private static final long serialVersionUID = 1L;

    /**
     * One convolution: PyTorch's {@code Conv2d(in, out, kernel, stride, padding, groups=groups)} with a bias,
     * followed by a ReLU when {@code relu}. {@code weight} is {@code [out, in/groups, kernel, kernel]},
     * {@code bias} is {@code [out]}; the layer owns both arrays.
     */
    public record Layer(int inChannels, int outChannels, int kernel, int stride, int padding, int groups, boolean relu,
                        float[] weight, float[] bias) implements Serializable {
        public Layer {
            Objects.requireNonNull(weight, "weight");
            Objects.requireNonNull(bias, "bias");
            ConvSpec spec = spec(inChannels, outChannels, kernel, stride, padding, groups);
            if (weight.length != spec.weightShape().size()) {
                throw new IllegalArgumentException("weight must have " + spec.weightShape().size() + " elements (shape "
                        + spec.weightShape() + ") for " + spec + ", but got " + weight.length);
            }
            if (bias.length != outChannels) {
                throw new IllegalArgumentException("bias must have out_channels=" + outChannels + " elements, but got " + bias.length);
            }
        }

        /** The layer's convolution as a {@link ConvSpec}. */
        public ConvSpec spec() {
            return spec(inChannels, outChannels, kernel, stride, padding, groups);
        }

        private static ConvSpec spec(int in, int out, int kernel, int stride, int padding, int groups) {
            return ConvSpec.builder(in, out, kernel).stride(stride).padding(padding).groups(groups).bias(true).build();
        }
    }

    private final String name;
    private final int channels;
    private final int height;
    private final int width;
    private final List<Layer> layers;

    /**
     * A stack of {@code layers} on images of {@code [channels, height, width]}.
     *
     * @throws IllegalArgumentException if the stack is empty, a layer's input channels differ from the previous
     *         layer's output, or a layer's output would be empty
     */
    public SequentialCnn(String name, int channels, int height, int width, List<Layer> layers) {
        this.name = Objects.requireNonNull(name, "name");
        this.layers = List.copyOf(Objects.requireNonNull(layers, "layers"));
        if (this.layers.isEmpty()) {
            throw new IllegalArgumentException("layers must not be empty");
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        Shape shape = Shape.of(1, channels, height, width);
        for (int i = 0; i < this.layers.size(); i++) {
            ConvSpec spec = this.layers.get(i).spec();
            try {
                shape = spec.outputShape(shape);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("layer " + i + " (" + spec + ") does not fit its input " + shape + ": "
                        + e.getMessage(), e);
            }
        }
    }

    /**
     * A MobileNet-like feature extractor with weights drawn from {@code seed} (He-uniform, so activations keep
     * their scale through the ReLUs): a 3x3 stride-2 stem to 16 channels, then three depthwise 3x3 + pointwise
     * 1x1 pairs (stride 1, 2, 2) widening to 32, 64 and 128 channels, every convolution followed by a ReLU. Its
     * output is the 128 channel means of the last feature map.
     */
    public static SequentialCnn featureExtractor(long seed, int channels, int height, int width) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Layer> layers = new ArrayList<>();
        layers.add(seeded(random, channels, 16, 3, 2, 1, 1));
        int c = 16;
        int[][] blocks = {{32, 1}, {64, 2}, {128, 2}};
        for (int[] block : blocks) {
            layers.add(seeded(random, c, c, 3, block[1], 1, c));      // depthwise
            layers.add(seeded(random, c, block[0], 1, 1, 0, 1));       // pointwise
            c = block[0];
        }
        return new SequentialCnn("cnn-" + layers.size(), channels, height, width, layers);
    }

    private static Layer seeded(SplittableRandom random, int in, int out, int kernel, int stride, int padding, int groups) {
        int fanIn = in / groups * kernel * kernel;
        float bound = (float) Math.sqrt(6.0 / fanIn);
        float[] weight = new float[out * fanIn];
        for (int i = 0; i < weight.length; i++) {
            weight[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        float[] bias = new float[out];
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (float) ((random.nextDouble() * 2 - 1) * 0.1);
        }
        return new Layer(in, out, kernel, stride, padding, groups, true, weight, bias);
    }

    public List<Layer> layers() {
        return layers;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Shape imageShape() {
        return Shape.of(channels, height, width);
    }

    @Override
    public int outputSize() {
        return layers.getLast().outChannels();
    }

    @Override
    public long flopsPerImage() {
        Shape shape = Shape.of(1, channels, height, width);
        long flops = 0;
        for (Layer layer : layers) {
            ConvSpec spec = layer.spec();
            flops += spec.flops(shape);
            shape = spec.outputShape(shape);
        }
        return flops;
    }

    @Override
    public ImageNetwork build(Conv2d engine) {
        return new SequentialCnnNetwork(this, Objects.requireNonNull(engine, "engine"));
    }

    @Override
    public String toString() {
        return name + " on " + imageShape() + " (" + layers.size() + " convolutions, " + outputSize() + " features)";
    }
}
