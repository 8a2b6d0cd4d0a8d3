package dev.vconv.simd.path;

/**
 * A thread's copy of the residual that a kernel is about to overwrite, where the residual is the output itself (an
 * in-place accumulate) and the kernel writes its sums into the output before the epilogue runs: the packed GEMM (C
 * is the output) and the depthwise kernels. Grown on first use and kept by the thread's workspace, so repeated
 * calls allocate nothing.
 */
public final class ResidualCopy {
    private float[] buffer = new float[0];

    /** The copy, at least {@code size} floats. */
    float[] of(int size) {
        if (buffer.length < size) {
            buffer = new float[size];
        }
        return buffer;
    }
}
