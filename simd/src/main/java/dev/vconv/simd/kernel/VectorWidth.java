package dev.vconv.simd.kernel;

import dev.vconv.simd.plan.ConvPlanner;

/**
 * The vector widths the engine runs at, each with its micro-kernels and cache blocks. Width-specific code is
 * one class per width (C2 intrinsifies only a species that is a compile-time constant); this enum is the
 * exhaustive switch over them.
 */
public enum VectorWidth {
    W128(128, new F32Gemm4x2v128(), null, null, new F32Dwconv128(), null, new F32DwconvWrapped128(), new F32Split128(),
            Transpose.SCALAR, new F32Epilogue128()),
    W256(256, new F32Gemm4x2v256(), null, null, new F32Dwconv256(), null, new F32DwconvWrapped256(), new F32Split256(),
            Transpose.SCALAR, new F32Epilogue256()),
    W512(512, new F32Gemm8x3v512(), new F32Gemm4x4v512(),
            new PixelKernel[] {new PixelKernel(new F32Gemm6x4v512(), 0.95, Double.NaN), new PixelKernel(new F32Gemm7x3v512(), 1.02, 1)},
            new F32Dwconv512(), new F32DwconvDirect512(), new F32DwconvWrapped512(), new F32Split512(), new F32Transpose512(),
            new F32Epilogue512());

    /**
     * A kernel of the pixel-rows path and the time of its tile work relative to the implicit path's where
     * {@code im2col^T} is gathered from the planes ({@link GemmKernel#tileGather}) and where it is packed; NaN
     * where the kernel does not serve that way: 6x4v does four FMAs per gathered float and only gathers, 7x3v
     * serves both, and the 4x2v kernels (two FMAs per gathered float) only pack. Measured on the suite's layers
     * ({@link ConvPlanner#GATHER_COST}): docs/KERNELS.md, tuning table.
     */
    public record PixelKernel(GemmKernel kernel, double gatherWork, double packWork) {

        public boolean gathers() {
            return !Double.isNaN(gatherWork);
        }

        /** The relative time of the tile work, gathering or packed; NaN where the kernel does not serve so. */
        public double work(boolean gather) {
            return gather ? gatherWork : packWork;
        }
    }

    /**
     * Cache blocks, after BLIS: {@code kc} rows of the reduction per pass, so that a packed B panel
     * ({@code kc x NR}, 16 KiB at 256 bits) stays in L1 while the A panels ({@code kc x MR} each) stream from L2 (at
     * 512 bits a panel is 48 KiB, more than a 32 KiB L1d; {@code kc} was not retuned for it: docs/KERNELS.md);
     * {@code nc} columns per block (the multiple of {@code NR} nearest below 512: 480 at 512 bits), so that the packed
     * {@code kc x nc} block of B (at most 512 KiB) stays in L2. There is
     * no {@code mc}: weights are packed once for all output channels of a group at plan time, and a group's
     * panels ({@code cout/groups x kc}, at most 512 KiB for 512 channels) are read in one pass per B block.
     *
     * @param kc reduction block (rows of B)
     * @param nc column block (columns of B and C), a multiple of the kernel's NR
     */
    public record Blocking(int kc, int nc) {
    }

    public final int bits;
    public final GemmKernel gemm;
    /** The kernel for groups of few output channels: fewer rows than {@link #gemm}, or the same kernel. */
    final GemmKernel narrowGemm;
    /** The kernels of the pixel-rows path (rows are output pixels): the planner takes the least work. */
    public final java.util.List<PixelKernel> pixelKernels;
    public final DepthwiseKernel depthwise;
    /**
     * The 3x3 depthwise kernels that read the input directly, or null: they need two-vector permutes, which at
     * 256 bits once stayed in the boxing fallback after 512-bit code ran (see {@link StrideSplit}); 128 and 256
     * bits build the phase planes instead.
     */
    public final DirectDepthwiseKernel depthwiseDirect;
    /**
     * The 3x3 depthwise kernels with padding 1 for the layers the direct kernels do not take (256 and 128 bits have
     * no direct kernels): narrow rows at stride 1, any the split takes at stride 2; whole channels across row ends.
     * Every width has them.
     */
    public final WrappedDepthwiseKernel depthwiseWrapped;
    /** The even/odd split of stride-2 input rows. */
    public final StrideSplit split;
    /** The pixel-rows path's copy of {@code C^T} into the output. */
    public final Transpose transpose;
    /** The fused epilogue's element-wise step. */
    public final EpilogueKernel epilogue;
    /** The transforms of Winograd's F(4x4, 3x3), vectorised across tiles. */
    public final WinogradKernel winograd;
    private final Blocking blocking;
    private final Blocking narrowBlocking;

    /** {@code narrowGemm} and {@code pixelKernels} null: {@code gemm} serves. */
    VectorWidth(int bits, GemmKernel gemm, GemmKernel narrowGemm, PixelKernel[] pixelKernels, DepthwiseKernel depthwise,
                DirectDepthwiseKernel depthwiseDirect, WrappedDepthwiseKernel depthwiseWrapped, StrideSplit split,
                Transpose transpose, EpilogueKernel epilogue) {
        this.bits = bits;
        this.gemm = gemm;
        this.narrowGemm = narrowGemm == null ? gemm : narrowGemm;
        this.pixelKernels = pixelKernels == null ? java.util.List.of(new PixelKernel(gemm, Double.NaN, 1)) : java.util.List.of(pixelKernels);
        this.depthwise = depthwise;
        this.depthwiseDirect = depthwiseDirect;
        this.depthwiseWrapped = depthwiseWrapped;
        this.split = split;
        this.transpose = transpose;
        this.epilogue = epilogue;
        this.winograd = switch (bits) {
            case 128 -> new F32Winograd128();
            case 256 -> new F32Winograd256();
            default -> new F32Winograd512();
        };
        this.blocking = new Blocking(256, 512 / gemm.nr() * gemm.nr());
        this.narrowBlocking = new Blocking(256, 512 / this.narrowGemm.nr() * this.narrowGemm.nr());
    }

    /**
     * The micro-kernel for groups of {@code coutPerGroup} output channels: the narrow one when a group fits in
     * its rows and the tall one would compute padding rows.
     */
    public GemmKernel gemmFor(int coutPerGroup) {
        return coutPerGroup <= narrowGemm.mr() ? narrowGemm : gemm;
    }

    /** The cache blocks of {@code kernel}, one of this width's ({@code nc} only matters to the packed GEMM). */
    public Blocking blocking(GemmKernel kernel) {
        return kernel == narrowGemm ? narrowBlocking : blocking;
    }

    /** This width's distinct GEMM kernels: the main one first. */
    public java.util.List<GemmKernel> gemmKernels() {
        java.util.Set<GemmKernel> kernels = new java.util.LinkedHashSet<>(java.util.List.of(gemm, narrowGemm));
        for (PixelKernel pixel : pixelKernels) {
            kernels.add(pixel.kernel());
        }
        return java.util.List.copyOf(kernels);
    }

    /** The width of {@code bits}; 512, 256 or 128. */
    public static VectorWidth ofBits(int bits) {
        return switch (bits) {
            case 128 -> W128;
            case 256 -> W256;
            case 512 -> W512;
            default -> throw new IllegalArgumentException("vector width must be 512, 256 or 128 bits, but got " + bits);
        };
    }
}
