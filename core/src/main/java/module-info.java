/**
 * vconv core: tensor layout, {@link dev.vconv.core.ConvSpec} with PyTorch's Conv2d semantics, the naive
 * reference loop nest and the scalar im2col + GEMM engine. No Vector API here: faster engines plug in
 * through {@link dev.vconv.core.Conv2dProvider}.
 */
module dev.vconv.core {
    exports dev.vconv.core;
    exports dev.vconv.core.net;

    uses dev.vconv.core.Conv2dProvider;
}
