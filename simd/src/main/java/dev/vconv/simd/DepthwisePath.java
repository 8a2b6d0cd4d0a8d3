package dev.vconv.simd;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.PaddingMode;

/**
 * The depthwise path (groups == in_channels, channel multiplier {@code m = cout/cin}): for each input channel,
 * its padded, phase-split planes are built once in workspace ({@link PhasePlanes}: the same geometry as the
 * implicit GEMM, with one input channel; under zero padding only the image's values are written, the padding
 * keeps the zeros of the workspace's allocation), so that every kernel tap reads the output columns
 * {@code p' = oy*wq + ox} as one contiguous stretch:
 *
 * <pre>
 * out'[p'] = bias + sum_t w[t] * planes[rows[t] + p']          t = (ky, kx), p' &lt; hout*wq
 * </pre>
 * The {@link DepthwiseKernel} runs along {@code p'} over all output rows at once (rows {@code wq} wide, rounded
 * up to whole groups of vectors, so there is no scalar tail), and the kept columns {@code ox < wout} of each
 * row go to the output; or, for 3x3 kernels at stride 1 in height, four output rows at a time sharing their
 * input rows, straight into the output ({@link DepthwiseKernel#rows3x3}). Every padding mode, stride and
 * dilation takes this one route, except the common case, which builds no planes at all: 3x3 kernels at stride
 * 1 or 2 and zero padding, on rows of at least one vector (two at stride 2), where the width has a
 * {@link DirectDepthwiseKernel}, read the input channel directly ({@link #direct}); and 3x3 kernels with
 * padding 1 that those do not take (narrow rows; at 256 bits, which has no direct kernels, also stride 2),
 * where the width has a {@link WrappedDepthwiseKernel}, run along the output columns of the whole channel
 * across row ends ({@link #wrapped}): at stride 1 from one copy of the channel between two zero rows, at
 * stride 2 from its four phase planes, built in whole vectors.
 */
final class DepthwisePath {

    private DepthwisePath() {
    }

    /** Output columns the kernel computes per channel: {@code hout} rows of {@code wq}, in whole steps of the kernel. */
    static int columns(PhasePlanes geometry, DepthwiseKernel kernel) {
        int step = kernel.step();
        return Packing.ceilDiv(geometry.hout * geometry.wq, step) * step;
    }

    /**
     * Whether {@link DepthwiseKernel#rows3x3} applies: 3x3 taps at stride 1 and dilation 1 in height, four output
     * rows or more, each at least a vector ({@code lanes}) wide.
     */
    static boolean rows3x3(ConvSpec spec, PhasePlanes geometry, int lanes) {
        if (spec.kernelH() != 3 || spec.kernelW() != 3 || geometry.hout < 4 || geometry.wout < lanes) {
            return false;
        }
        for (int t = 3; t < 9; t++) {
            if (geometry.rows[t] != geometry.rows[t % 3] + t / 3 * geometry.wq) {
                return false;
            }
        }
        return true;
    }

    /**
     * The interior of the direct kernel ({@link DirectDepthwiseKernel}), as {@code {first, last}}: the first and
     * last starting column of its interior vectors; or null when it does not apply: not a 3x3 kernel at stride 1
     * or 2 (the same both ways) and dilation 1 with zero padding, no such kernel at this width, fewer output rows
     * than a group ({@code 4 / stride}), rows narrower than the edge vectors read (one vector at stride 1, two at
     * stride 2), no vector of outputs that reads only inside the row, or more padding columns on a side than an
     * edge vector covers. At stride {@code s} a vector
     * starting at output column {@code ox} reads the input columns {@code [s*ox - padLeft, s*ox - padLeft + span)},
     * {@code span = V + 2} at stride 1 and {@code 2V + 1} at stride 2.
     */
    static int[] direct(ConvSpec spec, VectorWidth width, int h, int w) {
        int s = spec.strideH();
        if (width.depthwiseDirect == null || spec.kernelH() != 3 || spec.kernelW() != 3 || (s != 1 && s != 2)
                || spec.strideW() != s || spec.dilationH() != 1 || spec.dilationW() != 1
                || spec.paddingMode() != PaddingMode.ZEROS || spec.outputHeight(h) < 4 / s) {
            return null;
        }
        int lanes = width.depthwiseDirect.lanes();
        int span = s == 1 ? lanes + 2 : 2 * lanes + 1;
        int wout = spec.outputWidth(w);
        int first = Packing.ceilDiv(spec.padLeft(), s);
        int last = Math.min(Math.floorDiv(w - span + spec.padLeft(), s), wout - lanes);
        // The edge vectors, at 0 and wout - lanes, read the first and last lanes (stride 1) or 2 * lanes (stride 2)
        // columns of a row and must reach the interior.
        int window = s == 1 ? lanes : 2 * lanes;
        return w >= window && first <= last && first <= lanes && wout - lanes <= last + lanes ? new int[] {first, last} : null;
    }

    /**
     * Stride-1 rows of this many columns and of two vectors or more keep the planes' {@code rows3x3} (where no
     * direct kernel takes them): the wrapped kernel's masked blends cost more there than the planes' copies. At
     * 256 bits with AVX2's instructions ({@code -XX:UseAVX=2}) the 56x56 layer ran at 20-23 GFLOP/s wrapped against
     * 26-37 on the planes; at 128 bits 28x28 ran at 18.6-18.7 against 24.1-24.6 and 56x56 at 18.7-18.8 against
     * 28.6-28.8, where 14x14 (3.5 vectors) ran at 16.8-16.9 against 14.6-14.7.
     */
    static final int WRAPPED_STRIDE1_COLUMNS = 16;

    /**
     * What the {@link WrappedDepthwiseKernel} of a plan needs: the lane masks of each vector
     * ({@link #wrappedMasks}), and where its source lies in the workspace plane: {@code {base}} at stride 1,
     * the four phase planes at stride 2 (as {@link WrappedDepthwiseKernel#wrapped3x3s2}); {@code size} floats in
     * all.
     */
    record Wrapped(boolean[] masks, int[] planes, int size) {
    }

    /**
     * The {@link Wrapped} layout of {@code spec} on {@code h x w} channels, or null where the wrapped kernels do
     * not apply: where the direct kernels do, or the width has no wrapped kernel, or not a 3x3 kernel with padding
     * 1 on every side, dilation 1 and zero padding at stride 1 or 2 (the same both ways), or fewer outputs than a
     * vector, or rows of two vectors or more and {@link #WRAPPED_STRIDE1_COLUMNS} or more at stride 1, or rows
     * wider than the kernel's split takes at stride 2 (two vectors at 512 bits, any at 256 and 128).
     */
    static Wrapped wrapped(ConvSpec spec, VectorWidth width, int h, int w) {
        WrappedDepthwiseKernel kernel = width.depthwiseWrapped;
        int s = spec.strideH();
        if (kernel == null || direct(spec, width, h, w) != null || spec.kernelH() != 3 || spec.kernelW() != 3
                || (s != 1 && s != 2) || spec.strideW() != s || spec.dilationH() != 1 || spec.dilationW() != 1
                || spec.paddingMode() != PaddingMode.ZEROS || spec.padTop() != 1 || spec.padBottom() != 1
                || spec.padLeft() != 1 || spec.padRight() != 1) {
            return null;
        }
        int v = kernel.lanes();
        int hout = spec.outputHeight(h);
        int wout = spec.outputWidth(w);
        if (hout * wout < v || (s == 1 && wout >= Math.max(2 * v, WRAPPED_STRIDE1_COLUMNS))
                || (s == 2 && w > kernel.splitWidth())) {
            return null;
        }
        if (s == 1) {                                 // v floats, a zero row, the channel, a zero row, v floats
            return new Wrapped(wrappedMasks(wout, v, 2), new int[] {v}, v + (h + 2) * w + v);
        }
        // Each plane followed by v floats for the last row's vector: even rows (hout of them) at even and odd
        // columns, then odd rows (hout + 1, the first the padding row above the image).
        int even = hout * wout + v;
        int odd = (hout + 1) * wout + v;
        return new Wrapped(wrappedMasks(wout, v, 1), new int[] {v, v + even, v + 2 * even, v + 2 * even + odd},
                v + 2 * even + 2 * odd);
    }

    /**
     * The lane masks of the wrapped kernels: for a vector of {@code lanes} outputs in rows of {@code wout} whose
     * first lane is at column {@code ox0}, mask {@code 0} has the lanes at column 0 set, and (with
     * {@code perVector == 2}) mask {@code 1} those at column {@code wout - 1}; at {@code (perVector*ox0 + mask)*lanes}.
     */
    static boolean[] wrappedMasks(int wout, int lanes, int perVector) {
        boolean[] masks = new boolean[wout * perVector * lanes];
        for (int ox0 = 0; ox0 < wout; ox0++) {
            for (int lane = 0; lane < lanes; lane++) {
                int ox = (ox0 + lane) % wout;
                masks[(perVector * ox0) * lanes + lane] = ox == 0;
                if (perVector == 2) {
                    masks[(perVector * ox0 + 1) * lanes + lane] = ox == wout - 1;
                }
            }
        }
        return masks;
    }

    /**
     * Computes the {@code m} output channels of input channel {@code c} of image {@code n}; {@code bordersZero}
     * as in {@link PhasePlanes#buildChannel}; by the direct kernel over {@code interior} (from {@link #direct},
     * reading {@code zeros} for padding rows, {@code plane} its staging rows) unless that is null; else by the
     * wrapped kernel in {@code plane} unless {@code wrapped} is null.
     */
    static void channel(ConvSpec spec, PhasePlanes geometry, VectorWidth width, float[] x, int n, int c, int h, int w,
                        float[] weights, float[] bias, float[] y, float[] plane, float[] out, boolean relu, boolean bordersZero,
                        int[] interior, float[] zeros, Wrapped wrapped) {
        if (interior != null) {
            channelDirect(spec, width.depthwiseDirect, interior, x, n, c, h, w, weights, bias, y, zeros, plane, relu);
            return;
        }
        if (wrapped != null) {
            channelWrapped(spec, width.depthwiseWrapped, wrapped, x, n, c, h, w, weights, bias, y, plane, relu);
            return;
        }
        geometry.buildChannel(spec, x, n * spec.inChannels() * h * w, h, w, c, plane, 0, width.split, bordersZero);
        int taps = spec.kernelH() * spec.kernelW();
        int m = spec.outChannelsPerGroup();
        int hout = geometry.hout;
        int wout = geometry.wout;
        int wq = geometry.wq;
        int columns = out.length;
        boolean direct = rows3x3(spec, geometry, width.bits / Float.SIZE);
        for (int j = 0; j < m; j++) {
            int oc = c * m + j;
            float b = bias == null ? 0f : bias[oc];
            int outPlane = (n * spec.outChannels() + oc) * hout * wout;
            if (direct) {
                width.depthwise.rows3x3(y, outPlane, hout, wout, wq, b, plane, geometry.rows, weights, oc * taps);
                if (relu) {
                    relu(y, outPlane, hout * wout);
                }
                continue;
            }
            width.depthwise.row(out, 0, columns, b, plane, geometry.rows, weights, oc * taps);
            for (int oy = 0; oy < hout; oy++) {
                if (relu) {
                    for (int i = 0, src = oy * wq, dst = outPlane + oy * wout; i < wout; i++) {
                        y[dst + i] = Math.max(out[src + i], 0f);
                    }
                } else {
                    System.arraycopy(out, oy * wq, y, outPlane + oy * wout, wout);
                }
            }
        }
    }

    /** {@link #channel} by the direct kernel over the interior {@code {first, last}} of {@link #direct}. */
    private static void channelDirect(ConvSpec spec, DirectDepthwiseKernel kernel, int[] interior, float[] x, int n, int c, int h,
                                       int w, float[] weights, float[] bias, float[] y, float[] zeros, float[] staging,
                                       boolean relu) {
        int m = spec.outChannelsPerGroup();
        int hout = spec.outputHeight(h);
        int wout = spec.outputWidth(w);
        int xOff = (n * spec.inChannels() + c) * h * w;
        for (int j = 0; j < m; j++) {
            int oc = c * m + j;
            float b = bias == null ? 0f : bias[oc];
            int outPlane = (n * spec.outChannels() + oc) * hout * wout;
            if (spec.strideH() == 1) {
                kernel.rows3x3s1(y, outPlane, hout, wout, b, x, xOff, h, w, spec.padTop(), spec.padLeft(), interior[0],
                        interior[1], zeros, staging, weights, oc * 9);
            } else {
                kernel.rows3x3s2(y, outPlane, hout, wout, b, x, xOff, h, w, spec.padTop(), spec.padLeft(), interior[0],
                        interior[1], zeros, weights, oc * 9);
            }
            if (relu) {
                relu(y, outPlane, hout * wout);
            }
        }
    }

    /**
     * {@link #channel} by the wrapped kernel: the source built in {@code plane}, whose zero rows and the floats
     * around the planes no one writes but with zeros (the plan's own buffer, zero when allocated).
     */
    private static void channelWrapped(ConvSpec spec, WrappedDepthwiseKernel kernel, Wrapped wrapped, float[] x, int n, int c,
                                       int h, int w, float[] weights, float[] bias, float[] y, float[] plane, boolean relu) {
        int m = spec.outChannelsPerGroup();
        int hout = spec.outputHeight(h);
        int wout = spec.outputWidth(w);
        int count = hout * wout;
        int xOff = (n * spec.inChannels() + c) * h * w;
        boolean s1 = spec.strideH() == 1;
        if (s1) {
            System.arraycopy(x, xOff, plane, wrapped.planes()[0] + w, h * w);
        } else {
            kernel.split3x3s2(x, xOff, h, w, plane, wrapped.planes(), wout);
        }
        for (int j = 0; j < m; j++) {
            int oc = c * m + j;
            float b = bias == null ? 0f : bias[oc];
            int outPlane = (n * spec.outChannels() + oc) * count;
            if (s1) {
                kernel.wrapped3x3s1(y, outPlane, count, wout, b, plane, wrapped.planes()[0], wrapped.masks(), weights, oc * 9);
            } else {
                kernel.wrapped3x3s2(y, outPlane, count, wout, b, plane, wrapped.planes(), wrapped.masks(), weights, oc * 9);
            }
            if (relu) {
                relu(y, outPlane, count);
            }
        }
    }

    /** The ReLU over one output plane, written by a kernel just before (still in cache). */
    private static void relu(float[] y, int from, int count) {
        for (int i = from; i < from + count; i++) {
            y[i] = Math.max(y[i], 0f);
        }
    }
}
