package dev.vconv.simd.path;

import dev.vconv.simd.kernel.GemmKernel;
import dev.vconv.simd.layout.Packing;
import dev.vconv.simd.layout.PhasePlanes;

/**
 * The GEMM of the implicit-GEMM and pointwise runners: B is never packed; row {@code k} of B is the stretch of
 * columns at {@code rows[k] + column} of the phase planes (or of the input itself), which the indirect micro-kernel
 * reads in place ({@link GemmKernel#tileIndirect}) over the whole reduction, from the bias, into C: the task's
 * workspace, {@code rows x nc} for one column block. Then the kept columns of the block go to the output
 * ({@link #store}). The weights are packed once, here, in panels of {@code MR} rows.
 */
public final class IndirectGemm {
    private final PathRunner.Layer layer;
    private final GemmKernel kernel;
    private final PhasePlanes geometry;
    private final float[] weights;         // MR-row panels of every group
    private final float[] panelBias;       // the bias per channel of every panel, zero past the group's channels
    private final int panels;              // weight panels per group
    private final int lanes;

    IndirectGemm(PathRunner.Layer layer, GemmKernel kernel, PhasePlanes geometry, float[] weight) {
        this.layer = layer;
        this.kernel = kernel;
        this.geometry = geometry;
        this.weights = Packing.packWeights(layer.spec(), weight, kernel.mr());
        this.panels = Math.ceilDiv(layer.spec().outChannelsPerGroup(), kernel.mr());
        this.panelBias = layer.panelBias(panels, kernel.mr());
        this.lanes = layer.width().bits / Float.SIZE;
    }

    /** Weight panels per group. */
    int panels() {
        return panels;
    }

    /** Floats of a task's C: the largest block for the largest range of panels of {@code splits}. */
    int cFloats(int splits) {
        return Math.ceilDiv(panels, splits) * kernel.mr() * geometry.maxBlockColumns;
    }

    /**
     * One column panel of a block (jr): the {@code valid} columns of B from column {@code at} of {@code b} (its rows
     * at {@code rows}), against output-channel panels {@code [ipFrom, ipTo)} of group {@code g} (ir), into C at
     * column {@code cColumn} of the block's {@code nc}. A panel with fewer than {@code NR} columns runs one vector at a
     * time, as few as cover them.
     */
    void columnPanel(float[] b, int[] rows, int at, int valid, int g, int ipFrom, int ipTo, float[] c, int cColumn, int nc) {
        int mr = kernel.mr();
        int k = layer.spec().reductionLength();
        for (int ip = ipFrom; ip < ipTo; ip++) {                      // ir: the A panels stream past it
            int panel = g * panels + ip;
            int cAt = (ip - ipFrom) * mr * nc + cColumn;
            if (valid == kernel.nr()) {
                kernel.tileIndirect(k, weights, panel * k * mr, b, rows, 0, at, panelBias, panel * mr, c, cAt, nc);
                continue;
            }
            for (int v = 0; v < valid; v += lanes) {
                kernel.tileIndirect1v(k, weights, panel * k * mr, b, rows, 0, at + v, panelBias, panel * mr, c, cAt + v, nc);
            }
        }
    }

    /**
     * The kept columns ({@code ox < wout} of each output row) of column block {@code b} of group {@code g} of image
     * {@code n}, channel panels {@code [ipFrom, ipTo)}, from C to the output through the epilogue, with the residual
     * {@code r} (or null). A channel's kept columns of a block are one stretch of the output (and of the residual):
     * the epilogue goes along it, a channel after another, so that both are read in order. Where rows drop no column
     * ({@code wq == wout}: the pointwise path) that is one call for the block; else the whole output rows in the
     * middle are one call per channel (rows {@code wq} apart in C, {@code wout} in the output), the part rows at the
     * block's ends one each.
     */
    void store(float[] c, float[] y, float[] r, int n, int g, int b, int ipFrom, int ipTo) {
        int mr = kernel.mr();
        int coutG = layer.spec().outChannelsPerGroup();
        int p = layer.p();
        int wout = layer.wout();
        int wq = geometry.wq;
        int nc = geometry.blockColumns(b);
        int start = geometry.blockStart(b);
        int end = Math.min(start + nc, geometry.columns);
        int rows = Math.min((ipTo - ipFrom) * mr, coutG - ipFrom * mr);
        int out = (n * layer.spec().outChannels() + g * coutG + ipFrom * mr) * p;
        if (wq == wout) {
            layer.apply(c, 0, nc, r, out + start, p, y, out + start, p, rows, end - start);
            return;
        }
        int first = start / wq;                                          // the output rows the block touches
        int last = (end - 1) / wq;
        int headTo = Math.min(end, first * wq + wout);                   // kept columns of the first row
        int middle = Math.max(0, last - first - 1);                      // whole output rows between
        int tailTo = Math.min(end, last * wq + wout);                    // kept columns of the last row
        for (int row = 0; row < rows; row++) {
            int cRow = row * nc - start;                                 // C's column p' of this channel
            int yRow = out + row * p;
            if (headTo > start) {
                int at = yRow + first * wout + start - first * wq;
                layer.apply(c, cRow + start, r, at, y, at, headTo - start);
            }
            if (middle > 0) {
                int at = yRow + (first + 1) * wout;
                layer.apply(c, cRow + (first + 1) * wq, wq, r, at, wout, y, at, wout, middle, wout);
            }
            if (last > first && tailTo > last * wq) {
                int at = yRow + last * wout;
                layer.apply(c, cRow + last * wq, r, at, y, at, tailTo - last * wq);
            }
        }
    }
}
