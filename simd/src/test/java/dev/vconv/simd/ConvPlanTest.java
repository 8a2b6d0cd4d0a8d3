package dev.vconv.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vconv.core.Conv2dPlan;
import dev.vconv.core.Activation;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.Epilogue;
import dev.vconv.core.Engines;
import dev.vconv.core.PaddingMode;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;
import dev.vconv.core.testing.ConvAsserts;
import dev.vconv.simd.kernel.DirectDepthwiseKernel;
import dev.vconv.simd.kernel.VectorWidth;
import dev.vconv.simd.kernel.WrappedDepthwiseKernel;
import dev.vconv.simd.plan.ConvPlanner;
import dev.vconv.simd.plan.DepthwiseVariant;
import dev.vconv.simd.plan.Path;
import dev.vconv.simd.plan.PlanDecision;
import dev.vconv.simd.plan.TaskSplits;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Plans on cases larger than the grid's: big enough to run on several threads (the grid's cases stay under
 * {@link ConvPlanner#PARALLEL_MIN_FLOPS}, so they run on one), with reductions longer than a {@code kc} block,
 * more output columns than an {@code nc} block, and partial MR panels; plus reuse, concurrent use and bad calls.
 */
class ConvPlanTest {

    /** Cases that cross the block boundaries (kc = 256, nc = 512) and go parallel. */
    static List<Object[]> blockCases() {
        return List.of(
                // K = 33*9 = 297 > kc; P = 25*25 = 625 > nc; cout 13 leaves a partial panel
                new Object[] {ConvSpec.builder(33, 13, 3).padding(1).build(), Shape.of(2, 33, 25, 25)},
                // pointwise, K = 300 > kc, P = 23*29 = 667 > nc
                new Object[] {ConvSpec.builder(300, 10, 1).build(), Shape.of(1, 300, 23, 29)},
                // grouped, strided, dilated, reflect padding, asymmetric
                new Object[] {ConvSpec.builder(64, 18, 3).groups(2).stride(2, 1).dilation(2, 3).padding(2, 1, 3, 0)
                        .paddingMode(PaddingMode.REFLECT).build(), Shape.of(2, 64, 31, 37)},
                // one group, one image, few columns: the plan splits the output channels across threads
                new Object[] {ConvSpec.builder(96, 70, 3).padding(1).paddingMode(PaddingMode.CIRCULAR).build(), Shape.of(1, 96, 9, 11)},
                // depthwise with multiplier 2, stride 2
                new Object[] {ConvSpec.builder(40, 80, 5).groups(40).stride(2).padding(2).paddingMode(PaddingMode.REPLICATE).build(),
                        Shape.of(2, 40, 41, 43)});
    }

    @TestFactory
    Stream<DynamicTest> largeCasesEqualTheReferenceAtEveryThreadCountBitForBit() {
        return blockCases().stream().flatMap(c -> Stream.of(256, 128).map(bits -> DynamicTest.dynamicTest(
                "simd-" + bits + " " + c[0] + " on " + c[1], () -> {
                    ConvSpec spec = (ConvSpec) c[0];
                    Shape shape = (Shape) c[1];
                    ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 11);
                    Tensor expected = Engines.reference().forward(spec, ops.input(), ops.weight(), ops.bias());
                    Tensor single = null;
                    for (int threads : List.of(1, 2, 3)) {
                        ConvPlan plan = SimdEngines.simd(bits).withThreads(threads).plan(spec, shape, ops.weight(), ops.bias());
                        assertEquals(Math.min(threads, plan.threads()), plan.threads());
                        if (threads > 1) {
                            assertTrue(plan.threads() > 1, "this case should run on several threads: " + plan);
                        }
                        Tensor actual = plan.forward(ops.input());
                        ConvAsserts.assertClose(spec, shape, expected, actual);
                        if (single == null) {
                            single = actual;
                        } else {
                            assertArrayEquals(single.data(), actual.data(), "threads=" + threads + " differs from threads=1");
                        }
                    }
                })));
    }

    @Test
    void aPlanUsedTwiceGivesTheSameOutputOverwritesTheOutputAndLeavesItsOperandsAlone() {
        for (Object[] c : blockCases()) {
            ConvSpec spec = (ConvSpec) c[0];
            Shape shape = (Shape) c[1];
            ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 5);
            long in = ConvAsserts.checksum(ops.input().data());
            long w = ConvAsserts.checksum(ops.weight().data());
            long b = ops.bias() == null ? 0 : ConvAsserts.checksum(ops.bias().data());
            ConvPlan plan = SimdEngines.simd(256).withThreads(2).plan(spec, shape, ops.weight(), ops.bias());
            Tensor first = plan.forward(ops.input());
            Tensor second = Tensor.zeros(plan.outputShape());
            Arrays.fill(second.data(), Float.NaN);          // the plan writes every element, it does not accumulate
            plan.forward(ops.input(), second);
            assertArrayEquals(first.data(), second.data(), "second call of " + plan);
            assertEquals(in, ConvAsserts.checksum(ops.input().data()), "input modified");
            assertEquals(w, ConvAsserts.checksum(ops.weight().data()), "weight modified");
            if (ops.bias() != null) {
                assertEquals(b, ConvAsserts.checksum(ops.bias().data()), "bias modified");
            }
        }
    }

    @Test
    void aPlanKeepsItsOwnCopyOfTheWeights() {
        ConvSpec spec = ConvSpec.builder(3, 4, 3).padding(1).build();
        Shape shape = Shape.of(3, 6, 6);
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 3);
        ConvPlan plan = SimdEngines.simd(256).plan(spec, shape, ops.weight(), ops.bias());
        Tensor before = plan.forward(ops.input());
        Arrays.fill(ops.weight().data(), 9f);
        Arrays.fill(ops.bias().data(), 9f);
        assertArrayEquals(before.data(), plan.forward(ops.input()).data());
    }

    @Test
    void onePlanServesSeveralCallerThreadsAtOnce() throws Exception {
        ConvSpec spec = ConvSpec.builder(33, 13, 3).padding(1).build();
        Shape shape = Shape.of(2, 33, 25, 25);
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 8);
        ConvPlan plan = SimdEngines.simd(256).withThreads(2).plan(spec, shape, ops.weight(), ops.bias());
        Tensor expected = plan.forward(ops.input());
        List<CompletableFuture<Tensor>> calls = Stream.generate(() -> CompletableFuture.supplyAsync(() -> {
            Tensor out = null;
            for (int i = 0; i < 5; i++) {
                out = plan.forward(ops.input());
            }
            return out;
        })).limit(3).toList();
        for (CompletableFuture<Tensor> call : calls) {
            assertArrayEquals(expected.data(), call.get().data());
        }
    }

    @Test
    void badCallsThrowIllegalArgumentBeforeWritingAnything() {
        ConvSpec spec = ConvSpec.builder(3, 4, 3).build();
        Shape shape = Shape.of(1, 3, 7, 7);
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 3);
        ConvPlan plan = SimdEngines.simd(256).plan(spec, shape, ops.weight(), ops.bias());
        Tensor output = Tensor.zeros(plan.outputShape());
        Arrays.fill(output.data(), 42f);
        assertThrows(IllegalArgumentException.class, () -> plan.forward(Tensor.zeros(1, 3, 7, 8), output));
        assertThrows(IllegalArgumentException.class, () -> plan.forward(ops.input(), Tensor.zeros(1, 4, 5, 6)));
        SimdConv2d engine = SimdEngines.simd(256);
        assertThrows(IllegalArgumentException.class,
                () -> engine.forward(spec, ops.input(), Tensor.zeros(4, 3, 3, 2), ops.bias(), output));
        assertThrows(IllegalArgumentException.class, () -> engine.forward(spec, ops.input(), ops.weight(), null, output));
        assertThrows(IllegalArgumentException.class, () -> engine.forward(spec, Tensor.zeros(1, 2, 7, 7), ops.weight(), ops.bias(), output));
        for (float v : output.data()) {
            assertEquals(42f, v, "output written by a call that failed");
        }
    }

    /**
     * A plan's fused ReLU ({@code x < 0 ? 0 : x}) on every path kind: GEMM, and depthwise both on its flat stretch (stride 2)
     * and on the rows it writes straight into the output (3x3 at stride 1, rows wider than a vector; 3x3 at
     * stride 2 read straight from the input, rows wider than two vectors; the wrapped kernels' whole channels at
     * stride 2 on 21 columns and stride 1 on 13), at every width.
     */
    @Test
    void theFusedReluClampsTheConvolution() {
        List<ConvSpec> specs = List.of(
                ConvSpec.builder(5, 6, 3).padding(1).build(),
                ConvSpec.builder(6, 12, 3).padding(1).groups(6).build(),
                ConvSpec.builder(6, 6, 3).stride(2).padding(1).groups(6).build(),
                ConvSpec.builder(6, 12, 3).stride(2).padding(1).groups(6).bias(true).build(),
                ConvSpec.builder(6, 6, 3).padding(1).groups(6).bias(true).build());
        for (int bits : new int[] {512, 256, 128}) {
            for (ConvSpec spec : specs) {
                // The last case is wide enough for the direct stride-2 kernel where the width has one.
                // The last is narrow enough for the wrapped stride-1 kernel (the stride-2 cases are at 21 wide).
                Shape shape = spec == specs.get(4) ? Shape.of(2, 6, 9, 13)
                        : Shape.of(2, spec.inChannels(), 19, spec == specs.get(3) ? 45 : 21);
                ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 4);
                SimdConv2d engine = SimdEngines.simd(bits);
                float[] plain = engine.plan(spec, shape, ops.weight(), ops.bias()).forward(ops.input()).data();
                float[] relu = engine.plan(spec, shape, ops.weight(), ops.bias(), Epilogue.of(Activation.relu())).forward(ops.input()).data();
                int negative = 0;
                for (int i = 0; i < plain.length; i++) {
                    assertEquals(plain[i] < 0 ? 0f : plain[i], relu[i], spec + " at " + bits + " bits, at " + i);
                    negative += plain[i] < 0 ? 1 : 0;
                }
                assertTrue(negative > plain.length / 10, "the case must have negative outputs to clamp: " + spec);
            }
        }
    }

    /**
     * Private planes (implicit and pixel-rows paths, two threads, enough work per plane element): each thread builds its own
     * copy, on its first task of an image. Over images of a batch and calls on different inputs, in both orders,
     * the output is the 1-thread plan's bit for bit, so no thread computes from planes of another image or an
     * earlier call. The cases the rule leaves shared (three threads, ResNeXt-like groups of few channels) too.
     */
    @Test
    void privatePlanesGiveTheOneThreadBitsAcrossImagesAndCalls() {
        ConvSpec dense = ConvSpec.builder(24, 40, 3).padding(1).build();
        ConvSpec strided = ConvSpec.builder(16, 48, 3).stride(2).padding(1, 0, 2, 1).bias(false).build();
        ConvSpec grouped = ConvSpec.builder(64, 64, 3).groups(16).padding(1).build();
        // 7x7 with many channels: pixel rows, gathering from planes built per thread at 2 threads
        ConvSpec small = ConvSpec.builder(40, 96, 3).padding(1, 1, 2, 0).build();
        for (ConvSpec spec : List.of(dense, strided, grouped, small)) {
            Shape shape = spec == small ? Shape.of(3, spec.inChannels(), 7, 7) : Shape.of(3, spec.inChannels(), 29, 31);
            ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 8);
            Tensor other = Tensor.random(99, shape.dims());
            Conv2dPlan one = SimdEngines.simd(512).withThreads(1).withAlgorithm(SimdConv2d.Algorithm.DIRECT).plan(spec, shape, ops.weight(), ops.bias());
            float[] first = one.forward(ops.input()).data();
            float[] second = one.forward(other).data();
            for (int threads : new int[] {2, 3, 5}) {
                ConvPlan plan = new ConvPlan(spec, shape, ops.weight(), ops.bias(), ConvPlanner.plan(spec, shape, VectorWidth.W512, threads), null, Epilogue.NONE);
                assertEquals(spec == small ? Path.PIXEL_ROWS : Path.IMPLICIT_GEMM, plan.decision().path(), spec.toString());
                assertEquals(threads == 2 && spec != grouped, plan.decision() instanceof PlanDecision.ImplicitGemm d ? d.copies() == PlanDecision.Copies.PRIVATE
                        : ((PlanDecision.PixelRows) plan.decision()).privatePlanes(), spec + " at " + threads + " threads");
                // 16 groups: whole-group tasks up to 4 threads (and at 1, the plan compared against), shared at 5
                assertEquals(spec == grouped && threads < 5, plan.decision() instanceof PlanDecision.ImplicitGemm d && d.copies() == PlanDecision.Copies.GROUPS, spec + " at " + threads + " threads");
                for (int round = 0; round < 3; round++) {
                    assertArrayEquals(first, plan.forward(ops.input()).data(), spec + " at " + threads + " threads, round " + round);
                    assertArrayEquals(second, plan.forward(other).data(), spec + " at " + threads + " threads, round " + round);
                }
            }
        }
    }

    /**
     * A batch of at least as many images as threads goes to them an image per task (whole rounds of images, each
     * thread on its own planes of the image), the rest split within the image: on the implicit path (with private
     * planes at 2 threads, a shared copy at 3, and a shared copy at 2 where the work per plane element is small),
     * pointwise, and pixel rows gathered from planes and from the input (stride 1 and 2). Batches of 1 to 5 at 2
     * and 3 threads (whole rounds only, rounds and a split image, a split image only) give the 1-thread bits,
     * call after call.
     */
    @Test
    void wholeImagesOfABatchGiveTheOneThreadBits() {
        record Case(ConvSpec spec, int h, int w, Path path) {
        }
        List<Case> cases = List.of(
                new Case(ConvSpec.builder(24, 40, 3).padding(1).build(), 29, 31, Path.IMPLICIT_GEMM),
                // 8 output channels: too little work per plane element for private planes (a shared copy)
                new Case(ConvSpec.builder(24, 8, 3).padding(1).build(), 29, 31, Path.IMPLICIT_GEMM),
                // pixel rows gathering from planes
                new Case(ConvSpec.builder(40, 96, 3).padding(1, 1, 2, 0).build(), 7, 7, Path.PIXEL_ROWS),
                new Case(ConvSpec.builder(96, 256, 1).build(), 14, 14, Path.POINTWISE),
                new Case(ConvSpec.builder(256, 64, 1).bias(false).build(), 9, 7, Path.PIXEL_ROWS),
                new Case(ConvSpec.builder(256, 64, 1).stride(2).build(), 17, 13, Path.PIXEL_ROWS));
        for (Case c : cases) {
            for (int batch = 1; batch <= 5; batch++) {
                Shape shape = Shape.of(batch, c.spec().inChannels(), c.h(), c.w());
                ConvAsserts.Operands ops = ConvAsserts.Operands.of(c.spec(), shape, 40 + batch);
                Tensor other = Tensor.random(98, shape.dims());
                ConvPlan one = new ConvPlan(c.spec(), shape, ops.weight(), ops.bias(), ConvPlanner.plan(c.spec(), shape, VectorWidth.W512, 1), null, Epilogue.NONE);
                float[] first = one.forward(ops.input()).data();
                float[] second = one.forward(other).data();
                for (int threads : new int[] {2, 3}) {
                    ConvPlan plan = new ConvPlan(c.spec(), shape, ops.weight(), ops.bias(), ConvPlanner.plan(c.spec(), shape, VectorWidth.W512, threads), null, Epilogue.NONE);
                    String at = c.spec() + " on " + shape + " at " + threads + " threads";
                    assertEquals(c.path(), plan.decision().path(), at);
                    assertTrue(plan.threads() > 1, at);
                    for (int round = 0; round < 2; round++) {
                        assertArrayEquals(first, plan.forward(ops.input()).data(), at + ", round " + round);
                        assertArrayEquals(second, plan.forward(other).data(), at + ", round " + round);
                    }
                }
            }
        }
    }

    /**
     * Pointwise reads B from the input itself, again for every split of the output channels: one column block of
     * 196 columns and 32 panels of 8 channels take one task per thread, where the implicit path's 3x3 of the same
     * shape takes at least four per thread; both give the 1-thread bits.
     */
    @Test
    void pointwiseSplitsItsChannelsOncePerThread() {
        ConvSpec pointwise = ConvSpec.builder(96, 256, 1).build();
        ConvSpec implicit = ConvSpec.builder(96, 256, 3).padding(1).build();
        for (ConvSpec spec : List.of(pointwise, implicit)) {
            Shape shape = Shape.of(1, 96, 14, 14);
            ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 5);
            Path path = spec == pointwise ? Path.POINTWISE : Path.IMPLICIT_GEMM;
            float[] one = new ConvPlan(spec, shape, ops.weight(), ops.bias(), ConvPlanner.plan(path, spec, shape, VectorWidth.W512, 1), null, Epilogue.NONE)
                    .forward(ops.input()).data();
            for (int threads : new int[] {2, 3}) {
                ConvPlan plan = new ConvPlan(spec, shape, ops.weight(), ops.bias(), ConvPlanner.plan(path, spec, shape, VectorWidth.W512, threads), null, Epilogue.NONE);
                if (spec == pointwise) {
                    assertEquals(threads, plan.decision().tasks(), plan.toString());
                } else {
                    assertTrue(plan.decision().tasks() >= 4 * threads, plan.toString());
                }
                assertArrayEquals(one, plan.forward(ops.input()).data(), plan.toString());
            }
        }
    }

    /**
     * Each AVX-512 pixel-rows kernel in a whole convolution: 6x4v gathering (64 and 128 channels per group; a last
     * panel fuller than half and one run a row at a time),
     * 7x3v gathering (48, and 96 in groups of 2) and 7x3v on a packed {@code im2col^T} (1x1), gathering from the
     * planes or, unpadded, from the input itself (which cases do is checked), over strides, dilation, uneven and
     * non-zero padding, a batch and 1 to 3 threads: bit for bit the implicit path's, and the reference's values.
     */
    @Test
    void everyPixelRowsKernelGivesTheImplicitBits() {
        record Case(ConvSpec spec, String kernel, boolean inPlace) {
            Case(ConvSpec spec, String kernel) {
                this(spec, kernel, false);
            }
        }
        List<Case> cases = List.of(
                new Case(ConvSpec.builder(24, 64, 3).padding(1).build(), "f32_gemm_6x4v_512"),
                // 13 x 9 = 117 pixels: the last panel holds 3 of 6, which run a row at a time
                new Case(ConvSpec.builder(24, 64, 3).padding(1, 1, 0, 0).build(), "f32_gemm_6x4v_512"),
                new Case(ConvSpec.builder(24, 128, 3).stride(2).padding(2, 0, 1, 3).dilation(2, 1).build(), "f32_gemm_6x4v_512"),
                new Case(ConvSpec.builder(24, 48, 3, 5).padding(1, 2).paddingMode(PaddingMode.REFLECT).build(), "f32_gemm_7x3v_512"),
                new Case(ConvSpec.builder(24, 96, 3).groups(2).padding(1).build(), "f32_gemm_7x3v_512"),
                new Case(ConvSpec.builder(24, 64, 1).stride(2).build(), "f32_gemm_7x3v_512"),
                // 1x1 without padding: gathered from the input in place (143 pixels: a last panel of 5 of 6), grouped
                // too, and at strides (2, 3) over 7 x 4 pixels and (3, 2) over 5 x 6 (a padded 1x1 above packs)
                new Case(ConvSpec.builder(256, 64, 1).build(), "f32_gemm_6x4v_512", true),
                new Case(ConvSpec.builder(256, 96, 1).groups(2).build(), "f32_gemm_7x3v_512", true),
                new Case(ConvSpec.builder(256, 64, 1).stride(2, 3).build(), "f32_gemm_6x4v_512", true),
                new Case(ConvSpec.builder(256, 96, 1).groups(2).stride(3, 2).build(), "f32_gemm_7x3v_512", true),
                // unpadded 3x3 and 3x2 at strides and with dilation: from the input in place too
                new Case(ConvSpec.builder(24, 64, 3).stride(2).dilation(1, 2).build(), "f32_gemm_6x4v_512", true),
                new Case(ConvSpec.builder(24, 96, 3, 2).groups(2).stride(2, 3).build(), "f32_gemm_7x3v_512", true));
        for (Case c : cases) {
            Shape shape = Shape.of(2, c.spec().inChannels(), 13, 11);
            ConvAsserts.Operands ops = ConvAsserts.Operands.of(c.spec(), shape, 17);
            long p = (long) c.spec().outputHeight(13) * c.spec().outputWidth(11);
            assertEquals(c.kernel(), ConvPlanner.pixelKernel(VectorWidth.W512, c.spec(), p).kernel().name(), c.spec().toString());
            assertEquals(c.inPlace(), ConvPlanner.plan(Path.PIXEL_ROWS, c.spec(), shape, VectorWidth.W512, 1).source() == PlanDecision.Source.INPUT,
                    c.spec() + " gathers in place");
            float[] implicit = new ConvPlan(c.spec(), shape, ops.weight(), ops.bias(), ConvPlanner.plan(Path.IMPLICIT_GEMM, c.spec(), shape, VectorWidth.W512, 1), null, Epilogue.NONE).forward(ops.input()).data();
            Tensor expected = Engines.reference().forward(c.spec(), ops.input(), ops.weight(), ops.bias());
            for (int threads : new int[] {1, 2, 3}) {
                Tensor pixels = new ConvPlan(c.spec(), shape, ops.weight(), ops.bias(), ConvPlanner.plan(Path.PIXEL_ROWS, c.spec(), shape, VectorWidth.W512, threads), null, Epilogue.NONE).forward(ops.input());
                assertArrayEquals(implicit, pixels.data(), c.spec() + " at " + threads + " threads");
                ConvAsserts.assertClose(c.spec() + " at " + threads + " threads", expected, pixels, c.spec().reductionLength());
            }
        }
    }

    /**
     * Depthwise 3x3 at stride 1 and 2 with zero padding, wide enough for the direct kernels at 512 bits
     * ({@link DirectDepthwiseKernel}): the same sums in the same order as the phase planes (forced, at 128 bits),
     * so every width gives the same bits; also the reference's values, at 1 and 3 threads alike. Paddings
     * symmetric, TensorFlow's "same" for stride 2 (none before, one after), and uneven; channel multipliers 1 and
     * 2; widths where one edge vector, both or none are needed.
     */
    @Test
    void directDepthwiseGivesThePlanesBitsAtEveryWidth() {
        int[][] paddings = {{1, 1, 1, 1}, {0, 1, 0, 1}, {2, 0, 3, 1}};
        int[][] sizes = {{33, 33}, {12, 57}, {35, 112}, {9, 64}, {28, 28}, {11, 17}};
        int direct = 0;
        for (int[] pad : paddings) {
            for (int[] size : sizes) {
                for (int multiplier : new int[] {1, 2, 3}) {
                    // multiplier 3: stride 1 (1 and 2 run at stride 2)
                    ConvSpec spec = ConvSpec.builder(5, 5 * multiplier, 3).groups(5).stride(multiplier == 3 ? 1 : 2)
                            .padding(pad[0], pad[1], pad[2], pad[3]).bias(multiplier == 1).build();
                    Shape shape = Shape.of(2, 5, size[0], size[1]);
                    ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 21);
                    direct += DepthwiseVariant.of(spec, VectorWidth.W512, size[0], size[1]) instanceof DepthwiseVariant.Direct ? 1 : 0;
                    Tensor expected = Engines.reference().forward(spec, ops.input(), ops.weight(), ops.bias());
                    float[] planes = new ConvPlan(spec, shape, ops.weight(), ops.bias(), ConvPlanner.plan(Path.DEPTHWISE, spec, shape, VectorWidth.W128, 1), null, Epilogue.NONE).forward(ops.input()).data();
                    ConvAsserts.assertClose(spec, shape, expected, Tensor.of(planes, expected.shape()));
                    for (int bits : new int[] {512, 256, 128}) {
                        for (int threads : new int[] {1, 3}) {
                            float[] actual = SimdEngines.simd(bits).withThreads(threads).plan(spec, shape, ops.weight(), ops.bias())
                                    .forward(ops.input()).data();
                            assertArrayEquals(planes, actual, spec + " on " + shape + " at " + bits + " bits, " + threads + " threads");
                        }
                    }
                }
            }
        }
        assertTrue(direct >= 27, "the direct kernels took only " + direct + " of the cases");
    }

    /**
     * Depthwise 3x3 with padding 1 on rows too narrow for the direct kernels, which the wrapped kernels take at
     * every width ({@link WrappedDepthwiseKernel}): the same sums in the same order as the planes (forced, at 128
     * bits: {@code rows3x3} at stride 1, four rows or more; {@code row} at stride 2), so the bits are the same; and
     * the reference's values, at 1, 2 and 3 threads. MobileNetV2's sizes and odd ones, channel multipliers 1 and 2.
     */
    @Test
    void wrappedDepthwiseGivesThePlanesBits() {
        int[][] sizes = {{14, 14, 1}, {7, 7, 1}, {4, 15, 1}, {9, 5, 1}, {13, 11, 1}, {28, 28, 2}, {14, 14, 2}, {7, 7, 2},
            {5, 31, 2}, {30, 9, 2}, {6, 32, 2}};
        for (int[] size : sizes) {
            for (int multiplier = 1; multiplier <= 2; multiplier++) {
                ConvSpec spec = ConvSpec.builder(5, 5 * multiplier, 3).groups(5).stride(size[2]).padding(1)
                        .bias(multiplier == 1).build();
                Shape shape = Shape.of(2, 5, size[0], size[1]);
                for (VectorWidth width : VectorWidth.values()) {
                    assertTrue(DepthwiseVariant.of(spec, width, size[0], size[1]) instanceof DepthwiseVariant.Wrapped, spec + " on " + shape + " at " + width);
                }
                ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, shape, 23);
                Tensor expected = Engines.reference().forward(spec, ops.input(), ops.weight(), ops.bias());
                float[] planes = new ConvPlan(spec, shape, ops.weight(), ops.bias(), ConvPlanner.plan(Path.DEPTHWISE, spec, shape, VectorWidth.W128, 1), null, Epilogue.NONE).forward(ops.input()).data();
                ConvAsserts.assertClose(spec, shape, expected, Tensor.of(planes, expected.shape()));
                for (int bits : new int[] {512, 256, 128}) {
                    for (int threads = 1; threads <= 3; threads++) {
                        float[] actual = SimdEngines.simd(bits).withThreads(threads).plan(spec, shape, ops.weight(), ops.bias())
                                .forward(ops.input()).data();
                        assertArrayEquals(planes, actual, spec + " on " + shape + " at " + bits + " bits, " + threads + " threads");
                    }
                }
            }
        }
    }

    /**
     * The wrapped depthwise kernels run slower per FLOP than the other paths, so their plans take the workers from
     * {@link ConvPlanner#WRAPPED_PARALLEL_MIN_FLOPS} on, not {@link ConvPlanner#PARALLEL_MIN_FLOPS}; and the threads give
     * the one thread's bits.
     */
    @Test
    void wrappedDepthwisePlansTakeTheWorkersFromLessWork() {
        ConvSpec spec = ConvSpec.builder(960, 960, 3).groups(960).padding(1).build();
        Shape seven = Shape.of(1, 960, 7, 7);                   // 0.85 MFLOP: MobileNetV2's last depthwise layer
        assertTrue(spec.flops(seven) >= ConvPlanner.WRAPPED_PARALLEL_MIN_FLOPS && spec.flops(seven) < ConvPlanner.PARALLEL_MIN_FLOPS);
        ConvAsserts.Operands ops = ConvAsserts.Operands.of(spec, seven, 31);
        ConvPlan one = new ConvPlan(spec, seven, ops.weight(), ops.bias(), ConvPlanner.plan(spec, seven, VectorWidth.W512, 1), null, Epilogue.NONE);
        ConvPlan two = new ConvPlan(spec, seven, ops.weight(), ops.bias(), ConvPlanner.plan(spec, seven, VectorWidth.W512, 2), null, Epilogue.NONE);
        assertTrue(DepthwiseVariant.of(spec, VectorWidth.W512, 7, 7) instanceof DepthwiseVariant.Wrapped);
        assertEquals(2, two.threads(), two.toString());
        assertArrayEquals(one.forward(ops.input()).data(), two.forward(ops.input()).data());
        ConvPlan planes = new ConvPlan(spec, seven, ops.weight(), ops.bias(), ConvPlanner.plan(Path.DEPTHWISE, spec, seven, VectorWidth.W512, 2), null, Epilogue.NONE);
        assertEquals(1, planes.threads(), "the planes keep the common bound: " + planes);
        Shape small = Shape.of(1, 192, 7, 7);                   // 0.17 MFLOP
        ConvSpec few = ConvSpec.builder(192, 192, 3).groups(192).padding(1).build();
        ConvAsserts.Operands fewOps = ConvAsserts.Operands.of(few, small, 31);
        assertEquals(1, new ConvPlan(few, small, fewOps.weight(), fewOps.bias(), ConvPlanner.plan(few, small, VectorWidth.W512, 2), null, Epilogue.NONE).threads());
    }

}
