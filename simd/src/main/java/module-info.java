/**
 * vconv simd: the Vector API engine (vectorised im2col, packed GEMM, depthwise and 1x1 paths, the
 * planner). Needs {@code --add-modules jdk.incubator.vector} at compile, test and run time.
 */
module dev.vconv.simd {
    requires dev.vconv.core;
    requires jdk.incubator.vector;

    exports dev.vconv.simd;
}
