/** A program that uses vconv; on the module path it needs no --add-modules: dev.vconv.simd requires the Vector API. */
module dev.vconv.consumer {
    requires dev.vconv.core;
    requires dev.vconv.simd;
}
