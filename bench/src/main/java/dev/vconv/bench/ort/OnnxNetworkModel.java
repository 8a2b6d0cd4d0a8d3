package dev.vconv.bench.ort;

import dev.vconv.core.Activation;
import dev.vconv.core.BatchNorm2d;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import dev.vconv.core.net.Layer;
import dev.vconv.core.net.Network;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole {@link Network} as one ONNX graph (opset 13), the way {@code torch.onnx.export} writes an eval-mode
 * model: each convolution with its BatchNorm already folded ({@link Layer.Conv#folded()}, the very tensors vconv
 * plans), then {@code Add} for a residual, {@code Relu} or {@code Clip} (ReLU6 is {@code Clip(0, 6)}); {@code MaxPool},
 * {@code GlobalAveragePool}, {@code Flatten} and {@code Gemm} ({@code transB = 1}) for the rest. ONNX Runtime
 * then makes its own fusions and layout choices, as it would for a user's export.
 *
 * <p>Value {@code i} of the network is named {@code v<i>}; the input is {@link #INPUT}, the output {@link #OUTPUT};
 * nodes carry the layers' names. Field numbers as in {@link OnnxConvModel}.
 */
public final class OnnxNetworkModel {
    public static final String INPUT = "input";
    public static final String OUTPUT = "logits";

    private static final int ATTR_INT = 2;      // AttributeProto.AttributeType.INT

    private OnnxNetworkModel() {
    }

    /** The model bytes of {@code network} for inputs of {@code inputShape}. */
    public static byte[] build(Network network, Shape inputShape) {
        List<Shape> shapes = network.shapes(inputShape);
        ProtoWriter graph = new ProtoWriter();
        Map<Activation, String> clamps = new LinkedHashMap<>();    // Clip's bounds are inputs: one pair of constants per clamp
        for (int i = 0; i < network.layers().size(); i++) {
            Layer layer = network.layers().get(i);
            String in = name(network, layer.input());
            String out = name(network, i + 1);
            switch (layer) {
                case Layer.Conv conv -> {
                    BatchNorm2d.Folded f = conv.folded();
                    var s = f.spec();
                    String w = layer.name() + ".weight";
                    graph.message(5, OnnxConvModel.tensor(w, f.weight()));
                    List<String> inputs = List.of(in, w);
                    if (f.bias() != null) {
                        String b = layer.name() + ".bias";
                        graph.message(5, OnnxConvModel.tensor(b, f.bias()));
                        inputs = List.of(in, w, b);
                    }
                    ProtoWriter node = node("Conv", layer.name(), inputs, stage(conv, out, "conv"))
                            .message(5, OnnxConvModel.ints("kernel_shape", s.kernelH(), s.kernelW()))
                            .message(5, OnnxConvModel.ints("strides", s.strideH(), s.strideW()))
                            .message(5, OnnxConvModel.ints("pads", s.padTop(), s.padLeft(), s.padBottom(), s.padRight()))
                            .message(5, OnnxConvModel.ints("dilations", s.dilationH(), s.dilationW()))
                            .message(5, intAttr("group", s.groups()));
                    graph.message(1, node);
                    String last = stage(conv, out, "conv");
                    if (conv.residual() >= 0) {
                        String sum = stage(conv, out, "add");
                        graph.message(1, node("Add", layer.name() + ".add", List.of(last, name(network, conv.residual())), sum));
                        last = sum;
                    }
                    Activation act = conv.activation();
                    switch (act.kind()) {
                        case IDENTITY -> { }
                        case RELU -> graph.message(1, node("Relu", layer.name() + ".relu", List.of(last), out));
                        case CLAMP -> {
                            String bounds = clamps.computeIfAbsent(act, a -> "clip" + clamps.size());
                            graph.message(1, node("Clip", layer.name() + ".clip", List.of(last, bounds + ".min", bounds + ".max"), out));
                        }
                        default -> throw new IllegalArgumentException("no ONNX export for activation " + act + " of layer '"
                                + layer.name() + "'");
                    }
                }
                case Layer.MaxPool pool -> graph.message(1, node("MaxPool", layer.name(), List.of(in), out)
                        .message(5, OnnxConvModel.ints("kernel_shape", pool.kernel(), pool.kernel()))
                        .message(5, OnnxConvModel.ints("strides", pool.stride(), pool.stride()))
                        .message(5, OnnxConvModel.ints("pads", pool.padding(), pool.padding(), pool.padding(), pool.padding())));
                case Layer.GlobalAvgPool pool -> graph.message(1, node("GlobalAveragePool", layer.name(), List.of(in), out));
                case Layer.Flatten flatten -> graph.message(1, node("Flatten", layer.name(), List.of(in), out)
                        .message(5, intAttr("axis", 1)));
                case Layer.Linear linear -> {
                    String w = layer.name() + ".weight";
                    graph.message(5, OnnxConvModel.tensor(w, linear.weight()));
                    List<String> inputs = List.of(in, w);
                    if (linear.bias() != null) {
                        String b = layer.name() + ".bias";
                        graph.message(5, OnnxConvModel.tensor(b, linear.bias()));
                        inputs = List.of(in, w, b);
                    }
                    graph.message(1, node("Gemm", layer.name(), inputs, out).message(5, intAttr("transB", 1)));
                }
            }
        }
        clamps.forEach((act, bounds) -> graph
                .message(5, OnnxConvModel.tensor(bounds + ".min", Tensor.of(new float[] {act.min()})))
                .message(5, OnnxConvModel.tensor(bounds + ".max", Tensor.of(new float[] {act.max()}))));
        graph.string(2, network.name())                                                   // GraphProto.name
                .message(11, OnnxConvModel.valueInfo(INPUT, inputShape))                  // GraphProto.input
                .message(12, OnnxConvModel.valueInfo(OUTPUT, shapes.get(network.output()))); // GraphProto.output
        return new ProtoWriter()
                .int64(1, 8)                                                              // ModelProto.ir_version
                .string(2, "vconv-bench")                                                 // ModelProto.producer_name
                .message(7, graph)                                                        // ModelProto.graph
                .message(8, new ProtoWriter().string(1, "").int64(2, 13))                 // ModelProto.opset_import
                .toByteArray();
    }

    /** The name of value {@code id}: the graph's input and output by their names, the others {@code v<id>}. */
    private static String name(Network network, int id) {
        return id == 0 ? INPUT : id == network.output() ? OUTPUT : "v" + id;
    }

    /** The name of an intermediate result of a conv layer, or {@code out} when it is the layer's last stage. */
    private static String stage(Layer.Conv conv, String out, String stage) {
        boolean add = conv.residual() >= 0;
        boolean act = !conv.activation().isIdentity();
        boolean last = switch (stage) {
            case "conv" -> !add && !act;
            case "add" -> !act;
            default -> true;
        };
        return last ? out : out + "." + stage;
    }

    private static ProtoWriter node(String op, String name, List<String> inputs, String output) {
        // NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5
        ProtoWriter node = new ProtoWriter();
        for (String in : inputs) {
            node.string(1, in);
        }
        return node.string(2, output).string(3, name).string(4, op);
    }

    private static ProtoWriter intAttr(String name, long value) {
        // AttributeProto: name = 1, i = 3, type = 20
        return new ProtoWriter().string(1, name).int64(20, ATTR_INT).int64(3, value);
    }
}
