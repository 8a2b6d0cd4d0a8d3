package dev.vconv.simd;

import dev.vconv.core.Activation;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.Epilogue;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import dev.vconv.simd.kernel.VectorWidth;
import dev.vconv.simd.plan.ConvPlanner;
import dev.vconv.simd.plan.Path;

/**
 * Not a test: a timing loop of MobileNetV2's 1x1 layers (and two of its projections) on each GEMM path forced
 * ({@code ConvPlanner.plan(path, ...)}), ReLU6 fused, one image: 1.5 s of warm-up, then the median call of up to
 * 1.5 s, two rounds; each path's output is checked equal to the first path's. For the open question on small-K 1x1
 * layers in KERNELS.md. After {@code ./mvnw -B -ntp -q -DskipTests test-compile -pl simd -am}, under the benchmark
 * lock: {@code java --add-modules jdk.incubator.vector -cp simd/target/test-classes:simd/target/classes:core/target/classes
 * dev.vconv.simd.ForcedPathTimes THREADS}.
 */
public final class ForcedPathTimes {
    public static void main(String[] a) {
        int threads = Integer.parseInt(a[0]);
        int[][] cases = {{16, 96, 112}, {24, 144, 56}, {32, 192, 28}, {64, 384, 14}, {96, 576, 14}, {32, 16, 112}, {96, 24, 56}};
        VectorWidth width = VectorWidth.ofBits(512);
        Epilogue relu6 = Epilogue.of(Activation.relu6());
        Path[] paths = {Path.POINTWISE, Path.PIXEL_ROWS, Path.IMPLICIT_GEMM};
        for (int round = 0; round < 2; round++) {
            for (int[] c : cases) {
                ConvSpec spec = ConvSpec.builder(c[0], c[1], 1).build();
                Shape in = Shape.of(1, c[0], c[2], c[2]);
                Tensor x = Tensor.random(3, 1, c[0], c[2], c[2]);
                Tensor w = Tensor.random(1, c[1], c[0], 1, 1);
                Tensor b = Tensor.random(2, c[1]);
                StringBuilder line = new StringBuilder(c[0] + "->" + c[1] + " " + c[2] + "x" + c[2] + " t" + threads + ":");
                float[] ref = null;
                for (Path p : paths) {
                    ConvPlan plan = new ConvPlan(spec, in, w, b, ConvPlanner.plan(p, spec, in, width, threads), null, relu6);
                    Tensor y = Tensor.zeros(plan.outputShape());
                    long end = System.nanoTime() + 1_500_000_000L;
                    while (System.nanoTime() < end) plan.forward(x, y);
                    int n = 0;
                    long[] t = new long[4000];
                    end = System.nanoTime() + 1_500_000_000L;
                    while (System.nanoTime() < end && n < t.length) {
                        long t0 = System.nanoTime();
                        plan.forward(x, y);
                        t[n++] = System.nanoTime() - t0;
                    }
                    java.util.Arrays.sort(t, 0, n);
                    if (ref == null) ref = y.data().clone();
                    boolean same = java.util.Arrays.equals(ref, y.data());
                    line.append(String.format(java.util.Locale.ROOT, "  %s %.3f ms (%.1f GF/s)%s", p, t[n / 2] / 1e6, spec.flops(in) / (t[n / 2] / 1e9) / 1e9, same ? "" : " DIFFERENT"));
                }
                System.out.println(line);
            }
        }
    }
}
