package dev.vconv.simd;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.PaddingMode;

import java.util.Arrays;

/**
 * Packing of the GEMM operands into the panels the micro-kernel reads (see {@link GemmKernel}).
 *
 * <ul>
 * <li>A (the weights of one group, {@code coutG x K}) once, at plan time: panels of {@code MR} rows, each
 *     {@code K x MR} with the {@code MR} values of one {@code k} contiguous, rows past {@code coutG} zero.</li>
 * <li>B (the im2col matrix {@code K x P}, never materialised) per block of {@code kc} rows and {@code nc}
 *     columns: panels of {@code NR} columns, each {@code kc x NR}, columns past the block zero. Each element is
 *     read straight from the input with the one index formula {@code iy = oy*sh + ky*dh - top},
 *     {@code ix = ox*sw + kx*dw - left}, mapped by the padding mode.</li>
 * </ul>
 */
final class Packing {

    private Packing() {
    }

    /** Packs the weights of every group: group {@code g}, panel {@code ip} starts at {@code (g*panels + ip) * K*MR}. */
    static float[] packWeights(ConvSpec spec, float[] w, int mr) {
        int k = spec.reductionLength();
        int coutG = spec.outChannelsPerGroup();
        int panels = ceilDiv(coutG, mr);
        float[] packed = new float[spec.groups() * panels * k * mr];
        for (int g = 0; g < spec.groups(); g++) {
            for (int ip = 0; ip < panels; ip++) {
                int base = (g * panels + ip) * k * mr;
                for (int r = 0; r < mr && ip * mr + r < coutG; r++) {
                    int row = (g * coutG + ip * mr + r) * k;
                    for (int kk = 0; kk < k; kk++) {
                        packed[base + kk * mr + r] = w[row + kk];
                    }
                }
            }
        }
        return packed;
    }

    /**
     * Packs rows {@code [pc, pc+kc)} and columns {@code [jc, jc+nc)} of a plain row-major matrix {@code x}
     * ({@code ld} floats a row, starting at {@code off}) into {@code bp}: the pointwise path's B.
     */
    static void packPlain(float[] x, int off, int ld, int pc, int kc, int jc, int nc, GemmKernel kernel, float[] bp) {
        int nr = kernel.nr();
        int panels = ceilDiv(nc, nr);
        for (int k = 0; k < kc; k++) {
            int src = off + (pc + k) * ld + jc;
            for (int jp = 0; jp < panels; jp++) {
                int len = Math.min(nr, nc - jp * nr);
                int dst = jp * kc * nr + k * nr;
                if (len == nr) {
                    kernel.copyRow(x, src + jp * nr, bp, dst);
                } else {
                    System.arraycopy(x, src + jp * nr, bp, dst, len);
                    Arrays.fill(bp, dst + len, dst + nr, 0f);
                }
            }
        }
    }

    /**
     * Packs rows {@code [pc, pc+kc)} and columns {@code [jc, jc+nc)} of the im2col matrix of group {@code g} of the
     * image at {@code image} into {@code bp}. Row {@code k} is {@code (ic, ky, kx)}, column {@code p} is
     * {@code (oy, ox)}; columns are walked one output row at a time, and a stride-1 stretch inside the image is
     * a plain copy.
     */
    static void packIm2col(ConvSpec spec, float[] x, int image, int h, int w, int g, int wout,
                           int pc, int kc, int jc, int nc, GemmKernel kernel, float[] bp) {
        int nr = kernel.nr();
        int kh = spec.kernelH();
        int kw = spec.kernelW();
        int sh = spec.strideH();
        int sw = spec.strideW();
        PaddingMode mode = spec.paddingMode();
        int panelStride = kc * nr;
        int firstChannel = g * spec.inChannelsPerGroup();
        for (int k = 0; k < kc; k++) {
            int row = pc + k;
            int kx = row % kw;
            int ky = (row / kw) % kh;
            int ic = row / (kw * kh);
            int plane = image + (firstChannel + ic) * h * w;
            int offY = ky * spec.dilationH() - spec.padTop();
            int offX = kx * spec.dilationW() - spec.padLeft();
            // Output columns whose input column lies inside the image: ox*sw + offX in [0, w).
            int oxLo = Math.min(wout, Math.max(0, ceilDiv(-offX, sw)));
            int oxHi = Math.max(oxLo, Math.min(wout, ceilDiv(w - offX, sw)));
            int j = 0;
            int oy = jc / wout;
            int ox = jc - oy * wout;
            int col = 0;                  // column within the current B panel
            int panel = k * nr;           // where row k of the current B panel starts
            while (j < nc) {
                int run = Math.min(wout - ox, nc - j);
                int iy = mode.map(oy * sh + offY, h);
                int src = plane + iy * w;
                int t = 0;
                while (t < run) {
                    int len = Math.min(nr - col, run - t);
                    int dst = panel + col;
                    int ox0 = ox + t;
                    if (iy < 0) {
                        Arrays.fill(bp, dst, dst + len, 0f);
                    } else if (sw == 1 && ox0 >= oxLo && ox0 + len <= oxHi) {
                        if (len == nr) {
                            kernel.copyRow(x, src + ox0 + offX, bp, dst);
                        } else {
                            System.arraycopy(x, src + ox0 + offX, bp, dst, len);
                        }
                    } else {
                        for (int u = 0; u < len; u++) {
                            int oxu = ox0 + u;
                            int ix = oxu >= oxLo && oxu < oxHi ? oxu * sw + offX : mode.map(oxu * sw + offX, w);
                            bp[dst + u] = ix < 0 ? 0f : x[src + ix];
                        }
                    }
                    t += len;
                    col += len;
                    if (col == nr) {
                        col = 0;
                        panel += panelStride;
                    }
                }
                j += run;
                oy++;
                ox = 0;
            }
            int tail = nc % nr;
            if (tail != 0) {
                int dst = (nc / nr) * panelStride + k * nr;
                Arrays.fill(bp, dst + tail, dst + nr, 0f);
            }
        }
    }

    static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
