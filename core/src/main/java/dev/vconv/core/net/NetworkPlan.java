package dev.vconv.core.net;

import dev.vconv.core.BatchNorm2d;
import dev.vconv.core.Conv2d;
import dev.vconv.core.Conv2dPlan;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link Network} compiled for one engine and one input shape (batch included): each convolution planned once
 * ({@link Conv2d#plan}) with its BatchNorm folded and its residual add and activation fused into the store, each
 * plain op a step over preallocated arrays. {@link #forward} allocates nothing.
 *
 * <p>Activations live in arrays the plan allocates once and reuses: a value's array goes back to a free list
 * after the last layer that reads it, and a later value of the same size takes it. Flatten is a view, no step.
 * The final linear layer is a 1x1 convolution on a 1x1 image, so it runs on the engine too.
 *
 * <p>A plan is not thread-safe: its activations are its own. {@link #copy()} gives another thread a plan that
 * shares the planned convolutions (their packed weights) and has its own activations.
 */
public final class NetworkPlan {
    /**
     * A step of the plan, as {@link #steps()} lists it.
     *
     * @param name   the layer's name
     * @param kind   what runs, for grouping a profile: {@code conv 1x1}, {@code conv 3x3 s2}, {@code depthwise 3x3},
     *               {@code maxpool 3x3 s2}, {@code avgpool}, {@code linear}
     * @param detail the layer in a few words: channels, kernel, stride, what is fused ({@code 64->256 1x1 +bn +res +relu})
     * @param flops  floating-point operations of one call (2 per multiply-add; 1 per compare or add of a pool)
     */
    public record StepInfo(String name, String kind, String detail, Shape outputShape, long flops) {
    }

    private final Network network;
    private final Conv2d engine;
    private final Shape inputShape;
    private final Shape outputShape;
    private final Step[] steps;
    /** The shape of each slot: a value's tensor or a view of one; slot 0 is the input. */
    private final Shape[] slotShapes;
    /** The storage (array) of each slot; -1 for the caller's input. */
    private final int[] slotStorage;
    private final int[] storageSizes;
    private final int outputSlot;
    /** The plan-owned array the input is copied into first (when a flatten views it), or -1: the caller's array is read. */
    private final int inputCopy;

    // The per-instance state: the arrays and the tensors over them.
    private final float[][] storages;
    private final Tensor[] slots;

    private NetworkPlan(Network network, Conv2d engine, Shape inputShape, Shape outputShape, Step[] steps,
                        Shape[] slotShapes, int[] slotStorage, int[] storageSizes, int outputSlot, int inputCopy) {
        this.network = network;
        this.engine = engine;
        this.inputShape = inputShape;
        this.outputShape = outputShape;
        this.steps = steps;
        this.slotShapes = slotShapes;
        this.slotStorage = slotStorage;
        this.storageSizes = storageSizes;
        this.outputSlot = outputSlot;
        this.inputCopy = inputCopy;
        this.storages = new float[storageSizes.length][];
        for (int i = 0; i < storages.length; i++) {
            storages[i] = new float[storageSizes[i]];
        }
        this.slots = new Tensor[slotShapes.length];
        for (int i = 0; i < slots.length; i++) {
            if (slotStorage[i] >= 0) {
                slots[i] = Tensor.of(storages[slotStorage[i]], slotShapes[i]);
            }
        }
    }

    /** Plans every layer of {@code network} for {@code engine}; {@code shapes} are {@link Network#shapes}'s. */
    static NetworkPlan compile(Network network, Conv2d engine, List<Shape> shapes) {
        return new Compiler(network, engine, shapes).compile();
    }

    /** A plan that shares this one's planned convolutions and owns new activations: for another thread. */
    public NetworkPlan copy() {
        return new NetworkPlan(network, engine, inputShape, outputShape, steps, slotShapes, slotStorage, storageSizes,
                outputSlot, inputCopy);
    }

    public Network network() {
        return network;
    }

    public Conv2d engine() {
        return engine;
    }

    public Shape inputShape() {
        return inputShape;
    }

    public Shape outputShape() {
        return outputShape;
    }

    /** The steps a forward call runs, in order (flatten, a view, has none). */
    public List<StepInfo> steps() {
        return Arrays.stream(steps).map(s -> s.info).toList();
    }

    /** Bytes of the activation arrays this plan owns (the planned convolutions' own buffers not included). */
    public long activationBytes() {
        return Arrays.stream(storageSizes).asLongStream().sum() * Float.BYTES;
    }

    /**
     * Runs the network on {@code input} (of {@link #inputShape()}) into {@code output} (of {@link #outputShape()}).
     * Allocates nothing; never modifies {@code input}.
     */
    public void forward(Tensor input, Tensor output) {
        begin(input, output);
        for (Step step : steps) {
            step.run(slots);
        }
        finish(output);
    }

    /** Runs the network into a new tensor. */
    public Tensor forward(Tensor input) {
        Tensor output = Tensor.zeros(outputShape);
        forward(input, output);
        return output;
    }

    /** What {@link #warmUp} did: how many calls, how long they took in all, and the last call's time. */
    public record WarmUp(int calls, Duration total, Duration lastCall) {
    }

    /**
     * Runs the network until the JIT has compiled what it runs, so that the next call is at steady speed, and
     * returns when it stopped. A fresh JVM interprets the engine's kernels at first and compiles them as they get
     * hot, so the first calls of a network take many times a steady one (measured in docs/PERFORMANCE.md, "Cold
     * start"). A server calls this once after planning, so that no request pays for it.
     *
     * <p>It calls {@link #forward} on seeded images of the plan's input shape until {@value #SETTLED} calls in a row
     * are each within 10 % of the fastest call so far, after at least {@value #MIN_WARM_UP_CALLS} calls, or until
     * {@code limit} has passed. It allocates an input and an output once; the calls themselves allocate nothing.
     *
     * @throws IllegalArgumentException if {@code limit} is not positive
     */
    public WarmUp warmUp(Duration limit) {
        Objects.requireNonNull(limit, "limit");
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("limit must be positive, but got limit=" + limit);
        }
        Tensor input = Tensor.random(0x5EED, inputShape.dims());
        Tensor output = Tensor.zeros(outputShape);
        long start = System.nanoTime();
        long end = start + limit.toNanos();
        long fastest = Long.MAX_VALUE;
        long last;
        int calls = 0;
        int settled = 0;
        do {
            long t0 = System.nanoTime();
            forward(input, output);
            last = System.nanoTime() - t0;
            calls++;
            fastest = Math.min(fastest, last);
            settled = last <= fastest * 1.1 ? settled + 1 : 0;
        } while ((settled < SETTLED || calls < MIN_WARM_UP_CALLS) && System.nanoTime() - end < 0);
        return new WarmUp(calls, Duration.ofNanos(System.nanoTime() - start), Duration.ofNanos(last));
    }

    /** {@link #warmUp(Duration)} with a limit of 30 seconds. */
    public WarmUp warmUp() {
        return warmUp(Duration.ofSeconds(30));
    }

    /** Calls in a row within 10 % of the fastest that end a warm-up. */
    private static final int SETTLED = 5;
    /** The fewest calls of a warm-up. */
    private static final int MIN_WARM_UP_CALLS = 10;

    /**
     * {@link #forward(Tensor, Tensor)}, adding each step's wall time in nanoseconds to {@code nanos[i]} (the steps
     * of {@link #steps()}): a per-layer profile.
     */
    public void forward(Tensor input, Tensor output, long[] nanos) {
        Objects.requireNonNull(nanos, "nanos");
        if (nanos.length != steps.length) {
            throw new IllegalArgumentException("nanos must have one entry per step (" + steps.length + "), but has "
                    + nanos.length);
        }
        begin(input, output);
        for (int i = 0; i < steps.length; i++) {
            long t0 = System.nanoTime();
            steps[i].run(slots);
            nanos[i] += System.nanoTime() - t0;
        }
        finish(output);
    }

    private void begin(Tensor input, Tensor output) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(output, "output");
        if (!input.shape().equals(inputShape)) {
            throw new IllegalArgumentException("this plan of network '" + network.name() + "' was made for input of size "
                    + inputShape + ", but got input of size " + input.shape() + ": make a plan for each input size");
        }
        if (!output.shape().equals(outputShape)) {
            throw new IllegalArgumentException("output must have size " + outputShape + " for input of size " + inputShape
                    + ", but got output of size " + output.shape());
        }
        if (inputCopy >= 0) {
            System.arraycopy(input.data(), 0, storages[inputCopy], 0, input.size());
        } else {
            slots[0] = input;
        }
    }

    private void finish(Tensor output) {
        System.arraycopy(slots[outputSlot].data(), 0, output.data(), 0, output.size());
        if (inputCopy < 0) {
            slots[0] = null;    // the plan keeps no reference to the caller's input
        }
    }

    @Override
    public String toString() {
        return "plan of " + network + " on " + engine.name() + " for input " + inputShape + " (" + steps.length + " steps, "
                + activationBytes() / (1 << 20) + " MiB of activations)";
    }

    /** One step: reads and writes slots of the plan instance that runs it; holds no per-instance state. */
    private abstract static class Step {
        final StepInfo info;

        Step(StepInfo info) {
            this.info = info;
        }

        abstract void run(Tensor[] slots);
    }

    /**
     * A planned convolution with its epilogue fused, {@code act(conv(in) + bias + residual)}; the residual may be the
     * output's own array (the sum accumulates in place).
     */
    private static final class ConvStep extends Step {
        private final Conv2dPlan plan;
        private final int in;
        private final int out;
        private final int residual;

        ConvStep(StepInfo info, Conv2dPlan plan, int in, int out, int residual) {
            super(info);
            this.plan = plan;
            this.in = in;
            this.out = out;
            this.residual = residual;
        }

        @Override
        void run(Tensor[] slots) {
            if (residual < 0) {
                plan.forward(slots[in], slots[out]);
            } else {
                plan.forward(slots[in], slots[residual], slots[out]);
            }
        }
    }

    private static final class MaxPoolStep extends Step {
        private final Layer.MaxPool layer;
        private final int in;
        private final int out;
        private final int row;
        private final Shape inShape;
        private final Shape outShape;

        MaxPoolStep(StepInfo info, Layer.MaxPool layer, int in, int out, int row, Shape inShape, Shape outShape) {
            super(info);
            this.layer = layer;
            this.in = in;
            this.out = out;
            this.row = row;
            this.inShape = inShape;
            this.outShape = outShape;
        }

        @Override
        void run(Tensor[] slots) {
            PlainOps.maxPool(slots[in].data(), slots[out].data(), inShape.dim(0) * inShape.dim(1), inShape.dim(2),
                    inShape.dim(3), outShape.dim(2), outShape.dim(3), layer.kernel(), layer.stride(), layer.padding(),
                    slots[row].data());
        }
    }

    private static final class AvgPoolStep extends Step {
        private final int in;
        private final int out;
        private final int planes;
        private final int hw;

        AvgPoolStep(StepInfo info, int in, int out, Shape inShape) {
            super(info);
            this.in = in;
            this.out = out;
            this.planes = inShape.dim(0) * inShape.dim(1);
            this.hw = inShape.dim(2) * inShape.dim(3);
        }

        @Override
        void run(Tensor[] slots) {
            PlainOps.globalAvgPool(slots[in].data(), slots[out].data(), planes, hw);
        }
    }

    /** Assigns arrays to values by liveness, plans the convolutions and makes the steps. */
    private static final class Compiler {
        private final Network network;
        private final Conv2d engine;
        private final List<Shape> shapes;
        private final List<Layer> layers;
        private final List<Shape> slotShapes = new ArrayList<>();
        private final List<Integer> slotStorage = new ArrayList<>();
        private final List<Integer> storageSizes = new ArrayList<>();
        private final Map<Integer, List<Integer>> free = new HashMap<>();

        Compiler(Network network, Conv2d engine, List<Shape> shapes) {
            this.network = network;
            this.engine = engine;
            this.shapes = shapes;
            this.layers = network.layers();
        }

        NetworkPlan compile() {
            int values = layers.size() + 1;
            // Flatten is a view: a value and its flatten share one root, whose array lives until the last read of either.
            int[] root = new int[values];
            int[] lastRead = new int[values];
            Arrays.fill(lastRead, -1);
            for (int i = 0; i < layers.size(); i++) {
                Layer layer = layers.get(i);
                root[i + 1] = layer instanceof Layer.Flatten ? root[layer.input()] : i + 1;
                lastRead[i + 1] = i;
            }
            for (int i = 0; i < layers.size(); i++) {
                Layer layer = layers.get(i);
                lastRead[root[layer.input()]] = Math.max(lastRead[root[layer.input()]], i);
                if (layer instanceof Layer.Conv conv && conv.residual() >= 0) {
                    lastRead[root[conv.residual()]] = Math.max(lastRead[root[conv.residual()]], i);
                }
            }
            lastRead[root[network.output()]] = Integer.MAX_VALUE;   // copied out after the last step

            // The input is the caller's array, unless a flatten views it: then it is copied into one of the plan's.
            boolean copyInput = false;
            for (Layer layer : layers) {
                copyInput |= layer instanceof Layer.Flatten && root[layer.input()] == 0;
            }
            int[] valueSlot = new int[values];
            int[] rootStorage = new int[values];
            int inputCopy = copyInput ? newStorage(shapes.get(0).size()) : -1;
            valueSlot[0] = slot(shapes.get(0), inputCopy);
            rootStorage[0] = inputCopy;

            List<Step> steps = new ArrayList<>();
            for (int i = 0; i < layers.size(); i++) {
                Layer layer = layers.get(i);
                int v = i + 1;
                Shape in = shapes.get(layer.input());
                Shape out = shapes.get(v);
                if (layer instanceof Layer.Flatten) {
                    rootStorage[v] = rootStorage[root[v]];
                    valueSlot[v] = slot(out, rootStorage[v]);
                } else if (layer instanceof Layer.Conv conv && conv.residual() >= 0 && lastRead[root[conv.residual()]] == i
                        && rootStorage[root[conv.residual()]] >= 0 && root[conv.residual()] != root[layer.input()]) {
                    // The residual is read last here: the output accumulates onto its array in place (oneDNN's sum
                    // post-op), and the array passes from the residual to the output without going to the free list.
                    int r = root[conv.residual()];
                    rootStorage[v] = rootStorage[r];
                    lastRead[r] = -1;
                    valueSlot[v] = slot(out, rootStorage[v]);
                    steps.add(step(layer, in, out, valueSlot[layer.input()], valueSlot[v], valueSlot[conv.residual()]));
                } else {
                    rootStorage[v] = take(out.size());
                    valueSlot[v] = slot(out, rootStorage[v]);
                    steps.add(step(layer, in, out, valueSlot[layer.input()], valueSlot[v],
                            layer instanceof Layer.Conv conv && conv.residual() >= 0 ? valueSlot[conv.residual()] : -1));
                }
                // Arrays whose values no later layer reads go back to the free list.
                for (int u = 0; u <= v; u++) {
                    if (root[u] == u && lastRead[u] == i && rootStorage[u] >= 0) {
                        release(rootStorage[u]);
                    }
                }
            }
            int[] storage = slotStorage.stream().mapToInt(Integer::intValue).toArray();
            return new NetworkPlan(network, engine, shapes.get(0), shapes.get(network.output()), steps.toArray(Step[]::new),
                    slotShapes.toArray(Shape[]::new), storage, storageSizes.stream().mapToInt(Integer::intValue).toArray(),
                    valueSlot[network.output()], inputCopy);
        }

        private Step step(Layer layer, Shape in, Shape out, int inSlot, int outSlot, int residualSlot) {
            try {
                return switch (layer) {
                    case Layer.Conv conv -> {
                        BatchNorm2d.Folded f = conv.folded();
                        Conv2dPlan plan = engine.plan(f.spec(), in, f.weight(), f.bias(), conv.epilogue());
                        yield new ConvStep(new StepInfo(conv.name(), kind(f.spec()), describe(conv, f), out, f.spec().flops(in)),
                                plan, inSlot, outSlot, residualSlot);
                    }
                    case Layer.Linear linear -> {
                        // [n, in] -> [n, out] as a 1x1 convolution of [n, in, 1, 1]: views of the same arrays.
                        Shape in4 = Shape.of(in.dim(0), in.dim(1), 1, 1);
                        Shape out4 = Shape.of(out.dim(0), out.dim(1), 1, 1);
                        Tensor w = Tensor.of(linear.weight().data(), linear.outFeatures(), linear.inFeatures(), 1, 1);
                        Conv2dPlan plan = engine.plan(linear.asConv(), in4, w, linear.bias());
                        yield new ConvStep(new StepInfo(linear.name(), "linear", linear.inFeatures() + "->"
                                + linear.outFeatures(), out, linear.asConv().flops(in4)),
                                plan, slot(in4, slotStorage.get(inSlot)), slot(out4, slotStorage.get(outSlot)), -1);
                    }
                    case Layer.MaxPool pool -> {
                        int row = newStorage(2 * in.dim(3));
                        String window = pool.kernel() + "x" + pool.kernel() + " s" + pool.stride();
                        yield new MaxPoolStep(new StepInfo(pool.name(), "maxpool " + window, window + " p" + pool.padding(),
                                out, (long) out.size() * pool.kernel() * pool.kernel()),
                                pool, inSlot, outSlot, slot(Shape.of(2 * in.dim(3)), row), in, out);
                    }
                    case Layer.GlobalAvgPool pool -> new AvgPoolStep(new StepInfo(pool.name(), "avgpool",
                            in.dim(1) + "x" + in.dim(2) + "x" + in.dim(3) + "->1x1", out, in.size()), inSlot, outSlot, in);
                    case Layer.Flatten flatten -> throw new IllegalStateException("flatten is a view, not a step");
                };
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("network '" + network.name() + "': layer '" + layer.name()
                        + "' on input of size " + in + ": " + e.getMessage(), e);
            }
        }

        private static String kind(ConvSpec s) {
            String kind = (s.groups() > 1 && s.groups() == s.inChannels() ? "depthwise " : s.groups() > 1 ? "grouped " : "conv ")
                    + s.kernelH() + "x" + s.kernelW();
            return s.strideH() != 1 || s.strideW() != 1 ? kind + " s" + s.strideH() : kind;
        }

        private static String describe(Layer.Conv conv, BatchNorm2d.Folded f) {
            ConvSpec s = f.spec();
            StringBuilder d = new StringBuilder();
            d.append(s.inChannels()).append("->").append(s.outChannels()).append(' ')
                    .append(s.kernelH()).append('x').append(s.kernelW());
            if (s.strideH() != 1 || s.strideW() != 1) {
                d.append(" s").append(s.strideH());
            }
            if (s.groups() != 1) {
                d.append(s.groups() == s.inChannels() ? " dw" : " g" + s.groups());
            }
            if (conv.batchNorm() != null) {
                d.append(" +bn");
            }
            if (conv.residual() >= 0) {
                d.append(" +res");
            }
            if (!conv.activation().isIdentity()) {
                d.append(" +").append(conv.activation());
            }
            return d.toString();
        }

        private int slot(Shape shape, int storage) {
            slotShapes.add(shape);
            slotStorage.add(storage);
            return slotShapes.size() - 1;
        }

        private int newStorage(int size) {
            storageSizes.add(size);
            return storageSizes.size() - 1;
        }

        /** A free array of exactly {@code size} floats, or a new one. */
        private int take(int size) {
            List<Integer> list = free.get(size);
            if (list != null && !list.isEmpty()) {
                return list.remove(list.size() - 1);
            }
            return newStorage(size);
        }

        private void release(int storage) {
            free.computeIfAbsent(storageSizes.get(storage), k -> new ArrayList<>()).add(storage);
        }
    }
}
