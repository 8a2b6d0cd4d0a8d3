package dev.vconv.simd.layout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.PaddingMode;
import dev.vconv.core.Tensor;
import dev.vconv.simd.kernel.VectorWidth;
import org.junit.jupiter.api.Test;

/**
 * The planes of the implicit path read as the padded input: for every output pixel and tap, the float the
 * micro-kernel reads at {@code rows[k] + oy*wq + ox} is the padded input's value there. Zero padding lets rows
 * share their padding ({@link PhasePlanes#rowStride}), so this is checked over strides, dilations, asymmetric
 * paddings and widths by brute force, after a first build and after a rebuild from another input into the same
 * planes (which writes only the image); and for the rows of a range of outputs built alone, as private planes
 * build them.
 */
class PhasePlanesTest {

    @Test
    void rowsShareTheirZeroPaddingWhereEveryReadStaysInIt() {
        assertEquals(15, stride(ConvSpec.builder(4, 4, 3).padding(1).build(), 14));       // 16 without sharing
        assertEquals(57, stride(ConvSpec.builder(4, 4, 3).padding(1).build(), 56));
        assertEquals(36, stride(ConvSpec.builder(4, 4, 3).padding(4).dilation(4).build(), 32));   // DeepLab: 40
        assertEquals(30, stride(ConvSpec.builder(4, 4, 3).padding(2).dilation(2).build(), 28));   // DeepLab: 32
        assertEquals(59, stride(ConvSpec.builder(4, 4, 1, 7).padding(0, 3).build(), 56));          // inception: 62
        // Stride 2: the phases split the padding; 3x3 with padding 1 keeps one zero column per phase row (29),
        // conv1's 7x7 with padding 3 shares one of its columns (114 of 115).
        assertEquals(29, stride(ConvSpec.builder(4, 4, 3).stride(2).padding(1).build(), 56));
        assertEquals(114, stride(ConvSpec.builder(3, 4, 7).stride(2).padding(3).build(), 224));
        // Other padding modes hold the image's values in their borders: no sharing.
        assertEquals(16, stride(ConvSpec.builder(4, 4, 3).padding(1).paddingMode(PaddingMode.REFLECT).build(), 14));
        assertEquals(16, stride(ConvSpec.builder(4, 4, 3).padding(1).paddingMode(PaddingMode.CIRCULAR).build(), 14));
        // Unpadded: the row is the image's.
        assertEquals(14, stride(ConvSpec.builder(4, 4, 3).build(), 14));
    }

    @Test
    void everyTapOfEveryOutputReadsThePaddedInput() {
        int checked = 0;
        for (int s = 1; s <= 3; s++) {
            for (int d = 1; d <= 3; d++) {
                for (int k = 1; k <= 4; k++) {
                    for (int left = 0; left <= 3; left++) {
                        for (int right = 0; right <= 3; right++) {
                            for (int w = 1; w <= 11; w += 2) {
                                for (PaddingMode mode : new PaddingMode[] {PaddingMode.ZEROS, PaddingMode.REPLICATE}) {
                                    ConvSpec spec;
                                    try {
                                        spec = ConvSpec.builder(2, 3, 2, k).stride(2, s).dilation(1, d)
                                                .padding(1, 0, left, right).paddingMode(mode).build();
                                        if (spec.outputWidth(w) < 1) {
                                            continue;
                                        }
                                    } catch (IllegalArgumentException invalid) {
                                        continue;                    // e.g. replicate padding wider than allowed
                                    }
                                    checkReads(spec, 5, w);
                                    checked++;
                                }
                            }
                        }
                    }
                }
            }
        }
        assertEquals(true, checked > 1000, "cases checked: " + checked);
    }

    /**
     * Private planes build only the plane rows their tasks read ({@link PhasePlanes#planeRowsEnd}): for every
     * range of output rows, a fresh buffer holding only rows {@code [oyFirst, planeRowsEnd(oyLast))} of every
     * phase plane gives every tap of those outputs the padded input's value. Vertical strides, dilations, kernel
     * heights and paddings vary here; the test fails if one row fewer is built.
     */
    @Test
    void theRowsOfARangeOfOutputsAreAllThatItsTapsRead() {
        int checked = 0;
        for (int s = 1; s <= 3; s++) {
            for (int d = 1; d <= 3; d++) {
                for (int k = 1; k <= 5; k += 2) {
                    for (int top = 0; top <= 2; top++) {
                        for (int bottom = 0; bottom <= 2; bottom += 2) {
                            for (int h = 5; h <= 9; h += 2) {
                                for (PaddingMode mode : new PaddingMode[] {PaddingMode.ZEROS, PaddingMode.REPLICATE}) {
                                    ConvSpec spec;
                                    try {
                                        spec = ConvSpec.builder(2, 3, k, 3).stride(s, 2).dilation(d, 1)
                                                .padding(top, bottom, 1, 1).paddingMode(mode).build();
                                        if (spec.outputHeight(h) < 1) {
                                            continue;
                                        }
                                    } catch (IllegalArgumentException invalid) {
                                        continue;
                                    }
                                    checked += checkRowRanges(spec, h, 7);
                                }
                            }
                        }
                    }
                }
            }
        }
        assertEquals(true, checked > 1000, "ranges checked: " + checked);
    }

    /** {@link #theRowsOfARangeOfOutputsAreAllThatItsTapsRead} for every range of output rows; returns their count. */
    private static int checkRowRanges(ConvSpec spec, int h, int w) {
        PhasePlanes path = new PhasePlanes(spec, h, w, 16);
        float[] x = Tensor.random(11, 1, spec.inChannels(), h, w).data();
        int ranges = 0;
        for (int first = 0; first < path.hout; first++) {
            for (int last = first; last < path.hout; last++) {
                float[] planes = new float[path.planesSize];
                for (int ic = 0; ic < spec.inChannels(); ic++) {
                    path.buildChannel(spec, x, 0, h, w, ic, planes, ic * path.channelSize, VectorWidth.W512.split,
                            spec.paddingMode() == PaddingMode.ZEROS, first, path.planeRowsEnd(last));
                }
                checkOutputs(spec, path, planes, x, h, w, first, last + 1, "plane rows of outputs " + first + "-" + last);
                ranges++;
            }
        }
        return ranges;
    }

    private static int stride(ConvSpec spec, int w) {
        return new PhasePlanes(spec, 9, w, 16).wq;
    }

    /** Builds two inputs in turn into one buffer and checks every read of each against the padded input. */
    private static void checkReads(ConvSpec spec, int h, int w) {
        PhasePlanes path = new PhasePlanes(spec, h, w, 16);
        float[] planes = new float[path.planesSize];
        int c = spec.inChannels();
        for (int build = 0; build < 2; build++) {
            float[] x = Tensor.random(7 + build, 1, c, h, w).data();
            boolean bordersZero = build > 0 && spec.paddingMode() == PaddingMode.ZEROS;
            for (int ic = 0; ic < c; ic++) {
                path.buildChannel(spec, x, 0, h, w, ic, planes, ic * path.channelSize, VectorWidth.W512.split, bordersZero);
            }
            checkOutputs(spec, path, planes, x, h, w, 0, path.hout, "build " + build);
        }
    }

    /**
     * Every tap of every output in rows {@code [oyFrom, oyTo)} reads, from {@code planes}, the padded input's
     * value there.
     */
    private static void checkOutputs(ConvSpec spec, PhasePlanes path, float[] planes, float[] x, int h, int w, int oyFrom,
                                     int oyTo, String what) {
        for (int ic = 0, r = 0; ic < spec.inChannels(); ic++) {
            for (int ky = 0; ky < spec.kernelH(); ky++) {
                for (int kx = 0; kx < spec.kernelW(); kx++, r++) {
                    for (int oy = oyFrom; oy < oyTo; oy++) {
                        for (int ox = 0; ox < path.wout; ox++) {
                            float expected = padded(spec, x, ic, h, w, oy * spec.strideH() + ky * spec.dilationH(),
                                    ox * spec.strideW() + kx * spec.dilationW());
                            float read = planes[path.rows[r] + oy * path.wq + ox];
                            if (Float.compare(expected, read) != 0) {
                                fail(spec + " on " + h + "x" + w + ", " + what + ", wq " + path.wq + ": tap (" + ic + ", " + ky
                                        + ", " + kx + ") of output (" + oy + ", " + ox + ") read " + read
                                        + ", the padded input holds " + expected);
                            }
                        }
                    }
                }
            }
        }
    }

    /** The padded input at padded coordinates {@code (yp, xp)}, by the padding mode's own mapping. */
    private static float padded(ConvSpec spec, float[] x, int c, int h, int w, int yp, int xp) {
        int iy = spec.paddingMode().map(yp - spec.padTop(), h);
        int ix = spec.paddingMode().map(xp - spec.padLeft(), w);
        return iy < 0 || ix < 0 ? 0f : x[(c * h + iy) * w + ix];
    }
}
