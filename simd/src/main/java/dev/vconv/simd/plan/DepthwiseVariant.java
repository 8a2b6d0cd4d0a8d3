package dev.vconv.simd.plan;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.PaddingMode;
import dev.vconv.simd.kernel.DirectDepthwiseKernel;
import dev.vconv.simd.kernel.VectorWidth;
import dev.vconv.simd.kernel.WrappedDepthwiseKernel;

/**
 * Which depthwise kernels run a depthwise layer, with what they need: the {@link Direct} kernels read the input
 * channel itself, the {@link Wrapped} kernels run along the whole channel across row ends from a copy of it, and
 * every other layer reads its {@link Planes phase planes}. {@link #of} decides, once, for the planner.
 */
public sealed interface DepthwiseVariant {

    /**
     * 3x3 at stride 1 or 2, dilation 1 and zero padding, at a width with a {@link DirectDepthwiseKernel}: the
     * interior vectors start at columns {@code [first, last]} (each reads inside its row; see
     * {@link DirectDepthwiseKernel}).
     */
    record Direct(int first, int last) implements DepthwiseVariant {
    }

    /**
     * 3x3 with padding 1 on narrow rows, at a width with a {@link WrappedDepthwiseKernel}: the lane masks of each
     * vector ({@link #wrappedMasks}), and where the source lies in the thread's workspace plane: {@code {base}} at
     * stride 1, the four phase planes at stride 2 (as {@link WrappedDepthwiseKernel#wrapped3x3s2}); {@code size}
     * floats in all.
     */
    record Wrapped(boolean[] masks, int[] planes, int size) implements DepthwiseVariant {
    }

    /**
     * Any kernel, stride, dilation and padding mode: each channel's phase planes built once in the workspace, each
     * tap read as one contiguous stretch ({@code DepthwiseRunner}).
     */
    record Planes() implements DepthwiseVariant {
    }

    /**
     * Stride-1 rows of this many columns and of two vectors or more keep the planes' {@code rows3x3} (where no
     * direct kernel takes them): the wrapped kernel's masked blends cost more there than the planes' copies
     * (256 bits under AVX2, 128 bits: docs/KERNELS.md, tuning table).
     */
    int WRAPPED_STRIDE1_COLUMNS = 16;

    /** The variant for {@code spec} on {@code h x w} channels at {@code width}: direct, else wrapped, else planes. */
    static DepthwiseVariant of(ConvSpec spec, VectorWidth width, int h, int w) {
        Direct direct = direct(spec, width, h, w);
        if (direct != null) {
            return direct;
        }
        Wrapped wrapped = wrapped(spec, width, h, w);
        return wrapped != null ? wrapped : new Planes();
    }

    /**
     * The direct kernels' interior, or null where they do not apply: not a 3x3 kernel at stride 1 or 2 (the same
     * both ways) and dilation 1 with zero padding, no such kernel at this width, fewer output rows than a group
     * ({@code 4 / stride}), rows narrower than the edge vectors read (one vector at stride 1, two at stride 2), no
     * vector of outputs that reads only inside the row, or more padding columns on a side than an edge vector
     * covers. At stride {@code s} a vector starting at output column {@code ox} reads the input columns
     * {@code [s*ox - padLeft, s*ox - padLeft + span)}, {@code span = V + 2} at stride 1 and {@code 2V + 1} at
     * stride 2.
     */
    static Direct direct(ConvSpec spec, VectorWidth width, int h, int w) {
        int s = spec.strideH();
        if (width.depthwiseDirect == null || !is3x3(spec) || (s != 1 && s != 2) || spec.strideW() != s
                || spec.outputHeight(h) < 4 / s) {
            return null;
        }
        int lanes = width.depthwiseDirect.lanes();
        int span = s == 1 ? lanes + 2 : 2 * lanes + 1;
        int wout = spec.outputWidth(w);
        int first = Math.ceilDiv(spec.padLeft(), s);
        int last = Math.min(Math.floorDiv(w - span + spec.padLeft(), s), wout - lanes);
        // The edge vectors, at 0 and wout - lanes, read the first and last lanes (stride 1) or 2 * lanes (stride 2)
        // columns of a row and must reach the interior.
        int window = s == 1 ? lanes : 2 * lanes;
        return w >= window && first <= last && first <= lanes && wout - lanes <= last + lanes ? new Direct(first, last) : null;
    }

    /**
     * The wrapped kernels' layout, or null where they do not apply (the direct kernels do, checked before): the
     * width has no wrapped kernel, or not a 3x3 kernel with padding 1 on every side, dilation 1 and zero padding at
     * stride 1 or 2 (the same both ways), or fewer outputs than a vector, or rows of two vectors or more and
     * {@link #WRAPPED_STRIDE1_COLUMNS} or more at stride 1, or rows wider than the kernel's split takes at stride 2
     * (two vectors at 512 bits, any at 256 and 128).
     */
    static Wrapped wrapped(ConvSpec spec, VectorWidth width, int h, int w) {
        WrappedDepthwiseKernel kernel = width.depthwiseWrapped;
        int s = spec.strideH();
        if (kernel == null || !is3x3(spec) || (s != 1 && s != 2) || spec.strideW() != s || spec.padTop() != 1
                || spec.padBottom() != 1 || spec.padLeft() != 1 || spec.padRight() != 1) {
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

    /** A 3x3 kernel at dilation 1 with zero padding: what both special kernels need besides their strides. */
    private static boolean is3x3(ConvSpec spec) {
        return spec.kernelH() == 3 && spec.kernelW() == 3 && spec.dilationH() == 1 && spec.dilationW() == 1
                && spec.paddingMode() == PaddingMode.ZEROS;
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
}
