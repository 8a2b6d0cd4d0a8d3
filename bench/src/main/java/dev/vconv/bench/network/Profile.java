package dev.vconv.bench.network;

import dev.vconv.core.Tensor;
import dev.vconv.core.net.NetworkPlan;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * vconv's time per step of a network plan ({@link NetworkPlan#forward(Tensor, Tensor, long[])}): each step's mean
 * over calls made for {@code seconds}, every step in order, then the steps grouped by kind, slowest kind first.
 * The steps' sum is a little above an unprofiled call (one {@code nanoTime} pair per step).
 */
final class Profile {

    private Profile() {
    }

    static void print(NetworkPlan plan, Tensor input, Tensor output, double seconds, PrintStream out) {
        List<NetworkPlan.StepInfo> steps = plan.steps();
        long[] nanos = new long[steps.size()];
        long until = System.nanoTime() + (long) (seconds * 1e9);
        int calls = 0;
        while (calls < 3 || System.nanoTime() < until) {
            plan.forward(input, output, nanos);
            calls++;
        }
        double sum = 0;
        for (long n : nanos) {
            sum += n / 1e6 / calls;
        }
        double total = sum;
        out.printf(Locale.ROOT, "vconv per step (mean of %d profiled calls, %.2f ms in all):%n", calls, total);
        out.printf(Locale.ROOT, "  %-24s %-32s %-18s %8s %6s %8s%n", "step", "what", "output", "ms", "%", "GFLOP/s");
        Map<String, double[]> kinds = new LinkedHashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            NetworkPlan.StepInfo s = steps.get(i);
            double ms = nanos[i] / 1e6 / calls;
            out.printf(Locale.ROOT, "  %-24s %-32s %-18s %8.3f %5.1f%% %8.1f%n", s.name(), s.detail(), s.outputShape(), ms,
                    100 * ms / total, s.flops() / ms / 1e6);
            double[] k = kinds.computeIfAbsent(s.kind(), x -> new double[3]);
            k[0] += ms;
            k[1]++;
            k[2] += s.flops();
        }
        out.printf(Locale.ROOT, "vconv by kind of step:%n");
        kinds.entrySet().stream().sorted(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> -e.getValue()[0]))
                .forEach(e -> out.printf(Locale.ROOT, "  %-20s %3d steps %9.3f ms %5.1f%% %8.1f GFLOP/s%n", e.getKey(),
                        (int) e.getValue()[1], e.getValue()[0], 100 * e.getValue()[0] / total, e.getValue()[2] / e.getValue()[0] / 1e6));
    }
}
