package dev.vconv.simd.plan;

import dev.vconv.simd.layout.PhasePlanes;

/** The paths of the SIMD engine: how a convolution is computed. The planner picks one per layer ({@link ConvPlanner}). */
public enum Path {
    /**
     * 1x1 kernel, stride 1, no padding: the input planes are B; the micro-kernel reads them in place (the implicit
     * GEMM without a copy), nothing is packed.
     */
    POINTWISE,
    /** groups == in_channels (any channel multiplier): a direct kernel vectorised along the output width. */
    DEPTHWISE,
    /**
     * A padded, stride-phase-split copy of the input ({@link PhasePlanes}) read in place by the micro-kernel: no
     * im2col, no packing of B, at the price of computing {@code wq - wout} dropped columns per output row.
     */
    IMPLICIT_GEMM,
    /**
     * Output pixels as the rows of the product and output channels as its vector columns
     * ({@code C^T = im2col^T * W^T}), {@code im2col^T} gathered from the phase planes or the input, or packed: for
     * images too small to fill the micro-kernel's {@code NR} columns (ResNet's 7x7 and 14x14 stages), where the
     * output channels fill them instead, and at 512 bits for long reductions, where its 6x4v kernel outruns the
     * implicit GEMM's.
     */
    PIXEL_ROWS,
    /** Everything else: im2col fused into the packing of B, then the BLIS loops over the packed GEMM. */
    PACKED_GEMM,
    /**
     * 3x3, stride 1, dilation 1, one group: Winograd's F(4x4, 3x3), 36 GEMMs of the transformed filter and input
     * (4x fewer multiplications than direct), or F(2x2, 3x3), 16 GEMMs (2.25x fewer), where the transforms pay for themselves; rounds differently from the
     * running sum of the other paths (docs/KERNELS.md, Winograd).
     */
    WINOGRAD
}
