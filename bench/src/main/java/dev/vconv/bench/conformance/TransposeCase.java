package dev.vconv.bench.conformance;

import dev.vconv.core.ConvTransposeSpec;
import dev.vconv.core.Tensor;

/**
 * One {@code conv_transpose2d} case.
 *
 * @param bias            {@code null} when the case has no bias
 * @param expected        PyTorch's output, {@code [n, cout, hout, wout]}
 * @param reductionLength {@code K} of the tolerance rule ({@code reduction_length.output})
 */
public record TransposeCase(String id, String category, ConvTransposeSpec spec, Tensor input, Tensor weight, Tensor bias,
                            Tensor expected, int reductionLength, boolean exact) {

    @Override
    public String toString() {
        return id + " [" + category + "] " + spec + " on input " + input.shape();
    }
}
