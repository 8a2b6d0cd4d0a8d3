package dev.vconv.core;

/**
 * The gradients of a convolution's loss with respect to its operands, given {@code dL/d(output)}.
 *
 * @param input  {@code dL/d(input)}, the input's shape (gradients of padded positions folded back onto the
 *               input positions they were copied from, as PyTorch's padding modes do)
 * @param weight {@code dL/d(weight)}, {@code [cout, cin/groups, kh, kw]}
 * @param bias   {@code dL/d(bias)}, {@code [cout]}, or {@code null} when the spec has no bias
 */
public record ConvGradients(Tensor input, Tensor weight, Tensor bias) {
}
