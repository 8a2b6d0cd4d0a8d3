package dev.vconv.simd;

/**
 * The vector widths the engine runs at, each with its micro-kernels and cache blocks. Width-specific code is
 * one class per width (C2 intrinsifies only a species that is a compile-time constant); this enum is the
 * exhaustive switch over them.
 */
enum VectorWidth {
    W128(128, new F32Gemm4x2v128(), new F32Gemm4x2v128(), new F32Gemm4x2v128(), new F32Dwconv128(), null, StrideSplit.SCALAR),
    W256(256, new F32Gemm4x2v256(), new F32Gemm4x2v256(), new F32Gemm4x2v256(), new F32Dwconv256(), null, StrideSplit.SCALAR),
    W512(512, new F32Gemm8x3v512(), new F32Gemm4x4v512(), new F32Gemm7x3v512(), new F32Dwconv512(), new F32DwconvDirect512(), new F32Split512());

    /**
     * Cache blocks, after BLIS: {@code kc} rows of the reduction per pass, so that a packed B panel
     * ({@code kc x NR}, 16 KiB at 256 bits, 48 KiB at 512) stays in L1 while the A panels ({@code kc x MR} each) stream from L2;
     * {@code nc} columns per block (the multiple of {@code NR} nearest below 512: 480 at 512 bits), so that the packed
     * {@code kc x nc} block of B (at most 512 KiB) stays in L2. There is
     * no {@code mc}: weights are packed once for all output channels of a group at plan time, and a group's
     * panels ({@code cout/groups x kc}, at most 512 KiB for 512 channels) are read in one pass per B block.
     *
     * @param kc reduction block (rows of B)
     * @param nc column block (columns of B and C), a multiple of the kernel's NR
     */
    record Blocking(int kc, int nc) {
    }

    final int bits;
    final GemmKernel gemm;
    /** The kernel for groups of few output channels: fewer rows than {@link #gemm}, or the same kernel. */
    final GemmKernel narrowGemm;
    /** The kernel of the pixel-rows path (rows are output pixels), or the same kernel. */
    final GemmKernel pixelGemm;
    final DepthwiseKernel depthwise;
    /**
     * The 3x3 depthwise kernels that read the input directly, or null: they need two-vector permutes, which at
     * 256 bits once stayed in the boxing fallback after 512-bit code ran (see {@link StrideSplit}); 128 and 256
     * bits build the phase planes instead.
     */
    final DirectDepthwiseKernel depthwiseDirect;
    /** The even/odd split of stride-2 input rows. */
    final StrideSplit split;
    private final Blocking blocking;
    private final Blocking narrowBlocking;

    VectorWidth(int bits, GemmKernel gemm, GemmKernel narrowGemm, GemmKernel pixelGemm, DepthwiseKernel depthwise, DirectDepthwiseKernel depthwiseDirect,
                StrideSplit split) {
        this.bits = bits;
        this.gemm = gemm;
        this.narrowGemm = narrowGemm;
        this.pixelGemm = pixelGemm;
        this.depthwise = depthwise;
        this.depthwiseDirect = depthwiseDirect;
        this.split = split;
        this.blocking = new Blocking(256, 512 / gemm.nr() * gemm.nr());
        this.narrowBlocking = new Blocking(256, 512 / narrowGemm.nr() * narrowGemm.nr());
    }

    /**
     * The micro-kernel for groups of {@code coutPerGroup} output channels: the narrow one when a group fits in
     * its rows and the tall one would compute padding rows.
     */
    GemmKernel gemmFor(int coutPerGroup) {
        return coutPerGroup <= narrowGemm.mr() ? narrowGemm : gemm;
    }

    /** The cache blocks of {@code kernel}, one of this width's ({@code nc} only matters to the packed GEMM). */
    Blocking blocking(GemmKernel kernel) {
        return kernel == narrowGemm ? narrowBlocking : blocking;
    }

    /** This width's distinct GEMM kernels: the main one first. */
    java.util.List<GemmKernel> gemmKernels() {
        java.util.List<GemmKernel> kernels = new java.util.ArrayList<>(java.util.List.of(gemm));
        for (GemmKernel k : new GemmKernel[] {narrowGemm, pixelGemm}) {
            if (!kernels.contains(k)) {
                kernels.add(k);
            }
        }
        return java.util.List.copyOf(kernels);
    }

    /** The width of {@code bits}; 512, 256 or 128. */
    static VectorWidth ofBits(int bits) {
        return switch (bits) {
            case 128 -> W128;
            case 256 -> W256;
            case 512 -> W512;
            default -> throw new IllegalArgumentException("vector width must be 512, 256 or 128 bits, but got " + bits);
        };
    }
}
