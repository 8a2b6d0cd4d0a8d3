package dev.vconv.spark;

import dev.vconv.core.Activation;
import dev.vconv.core.Conv2d;
import dev.vconv.core.Conv2dPlan;
import dev.vconv.core.Epilogue;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A {@link SequentialCnn} planned on one engine, each ReLU the epilogue of its convolution's plan (fused where the
 * engine fuses it). Plans are made per batch size, on first use, and shared by
 * every thread; the activations of a call live in a workspace taken from a pool for that call and given back
 * after it, so concurrent calls never share buffers and steady-state calls allocate nothing.
 */
final class SequentialCnnNetwork implements ImageNetwork {
    private static final Epilogue RELU = Epilogue.of(Activation.relu());

    private final SequentialCnn definition;
    private final Conv2d engine;
    private final ConcurrentHashMap<Integer, Batch> batches = new ConcurrentHashMap<>();

    SequentialCnnNetwork(SequentialCnn definition, Conv2d engine) {
        this.definition = definition;
        this.engine = engine;
    }

    @Override
    public Shape imageShape() {
        return definition.imageShape();
    }

    @Override
    public int outputSize() {
        return definition.outputSize();
    }

    @Override
    public void forward(Tensor images, float[] output) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(output, "output");
        Shape shape = images.shape();
        Shape image = imageShape();
        if (shape.rank() != 4 || shape.dim(1) != image.dim(0) || shape.dim(2) != image.dim(1) || shape.dim(3) != image.dim(2)) {
            throw new IllegalArgumentException("images must have shape [n, " + image.dim(0) + ", " + image.dim(1) + ", "
                    + image.dim(2) + "] for " + definition.name() + ", but got " + shape);
        }
        int n = shape.dim(0);
        if (output.length < n * outputSize()) {
            throw new IllegalArgumentException("output must hold n * outputSize = " + n + " * " + outputSize() + " = "
                    + n * outputSize() + " floats, but has " + output.length);
        }
        Batch batch = batches.computeIfAbsent(n, this::plan);
        Workspace ws = batch.take();
        try {
            Tensor x = images;
            for (int i = 0; i < batch.plans.length; i++) {
                Tensor y = ws.activations[i];
                batch.plans[i].forward(x, y);
                x = y;
            }
            globalAveragePool(x, output);
        } finally {
            batch.give(ws);
        }
    }

    private Batch plan(int n) {
        List<SequentialCnn.Layer> layers = definition.layers();
        Conv2dPlan[] plans = new Conv2dPlan[layers.size()];
        Shape shape = Shape.of(n, imageShape().dim(0), imageShape().dim(1), imageShape().dim(2));
        for (int i = 0; i < plans.length; i++) {
            SequentialCnn.Layer layer = layers.get(i);
            plans[i] = engine.plan(layer.spec(), shape, Tensor.of(layer.weight(), layer.spec().weightShape()),
                    Tensor.of(layer.bias(), layer.outChannels()), layer.relu() ? RELU : Epilogue.NONE);
            shape = plans[i].outputShape();
        }
        return new Batch(plans);
    }

    /** Each channel's mean over its plane, summed in order in double: {@code output[i * c + ch]}. */
    private static void globalAveragePool(Tensor x, float[] output) {
        int n = x.dim(0);
        int c = x.dim(1);
        int plane = x.dim(2) * x.dim(3);
        float[] data = x.data();
        for (int i = 0; i < n * c; i++) {
            double sum = 0;
            int base = i * plane;
            for (int p = 0; p < plane; p++) {
                sum += data[base + p];
            }
            output[i] = (float) (sum / plane);
        }
    }

    /** The plans for one batch size and a pool of workspaces for them. */
    private static final class Batch {
        final Conv2dPlan[] plans;
        private final ConcurrentLinkedQueue<Workspace> idle = new ConcurrentLinkedQueue<>();

        Batch(Conv2dPlan[] plans) {
            this.plans = plans;
        }

        Workspace take() {
            Workspace ws = idle.poll();
            return ws != null ? ws : new Workspace(plans);
        }

        void give(Workspace ws) {
            idle.offer(ws);
        }
    }

    /** One call's activations: each layer's output. */
    private static final class Workspace {
        final Tensor[] activations;

        Workspace(Conv2dPlan[] plans) {
            activations = new Tensor[plans.length];
            for (int i = 0; i < plans.length; i++) {
                activations[i] = Tensor.zeros(plans[i].outputShape());
            }
        }
    }

    @Override
    public String toString() {
        return definition + " on " + engine.name();
    }
}
