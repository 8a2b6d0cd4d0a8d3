package dev.vconv.bench.ort;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import dev.vconv.core.net.Network;

import java.nio.FloatBuffer;
import java.util.Map;

/**
 * ONNX Runtime running a whole {@link Network} written by {@link OnnxNetworkModel}, set up as {@link OrtConv}:
 * intra-op threads = the thread count vconv gets, sequential execution, all graph optimizations; the input and the
 * output are ONNX tensors over direct buffers made once, so a call copies nothing in or out.
 *
 * <p>{@link #create} times the session creation alone (ONNX Runtime's graph optimizations and weight prepacking,
 * the counterpart of vconv's plan building); the model bytes are written before.
 */
public final class OrtNetwork implements AutoCloseable {
    private final OrtSession session;
    private final OnnxTensor input;
    private final OnnxTensor output;
    private final FloatBuffer outputBuffer;
    private final Map<String, OnnxTensor> inputs;
    private final Map<String, OnnxTensor> outputs;
    private final long sessionNanos;

    private OrtNetwork(byte[] model, Tensor input, Shape outputShape, int threads) throws OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long t0 = System.nanoTime();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(model, options);
        }
        sessionNanos = System.nanoTime() - t0;
        this.input = OnnxTensor.createTensor(env, OrtConv.direct(input.data()), OrtConv.longs(input.shape().dims()));
        outputBuffer = OrtConv.direct(new float[outputShape.size()]);
        output = OnnxTensor.createTensor(env, outputBuffer, OrtConv.longs(outputShape.dims()));
        inputs = Map.of(OnnxNetworkModel.INPUT, this.input);
        outputs = Map.of(OnnxNetworkModel.OUTPUT, output);
    }

    /** A session for {@code network} on {@code input} (copied once into a direct buffer), with {@code threads} intra-op threads. */
    public static OrtNetwork create(Network network, Tensor input, int threads) throws OrtException {
        return create(OnnxNetworkModel.build(network, input.shape()), network.outputShape(input.shape()), input, threads);
    }

    /** A session for model bytes already written (so that the caller can time the session alone). */
    public static OrtNetwork create(byte[] model, Shape outputShape, Tensor input, int threads) throws OrtException {
        return new OrtNetwork(model, input, outputShape, threads);
    }

    /** Nanoseconds {@code createSession} took. */
    public long sessionNanos() {
        return sessionNanos;
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
}
