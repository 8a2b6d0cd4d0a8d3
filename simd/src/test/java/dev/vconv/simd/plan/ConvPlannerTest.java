package dev.vconv.simd.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.PaddingMode;
import dev.vconv.core.Shape;
import dev.vconv.core.testing.ConvGrid;
import dev.vconv.simd.kernel.VectorWidth;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The planner by itself: which path a spec takes, and that it says why. */
class ConvPlannerTest {

    private static Path path(ConvSpec.Builder b) {
        ConvPlanner.Choice choice = ConvPlanner.choose(b.build());
        assertFalse(choice.reason().isBlank(), "a choice must say why");
        return choice.path();
    }

    @Test
    void aDepthwise3x3SpecSelectsDepthwise() {
        assertEquals(Path.DEPTHWISE, path(ConvSpec.builder(32, 32, 3).groups(32).padding(1)));
    }

    @Test
    void depthwiseWithAChannelMultiplierSelectsDepthwise() {
        assertEquals(Path.DEPTHWISE, path(ConvSpec.builder(8, 16, 5).groups(8).stride(2).dilation(2)));
    }

    @Test
    void depthwiseWithReflectPaddingSelectsDepthwise() {
        assertEquals(Path.DEPTHWISE, path(ConvSpec.builder(3, 3, 3).groups(3).padding(1).paddingMode(PaddingMode.REFLECT)));
    }

    @Test
    void aSingleChannelIsNotDepthwiseButAnOrdinaryConvolution() {
        assertEquals(Path.PACKED_GEMM, path(ConvSpec.builder(1, 4, 3)));
        assertEquals(Path.POINTWISE, path(ConvSpec.builder(1, 4, 1)));
    }

    @Test
    void a1x1StrideOneUnpaddedSpecSelectsPointwise() {
        assertEquals(Path.POINTWISE, path(ConvSpec.builder(256, 64, 1)));
    }

    @Test
    void aGrouped1x1SpecSelectsPointwise() {
        assertEquals(Path.POINTWISE, path(ConvSpec.builder(8, 12, 1).groups(4)));
    }

    @Test
    void a1x1SpecWithStrideOrPaddingSelectsGemm() {
        assertEquals(Path.PACKED_GEMM, path(ConvSpec.builder(16, 8, 1).stride(2)));
        assertEquals(Path.PACKED_GEMM, path(ConvSpec.builder(16, 8, 1).padding(1)));
        assertEquals(Path.PACKED_GEMM, path(ConvSpec.builder(16, 8, 1).padding(0, 1, 0, 0)));
    }

    @Test
    void aDense3x3SpecSelectsGemm() {
        assertEquals(Path.PACKED_GEMM, path(ConvSpec.builder(64, 64, 3).padding(1)));
        assertEquals(Path.PACKED_GEMM, path(ConvSpec.builder(6, 4, 3).groups(2)));
        assertEquals(Path.PACKED_GEMM, path(ConvSpec.builder(3, 8, 1, 7).padding(0, 0, 3, 3)));
    }

    /**
     * Degenerate layers, whose stride-phase planes would be sized by the stride (tables of {@code strideH * strideW}
     * entries) or by padding and dilation far beyond the image, take a path sized by the output, at every width;
     * the decision's reason says why. Their neighbours with the planes' size in bounds keep the planes.
     */
    @Test
    void degenerateLayersTakeAPathSizedByTheOutput() {
        for (int bits : new int[] {512, 256, 128}) {
            VectorWidth width = VectorWidth.ofBits(bits);
            PlanDecision d = ConvPlanner.plan(ConvSpec.builder(4, 4, 3).groups(4).stride(50_000).build(), Shape.of(2, 4, 3, 3), width, 1);
            assertEquals(Path.PACKED_GEMM, d.path(), bits + ": " + d.reason());
            assertTrue(d.reason().contains("the phase planes would be sized by the stride"), d.reason());
            d = ConvPlanner.plan(ConvSpec.builder(3, 3, 2).groups(3).dilation(1_000_000).padding(500_000).build(),
                    Shape.of(1, 3, 1, 1), width, 1);
            assertEquals(Path.PACKED_GEMM, d.path(), bits + ": " + d.reason());
            for (ConvSpec dense : new ConvSpec[] {ConvSpec.builder(2, 3, 3).stride(1, Integer.MAX_VALUE).padding(1).build(),
                    ConvSpec.builder(2, 4, 3).dilation(100_000).paddingSame().build(),
                    ConvSpec.builder(2, 2, 3).dilation(7_000).padding(7_000).build()}) {
                Shape input = Shape.of(1, 2, 2, 2);
                d = ConvPlanner.plan(dense, input, width, 1);
                assertTrue(d.source() != PlanDecision.Source.PHASE_PLANES, bits + ", " + dense + ": " + d);
                assertTrue(d.reason().contains("implicit none (the phase planes would be sized by the stride"), d.reason());
            }
            // In bounds: a depthwise layer with a moderate stride, and a 3x3 with padding 1 on a 1x1 image, keep the planes.
            assertEquals(Path.DEPTHWISE, ConvPlanner.plan(ConvSpec.builder(4, 4, 3).groups(4).stride(5).build(),
                    Shape.of(1, 4, 11, 11), width, 1).path());
            assertTrue(dev.vconv.simd.layout.PhasePlanes.serves(ConvSpec.builder(64, 64, 3).padding(1).build(), 1, 1));
        }
        assertFalse(dev.vconv.simd.layout.PhasePlanes.serves(ConvSpec.builder(2, 2, 3).stride(65, 64).build(), 9, 9));
        assertTrue(dev.vconv.simd.layout.PhasePlanes.serves(ConvSpec.builder(2, 2, 3).stride(64, 64).build(), 9, 9));
    }

    /** An empty batch has nothing to compute whatever its image size: no task, one thread, at every width. */
    @Test
    void anEmptyBatchIsDecidedWithoutSizingAnything() {
        for (int bits : new int[] {512, 256, 128}) {
            for (ConvSpec spec : new ConvSpec[] {ConvSpec.builder(8, 8, 3).groups(8).stride(2).padding(1).build(),
                    ConvSpec.builder(1, 2, 3).padding(1).build(), ConvSpec.builder(3, 4, 1).build()}) {
                PlanDecision d = ConvPlanner.plan(spec, Shape.of(0, spec.inChannels(), 100_000, 100_000), VectorWidth.ofBits(bits), 4);
                assertEquals(0, d.tasks(), d.toString());
                assertEquals(1, d.threads(), d.toString());
                assertTrue(d.reason().contains("an empty batch"), d.reason());
            }
        }
    }

    @Test
    void theSameSpecAlwaysGetsTheSameChoice() {
        ConvSpec spec = ConvSpec.builder(17, 34, 3).groups(17).build();
        assertEquals(ConvPlanner.choose(spec), ConvPlanner.choose(spec));
    }

    private static Path path(ConvSpec.Builder b, Shape input, int bits) {
        PlanDecision choice = ConvPlanner.plan(b.build(), input, VectorWidth.ofBits(bits), 1);
        assertFalse(choice.reason().isBlank(), "a choice must say why");
        return choice.path();
    }

    @Test
    void aWideResNetLayerReadsThePaddedInputInPlace() {
        // 57 padded columns per 56 kept (the rows share their zero padding): 2 % more columns against packing B for
        // 64 output channels.
        for (int bits : new int[] {512, 256, 128}) {
            assertEquals(Path.IMPLICIT_GEMM, path(ConvSpec.builder(64, 64, 3).padding(1), Shape.of(1, 64, 56, 56), bits));
            assertEquals(Path.IMPLICIT_GEMM, path(ConvSpec.builder(3, 64, 7).stride(2).padding(3), Shape.of(1, 3, 224, 224), bits));
        }
    }

    @Test
    void dilatedLayersWithLongReductionsGatherPixelRows() {
        // DeepLab d4 (reduction 1152) and d2 (2304): implicit rows of 36 columns per 32 kept and 30 per 28 (the
        // rows share their zero padding) lose to pixel rows, whose copy out is small against the reduction.
        assertEquals(Path.PIXEL_ROWS, path(ConvSpec.builder(128, 128, 3).padding(4).dilation(4), Shape.of(1, 128, 32, 32), 512));
        assertEquals(Path.PIXEL_ROWS, path(ConvSpec.builder(256, 256, 3).padding(2).dilation(2), Shape.of(1, 256, 28, 28), 512));
        String reason = ConvPlanner.plan(ConvSpec.builder(128, 128, 3).padding(4).dilation(4).build(), Shape.of(1, 128, 32, 32),
                VectorWidth.W512, 1).reason();
        assertTrue(reason.contains("36 padded columns") && reason.contains("32 kept") && reason.contains("f32_gemm_6x4v_512"), reason);
    }

    @Test
    void aShortReductionOnManyOutputChannelsWithWideReflectPaddingPacksB() {
        // 40 reflected columns per 32 kept for the implicit path, a copy out as dear as the reduction of 36 for
        // pixel rows; packing B costs 24 of 256 channels.
        assertEquals(Path.PACKED_GEMM, path(ConvSpec.builder(4, 256, 3).padding(4).dilation(4).paddingMode(PaddingMode.REFLECT),
                Shape.of(1, 4, 32, 32), 512));
    }

    @Test
    void pixelRowsTakeTheKernelWithTheLeastWork() {
        // 256 channels: 4 panels of 64 (6x4v) against 6 of 48 (7x3v, 288 channels of work)
        ConvSpec c256 = ConvSpec.builder(256, 256, 3).padding(1).build();
        assertEquals("f32_gemm_6x4v_512", ConvPlanner.pixelKernel(VectorWidth.W512, c256, 196).kernel().name());
        // 96 channels: 2 panels of 48 against 2 of 64 (128 channels of work)
        ConvSpec c96 = ConvSpec.builder(256, 96, 3).padding(1).build();
        assertEquals("f32_gemm_7x3v_512", ConvPlanner.pixelKernel(VectorWidth.W512, c96, 196).kernel().name());
        assertEquals("f32_gemm_4x2v_256", ConvPlanner.pixelKernel(VectorWidth.W256, c96, 196).kernel().name());
        // A padded 1x1 kernel packs im2col^T: 7x3v, the AVX-512 kernel that packs, even for 1024 channels
        ConvSpec padded1x1 = ConvSpec.builder(512, 1024, 1).stride(2).padding(1).build();
        assertFalse(ConvPlanner.gathersPixels(padded1x1, VectorWidth.W512, 225));
        assertEquals("f32_gemm_7x3v_512", ConvPlanner.pixelKernel(VectorWidth.W512, padded1x1, 225).kernel().name());
        assertTrue(ConvPlanner.gathersPixels(c256, VectorWidth.W512, 196));
        assertFalse(ConvPlanner.gathersPixels(c256, VectorWidth.W256, 196));
        ConvSpec stage4 = ConvSpec.builder(256, 256, 3).padding(1).build();
        assertEquals(Path.PIXEL_ROWS, path(ConvSpec.builder(256, 256, 3).padding(1), Shape.of(1, 256, 14, 14), 512));
        assertTrue(ConvPlanner.plan(stage4, Shape.of(1, 256, 14, 14), VectorWidth.ofBits(512), 1).reason().contains("f32_gemm_6x4v_512"));
        assertEquals(Path.PIXEL_ROWS, path(ConvSpec.builder(512, 512, 3).padding(1), Shape.of(1, 512, 7, 7), 512));
    }

    /**
     * A 1x1 kernel at stride 1 without padding gathers pixel rows from the input itself where that costs less than
     * packing them and less than pointwise: long reductions on small images. Measured (hand-run loop, 1 thread,
     * GFLOP/s): 1024to256 on 14x14 107 gathering, 98 pointwise, 84 packed; 2048to512 on 7x7 106 gathering, 94
     * packed; 512to2048 on 7x7 94 gathering, 104 packed; 512to128 on 28x28 106 pointwise, 103 gathering; at
     * stride 2, 512to1024 on 28x28 97-98 gathering, 93-94 packed; 1024to2048 on 14x14 88-95 gathering, 96-98
     * packed.
     */
    @Test
    void a1x1OnASmallImageGathersItsPixelRowsFromTheInputWhereThatCostsLess() {
        ConvSpec reduce = ConvSpec.builder(1024, 256, 1).build();
        assertEquals(Path.PIXEL_ROWS, path(ConvSpec.builder(1024, 256, 1), Shape.of(1, 1024, 14, 14), 512));
        assertTrue(ConvPlanner.gathersPixels(reduce, VectorWidth.W512, 196));
        assertEquals("f32_gemm_6x4v_512", ConvPlanner.pixelKernel(VectorWidth.W512, reduce, 196).kernel().name());
        assertTrue(ConvPlanner.gathersPixels(ConvSpec.builder(2048, 512, 1).build(), VectorWidth.W512, 49));
        // A short reduction into many channels packs: 512to2048 and 160to960 on 7x7
        assertFalse(ConvPlanner.gathersPixels(ConvSpec.builder(512, 2048, 1).build(), VectorWidth.W512, 49));
        assertFalse(ConvPlanner.gathersPixels(ConvSpec.builder(160, 960, 1).build(), VectorWidth.W512, 49));
        // Strided and unpadded, from the input in place too: the suite's 512to1024 on 28x28 gathers with 6x4v;
        // 1024to2048 on 14x14 (7x7 outputs) packs with 7x3v
        ConvSpec strided = ConvSpec.builder(512, 1024, 1).stride(2).bias(false).build();
        assertTrue(ConvPlanner.gathersPixels(strided, VectorWidth.W512, 196));
        assertEquals("f32_gemm_6x4v_512", ConvPlanner.pixelKernel(VectorWidth.W512, strided, 196).kernel().name());
        PlanDecision choice = ConvPlanner.plan(strided, Shape.of(1, 512, 28, 28), VectorWidth.ofBits(512), 1);
        assertEquals(Path.PIXEL_ROWS, choice.path());
        assertTrue(choice.reason().contains("gathered from the input in place"), choice.reason());
        ConvSpec last = ConvSpec.builder(1024, 2048, 1).stride(2).build();
        assertFalse(ConvPlanner.gathersPixels(last, VectorWidth.W512, 49));
        assertTrue(ConvPlanner.plan(last, Shape.of(1, 1024, 14, 14), VectorWidth.ofBits(512), 1).reason().contains("f32_gemm_7x3v_512; packed"));
        // Larger images stay pointwise; 256 bits has no gathering kernel
        assertEquals(Path.POINTWISE, path(ConvSpec.builder(512, 128, 1), Shape.of(1, 512, 28, 28), 512));
        assertEquals(Path.POINTWISE, path(ConvSpec.builder(1024, 256, 1), Shape.of(1, 1024, 14, 14), 256));
        assertFalse(ConvPlanner.gathersPixels(reduce, VectorWidth.W256, 196));
    }

    /**
     * MobileNetV2's short-reduction 1x1 layers (K = 16, 24, 32 expanding 6x): pointwise on the 112x112, 56x56 and
     * 28x28 images, whose columns fill the 8x3v panels; pixel rows on 14x14 and 7x7, packed where the output
     * channels are many. Every 1x1 layer of the network forced onto each path in turn (the network command's
     * profile, 1 thread, ms a call, default / all pointwise / all pixel rows, one JVM each, 2026-12-08): 16to96 on
     * 112x112 1.14 / 1.18 / 1.93; 24to144 on 56x56 0.35-0.50 / 0.36-0.50 / 0.64-0.69; 32to192 on 28x28 0.17-0.24 /
     * 0.18-0.23 / 0.22-0.24; 64to384 on 14x14 0.165-0.169 / 0.163-0.176 / 0.164-0.172; 160to960 on 7x7 0.226-0.236 /
     * 0.287-0.291 / 0.217-0.224. (Before the pointwise store went in one run per channel, `784bb4c`, a 28-column row
     * ended in 12 scalar activations, and pixel rows had been faster on 28x28: 0.19-0.27 against 0.50-0.53.)
     */
    @Test
    void mobileNetV2sShortReductionsStayPointwiseWhereTheImageFillsThePanels() {
        int[][] pointwise = {{16, 96, 112}, {32, 16, 112}, {24, 144, 56}, {32, 192, 28}};
        for (int threads : new int[] {1, 2}) {
            for (int[] c : pointwise) {
                PlanDecision d = ConvPlanner.plan(ConvSpec.builder(c[0], c[1], 1).build(), Shape.of(1, c[0], c[2], c[2]),
                        VectorWidth.W512, threads);
                assertEquals(Path.POINTWISE, d.path(), c[0] + "to" + c[1] + " on " + c[2] + ": " + d.reason());
                assertEquals("f32_gemm_8x3v_512", ((PlanDecision.Pointwise) d).kernel().name());
                assertTrue(d.reason().contains("1x1 kernel, stride 1, no padding") && d.reason().contains("pointwise "),
                        d.reason());
            }
            int[][] pixelRows = {{64, 384, 14}, {96, 576, 14}, {160, 960, 7}, {320, 1280, 7}};
            for (int[] c : pixelRows) {
                PlanDecision d = ConvPlanner.plan(ConvSpec.builder(c[0], c[1], 1).build(), Shape.of(1, c[0], c[2], c[2]),
                        VectorWidth.W512, threads);
                assertEquals(Path.PIXEL_ROWS, d.path(), c[0] + "to" + c[1] + " on " + c[2] + ": " + d.reason());
                assertEquals(PlanDecision.Source.PACKED, d.source(), d.reason());
                assertEquals("f32_gemm_7x3v_512", ((PlanDecision.PixelRows) d).kernel().name());
                assertTrue(d.reason().contains("output pixels as rows"), d.reason());
            }
        }
        // 32to192 on 28x28: 816 columns of 8x3v tiles against 784 pixels in 7x3v tiles at 1.02 plus packing
        PlanDecision mid = ConvPlanner.plan(ConvSpec.builder(32, 192, 1).build(), Shape.of(1, 32, 28, 28), VectorWidth.W512, 1);
        assertTrue(mid.reason().contains("pointwise 156672") && mid.reason().contains("pixel rows 169344"), mid.reason());
    }

    @Test
    void aNarrowImageWithFewOutputChannelsStillReadsInPlace() {
        // 7 of 8 padded columns kept, but packing B for 8 output channels would cost three times the work.
        assertEquals(Path.IMPLICIT_GEMM, path(ConvSpec.builder(16, 8, 3).padding(1), Shape.of(1, 16, 7, 7), 256));
    }

    @Test
    void depthwiseDoesNotDependOnTheInputNorPointwiseOnALargeImage() {
        assertEquals(Path.DEPTHWISE, path(ConvSpec.builder(32, 32, 3).groups(32).padding(1), Shape.of(1, 32, 9, 9), 512));
        assertEquals(Path.POINTWISE, path(ConvSpec.builder(256, 64, 1), Shape.of(1, 256, 56, 56), 512));
    }

    @Test
    void theReasonGivesTheColumnCountsOfBothPaths() {
        String reason = ConvPlanner.plan(ConvSpec.builder(64, 64, 3).padding(1).build(), Shape.of(1, 64, 56, 56), VectorWidth.W512, 1).reason();
        assertTrue(reason.contains("57 padded columns") && reason.contains("56 kept") && reason.contains("packed GEMM"), reason);
    }

    /**
     * The contract test runs the grid on the paths the planner picks: it must reach them at every width. (The
     * grid's channel counts are small, so it seldom picks the packed GEMM; PathAgreementTest forces that path on
     * every case and holds it to the implicit one, bit for bit.)
     */
    @Test
    void theOddSizeGridReachesEveryPathAtEveryWidth() {
        for (int bits : new int[] {512, 256, 128}) {
            Map<Path, Integer> counts = new EnumMap<>(Path.class);
            for (ConvGrid.Case c : ConvGrid.full()) {
                counts.merge(ConvPlanner.plan(c.spec(), c.input(), VectorWidth.ofBits(bits), 1).path(), 1, Integer::sum);
            }
            for (Path p : new Path[] {Path.IMPLICIT_GEMM, Path.POINTWISE, Path.DEPTHWISE}) {
                assertTrue(counts.getOrDefault(p, 0) >= 20, bits + " bits: " + p + " taken by only " + counts.get(p) + " grid cases " + counts);
            }
        }
    }

    /**
     * The decision holds the kernel, the operands' source, the depthwise kernels and the task grid, not only the
     * path: what each of MobileNetV2's and ResNet's layers gets at 512 bits on two threads.
     */
    @Test
    void theDecisionHoldsKernelSourceVariantAndTaskGrid() {
        PlanDecision dw56 = ConvPlanner.plan(ConvSpec.builder(144, 144, 3).groups(144).padding(1).build(),
                Shape.of(1, 144, 56, 56), VectorWidth.W512, 2);
        // a vector at column ox reads input columns ox - 1 to ox + 16: inside a 56-column row for ox in [1, 39]
        assertEquals(new DepthwiseVariant.Direct(1, 39), ((PlanDecision.Depthwise) dw56).variant(), dw56.reason());
        assertEquals(PlanDecision.Source.INPUT, dw56.source());
        PlanDecision dw7 = ConvPlanner.plan(ConvSpec.builder(960, 960, 3).groups(960).padding(1).build(),
                Shape.of(1, 960, 7, 7), VectorWidth.W512, 2);
        assertTrue(((PlanDecision.Depthwise) dw7).variant() instanceof DepthwiseVariant.Wrapped, dw7.reason());
        assertTrue(dw7.reason().contains("wrapped"), dw7.reason());
        // 128 bits has neither special kernel: the planes
        PlanDecision dw128 = ConvPlanner.plan(ConvSpec.builder(144, 144, 3).groups(144).padding(1).build(),
                Shape.of(1, 144, 56, 56), VectorWidth.W128, 2);
        assertTrue(((PlanDecision.Depthwise) dw128).variant() instanceof DepthwiseVariant.Planes);
        assertEquals(PlanDecision.Source.PHASE_PLANES, dw128.source());

        PlanDecision.ImplicitGemm dense = (PlanDecision.ImplicitGemm) ConvPlanner.plan(ConvSpec.builder(64, 64, 3).padding(1).build(),
                Shape.of(1, 64, 56, 56), VectorWidth.W512, 2);
        assertEquals("f32_gemm_8x3v_512", dense.kernel().name());
        assertEquals(PlanDecision.Copies.PRIVATE, dense.copies(), "two threads, 1,152 FLOPs per plane element");
        assertEquals(2, dense.threads());
        assertEquals(PlanDecision.Copies.SHARED, ((PlanDecision.ImplicitGemm) ConvPlanner.plan(ConvSpec.builder(64, 64, 3).padding(1).build(),
                Shape.of(1, 64, 56, 56), VectorWidth.W512, 3)).copies(), "three threads share one copy");
        PlanDecision.ImplicitGemm resnext = (PlanDecision.ImplicitGemm) ConvPlanner.plan(
                ConvSpec.builder(128, 128, 3).groups(32).padding(1).build(), Shape.of(1, 128, 56, 56), VectorWidth.W512, 2);
        assertEquals(PlanDecision.Copies.GROUPS, resnext.copies(), "32 groups on two threads: whole groups");
        assertEquals(0, resnext.wholeImages());

        PlanDecision.PixelRows inPlace = (PlanDecision.PixelRows) ConvPlanner.plan(ConvSpec.builder(1024, 256, 1).build(),
                Shape.of(4, 1024, 14, 14), VectorWidth.W512, 2);
        assertEquals(PlanDecision.Source.INPUT, inPlace.source());
        assertEquals(4, inPlace.wholeImages(), "four images on two threads: two rounds of whole images");
        PlanDecision.PixelRows packed = (PlanDecision.PixelRows) ConvPlanner.plan(ConvSpec.builder(1024, 2048, 1).stride(2).build(),
                Shape.of(1, 1024, 14, 14), VectorWidth.W512, 2);
        assertEquals(PlanDecision.Source.PACKED, packed.source());
        assertEquals("f32_gemm_7x3v_512", packed.kernel().name());
        assertTrue(packed.packedSize() >= 1024 * 49, "the packed im2col^T: every reduction row of every pixel");

        // The planner's packed-GEMM blocking: DeepLab's 28x28 in two even blocks (432 + 352), not 480 + 304
        PlanDecision.PackedGemm deeplab = (PlanDecision.PackedGemm) ConvPlanner.plan(Path.PACKED_GEMM,
                ConvSpec.builder(256, 256, 3).padding(2).dilation(2).build(), Shape.of(1, 256, 28, 28), VectorWidth.W512, 2);
        assertEquals(432, deeplab.blocking().nc());
        assertEquals(2, deeplab.columnBlocks());
        assertEquals(deeplab.columnBlocks() * deeplab.panelSplits(), deeplab.tasks());
    }

    /** A small convolution runs on the calling thread however many threads the engine has. */
    @Test
    void smallConvolutionsRunOnOneThread() {
        PlanDecision small = ConvPlanner.plan(ConvSpec.builder(8, 8, 3).padding(1).build(), Shape.of(1, 8, 9, 9), VectorWidth.W512, 8);
        assertEquals(1, small.threads(), small.reason());
        PlanDecision big = ConvPlanner.plan(ConvSpec.builder(64, 64, 3).padding(1).build(), Shape.of(1, 64, 56, 56), VectorWidth.W512, 8);
        assertEquals(8, big.threads(), "enough tasks for eight threads");
    }

    /** A path asked for gets the planner's decision for that path; the depthwise anchor is the phase planes. */
    @Test
    void aPathAskedForIsDecidedAsThePlannerWouldAndCheckedForFit() {
        ConvSpec dense = ConvSpec.builder(20, 36, 3).stride(2).padding(1).build();
        for (Path path : new Path[] {Path.PACKED_GEMM, Path.IMPLICIT_GEMM, Path.PIXEL_ROWS}) {
            assertEquals(path, ConvPlanner.plan(path, dense, Shape.of(2, 20, 17, 19), VectorWidth.W256, 2).path());
        }
        PlanDecision anchor = ConvPlanner.plan(Path.DEPTHWISE, ConvSpec.builder(32, 32, 3).groups(32).padding(1).build(),
                Shape.of(1, 32, 56, 56), VectorWidth.W512, 1);
        assertTrue(((PlanDecision.Depthwise) anchor).variant() instanceof DepthwiseVariant.Planes);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ConvPlanner.plan(Path.POINTWISE, dense, Shape.of(2, 20, 17, 19), VectorWidth.W256, 2));
        assertTrue(e.getMessage().contains("1x1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConvPlanner.plan(Path.DEPTHWISE, dense, Shape.of(2, 20, 17, 19),
                VectorWidth.W256, 2));
    }
}
