/**
 * vconv simd: the Vector API engine (packed GEMM with register-blocked micro-kernels, im2col fused into the
 * packing, direct depthwise and 1x1 paths, the planner). Needs {@code --add-modules jdk.incubator.vector} at
 * compile, test and run time.
 */
module dev.vconv.simd {
    requires dev.vconv.core;
    requires jdk.incubator.vector;
    requires java.management;
    requires static jdk.management;   // HotSpot's options, to tell whether C2 is on; read only if present

    exports dev.vconv.simd;

    provides dev.vconv.core.Conv2dProvider with dev.vconv.simd.SimdConv2dProvider;
}
