package dev.vconv.simd.layout;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.PaddingMode;
import dev.vconv.simd.kernel.GemmKernel;

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
public final class Packing {

    private Packing() {
    }

    /** Packs the weights of every group: group {@code g}, panel {@code ip} starts at {@code (g*panels + ip) * K*MR}. */
    public static float[] packWeights(ConvSpec spec, float[] w, int mr) {
        int k = spec.reductionLength();
        int coutG = spec.outChannelsPerGroup();
        int panels = Math.ceilDiv(coutG, mr);
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
     * Packs rows {@code [pc, pc+kc)} and columns {@code [jc, jc+nc)} of the im2col matrix of group {@code g} of the
     * image at {@code image} into {@code bp}. Row {@code k} is {@code (ic, ky, kx)}, column {@code p} is
     * {@code (oy, ox)}.
     *
     * <p>Each row of the block is built first in {@code row} (at least {@code nc} floats), one output row at a
     * time in three stretches: the left border and the right border (output columns whose input column falls in
     * the padding: mapped by the padding mode, a few elements), and the interior between them, which is a plain
     * copy at stride 1 and a strided gather otherwise, with no test per element. Then the row is cut into the
     * {@code NR}-wide panels with whole-vector copies. Building the row first keeps the panel boundaries (every
     * {@code NR} columns) out of the loops over the image, which was the slow part when the two were mixed.
     */
    public static void packIm2col(ConvSpec spec, float[] x, int image, int h, int w, int g, int wout,
                           int pc, int kc, int jc, int nc, GemmKernel kernel, float[] bp, float[] row) {
        packIm2col(spec, x, image, h, w, g, wout, pc, kc, jc, nc, kernel.nr(), row, bp, 0);
    }

    /**
     * The same with panels {@code panel} columns wide ({@code NR} for the kernel's B, or {@code MR} when output
     * pixels are the rows of the product: the pixel-rows path packs im2col's transpose as A), into {@code bp}
     * from {@code at}.
     */
    public static void packIm2col(ConvSpec spec, float[] x, int image, int h, int w, int g, int wout,
                           int pc, int kc, int jc, int nc, int panel, float[] row, float[] bp, int at) {
        int kh = spec.kernelH();
        int kw = spec.kernelW();
        int sh = spec.strideH();
        int sw = spec.strideW();
        PaddingMode mode = spec.paddingMode();
        int firstChannel = g * spec.inChannelsPerGroup();
        int kx = pc % kw;                 // (ic, ky, kx) of row pc, then advanced without divisions
        int ky = (pc / kw) % kh;
        int ic = pc / (kw * kh);
        int oy0 = jc / wout;
        int ox0 = jc - oy0 * wout;
        for (int k = 0; k < kc; k++) {
            int plane = image + (firstChannel + ic) * h * w;
            int offY = ky * spec.dilationH() - spec.padTop();
            int offX = kx * spec.dilationW() - spec.padLeft();
            // Output columns whose input column lies inside the image: ox*sw + offX in [0, w).
            int oxLo = Math.min(wout, Math.max(0, Math.ceilDiv(-offX, sw)));
            int oxHi = Math.max(oxLo, Math.min(wout, Math.ceilDiv(w - offX, sw)));
            int oy = oy0;
            int ox = ox0;
            for (int j = 0; j < nc; oy++, ox = 0) {              // one output row (or the part of it in the block)
                int end = ox + Math.min(wout - ox, nc - j);      // output columns [ox, end) of row oy
                int iy = mode.map(oy * sh + offY, h);
                int dst = j - ox;                                // row[dst + u] holds output column u
                if (iy < 0) {
                    Arrays.fill(row, j, dst + end, 0f);
                } else {
                    int src = plane + iy * w;
                    int lo = Math.min(Math.max(ox, oxLo), end);
                    int hi = Math.max(lo, Math.min(end, oxHi));
                    for (int u = ox; u < lo; u++) {
                        int ix = mode.map(u * sw + offX, w);
                        row[dst + u] = ix < 0 ? 0f : x[src + ix];
                    }
                    if (sw == 1) {
                        if (hi > lo) {  // an empty interior may have its source index outside the image
                            System.arraycopy(x, src + lo + offX, row, dst + lo, hi - lo);
                        }
                    } else {
                        for (int u = lo, s = src + lo * sw + offX; u < hi; u++, s += sw) {
                            row[dst + u] = x[s];
                        }
                    }
                    for (int u = hi; u < end; u++) {
                        int ix = mode.map(u * sw + offX, w);
                        row[dst + u] = ix < 0 ? 0f : x[src + ix];
                    }
                }
                j = dst + end;
            }
            toPanels(row, nc, k, kc, panel, bp, at);
            if (++kx == kw) {
                kx = 0;
                if (++ky == kh) {
                    ky = 0;
                    ic++;
                }
            }
        }
    }

    /** Cuts row {@code k} of a block ({@code nc} floats in {@code row}) into its {@code nr}-wide panels, the last zero-padded. */
    private static void toPanels(float[] row, int nc, int k, int kc, int nr, float[] bp, int at) {
        int full = nc / nr;
        for (int jp = 0; jp < full; jp++) {
            System.arraycopy(row, jp * nr, bp, at + (jp * kc + k) * nr, nr);
        }
        int tail = nc - full * nr;
        if (tail != 0) {
            int dst = at + (full * kc + k) * nr;
            System.arraycopy(row, full * nr, bp, dst, tail);
            Arrays.fill(bp, dst + tail, dst + nr, 0f);
        }
    }
}
