package dev.vconv.bench.ort;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;

/**
 * A one-node ONNX model, {@code Y = Conv(X, W[, B])}, written as protobuf bytes in memory: no file is
 * downloaded and no ONNX library is used. The weights are initializers, so the runtime sees constants, as it
 * would in a real exported network.
 *
 * <p>Field numbers are those of {@code onnx.proto} (ModelProto, GraphProto, NodeProto, AttributeProto,
 * TensorProto, ValueInfoProto, TypeProto, TensorShapeProto). IR version 8 and opset 13, where {@code Conv}
 * has the attributes used here. ONNX orders {@code pads} as {@code [top, left, bottom, right]}.
 */
final class OnnxConvModel {
    static final String INPUT = "X";
    static final String OUTPUT = "Y";

    private static final int FLOAT = 1;         // TensorProto.DataType.FLOAT
    private static final int ATTR_INT = 2;      // AttributeProto.AttributeType.INT
    private static final int ATTR_INTS = 7;     // AttributeProto.AttributeType.INTS

    private OnnxConvModel() {
    }

    static byte[] build(ConvSpec spec, Shape inputShape, Tensor weight, Tensor bias) {
        ProtoWriter node = new ProtoWriter()
                .string(1, INPUT).string(1, "W");                                 // NodeProto.input
        if (bias != null) {
            node.string(1, "B");
        }
        node.string(2, OUTPUT)                                                     // NodeProto.output
                .string(3, "conv")                                                 // NodeProto.name
                .string(4, "Conv")                                                 // NodeProto.op_type
                .message(5, ints("kernel_shape", spec.kernelH(), spec.kernelW()))  // NodeProto.attribute
                .message(5, ints("strides", spec.strideH(), spec.strideW()))
                .message(5, ints("pads", spec.padTop(), spec.padLeft(), spec.padBottom(), spec.padRight()))
                .message(5, ints("dilations", spec.dilationH(), spec.dilationW()))
                .message(5, new ProtoWriter().string(1, "group").int64(20, ATTR_INT).int64(3, spec.groups()));

        ProtoWriter graph = new ProtoWriter()
                .message(1, node)                                                  // GraphProto.node
                .string(2, "vconv_conv")                                           // GraphProto.name
                .message(5, tensor("W", weight));                                  // GraphProto.initializer
        if (bias != null) {
            graph.message(5, tensor("B", bias));
        }
        graph.message(11, valueInfo(INPUT, inputShape))                           // GraphProto.input
                .message(12, valueInfo(OUTPUT, spec.outputShape(inputShape)));     // GraphProto.output

        return new ProtoWriter()
                .int64(1, 8)                                                       // ModelProto.ir_version
                .string(2, "vconv-bench")                                          // ModelProto.producer_name
                .message(7, graph)                                                 // ModelProto.graph
                .message(8, new ProtoWriter().string(1, "").int64(2, 13))          // ModelProto.opset_import
                .toByteArray();
    }

    static ProtoWriter ints(String name, long... values) {
        // AttributeProto: name = 1, ints = 8, type = 20
        return new ProtoWriter().string(1, name).int64s(8, values).int64(20, ATTR_INTS);
    }

    static ProtoWriter tensor(String name, Tensor t) {
        // TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9
        ProtoWriter p = new ProtoWriter();
        for (int d : t.shape().dims()) {
            p.int64(1, d);
        }
        return p.int64(2, FLOAT).string(8, name).bytes(9, ProtoWriter.littleEndian(t.data()));
    }

    static ProtoWriter valueInfo(String name, Shape shape) {
        // TensorShapeProto.dim = 1 of Dimension{dim_value = 1}
        ProtoWriter dims = new ProtoWriter();
        for (int d : shape.dims()) {
            dims.message(1, new ProtoWriter().int64(1, d));
        }
        // TypeProto.tensor_type = 1 of TypeProto.Tensor{elem_type = 1, shape = 2}
        ProtoWriter tensorType = new ProtoWriter().int64(1, FLOAT).message(2, dims);
        // ValueInfoProto: name = 1, type = 2
        return new ProtoWriter().string(1, name).message(2, new ProtoWriter().message(1, tensorType));
    }
}
