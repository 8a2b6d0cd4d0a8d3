package dev.vconv.spark;

import dev.vconv.core.Conv2d;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import dev.vconv.core.net.NetworkPlan;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A {@link NetworkGraph} planned on one engine: per batch size, a {@link NetworkPlan} made on first use and
 * copies of it ({@link NetworkPlan#copy()}: the same packed weights, their own activations) for calls that run
 * at the same time. A call takes a plan from the pool and gives it back, so concurrent tasks never share
 * activations and steady-state calls allocate nothing.
 */
final class NetworkGraphRunner implements ImageNetwork {
    private final NetworkGraph definition;
    private final Conv2d engine;
    private final ConcurrentHashMap<Integer, Pool> pools = new ConcurrentHashMap<>();

    NetworkGraphRunner(NetworkGraph definition, Conv2d engine) {
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
        Shape image = imageShape();
        Shape shape = images.shape();
        if (shape.rank() != 4 || shape.dim(1) != image.dim(0) || shape.dim(2) != image.dim(1) || shape.dim(3) != image.dim(2)) {
            throw new IllegalArgumentException("images must have shape [n, " + image.dim(0) + ", " + image.dim(1) + ", "
                    + image.dim(2) + "] for " + definition.name() + ", but got " + shape);
        }
        int n = shape.dim(0);
        if (output.length < n * outputSize()) {
            throw new IllegalArgumentException("output must hold n * outputSize = " + n + " * " + outputSize() + " = "
                    + n * outputSize() + " floats, but has " + output.length);
        }
        Pool pool = pools.computeIfAbsent(n, size -> new Pool(definition.network().plan(engine, shape)));
        NetworkPlan plan = pool.take();
        try {
            Tensor out = Tensor.of(output.length == n * outputSize() ? output : new float[n * outputSize()], plan.outputShape());
            plan.forward(images, out);
            if (out.data() != output) {
                System.arraycopy(out.data(), 0, output, 0, out.size());
            }
        } finally {
            pool.give(plan);
        }
    }

    /** The plan of one batch size and its idle copies. */
    private static final class Pool {
        private final NetworkPlan first;
        private final ConcurrentLinkedQueue<NetworkPlan> idle = new ConcurrentLinkedQueue<>();

        Pool(NetworkPlan first) {
            this.first = first;
            idle.offer(first);
        }

        NetworkPlan take() {
            NetworkPlan plan = idle.poll();
            return plan != null ? plan : first.copy();
        }

        void give(NetworkPlan plan) {
            idle.offer(plan);
        }
    }

    @Override
    public String toString() {
        return definition + " on " + engine.name();
    }
}
