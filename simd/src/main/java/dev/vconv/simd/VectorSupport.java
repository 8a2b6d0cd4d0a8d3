package dev.vconv.simd;

final class VectorSupport {
    private VectorSupport() {
    }
}
