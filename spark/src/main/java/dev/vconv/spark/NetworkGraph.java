package dev.vconv.spark;

import dev.vconv.core.Activation;
import dev.vconv.core.BatchNorm2d;
import dev.vconv.core.Conv2d;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.PaddingMode;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import dev.vconv.core.net.Layer;
import dev.vconv.core.net.Models;
import dev.vconv.core.net.Network;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A network of core's {@code dev.vconv.core.net} (torchvision's MobileNetV2 and ResNet-50, or any built with
 * {@link Network#builder}) as what the Spark job broadcasts and runs, on images of one size. Each convolution
 * has its BatchNorm folded and its residual add and activation fused as {@link Network#plan} does it.
 *
 * <p>{@link #features} cuts a network at a layer: {@code features(Models.mobileNetV2(seed), "flatten", 224, 224)}
 * gives MobileNetV2's 1280 pooled features instead of its 1000 logits.
 *
 * <p>Serialized as the layers' plain numbers (specs, weights, BatchNorm statistics, activations) and rebuilt
 * through {@link Network#builder} on the executor, so the broadcast carries the weights themselves.
 */
public final class NetworkGraph implements NetworkDefinition {
    @Serial
    private static final long serialVersionUID = 1L;

    private transient Network network;
    private final int height;
    private final int width;

    private NetworkGraph(Network network, int height, int width) {
        this.network = network;
        this.height = height;
        this.width = width;
        network.outputShape(Shape.of(1, network.inChannels(), height, width));   // fits the image size, or says why
    }

    /** {@code network} whole, on images of {@code height x width}. */
    public static NetworkGraph of(Network network, int height, int width) {
        return new NetworkGraph(Objects.requireNonNull(network, "network"), height, width);
    }

    /**
     * {@code network} up to and including layer {@code layer}, whose output becomes the network's: the layers after
     * it are dropped.
     *
     * @throws IllegalArgumentException if the network has no layer of that name
     */
    public static NetworkGraph features(Network network, String layer, int height, int width) {
        Objects.requireNonNull(network, "network");
        List<Layer> layers = network.layers();
        for (int i = 0; i < layers.size(); i++) {
            if (layers.get(i).name().equals(layer)) {
                return new NetworkGraph(rebuild(network.name() + "[.." + layer + "]", network.inChannels(),
                        layers.subList(0, i + 1), i + 1), height, width);
            }
        }
        throw new IllegalArgumentException("layer '" + layer + "' is not a layer of " + network);
    }

    /** torchvision's MobileNetV2 with seeded weights, cut after its global average pool: 1280 features per image. */
    public static NetworkGraph mobileNetV2Features(long seed, int size) {
        return features(Models.mobileNetV2(seed), "flatten", size, size);
    }

    public Network network() {
        return network;
    }

    @Override
    public String name() {
        return network.name();
    }

    @Override
    public Shape imageShape() {
        return Shape.of(network.inChannels(), height, width);
    }

    @Override
    public int outputSize() {
        Shape out = network.outputShape(Shape.of(1, network.inChannels(), height, width));
        return out.size();
    }

    @Override
    public long flopsPerImage() {
        List<Shape> shapes = network.shapes(Shape.of(1, network.inChannels(), height, width));
        long flops = 0;
        for (int i = 0; i < network.layers().size(); i++) {
            if (network.layers().get(i) instanceof Layer.Conv conv) {
                flops += conv.spec().flops(shapes.get(conv.input()));
            } else if (network.layers().get(i) instanceof Layer.Linear linear) {
                flops += 2L * linear.inFeatures() * linear.outFeatures();
            }
        }
        return flops;
    }

    @Override
    public ImageNetwork build(Conv2d engine) {
        return new NetworkGraphRunner(this, Objects.requireNonNull(engine, "engine"));
    }

    @Override
    public String toString() {
        return network + " on " + imageShape() + " (" + outputSize() + " outputs)";
    }

    /** A network of {@code layers} (ids as in their source network, which they must start) returning value {@code output}. */
    private static Network rebuild(String name, int inChannels, List<Layer> layers, int output) {
        Network.Builder b = Network.builder(name, inChannels);
        List<Network.Value> values = new ArrayList<>();
        values.add(b.input());
        for (Layer layer : layers) {
            values.add(switch (layer) {
                case Layer.Conv c -> c.residual() >= 0
                        ? b.conv(c.name(), values.get(c.input()), c.spec(), c.weight(), c.bias(), c.batchNorm(),
                                values.get(c.residual()), c.activation())
                        : b.conv(c.name(), values.get(c.input()), c.spec(), c.weight(), c.bias(), c.batchNorm(), c.activation());
                case Layer.MaxPool p -> b.maxPool(p.name(), values.get(p.input()), p.kernel(), p.stride(), p.padding());
                case Layer.GlobalAvgPool p -> b.globalAvgPool(p.name(), values.get(p.input()));
                case Layer.Flatten f -> b.flatten(f.name(), values.get(f.input()));
                case Layer.Linear l -> b.linear(l.name(), values.get(l.input()), l.weight(), l.bias());
            });
        }
        return b.build(values.get(output));
    }

    // Serial form: the network's name, input channels, output id, then each layer as a tag and its numbers.

    @Serial
    private void writeObject(ObjectOutputStream out) throws IOException {
        out.defaultWriteObject();
        out.writeUTF(network.name());
        out.writeInt(network.inChannels());
        out.writeInt(network.output());
        out.writeInt(network.layers().size());
        for (Layer layer : network.layers()) {
            out.writeUTF(layer.name());
            out.writeInt(layer.input());
            switch (layer) {
                case Layer.Conv c -> {
                    out.writeByte('C');
                    writeSpec(out, c.spec());
                    writeTensor(out, c.weight());
                    writeTensor(out, c.bias());
                    out.writeBoolean(c.batchNorm() != null);
                    if (c.batchNorm() != null) {
                        BatchNorm2d bn = c.batchNorm();
                        writeTensor(out, bn.gamma());
                        writeTensor(out, bn.beta());
                        writeTensor(out, bn.runningMean());
                        writeTensor(out, bn.runningVar());
                        out.writeDouble(bn.eps());
                    }
                    out.writeInt(c.residual());
                    writeActivation(out, c.activation());
                }
                case Layer.MaxPool p -> {
                    out.writeByte('M');
                    out.writeInt(p.kernel());
                    out.writeInt(p.stride());
                    out.writeInt(p.padding());
                }
                case Layer.GlobalAvgPool p -> out.writeByte('G');
                case Layer.Flatten f -> out.writeByte('F');
                case Layer.Linear l -> {
                    out.writeByte('L');
                    writeTensor(out, l.weight());
                    writeTensor(out, l.bias());
                }
            }
        }
    }

    @Serial
    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        String name = in.readUTF();
        int inChannels = in.readInt();
        int output = in.readInt();
        int count = in.readInt();
        Network.Builder b = Network.builder(name, inChannels);
        List<Network.Value> values = new ArrayList<>();
        values.add(b.input());
        for (int i = 0; i < count; i++) {
            String layer = in.readUTF();
            Network.Value x = values.get(in.readInt());
            byte tag = in.readByte();
            values.add(switch (tag) {
                case 'C' -> {
                    ConvSpec spec = readSpec(in);
                    Tensor weight = readTensor(in);
                    Tensor bias = readTensor(in);
                    BatchNorm2d bn = in.readBoolean()
                            ? BatchNorm2d.of(readTensor(in), readTensor(in), readTensor(in), readTensor(in), in.readDouble()) : null;
                    int residual = in.readInt();
                    Activation activation = readActivation(in);
                    yield residual >= 0 ? b.conv(layer, x, spec, weight, bias, bn, values.get(residual), activation)
                            : b.conv(layer, x, spec, weight, bias, bn, activation);
                }
                case 'M' -> b.maxPool(layer, x, in.readInt(), in.readInt(), in.readInt());
                case 'G' -> b.globalAvgPool(layer, x);
                case 'F' -> b.flatten(layer, x);
                case 'L' -> b.linear(layer, x, readTensor(in), readTensor(in));
                default -> throw new IOException("unknown layer tag " + tag + " for layer '" + layer + "'");
            });
        }
        network = b.build(values.get(output));
    }

    private static void writeTensor(ObjectOutputStream out, Tensor t) throws IOException {
        out.writeObject(t == null ? null : t.shape().dims());
        out.writeObject(t == null ? null : t.data());
    }

    private static Tensor readTensor(ObjectInputStream in) throws IOException, ClassNotFoundException {
        int[] dims = (int[]) in.readObject();
        float[] data = (float[]) in.readObject();
        return dims == null ? null : Tensor.of(data, dims);
    }

    private static void writeSpec(ObjectOutputStream out, ConvSpec s) throws IOException {
        out.writeObject(new int[] {s.inChannels(), s.outChannels(), s.kernelH(), s.kernelW(), s.strideH(), s.strideW(),
                s.padTop(), s.padBottom(), s.padLeft(), s.padRight(), s.dilationH(), s.dilationW(), s.groups()});
        out.writeUTF(s.paddingKind().name());
        out.writeUTF(s.paddingMode().name());
        out.writeBoolean(s.hasBias());
    }

    private static ConvSpec readSpec(ObjectInputStream in) throws IOException, ClassNotFoundException {
        int[] v = (int[]) in.readObject();
        ConvSpec.PaddingKind kind = ConvSpec.PaddingKind.valueOf(in.readUTF());
        PaddingMode mode = PaddingMode.valueOf(in.readUTF());
        boolean bias = in.readBoolean();
        ConvSpec.Builder b = ConvSpec.builder(v[0], v[1], v[2], v[3]).stride(v[4], v[5]).dilation(v[10], v[11]).groups(v[12])
                .paddingMode(mode).bias(bias);
        switch (kind) {
            case SAME -> b.paddingSame();
            case VALID -> b.paddingValid();
            case EXPLICIT -> b.padding(v[6], v[7], v[8], v[9]);
        }
        return b.build();
    }

    private static void writeActivation(ObjectOutputStream out, Activation a) throws IOException {
        out.writeUTF(a.kind().name());
        out.writeFloat(a.kind() == Activation.Kind.CLAMP ? a.min() : a.kind() == Activation.Kind.LEAKY_RELU ? a.negativeSlope() : 0);
        out.writeFloat(a.kind() == Activation.Kind.CLAMP ? a.max() : 0);
    }

    private static Activation readActivation(ObjectInputStream in) throws IOException {
        Activation.Kind kind = Activation.Kind.valueOf(in.readUTF());
        float p0 = in.readFloat();
        float p1 = in.readFloat();
        return switch (kind) {
            case IDENTITY -> Activation.identity();
            case RELU -> Activation.relu();
            case CLAMP -> Activation.clamp(p0, p1);
            case LEAKY_RELU -> Activation.leakyRelu(p0);
            case HARDSWISH -> Activation.hardswish();
            case SILU -> Activation.silu();
            case SIGMOID -> Activation.sigmoid();
            case TANH -> Activation.tanh();
            case GELU -> Activation.gelu();
            case GELU_TANH -> Activation.geluTanh();
        };
    }
}
