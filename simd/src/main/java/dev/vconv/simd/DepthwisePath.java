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
 * {@link DirectDepthwiseKernel}, read the input channel directly ({@link DepthwiseVariant.Direct}); and 3x3 kernels with
 * padding 1 that those do not take (narrow rows; at 256 bits, which has no direct kernels, also stride 2),
 * where the width has a {@link WrappedDepthwiseKernel}, run along the output columns of the whole channel
 * across row ends ({@link DepthwiseVariant.Wrapped}): at stride 1 from one copy of the channel between two zero rows, at
 * stride 2 from its four phase planes, built in whole vectors.
 */
final class DepthwisePath {

    private DepthwisePath() {
    }

    /** Output columns the kernel computes per channel: {@code hout} rows of {@code wq}, in whole steps of the kernel. */
    static int columns(PhasePlanes geometry, DepthwiseKernel kernel) {
        int step = kernel.step();
        return Math.ceilDiv(geometry.hout * geometry.wq, step) * step;
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
     * Computes the {@code m} output channels of input channel {@code c} of image {@code n}; {@code bordersZero}
     * as in {@link PhasePlanes#buildChannel}; by the direct kernel over {@code interior} (from {@link DepthwiseVariant.Direct},
     * reading {@code zeros} for padding rows, {@code plane} its staging rows) unless that is null; else by the
     * wrapped kernel in {@code plane} unless {@code wrapped} is null.
     */
    static void channel(ConvSpec spec, PhasePlanes geometry, VectorWidth width, float[] x, int n, int c, int h, int w,
                        float[] weights, float[] bias, float[] y, float[] plane, float[] out, boolean relu, boolean bordersZero,
                        int[] interior, float[] zeros, DepthwiseVariant.Wrapped wrapped) {
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

    /** {@link #channel} by the direct kernel over the interior {@code {first, last}} of {@link DepthwiseVariant.Direct}. */
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
    private static void channelWrapped(ConvSpec spec, WrappedDepthwiseKernel kernel, DepthwiseVariant.Wrapped wrapped, float[] x, int n, int c,
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
