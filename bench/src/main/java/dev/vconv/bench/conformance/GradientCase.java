package dev.vconv.bench.conformance;

import dev.vconv.core.Tensor;

/**
 * One {@code conv2d_backward} case: the forward case (its {@code output} is checked too) and PyTorch's
 * autograd gradients for the given {@code grad_output}.
 *
 * @param forward    the forward part: spec, input, weight, bias, output and its reduction length
 * @param gradOutput {@code dL/d(output)}, the output's shape
 * @param gradInput  {@code dL/d(input)}
 * @param gradWeight {@code dL/d(weight)}
 * @param gradBias   {@code dL/d(bias)}, or {@code null} without bias
 * @param kInput     {@code reduction_length.grad_input}
 * @param kWeight    {@code reduction_length.grad_weight}
 * @param kBias      {@code reduction_length.grad_bias} (0 without bias)
 */
public record GradientCase(ConformanceCase forward, Tensor gradOutput, Tensor gradInput, Tensor gradWeight, Tensor gradBias,
                           int kInput, int kWeight, int kBias) {

    public String id() {
        return forward.id();
    }

    public String category() {
        return forward.category();
    }

    @Override
    public String toString() {
        return forward.toString();
    }
}
