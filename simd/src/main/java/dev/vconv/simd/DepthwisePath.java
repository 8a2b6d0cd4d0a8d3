package dev.vconv.simd;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.PaddingMode;

import java.util.Arrays;

/**
 * The depthwise path (groups == in_channels, channel multiplier {@code m = cout/cin}): for each input channel,
 * the padded plane is built once in workspace, split into {@code sw} stride phases so that every kernel tap
 * reads a contiguous stretch of a row:
 *
 * <pre>
 * padded[yp][xp] = in[map(yp - top)][map(xp - left)]              (zero where the padding mode says so)
 * phase[xp % sw][yp][xp / sw] = padded[yp][xp]
 * out[oy][ox] = bias + sum_{ky,kx} w[ky][kx] * phase[(kx*dw) % sw][oy*sh + ky*dh][ox + (kx*dw) / sw]
 * </pre>
 * since {@code ox*sw + kx*dw = (ox + (kx*dw)/sw)*sw + (kx*dw)%sw}. The {@link DepthwiseKernel} then runs
 * along {@code ox}, a vector of outputs per step. Every padding mode, stride and dilation takes this one
 * route.
 */
final class DepthwisePath {

    private DepthwisePath() {
    }

    /** Floats of the phase-split padded plane of one channel. */
    static int planeSize(ConvSpec spec, int h, int w) {
        int hp = h + spec.padTop() + spec.padBottom();
        int wp = w + spec.padLeft() + spec.padRight();
        return spec.strideW() * hp * Packing.ceilDiv(wp, spec.strideW());
    }

    /**
     * Where each tap {@code (ky, kx)} reads, for output row 0, in the phase-split plane: row {@code oy} adds
     * {@code oy*sh*phaseW}. Computed once per plan (the divisions by the stride stay out of the loops).
     */
    static int[] tapOffsets(ConvSpec spec, int h, int w) {
        int sw = spec.strideW();
        int hp = h + spec.padTop() + spec.padBottom();
        int phaseW = Packing.ceilDiv(w + spec.padLeft() + spec.padRight(), sw);
        int[] taps = new int[spec.kernelH() * spec.kernelW()];
        for (int ky = 0; ky < spec.kernelH(); ky++) {
            for (int kx = 0; kx < spec.kernelW(); kx++) {
                int shift = kx * spec.dilationW();
                taps[ky * spec.kernelW() + kx] = ((shift % sw) * hp + ky * spec.dilationH()) * phaseW + shift / sw;
            }
        }
        return taps;
    }

    /** Computes the {@code m} output channels of input channel {@code c} of image {@code n}. */
    static void channel(ConvSpec spec, DepthwiseKernel kernel, float[] x, int n, int c, int h, int w, int hout, int wout,
                        float[] weights, float[] bias, float[] y, int[] tapOffsets, float[] plane, int[] taps, boolean relu) {
        int sh = spec.strideH();
        int sw = spec.strideW();
        int hp = h + spec.padTop() + spec.padBottom();
        int wp = w + spec.padLeft() + spec.padRight();
        int phaseW = Packing.ceilDiv(wp, sw);
        buildPlane(spec, x, (n * spec.inChannels() + c) * h * w, h, w, hp, wp, phaseW, plane);
        int kh = spec.kernelH();
        int kw = spec.kernelW();
        int m = spec.outChannelsPerGroup();
        for (int j = 0; j < m; j++) {
            int oc = c * m + j;
            float b = bias == null ? 0f : bias[oc];
            int outPlane = (n * spec.outChannels() + oc) * hout * wout;
            for (int oy = 0; oy < hout; oy++) {
                int rowShift = oy * sh * phaseW;
                for (int t = 0; t < taps.length; t++) {
                    taps[t] = tapOffsets[t] + rowShift;
                }
                kernel.row(y, outPlane + oy * wout, wout, b, plane, taps, weights, oc * kh * kw, relu);
            }
        }
    }

    /** Builds the phase-split padded plane of the channel plane starting at {@code src}. */
    private static void buildPlane(ConvSpec spec, float[] x, int src, int h, int w, int hp, int wp, int phaseW, float[] plane) {
        PaddingMode mode = spec.paddingMode();
        int sw = spec.strideW();
        int top = spec.padTop();
        int left = spec.padLeft();
        for (int yp = 0; yp < hp; yp++) {
            int iy = mode.map(yp - top, h);
            if (sw == 1) {
                int dst = yp * phaseW;
                if (iy < 0) {
                    Arrays.fill(plane, dst, dst + wp, 0f);
                    continue;
                }
                int row = src + iy * w;
                for (int xp = 0; xp < left; xp++) {
                    int ix = mode.map(xp - left, w);
                    plane[dst + xp] = ix < 0 ? 0f : x[row + ix];
                }
                System.arraycopy(x, row, plane, dst + left, w);
                for (int xp = left + w; xp < wp; xp++) {
                    int ix = mode.map(xp - left, w);
                    plane[dst + xp] = ix < 0 ? 0f : x[row + ix];
                }
            } else {
                int row = src + iy * w;
                for (int phase = 0; phase < sw; phase++) {
                    int dst = (phase * hp + yp) * phaseW;
                    int count = Packing.ceilDiv(wp - phase, sw);     // xp = phase + t*sw < wp
                    if (iy < 0) {
                        Arrays.fill(plane, dst, dst + count, 0f);
                        continue;
                    }
                    // t whose input column ix = phase + t*sw - left lies inside the image: a gather with no test.
                    int lo = Math.min(count, Math.max(0, Packing.ceilDiv(left - phase, sw)));
                    int hi = Math.max(lo, Math.min(count, Packing.ceilDiv(left + w - phase, sw)));
                    for (int t = 0; t < lo; t++) {
                        int ix = mode.map(phase + t * sw - left, w);
                        plane[dst + t] = ix < 0 ? 0f : x[row + ix];
                    }
                    for (int t = lo, s = row + phase + lo * sw - left; t < hi; t++, s += sw) {
                        plane[dst + t] = x[s];
                    }
                    for (int t = hi; t < count; t++) {
                        int ix = mode.map(phase + t * sw - left, w);
                        plane[dst + t] = ix < 0 ? 0f : x[row + ix];
                    }
                }
            }
        }
    }

    /** The columns {@code [from, wout)} a vector kernel leaves: the same sum, one fused multiply-add per tap. */
    static void scalarTail(float[] out, int outOff, int from, int wout, float bias, float[] src, int[] taps, float[] w,
                           int wOff, boolean relu) {
        for (int ox = from; ox < wout; ox++) {
            float acc = bias;
            for (int t = 0; t < taps.length; t++) {
                acc = Math.fma(src[taps[t] + ox], w[wOff + t], acc);
            }
            out[outOff + ox] = relu ? Math.max(acc, 0f) : acc;
        }
    }
}
