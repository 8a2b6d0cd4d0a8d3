package dev.vconv.bench.ort;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * ONNX Runtime running the one-node Conv model of {@link OnnxConvModel}, set up the way a Java user would for
 * a fair single-operator comparison: intra-op threads = the thread count vconv gets, sequential execution
 * (no inter-op parallelism to hide), all graph optimizations.
 *
 * <p>Input and output are ONNX tensors over direct buffers made once: the input is not copied per call and
 * the output is pinned, so ONNX Runtime writes into the same buffer each time, like vconv's preallocated
 * output. What remains per call is ONNX Runtime's own small {@link OrtSession.Result} wrapper.
 */
public final class OrtConv implements AutoCloseable {
    private final OrtSession session;
    private final OnnxTensor input;
    private final OnnxTensor output;
    private final FloatBuffer outputBuffer;
    private final Map<String, OnnxTensor> inputs;
    private final Map<String, OnnxTensor> outputs;

    /**
     * A session for {@code spec} with {@code weight} and {@code bias} (or null) as constants, fed {@code input}.
     *
     * @param threads ONNX Runtime's intra-op thread count
     */
    public OrtConv(ConvSpec spec, Tensor input, Tensor weight, Tensor bias, int threads) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Shape inputShape = input.shape();
        byte[] model = OnnxConvModel.build(spec, inputShape, weight, bias);
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(model, options);
        }
        this.input = OnnxTensor.createTensor(env, direct(input.data()), longs(inputShape.dims()));
        Shape outputShape = spec.outputShape(inputShape);
        outputBuffer = direct(new float[outputShape.size()]);
        output = OnnxTensor.createTensor(env, outputBuffer, longs(outputShape.dims()));
        inputs = Map.of(OnnxConvModel.INPUT, this.input);
        outputs = Map.of(OnnxConvModel.OUTPUT, output);
    }

    /** One inference into the pinned output buffer. */
    public void run() throws OrtException {
        session.run(inputs, outputs).close();
    }

    /** The pinned output tensor (for a Blackhole). */
    public OnnxTensor output() {
        return output;
    }

    /** A copy of the last output. */
    public float[] outputValues() {
        float[] values = new float[outputBuffer.capacity()];
        outputBuffer.get(0, values);
        return values;
    }

    @Override
    public void close() throws OrtException {
        input.close();
        output.close();
        session.close();
    }

    static FloatBuffer direct(float[] values) {
        FloatBuffer buffer = ByteBuffer.allocateDirect(values.length * Float.BYTES).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        buffer.put(values).rewind();
        return buffer;
    }

    static long[] longs(int[] dims) {
        return Arrays.stream(dims).asLongStream().toArray();
    }
}
