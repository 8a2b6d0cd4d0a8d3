package dev.vconv.simd;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.Epilogue;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import dev.vconv.simd.kernel.GemmKernel;
import dev.vconv.simd.kernel.VectorWidth;
import dev.vconv.simd.plan.ConvPlanner;
import dev.vconv.simd.plan.Path;
import dev.vconv.simd.plan.PlanDecision;
import java.util.Locale;

/**
 * Not a test: times Winograd's variants (tile, orientation, GEMM kernel) and the direct paths' choice forced on
 * ResNet's 3x3 layers, the median call after a warm-up, at 512 bits, on the threads given
 * ({@code java -cp ... dev.vconv.simd.WinogradForcedTimes 1}). What the planner's Winograd constants were checked
 * against (docs/KERNELS.md, tuning table).
 */
public final class WinogradForcedTimes {
    public static void main(String[] a) {
        int threads = Integer.parseInt(a[0]);
        String only = a.length > 1 ? a[1] : "";
        int[][] layers = {{256, 14, 1}, {512, 7, 1}, {64, 56, 1}, {128, 28, 1}};
        VectorWidth width = VectorWidth.W512;
        for (int round = 0; round < 2; round++) {
            for (int[] l : layers) {
                if (!only.isEmpty() && !only.contains(l[0] + "x" + l[1])) {
                    continue;
                }
                ConvSpec spec = ConvSpec.builder(l[0], l[0], 3).padding(1).build();
                Shape in = Shape.of(l[2], l[0], l[1], l[1]);
                Tensor x = Tensor.random(3, l[2], l[0], l[1], l[1]);
                Tensor w = Tensor.random(1, l[0], l[0], 3, 3);
                Tensor b = Tensor.random(2, l[0]);
                StringBuilder line = new StringBuilder(l[0] + "x" + l[1] + " t" + threads + ":");
                line.append(String.format(Locale.ROOT, " direct %.3f", time(new ConvPlan(spec, in, w, b,
                        ConvPlanner.plan(spec, in, width, threads, false), null, Epilogue.NONE), x)));
                line.append(String.format(Locale.ROOT, " | planner %.3f", time(new ConvPlan(spec, in, w, b,
                        ConvPlanner.plan(spec, in, width, threads, true), null, Epilogue.NONE), x)));
                line.append(String.format(Locale.ROOT, " | F4 vectors %.3f", time(new ConvPlan(spec, in, w, b,
                        ConvPlanner.winograd(spec, in, width, threads, 4, false), null, Epilogue.NONE), x)));
                PlanDecision.Winograd p = (PlanDecision.Winograd) ConvPlanner.winograd(spec, in, width, threads, 4, false);
                if (threads > 1 && p.inputTasks() == 0 && l[2] == 1) {
                    for (int splits : new int[] {2, 4}) {
                        PlanDecision.Winograd f = new PlanDecision.Winograd(p.width(), p.kernel(), 4, false, p.tilesH(), p.tilesW(),
                                p.tilesPerBlock(), p.blocks(), p.blocks() * 2, splits, p.blocks() * splits, p.threads(), p.reason());
                        line.append(String.format(Locale.ROOT, " | F4 vectors shared %d splits %.3f", splits,
                                time(new ConvPlan(spec, in, w, b, f, null, Epilogue.NONE), x)));
                    }
                }
                for (int m : new int[] {4, 2}) {
                    PlanDecision.Winograd d = (PlanDecision.Winograd) ConvPlanner.winograd(spec, in, width, threads, m, true);
                    for (GemmKernel k : width.gemmKernels()) {
                        PlanDecision.Winograd f = new PlanDecision.Winograd(d.width(), k, d.tile(), true, d.tilesH(), d.tilesW(),
                                d.tilesPerBlock(), d.blocks(), d.inputTasks(), d.panelSplits(), d.tasks(), d.threads(), d.reason());
                        line.append(String.format(Locale.ROOT, " | F%d rows %s %.3f", m, k.name(),
                                time(new ConvPlan(spec, in, w, b, f, null, Epilogue.NONE), x)));
                    }
                }
                System.out.println(line);
            }
        }
    }

    private static double time(ConvPlan plan, Tensor x) {
        Tensor y = Tensor.zeros(plan.outputShape());
        long end = System.nanoTime() + 700_000_000L;
        while (System.nanoTime() < end) {
            plan.forward(x, y);
        }
        long[] t = new long[2000];
        int n = 0;
        end = System.nanoTime() + 700_000_000L;
        while (System.nanoTime() < end && n < t.length) {
            long t0 = System.nanoTime();
            plan.forward(x, y);
            t[n++] = System.nanoTime() - t0;
        }
        java.util.Arrays.sort(t, 0, n);
        return t[n / 2] / 1e6;
    }
}
