package dev.vconv.simd;

/**
 * The vector widths the engine runs at, each with its micro-kernels and cache blocks. Width-specific code is
 * one class per width (C2 intrinsifies only a species that is a compile-time constant); this enum is the
 * exhaustive switch over them.
 */
enum VectorWidth {
    W128(128, new F32Gemm4x2v128(), new F32Dwconv128()),
    W256(256, new F32Gemm4x2v256(), new F32Dwconv256()),
    W512(512, new F32Gemm4x2v512(), new F32Dwconv512());

    /**
     * Cache blocks, after BLIS: {@code kc} rows of the reduction per pass, so that a packed B panel
     * ({@code kc x NR}, 16 KiB at 256 bits) stays in L1 while the A panels ({@code kc x MR} each) stream from L2;
     * {@code nc} columns per block, so that the packed {@code kc x nc} block of B (512 KiB) stays in L2. There is
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
    final DepthwiseKernel depthwise;
    final Blocking blocking;

    VectorWidth(int bits, GemmKernel gemm, DepthwiseKernel depthwise) {
        this.bits = bits;
        this.gemm = gemm;
        this.depthwise = depthwise;
        this.blocking = new Blocking(256, 512);
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
