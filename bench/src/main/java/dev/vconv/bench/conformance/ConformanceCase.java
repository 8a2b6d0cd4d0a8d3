package dev.vconv.bench.conformance;

import dev.vconv.core.ConvSpec;
import dev.vconv.core.Tensor;

/**
 * One {@code conv2d} case of a conformance file, parsed and checked for consistency: the spec, the
 * operands, PyTorch's float64 result rounded to float32, and what the comparison needs.
 *
 * @param id              the case's unique name, e.g. {@code conv2d_0042}
 * @param category        what the case was drawn to cover, e.g. {@code asym_pad}
 * @param spec            built from the case's fields; {@code padding_spec: same} gives a {@code 'same'} spec
 * @param bias            {@code null} when the case has no bias
 * @param expected        the reference output, {@code [n, cout, hout, wout]}
 * @param reductionLength {@code K} of the tolerance rule ({@code reduction_length.output})
 * @param exact           integer-valued case: the output must be reproduced exactly
 */
public record ConformanceCase(String id, String category, ConvSpec spec, Tensor input, Tensor weight, Tensor bias,
                              Tensor expected, int reductionLength, boolean exact) {

    @Override
    public String toString() {
        return id + " [" + category + "] " + spec + " on input " + input.shape();
    }
}
