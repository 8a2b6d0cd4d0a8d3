package dev.vconv.simd.layout;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.Nchw;
import dev.vconv.core.PaddingMode;
import dev.vconv.simd.kernel.GemmKernel;
import dev.vconv.simd.kernel.StrideSplit;

import java.util.Arrays;

/**
 * The padded, stride-phase-split copy of the input, and its geometry: what the implicit GEMM reads as its B
 * matrix (each row of im2col is a shifted stretch of it, read in place by {@link GemmKernel#tileIndirect}; the
 * im2col matrix is never built or packed), what the pixel-rows path gathers its A from, and what the depthwise
 * path's general kernels read. Pointwise convolutions use the same geometry on the input itself.
 *
 * <p>Pad each input plane ({@code hp x wp}, filled by the padding mode), then split it by stride phases:
 * <pre>
 * padded[yp][xp]                = in[map(yp - top)][map(xp - left)]        (zero where the mode says so)
 * phase[py][px][yq][xq]         = padded[yq*sh + py][xq*sw + px]           (hq x ceil(wp/sw) each, hq = ceil(hp/sh))
 * </pre>
 * Each phase is stored in rows of {@code wq} floats ({@link #rowStride}: the phase width, or less with zero
 * padding, where a row's right padding is the next row's left padding). Number the output columns
 * {@code p' = oy*wq + ox} with rows {@code wq} wide instead of {@code wout}; the columns {@code ox >= wout}
 * are computed and dropped. Since {@code oy*sh + ky*dh = (oy + ky*dh/sh)*sh + ky*dh%sh} (and the same for x),
 * the input tap {@code (ic, ky, kx)} of output column {@code p'} is
 * <pre>
 * phase[ky*dh % sh][kx*dw % sw][oy + ky*dh / sh][ox + kx*dw / sw] = planes[rows[k] + p']
 * rows[k] = ic*channelSize + slot(ky*dh % sh, kx*dw % sw)*slotSize + (ky*dh / sh)*wq + kx*dw / sw
 * </pre>
 * a constant shift of {@code p'} per reduction row {@code k = (ic, ky, kx)}: exactly what the indirect
 * micro-kernel reads. Every padding mode, stride and dilation takes this one route; only the phases some tap
 * uses are built. The price is the {@code wq - wout} dropped columns per output row, which is why the planner
 * takes this path only where they are few (wide outputs, little padding).
 *
 * <p>The {@code hout*wq} columns are cut into blocks of {@code nc} (whole {@code NR} panels; a block may start
 * and end inside an output row; the last panel runs into the zero slack past the planes). A task computes one
 * block of one group for a range of output-channel panels into its workspace C ({@code rows x nc}), from the
 * bias, with the whole reduction in one pass of the micro-kernel; then copies the kept columns to the output,
 * applying the ReLU if asked for.
 */
public final class PhasePlanes {
    /** Columns of a block, rounded down to whole {@code NR} panels: the workspace C of a task is {@code rows x nc}. */
    static final int BLOCK_COLUMNS = 512;

    final int sh;
    final int sw;
    public final int hq;
    /**
     * The planes' row stride, and the columns computed per output row: the phase width {@code ceil(wp/sw)}, or
     * less with zero padding, where a row's right padding is read from the next row's left padding
     * ({@link #rowStride}).
     */
    public final int wq;
    /** Columns of a phase row: {@code ceil(wp/sw)}; those from {@link #wq} on are not stored. */
    private final int phaseWidth;
    /** Floats of one phase plane: {@code hq} rows of {@link #wq}, then zeros up to a whole phase row more. */
    private final int slotSize;
    public final int hout;
    public final int wout;
    /** Slot of phase {@code (py, px)} at {@code py*sw + px}, or -1 when no tap reads it. */
    private final int[] slotOf;
    private final int[] slotPhases;       // the phase (py*sw + px) of each slot
    final int channelSize;                // floats of one channel: its used phases
    public final int groupStride;                // floats of one group's input channels
    /** Where reduction row {@code k} of group 0 reads output column 0. */
    public final int[] rows;
    public final int columns;                    // hout * wq: the columns p' computed, kept or dropped
    private final int nr;
    private final int nc;                 // columns of a block, a multiple of NR
    public final int blocks;
    public final int maxBlockColumns;            // nc of the largest block, a multiple of NR
    public final int planesSize;                 // the planes of every channel and the zero slack past them
    private final int maxRow;
    /** The furthest plane row below an output row that a tap reads: {@code max(ky*dilationH / sh)}. */
    private final int tapRows;
    private final int[] interiorLo;       // per width phase: the columns t whose input column is inside the image
    private final int[] interiorHi;

    /**
     * The most stride phases ({@code strideH * strideW}) the planes take: their tables hold one entry per phase
     * (and per width phase), however few of them the taps read. A larger stride goes to a path sized by the output
     * ({@link #serves}).
     */
    public static final int MAX_PHASES = 1 << 12;

    /**
     * Floats of the planes that any input may take whatever its size ({@link #serves}): 256 KiB per image, which
     * covers a tiny image under its padding (a 3x3 kernel's padding of 1 on a 1x1 image is 9 floats per channel).
     */
    static final long SMALL_PLANES = 1 << 16;

    /**
     * How many times the input's own floats the planes of one image may take ({@link #serves}): a padding of 1 on
     * a 2x2 image is 4 times.
     */
    static final long PLANES_PER_INPUT = 16;

    /**
     * Whether the planes serve {@code spec} on {@code h x w} inputs cheaply: at most {@link #MAX_PHASES} stride
     * phases, and the planes of one image (each used phase of each channel, the padded input's rows split by the
     * stride) at most {@link #PLANES_PER_INPUT} times the image's own floats or {@link #SMALL_PLANES}. Beyond that
     * the planes are sized by the stride or by padding and dilation far larger than the image (a padding of
     * {@code 5*10^5} around a 1x1 image), while the output may be a single pixel: the planner takes a path sized by
     * the output instead. Computed in longs and doubles: nothing here overflows.
     */
    public static boolean serves(ConvSpec spec, int h, int w) {
        long phases = (long) spec.strideH() * spec.strideW();
        if (phases > MAX_PHASES) {
            return false;
        }
        long hq = Math.ceilDiv((long) h + spec.padTop() + spec.padBottom(), spec.strideH());
        long phaseWidth = Math.ceilDiv((long) w + spec.padLeft() + spec.padRight(), spec.strideW());
        long slots = Math.min(phases, (long) spec.kernelH() * spec.kernelW());
        double floats = (double) spec.inChannels() * slots * (hq + 1) * phaseWidth;
        return floats <= Math.max(SMALL_PLANES, PLANES_PER_INPUT * spec.inChannels() * h * w);
    }

    /**
     * The planes of {@code spec} on {@code h x w} inputs for a kernel {@code nr} columns wide.
     *
     * @throws IllegalArgumentException where the planes do not {@link #serves serve} the spec (the planner takes
     *                                  another path there)
     */
    public PhasePlanes(ConvSpec spec, int h, int w, int nr) {
        if (!serves(spec, h, w)) {
            throw new IllegalArgumentException("the phase planes do not serve " + spec + " on " + h + "x" + w + " inputs: "
                    + "more than " + MAX_PHASES + " stride phases, or planes over " + PLANES_PER_INPUT
                    + " times the input's size");
        }
        this.sh = spec.strideH();
        this.sw = spec.strideW();
        int hp = h + spec.padTop() + spec.padBottom();
        int wp = w + spec.padLeft() + spec.padRight();
        this.hq = Math.ceilDiv(hp, sh);
        this.phaseWidth = Math.ceilDiv(wp, sw);
        this.hout = spec.outputHeight(h);
        this.wout = spec.outputWidth(w);
        int kh = spec.kernelH();
        int kw = spec.kernelW();
        this.interiorLo = new int[sw];
        this.interiorHi = new int[sw];
        interiors(spec.padLeft(), w, sw, phaseWidth, interiorLo, interiorHi);
        this.wq = rowStride(spec, phaseWidth, wout, interiorLo, interiorHi);
        this.slotSize = Math.toIntExact((long) hq * wq + phaseWidth - wq);
        this.slotOf = new int[sh * sw];
        Arrays.fill(slotOf, -1);
        int slots = 0;
        int[] phases = new int[sh * sw];
        for (int ky = 0; ky < kh; ky++) {
            for (int kx = 0; kx < kw; kx++) {
                int phase = (ky * spec.dilationH() % sh) * sw + kx * spec.dilationW() % sw;
                if (slotOf[phase] < 0) {
                    phases[slots] = phase;
                    slotOf[phase] = slots++;
                }
            }
        }
        this.slotPhases = Arrays.copyOf(phases, slots);
        long channel = (long) slots * slotSize;
        this.channelSize = Math.toIntExact(channel);
        this.groupStride = Math.toIntExact(channel * spec.inChannelsPerGroup());
        this.rows = new int[spec.reductionLength()];
        int maxRow = 0;
        this.tapRows = (kh - 1) * spec.dilationH() / sh;
        for (int ic = 0, k = 0; ic < spec.inChannelsPerGroup(); ic++) {
            for (int ky = 0; ky < kh; ky++) {
                for (int kx = 0; kx < kw; kx++, k++) {
                    int dy = ky * spec.dilationH();
                    int dx = kx * spec.dilationW();
                    int slot = slotOf[(dy % sh) * sw + dx % sw];
                    rows[k] = ic * channelSize + slot * slotSize + (dy / sh) * wq + dx / sw;
                    maxRow = Math.max(maxRow, rows[k]);
                }
            }
        }
        this.maxRow = maxRow;
        this.columns = Math.toIntExact((long) hout * wq);
        this.nr = nr;
        this.nc = columnsPerBlock(nr);
        this.blocks = Math.ceilDiv(columns, nc);
        this.maxBlockColumns = blocks == 0 ? 0 : blockColumns(0);
        // The furthest any block reads: its first column, plus its nc columns, from the furthest row of the last group.
        long furthest = 0;
        for (int b = 0; b < blocks; b++) {
            furthest = Math.max(furthest, (long) blockStart(b) + blockColumns(b));
        }
        long needed = (long) (spec.groups() - 1) * groupStride + maxRow + furthest;
        long total = Math.max(needed, channel * spec.inChannels());
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("the SIMD engine's input workspace for " + spec + " on a " + h + "x" + w
                    + " input would need " + total + " floats, more than a Java array can hold");
        }
        this.planesSize = (int) total;
    }

    /**
     * The planes' row stride for {@code spec} on inputs {@code w} wide: the phase width {@code ceil(wp/sw)},
     * except with zero padding, where rows may overlap by their padding. Phase {@code px} keeps its input
     * columns at {@code [lo, hi)} and zeros around them; an output row reads its columns {@code t} up to
     * {@code wout - 1 + q}, for the largest tap shift {@code q} of the phase. With a stride {@code s} below the
     * phase width, a column {@code t >= s} is read from the next row's column {@code t - s}: right padding read
     * from left padding, both zero, as long as {@code s >= hi} (the row's own values are stored) and
     * {@code s >= wout + q - lo} (every column read past the row lands in the next row's left padding). The
     * smallest such {@code s} over the phases the taps use: on a 14x14 input with padding 1, 15 columns per
     * output row instead of 16.
     */
    static int rowStride(ConvSpec spec, int phaseWidth, int wout, int[] lo, int[] hi) {
        if (spec.paddingMode() != PaddingMode.ZEROS) {
            return phaseWidth;
        }
        int sw = spec.strideW();
        int stride = wout;
        for (int kx = 0; kx < spec.kernelW(); kx++) {
            int dx = kx * spec.dilationW();
            int px = dx % sw;
            int q = dx / sw;
            stride = Math.max(stride, Math.max(hi[px], wout + q - lo[px]));
        }
        return Math.min(stride, phaseWidth);
    }

    /** Stride 1 and no padding: the planes are the input itself, which a kernel can read in place. */
    public static boolean planesAreTheInput(ConvSpec spec) {
        return spec.strideH() == 1 && spec.strideW() == 1 && !spec.hasPadding();
    }

    /**
     * No padding, at any stride and dilation: a kernel that gathers can read every tap from the input itself, at
     * {@link #inputRows} plus the output pixel's own input offset {@code oy*sh*w + ox*sw}, with nothing built.
     */
    public static boolean gathersInPlace(ConvSpec spec) {
        return !spec.hasPadding();
    }

    /**
     * Where reduction row {@code k = (ic, ky, kx)} of group 0 reads, in an unpadded {@code h x w} input, the tap of
     * the output pixel whose own input offset is 0: {@code ic*h*w + ky*dh*w + kx*dw}.
     */
    public static int[] inputRows(ConvSpec spec, int h, int w) {
        int[] rows = new int[spec.reductionLength()];
        for (int ic = 0, k = 0; ic < spec.inChannelsPerGroup(); ic++) {
            for (int ky = 0; ky < spec.kernelH(); ky++) {
                for (int kx = 0; kx < spec.kernelW(); kx++, k++) {
                    rows[k] = ic * h * w + ky * spec.dilationH() * w + kx * spec.dilationW();
                }
            }
        }
        return rows;
    }

    /** The planes' row stride for {@code spec} on inputs {@code w} wide ({@link #wq}). */
    public static int rowStride(ConvSpec spec, int w) {
        int sw = spec.strideW();
        int phaseWidth = Math.ceilDiv(w + spec.padLeft() + spec.padRight(), sw);
        int[] lo = new int[sw];
        int[] hi = new int[sw];
        interiors(spec.padLeft(), w, sw, phaseWidth, lo, hi);
        return rowStride(spec, phaseWidth, spec.outputWidth(w), lo, hi);
    }

    /** Per width phase {@code px}: the columns {@code [lo[px], hi[px])} whose input column is inside the image. */
    private static void interiors(int left, int w, int sw, int phaseWidth, int[] lo, int[] hi) {
        for (int px = 0; px < sw; px++) {
            lo[px] = interiorFrom(left, px, sw, phaseWidth);
            hi[px] = interiorTo(left, w, px, sw, phaseWidth);
        }
    }

    /** Columns of a block for a kernel {@code nr} wide: {@link #BLOCK_COLUMNS} in whole panels, at least one. */
    private static int columnsPerBlock(int nr) {
        return Math.max(1, BLOCK_COLUMNS / nr) * nr;
    }

    /**
     * Columns this path computes for {@code hout} rows of {@code wq}: the {@code hout*wq} columns in blocks of
     * whole {@code nr} panels, so only the last panel rounds up.
     */
    public static long columns(int hout, int wq, int nr) {
        long total = (long) hout * wq;
        return (total + nr - 1) / nr * nr;
    }

    /** First column {@code p'} of block {@code b}. */
    public int blockStart(int b) {
        return b * nc;
    }

    /** Columns block {@code b} computes: {@code nc}, or what is left in whole panels. */
    public int blockColumns(int b) {
        return Math.min(nc, Math.ceilDiv(columns - blockStart(b), nr) * nr);
    }

    /**
     * The end of the plane rows that the kept outputs of output rows {@code [oyFirst, oyLast]} read, in every
     * phase plane: they read rows {@code [oyFirst, planeRowsEnd(oyLast))}, row {@code oy} of a phase plane and
     * the {@link #tapRows} below it. A read past the end of a row lands in the next row's left padding, which a
     * build never writes under zero padding; columns computed past {@code wout} (dropped) may read further.
     */
    public int planeRowsEnd(int oyLast) {
        return Math.min(hq, oyLast + tapRows + 1);
    }

    /**
     * Floats of a workspace holding one channel's planes, read for output columns {@code [0, columns)}: the
     * depthwise path builds and reads one channel at a time.
     */
    public int oneChannelSize(int columns) {
        return Math.max(channelSize, maxRow + columns);
    }

    /**
     * Builds plane rows {@code [rowFrom, rowTo)} of input channels {@code [from, to)} of image {@code n} of
     * {@code x} (of {@code in}) into {@code planes}, channel {@code c} at {@code c * channelSize}, stride-2 rows split by
     * {@code split}: under zero padding only the image's values, so {@code planes} must be a copy of this geometry
     * that nothing else writes.
     */
    public void build(ConvSpec spec, Nchw in, StrideSplit split, float[] x, int n, int from, int to, float[] planes, int rowFrom,
                      int rowTo) {
        boolean bordersZero = spec.paddingMode() == PaddingMode.ZEROS;
        for (int c = from; c < to; c++) {
            buildChannel(spec, x, n * in.imageSize(), in.h(), in.w(), c, planes, c * channelSize, split, bordersZero, rowFrom, rowTo);
        }
    }

    /**
     * Builds the used phases of input channel {@code c} (all groups' channels are numbered together) of the
     * image at {@code image} into {@code planes} at {@code at}. At stride 2 in width, the two width phases of a
     * row come from the same input row: their common interior is split in one pass by {@code split}. With
     * {@code bordersZero} (zero padding, and the planes' padding rows and columns still hold the zeros an earlier
     * build of this geometry left there) only the image's own values are written.
     */
    public void buildChannel(ConvSpec spec, float[] x, int image, int h, int w, int c, float[] planes, int at, StrideSplit split,
                             boolean bordersZero) {
        buildChannel(spec, x, image, h, w, c, planes, at, split, bordersZero, 0, hq);
    }

    /**
     * {@link #buildChannel(ConvSpec, float[], int, int, int, int, float[], int, StrideSplit, boolean)} for the
     * rows {@code [rowFrom, rowTo)} of every phase plane only ({@link #planeRowsEnd}).
     */
    void buildChannel(ConvSpec spec, float[] x, int image, int h, int w, int c, float[] planes, int at, StrideSplit split,
                      boolean bordersZero, int rowFrom, int rowTo) {
        PaddingMode mode = spec.paddingMode();
        int hp = h + spec.padTop() + spec.padBottom();
        int wp = w + spec.padLeft() + spec.padRight();
        int left = spec.padLeft();
        int src = image + c * h * w;
        for (int slot = 0; slot < slotPhases.length; slot++) {
            int py = slotPhases[slot] / sw;
            int px = slotPhases[slot] % sw;
            // The odd phase of a pair is built with its even phase.
            int pair = sw == 2 && px == 0 ? slotOf[py * sw + 1] : -1;
            if (sw == 2 && px == 1 && slotOf[py * sw] >= 0) {
                continue;
            }
            int base = at + slot * slotSize;
            int pairBase = at + pair * slotSize;
            // Columns t both phases take from inside the image: [from, to).
            int from = sw == 2 ? Math.max(interiorLo[0], interiorLo[1]) : 0;
            int to = sw == 2 ? Math.max(from, Math.min(interiorHi[0], interiorHi[1])) : 0;
            for (int yq = rowFrom; yq < rowTo; yq++) {
                int yp = yq * sh + py;
                int iy = yp < hp ? mode.map(yp - spec.padTop(), h) : -1;
                int dst = base + yq * wq;
                if (bordersZero && iy < 0) {
                    continue;
                }
                if (pair < 0) {
                    phaseRow(mode, x, src + iy * w, w, left, wp, px, planes, dst, iy < 0, 0, 0, bordersZero);
                    continue;
                }
                int pairDst = pairBase + yq * wq;
                phaseRow(mode, x, src + iy * w, w, left, wp, 0, planes, dst, iy < 0, from, to, bordersZero);
                phaseRow(mode, x, src + iy * w, w, left, wp, 1, planes, pairDst, iy < 0, from, to, bordersZero);
                if (iy >= 0 && to > from) {
                    split.split(x, src + iy * w + 2 * from - left, planes, dst + from, planes, pairDst + from, to - from);
                }
            }
        }
    }

    /** The first column {@code t} of phase {@code px} whose input column lies inside the image. */
    private static int interiorFrom(int left, int px, int sw, int wq) {
        return Math.min(wq, Math.max(0, Math.ceilDiv(left - px, sw)));
    }

    /** Past the last column {@code t} of phase {@code px} whose input column lies inside the image. */
    private static int interiorTo(int left, int w, int px, int sw, int wq) {
        return Math.max(interiorFrom(left, px, sw, wq), Math.min(wq, Math.ceilDiv(left + w - px, sw)));
    }

    /**
     * Row {@code dst[t] = padded[t*sw + px]} for {@code t < wq} (the stored columns), from the input row at {@code row} (all zero when
     * {@code zero}: a padding row): the left and right borders mapped by the padding mode (zero past the padded
     * width), the interior a copy at stride 1 and a gather otherwise, with no test per element; columns
     * {@code [skipFrom, skipTo)} of the interior are left to the caller, and the borders too with
     * {@code interiorOnly}.
     */
    private void phaseRow(PaddingMode mode, float[] x, int row, int w, int left, int wp, int px, float[] dst, int at, boolean zero,
                          int skipFrom, int skipTo, boolean interiorOnly) {
        if (zero) {
            Arrays.fill(dst, at, at + wq, 0f);
            return;
        }
        int lo = interiorLo[px];       // computed once: the divisions cost more than a short row
        int hi = interiorHi[px];
        if (!interiorOnly) {
            for (int t = 0; t < lo; t++) {
                dst[at + t] = border(mode, x, row, w, t * sw + px - left);
            }
        }
        if (skipTo > skipFrom) {
            interior(x, row, left, px, dst, at, lo, Math.max(lo, skipFrom));
            interior(x, row, left, px, dst, at, Math.min(hi, skipTo), hi);
        } else {
            interior(x, row, left, px, dst, at, lo, hi);
        }
        if (!interiorOnly) {
            for (int t = hi; t < wq; t++) {
                int xp = t * sw + px;
                dst[at + t] = xp < wp ? border(mode, x, row, w, xp - left) : 0f;
            }
        }
    }

    /** Interior columns {@code [lo, hi)} of phase {@code px}: a copy at stride 1, a strided gather otherwise. */
    private void interior(float[] x, int row, int left, int px, float[] dst, int at, int lo, int hi) {
        if (hi <= lo) {
            return;
        }
        if (sw == 1) {
            System.arraycopy(x, row + lo + px - left, dst, at + lo, hi - lo);
            return;
        }
        for (int t = lo, s = row + lo * sw + px - left; t < hi; t++, s += sw) {
            dst[at + t] = x[s];
        }
    }

    private static float border(PaddingMode mode, float[] x, int row, int w, int ix) {
        int mapped = mode.map(ix, w);
        return mapped < 0 ? 0f : x[row + mapped];
    }
}
