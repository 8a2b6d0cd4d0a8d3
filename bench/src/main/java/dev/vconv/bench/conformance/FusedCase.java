package dev.vconv.bench.conformance;

import dev.vconv.core.BatchNorm2d;
import dev.vconv.core.Epilogue;
import dev.vconv.core.Tensor;

/**
 * One {@code conv2d_fused} case: a convolution followed, in PyTorch's order, by an optional eval-mode BatchNorm, an
 * optional residual add and an activation ({@code FORMAT.md}).
 *
 * @param conv          the convolution part: spec, input, weight, bias, PyTorch's final output as {@code expected},
 *                      {@code K}, and whether the case is exact
 * @param epilogue      the activation and, when {@code residual} is not null, the residual add with its alpha
 * @param residual      {@code [n, cout, hout, wout]}, or {@code null}
 * @param batchNorm     the BatchNorm between convolution and epilogue, or {@code null}
 * @param foldedWeight  PyTorch's float32 fold of the BatchNorm into the weight ({@code null} without BatchNorm)
 * @param foldedBias    the same for the bias
 * @param preActivation the value before the activation, {@code bn(conv) + alpha * residual}, for the tolerance
 */
public record FusedCase(ConformanceCase conv, Epilogue epilogue, Tensor residual, BatchNorm2d batchNorm, Tensor foldedWeight,
                        Tensor foldedBias, Tensor preActivation) {

    public String id() {
        return conv.id();
    }

    public String category() {
        return conv.category();
    }

    @Override
    public String toString() {
        return conv + (batchNorm == null ? "" : " then " + batchNorm) + " then " + epilogue;
    }
}
