package dev.vconv.core;

/** A transposed-convolution engine with PyTorch's semantics (see {@link ConvTransposeSpec}). */
public interface ConvTranspose2d {

    String name();

    /** Computes the transposed convolution into the caller's {@code output} of {@link ConvTransposeSpec#outputShape}. */
    void forward(ConvTransposeSpec spec, Tensor input, Tensor weight, Tensor bias, Tensor output);

    /** Computes the transposed convolution into a new tensor. */
    default Tensor forward(ConvTransposeSpec spec, Tensor input, Tensor weight, Tensor bias) {
        Tensor output = Tensor.zeros(spec.outputShape(input.shape()));
        forward(spec, input, weight, bias, output);
        return output;
    }
}
