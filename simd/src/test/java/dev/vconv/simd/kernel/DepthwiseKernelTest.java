package dev.vconv.simd.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.Epilogue;
import dev.vconv.core.Nchw;
import dev.vconv.core.PaddingMode;
import dev.vconv.core.Shape;
import dev.vconv.simd.path.DepthwiseRunner;
import dev.vconv.simd.path.PathRunner;
import dev.vconv.simd.plan.DepthwiseVariant;
import dev.vconv.simd.plan.PlanDecision;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each width's {@link DepthwiseKernel} against its contract computed here in scalar code, bit for bit (the same
 * fused multiply-adds in the same order): {@code row} over lengths across its vector steps and scalar tail, with
 * nine taps (its unrolled steps) and other counts; {@code rows3x3} over row counts, widths of a vector and
 * more and source rows as wide or wider, including the last vector of a row and the last group of four rows
 * that move back to end at {@code wout} and {@code hout}, writing exactly the outputs and nothing around them;
 * and the stride-1 and stride-2 kernels that read the input directly ({@link DirectDepthwiseKernel}), over every
 * padding of up to three on each side and widths around the smallest they take, against the zero-padded sum in
 * their order.
 */
class DepthwiseKernelTest {

    @ParameterizedTest
    @EnumSource(VectorWidth.class)
    void rowComputesEachColumnsSumInTapOrder(VectorWidth width) {
        SplittableRandom random = new SplittableRandom(7);
        for (int taps : new int[] {1, 4, 9, 25}) {
            for (int wout = 0; wout <= 150; wout += wout < 40 ? 1 : 13) {
                int[] offsets = random.ints(taps, 0, 60).toArray();
                float[] w = floats(random, taps + 3);
                float[] src = floats(random, 60 + wout + 5);
                float[] out = new float[wout + 6];
                Arrays.fill(out, Float.NaN);
                width.depthwise.row(out, 2, wout, 0.25f, src, offsets, w, 3);
                for (int ox = 0; ox < out.length; ox++) {
                    float expected = Float.NaN;
                    if (ox >= 2 && ox < 2 + wout) {
                        expected = 0.25f;
                        for (int t = 0; t < taps; t++) {
                            expected = Math.fma(src[offsets[t] + ox - 2], w[3 + t], expected);
                        }
                    }
                    assertEquals(expected, out[ox], width + " taps=" + taps + " wout=" + wout + " column " + ox);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(VectorWidth.class)
    void rows3x3SharesInputRowsAndSumsKxOuter(VectorWidth width) {
        SplittableRandom random = new SplittableRandom(11);
        int v = width.bits / 32;
        for (int hout = 4; hout <= 11; hout++) {
            for (int wout : new int[] {v, v + 1, 2 * v + 3, 56}) {
                for (int wq = wout; wq <= wout + 2; wq++) {
                    int base = random.nextInt(5);
                    int[] taps = new int[9];
                    for (int kx = 0; kx < 3; kx++) {
                        taps[kx] = base + kx * (1 + random.nextInt(2));      // any column shifts, rows wq apart
                    }
                    for (int t = 3; t < 9; t++) {
                        taps[t] = taps[t % 3] + t / 3 * wq;
                    }
                    float[] w = floats(random, 9 + 2);
                    float[] src = floats(random, taps[8] + hout * wq);
                    float[] y = new float[hout * wout + 7];
                    Arrays.fill(y, Float.NaN);
                    width.depthwise.rows3x3(y, 3, hout, wout, wq, -0.5f, src, taps, w, 2);
                    for (int i = 0; i < y.length; i++) {
                        float expected = Float.NaN;
                        if (i >= 3 && i < 3 + hout * wout) {
                            int oy = (i - 3) / wout;
                            int ox = (i - 3) % wout;
                            expected = -0.5f;
                            for (int kx = 0; kx < 3; kx++) {
                                for (int ky = 0; ky < 3; ky++) {
                                    expected = Math.fma(src[taps[3 * ky + kx] + oy * wq + ox], w[2 + 3 * ky + kx], expected);
                                }
                            }
                        }
                        assertEquals(expected, y[i], width + " hout=" + hout + " wout=" + wout + " wq=" + wq + " at " + i);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(VectorWidth.class)
    void directKernelsReadTheInputAndPadWithMultipliedZeros(VectorWidth width) {
        if (width.depthwiseDirect == null) {
            for (int stride = 1; stride <= 2; stride++) {
                assertNull(DepthwiseVariant.direct(ConvSpec.builder(1, 1, 3).stride(stride).padding(1).build(), width, 112, 112),
                        width + " has no direct kernel, so it must not be chosen");
            }
            return;
        }
        SplittableRandom random = new SplittableRandom(13);
        int v = width.depthwiseDirect.lanes();
        int[] checked = new int[3];
        for (int stride = 1; stride <= 2; stride++) {
            for (int top = 0; top <= 3; top++) {
                for (int bottom = 0; bottom <= 3; bottom += 3) {
                    for (int left = 0; left <= 3; left++) {
                        for (int right = 0; right <= 3; right++) {
                            for (int h : new int[] {3, 4, 5, 8, 9}) {
                                for (int w : new int[] {v, v + 1, v + 2, v + 3, 28, 2 * v - 2, 2 * v - 1, 2 * v, 2 * v + 1, 2 * v + 2, 3 * v + 1, 56, 57, 112, 113}) {
                                    ConvSpec spec = ConvSpec.builder(1, 1, 3).stride(stride).padding(top, bottom, left, right).build();
                                    if (h + top + bottom < 3 || w + left + right < 3) {
                                        continue;
                                    }
                                    DepthwiseVariant.Direct interior = DepthwiseVariant.direct(spec, width, h, w);
                                    if (interior != null) {
                                        checked[stride]++;
                                        // Room around the image: none (the first and last rows' edge vectors
                                        // cannot load past the array's ends), some, and more than a vector.
                                        checkDirect(width, spec, h, w, interior, 0, 0, random);
                                        checkDirect(width, spec, h, w, interior, 5, 4, random);
                                        checkDirect(width, spec, h, w, interior, 40, 40, random);
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assertTrue(checked[1] > 300 && checked[2] > 300, "the grid reached the kernels only " + Arrays.toString(checked) + " times");
        // The cases it must take: MobileNet's, and both edge vectors at once (odd width, padding 1 on each side).
        assertNotNull(DepthwiseVariant.direct(ConvSpec.builder(144, 144, 3).groups(144).padding(1).build(), width, 56, 56));
        assertNotNull(DepthwiseVariant.direct(ConvSpec.builder(192, 192, 3).groups(192).padding(1).build(), width, 28, 28),
                "MobileNet's 28x28 stride-1 layer: rows of one vector and a few columns");
        assertNotNull(DepthwiseVariant.direct(ConvSpec.builder(96, 96, 3).groups(96).stride(2).padding(1).build(), width, 112, 112));
        DepthwiseVariant.Direct both = DepthwiseVariant.direct(ConvSpec.builder(1, 1, 3).stride(2).padding(1).build(), width, 57, 57);
        assertTrue(both != null && both.first() > 0 && both.last() + v < 29, "57 wide, padding 1: " + both);
    }

    /**
     * One call of the direct kernel of {@code spec}'s stride against the zero-padded sum in its order ({@code kx}
     * outer at stride 1, {@code ky} outer at stride 2), every output and nothing around them, input untouched.
     */
    private static void checkDirect(VectorWidth width, ConvSpec spec, int h, int w, DepthwiseVariant.Direct interior, int before, int after,
                                    SplittableRandom random) {
        int s = spec.strideH();
        int top = spec.padTop();
        int left = spec.padLeft();
        int hout = spec.outputHeight(h);
        int wout = spec.outputWidth(w);
        float[] x = floats(random, before + h * w + after);
        float[] wt = floats(random, 9 + 1);
        float[] zeros = new float[w + 2 * width.depthwiseDirect.lanes()];
        // Staging rows as a previous call may have left them: the rows' floats NaN, the V around each zero.
        int v = width.depthwiseDirect.lanes();
        float[] staging = new float[width.depthwiseDirect.stagingSize(w)];
        for (int i = 0; i < 6; i++) {
            Arrays.fill(staging, v + i * (w + 2 * v), v + i * (w + 2 * v) + w, Float.NaN);
        }
        float[] xBefore = x.clone();
        float[] y = new float[hout * wout + 6];
        Arrays.fill(y, Float.NaN);
        if (s == 1) {
            width.depthwiseDirect.rows3x3s1(y, 2, hout, wout, 0.75f, x, before, h, w, top, left, interior.first(), interior.last(), zeros,
                    staging, wt, 1);
        } else {
            width.depthwiseDirect.rows3x3s2(y, 2, hout, wout, 0.75f, x, before, h, w, top, left, interior.first(), interior.last(), zeros, wt, 1);
        }
        String what = width + " stride " + s + " h=" + h + " w=" + w + " room " + before + "/" + after + " padding (" + top + ", " + spec.padBottom() + ", " + left
                + ", " + spec.padRight() + ")";
        for (int i = 0; i < y.length; i++) {
            float expected = Float.NaN;
            if (i >= 2 && i < 2 + hout * wout) {
                int oy = (i - 2) / wout;
                int ox = (i - 2) % wout;
                expected = 0.75f;
                for (int outer = 0; outer < 3; outer++) {
                    for (int inner = 0; inner < 3; inner++) {
                        int ky = s == 1 ? inner : outer;
                        int kx = s == 1 ? outer : inner;
                        int iy = s * oy - top + ky;
                        int ix = s * ox - left + kx;
                        float in = iy >= 0 && iy < h && ix >= 0 && ix < w ? x[before + iy * w + ix] : 0f;
                        expected = Math.fma(in, wt[1 + 3 * ky + kx], expected);
                    }
                }
            }
            assertEquals(expected, y[i], what + " at " + i);
        }
        assertTrue(Arrays.equals(xBefore, x) && Arrays.equals(new float[zeros.length], zeros), what + " wrote its input");
    }

    @ParameterizedTest
    @EnumSource(VectorWidth.class)
    void directKernelsAreOnlyForZeroPadded3x3AtStride1Or2(VectorWidth width) {
        boolean has = width.depthwiseDirect != null;
        for (int stride = 1; stride <= 2; stride++) {
            ConvSpec ok = ConvSpec.builder(8, 8, 3).groups(8).stride(stride).padding(1).build();
            String what = width + " stride " + stride;
            assertEquals(has, DepthwiseVariant.of(ok, width, 64, 64) instanceof DepthwiseVariant.Direct, what);
            assertNull(DepthwiseVariant.direct(ok.toBuilder().paddingMode(PaddingMode.REFLECT).build(), width, 64, 64), what);
            assertNull(DepthwiseVariant.direct(ok.toBuilder().stride(stride, 3 - stride).build(), width, 64, 64), what);
            assertNull(DepthwiseVariant.direct(ok.toBuilder().dilation(2).build(), width, 64, 64), what);
            assertNull(DepthwiseVariant.direct(ConvSpec.builder(8, 8, 5).groups(8).stride(stride).padding(2).build(), width, 64, 64));
            int window = stride == 1 ? 16 : 32;
            assertNull(DepthwiseVariant.direct(ok, width, 64, window - 1), what + ": rows narrower than an edge vector reads");
            assertNull(DepthwiseVariant.direct(ok.toBuilder().padding(1, 1, 1, 40).build(), width, 64, 64),
                    what + ": more right padding than the edge vector reaches");
        }
        ConvSpec s1 = ConvSpec.builder(8, 8, 3).groups(8).padding(1).build();
        ConvSpec s2 = ConvSpec.builder(8, 8, 3).groups(8).stride(2).padding(1).build();
        assertNull(DepthwiseVariant.direct(s1, width, 3, 64), "three output rows: fewer than a group of four");
        assertEquals(has, DepthwiseVariant.of(s1, width, 4, 64) instanceof DepthwiseVariant.Direct, "four output rows");
        assertNull(DepthwiseVariant.direct(s2, width, 2, 64), "one output row: fewer than a pair");
        assertEquals(has, DepthwiseVariant.of(s2, width, 3, 64) instanceof DepthwiseVariant.Direct, "two output rows");
    }

    /**
     * The stride-1 edge vectors' masked loads stay inside the array (else the Vector API's slow path): a group of
     * four output rows takes them exactly when its first image row has {@code padLeft} floats before it and its
     * last image row ends, with the right edge vector's tap 2, inside the array. MobileNet's 56x56 channel,
     * padding 1: the first group reads image rows 0-4, the last (from output row 52) rows 51-55; the right edge
     * vector's tap 2 reads columns 41-56, one past the row's end.
     */
    @Test
    void stride1EdgeLoadsStayInTheArray() {
        int h = 56;
        int w = 56;
        float[] exact = new float[h * w];
        float[] roomy = new float[1 + h * w + 1];
        assertTrue(!F32DwconvDirect512.edgeLoadsInArray(exact, 0, 0, h, w, w, 1, 1), "row 0 at the array's start");
        assertTrue(F32DwconvDirect512.edgeLoadsInArray(roomy, 1, 0, h, w, w, 1, 1), "one float before row 0");
        assertTrue(F32DwconvDirect512.edgeLoadsInArray(exact, 0, 0, h, w, w, 1, 0), "no left padding, nothing before");
        assertTrue(F32DwconvDirect512.edgeLoadsInArray(exact, 0, 20, h, w, w, 1, 1), "middle rows");
        assertTrue(!F32DwconvDirect512.edgeLoadsInArray(exact, 0, 52, h, w, w, 1, 1), "the last row at the array's end");
        assertTrue(F32DwconvDirect512.edgeLoadsInArray(new float[h * w + 1], 0, 52, h, w, w, 1, 1),
                "one float after it, for the tap 2 that reads column 56");
        assertTrue(!F32DwconvDirect512.edgeLoadsInArray(new float[h * w + 1], 0, 52, h, w, w + 2, 1, 2),
                "padding 2 on each side: the right edge's tap 2 reads two past the row's end");
        assertTrue(!F32DwconvDirect512.edgeLoadsInArray(roomy, 1, 0, h, w, w + 2, 1, 2),
                "padding 2 on each side: the left edge's tap 0 starts two before row 0");
        assertTrue(F32DwconvDirect512.edgeLoadsInArray(exact, 0, 0, 2, w, w, 6, 1), "six rows above the image: zero rows only");
    }

    /**
     * The wrapped kernels ({@link WrappedDepthwiseKernel}) through {@link DepthwiseRunner#channel}, on every size they
     * take up to 18 rows and 20 (stride 1) or 34 (stride 2) columns: each channel of a three-channel image, whose
     * last channel's rows end at the end of the array, with channel multiplier 2, in one workspace plane reused
     * from channel to channel; against the zero-padded sum in their order ({@code kx} outer at stride 1, {@code ky}
     * outer at stride 2), bit for bit. One weight is infinite, so the outputs whose tap falls on padding must be
     * NaN (the zero multiplied, as the planes' padding is). Each channel writes exactly its output planes, and the
     * input is untouched.
     */
    @ParameterizedTest
    @EnumSource(VectorWidth.class)
    void wrappedKernelsSumAcrossRowEndsAndPadWithMultipliedZeros(VectorWidth width) {
        ConvSpec narrow = ConvSpec.builder(8, 8, 3).groups(8).padding(1).build();
        if (width.depthwiseWrapped == null) {
            assertNull(wrapped(narrow, width, 14, 14), width + " has no wrapped kernel, so it must not be chosen");
            return;
        }
        SplittableRandom random = new SplittableRandom(29);
        int[] checked = new int[3];
        for (int stride = 1; stride <= 2; stride++) {
            for (int h = 1; h <= 18; h++) {
                for (int w = 1; w <= (stride == 1 ? 20 : 34); w++) {
                    ConvSpec spec = ConvSpec.builder(3, 6, 3).groups(3).stride(stride).padding(1).build();
                    DepthwiseVariant.Wrapped wrapped = wrapped(spec, width, h, w);
                    if (wrapped != null) {
                        checked[stride]++;
                        checkWrapped(width, spec, h, w, wrapped, random);
                    }
                }
            }
        }
        assertTrue(checked[1] > 100 && checked[2] > 200, "the grid reached the kernels only " + Arrays.toString(checked) + " times");
    }

    /** One image of {@code spec} by {@link DepthwiseRunner#channel} with its {@code wrapped} layout, channel by channel. */
    private static void checkWrapped(VectorWidth width, ConvSpec spec, int h, int w, DepthwiseVariant.Wrapped wrapped,
                                     SplittableRandom random) {
        int s = spec.strideH();
        int hout = spec.outputHeight(h);
        int wout = spec.outputWidth(w);
        int count = hout * wout;
        float[] x = floats(random, 3 * h * w);
        float[] wt = floats(random, 6 * 9);
        wt[9 * 3] = Float.POSITIVE_INFINITY;            // output channel 3, tap (0, 0): NaN wherever oy or ox is 0
        float[] bias = floats(random, 6);
        float[] xBefore = x.clone();
        float[] y = new float[6 * count];
        float unwritten = -7777f;
        Arrays.fill(y, unwritten);
        float[] plane = new float[wrapped.size()];
        String what = width + " stride " + s + " h=" + h + " w=" + w;
        DepthwiseRunner runner = new DepthwiseRunner(new PathRunner.Layer(spec, Nchw.of(Shape.of(1, 3, h, w)), hout, wout, bias,
                Epilogue.NONE, width, null), new PlanDecision.Depthwise(width, wrapped, null, 1, 1, 1, "the wrapped kernels"), wt);
        for (int c = 0; c < 3; c++) {
            runner.channel(x, 0, c, y, null, plane, new float[0], null);
            for (int i = 0; i < y.length; i++) {
                int oc = i / count;
                float expected = unwritten;
                if (oc < 2 * c + 2) {
                    int oy = i % count / wout;
                    int ox = i % count % wout;
                    expected = bias[oc];
                    for (int outer = 0; outer < 3; outer++) {
                        for (int inner = 0; inner < 3; inner++) {
                            int ky = s == 1 ? inner : outer;
                            int kx = s == 1 ? outer : inner;
                            int iy = s * oy - 1 + ky;
                            int ix = s * ox - 1 + kx;
                            float in = iy >= 0 && iy < h && ix >= 0 && ix < w ? x[(oc / 2 * h + iy) * w + ix] : 0f;
                            expected = Math.fma(in, wt[9 * oc + 3 * ky + kx], expected);
                        }
                    }
                }
                assertEquals(expected, y[i], what + ", after channel " + c + ", at output channel " + oc + " pixel " + i % count);
            }
        }
        assertTrue(Arrays.equals(xBefore, x), what + " wrote its input");
    }

    /**
     * Where the wrapped kernels serve: MobileNetV2's narrow layers at every width that has them (512 and 256 bits);
     * the padding-1 layers the direct kernels do not take (256 bits has none), at stride 1 on rows narrower than
     * two vectors, at stride 2 on rows the kernel's split takes; never with other paddings, dilation or strides.
     */
    @ParameterizedTest
    @EnumSource(VectorWidth.class)
    void wrappedKernelsAreForZeroPadded3x3WithPadding1WhereTheDirectOnesAreNot(VectorWidth width) {
        WrappedDepthwiseKernel kernel = width.depthwiseWrapped;
        boolean has = kernel != null;
        ConvSpec s1 = ConvSpec.builder(8, 8, 3).groups(8).padding(1).build();
        ConvSpec s2 = s1.toBuilder().stride(2).build();
        assertEquals(has, DepthwiseVariant.of(s1, width, 14, 14) instanceof DepthwiseVariant.Wrapped, "MobileNetV2's 14x14 stride-1 layer");
        assertEquals(has, DepthwiseVariant.of(s1, width, 7, 7) instanceof DepthwiseVariant.Wrapped, "7x7, stride 1");
        assertEquals(has, DepthwiseVariant.of(s2, width, 28, 28) instanceof DepthwiseVariant.Wrapped, "28x28, stride 2");
        assertEquals(has, DepthwiseVariant.of(s2, width, 14, 14) instanceof DepthwiseVariant.Wrapped, "14x14, stride 2");
        for (ConvSpec spec : List.of(s1, s2)) {
            for (int[] size : new int[][] {{64, 64}, {28, 28}, {56, 56}, {3, 40}, {5, 5}, {2, 2}}) {
                DepthwiseVariant.Wrapped wrapped = wrapped(spec, width, size[0], size[1]);
                int count = spec.outputHeight(size[0]) * spec.outputWidth(size[1]);
                boolean expected = has && !(DepthwiseVariant.of(spec, width, size[0], size[1]) instanceof DepthwiseVariant.Direct) && count >= kernel.lanes()
                        && (spec.strideH() == 1 ? spec.outputWidth(size[1]) < Math.max(2 * kernel.lanes(), 16)
                        : size[1] <= kernel.splitWidth());
                assertEquals(expected, wrapped != null, width + " " + spec + " on " + size[0] + "x" + size[1]);
            }
            assertNull(wrapped(spec.toBuilder().padding(1, 1, 0, 2).build(), width, 14, 14), "uneven padding");
            assertNull(wrapped(spec.toBuilder().padding(0).build(), width, 14, 14), "no padding");
            assertNull(wrapped(spec.toBuilder().paddingMode(PaddingMode.REFLECT).build(), width, 14, 14), "reflect");
            assertNull(wrapped(spec.toBuilder().dilation(2).padding(2).build(), width, 14, 14), "dilation");
            assertNull(wrapped(spec.toBuilder().stride(1, 2).build(), width, 14, 14), "strides that differ");
        }
        if (has && kernel.splitWidth() < 1000) {
            assertNull(wrapped(s2, width, 32, kernel.splitWidth() + 1), "rows wider than the split takes");
        }
        assertNull(wrapped(s1.toBuilder().stride(3).build(), width, 14, 14), "stride 3");
        assertNull(wrapped(ConvSpec.builder(8, 8, 5).groups(8).padding(1).build(), width, 14, 14), "5x5");
    }

    @ParameterizedTest
    @EnumSource(VectorWidth.class)
    void stride3KernelsAreNotDirect(VectorWidth width) {
        assertNull(DepthwiseVariant.direct(ConvSpec.builder(8, 8, 3).groups(8).stride(3).padding(1).build(), width, 64, 64));
    }

    private static float[] floats(SplittableRandom random, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) random.nextDouble(-1, 1);
        }
        return a;
    }

    /** The wrapped kernels' layout where the planner takes them (not where the direct kernels apply), else null. */
    private static DepthwiseVariant.Wrapped wrapped(ConvSpec spec, VectorWidth width, int h, int w) {
        return DepthwiseVariant.of(spec, width, h, w) instanceof DepthwiseVariant.Wrapped wrapped ? wrapped : null;
    }
}
