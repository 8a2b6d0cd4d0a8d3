package dev.vconv.bench.network;

import dev.vconv.bench.ort.OnnxNetworkModel;
import dev.vconv.bench.ort.OrtNetwork;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import dev.vconv.core.net.Network;
import dev.vconv.core.net.NetworkPlan;
import dev.vconv.simd.SimdEngines;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * What a fresh JVM does for the {@code network} command's first-result figure ({@code network-first}, run by
 * {@link NetworkCommand} in a child process): builds the network and the input untimed, then times the way to
 * the first logits. vconv: the engine, the plan (BatchNorm folding, weight packing, activations) and the first
 * forward. ONNX Runtime: the environment (its native library), the session (graph optimizations, weight
 * prepacking) and the first run; its model bytes are written before the clock starts, as vconv's weights are
 * made before.
 *
 * <p>With {@code calls > 1} it goes on calling and prints each call's time: how long the JIT takes to bring vconv
 * to steady speed. Lines are {@code key value}; {@link NetworkCommand} reads them.
 */
final class FirstResult {

    private FirstResult() {
    }

    static void run(NetworkModel model, int batch, int threads, String runtime, int calls, PrintStream out)
            throws Exception {
        long p0 = System.nanoTime();
        Network network = model.network();
        Tensor input = NetworkModel.input(batch);
        long prepare = System.nanoTime() - p0;
        Shape shape = input.shape();
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long sinceStart;
        float[] logits;
        long t0;
        long t1;
        long t2;
        long[] later = new long[Math.max(0, calls - 1)];
        switch (runtime) {
            case "vconv" -> {
                t0 = System.nanoTime();
                NetworkPlan plan = network.plan(SimdEngines.simd().withThreads(threads), shape);
                t1 = System.nanoTime();
                Tensor output = Tensor.zeros(plan.outputShape());
                long[] steps = new long[plan.steps().size()];
                plan.forward(input, output, steps);
                t2 = System.nanoTime();
                for (int i = 0; i < steps.length; i++) {
                    out.printf(Locale.ROOT, "first-call-step %s %.1f%n", plan.steps().get(i).name(), steps[i] / 1e6);
                }
                sinceStart = System.currentTimeMillis() - jvmStart;
                for (int i = 0; i < later.length; i++) {
                    long s = System.nanoTime();
                    plan.forward(input, output);
                    later[i] = System.nanoTime() - s;
                }
                logits = output.data();
            }
            case "ort" -> {
                byte[] bytes = OnnxNetworkModel.build(network, shape);
                Shape outShape = network.outputShape(shape);
                t0 = System.nanoTime();
                try (OrtNetwork ort = OrtNetwork.create(bytes, outShape, input, threads)) {
                    t1 = System.nanoTime();
                    ort.run();
                    t2 = System.nanoTime();
                    sinceStart = System.currentTimeMillis() - jvmStart;
                    for (int i = 0; i < later.length; i++) {
                        long s = System.nanoTime();
                        ort.run();
                        later[i] = System.nanoTime() - s;
                    }
                    logits = ort.outputValues();
                }
            }
            default -> throw new IllegalArgumentException("--runtime must be vconv or ort, but got '" + runtime + "'");
        }
        double sum = 0;
        for (float v : logits) {
            sum += v;
        }
        out.printf(Locale.ROOT, "weights-ms %.1f%n", prepare / 1e6);
        out.printf(Locale.ROOT, "setup-ms %.1f%n", (t1 - t0) / 1e6);
        out.printf(Locale.ROOT, "first-call-ms %.1f%n", (t2 - t1) / 1e6);
        out.printf(Locale.ROOT, "first-result-ms %.1f%n", (t2 - t0) / 1e6);
        out.printf(Locale.ROOT, "since-jvm-start-ms %d%n", sinceStart);
        out.printf(Locale.ROOT, "logit-sum %.6f%n", sum);
        long elapsed = t2 - t0;
        for (int i = 0; i < later.length; i++) {
            elapsed += later[i];
            out.printf(Locale.ROOT, "call %d %.2f %.1f%n", i + 2, later[i] / 1e6, elapsed / 1e6);
        }
    }
}
