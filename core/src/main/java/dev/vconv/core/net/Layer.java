package dev.vconv.core.net;

import dev.vconv.core.Activation;
import dev.vconv.core.BatchNorm2d;
import dev.vconv.core.ConvSpec;
import dev.vconv.core.Epilogue;
import dev.vconv.core.Shape;
import dev.vconv.core.Tensor;

/**
 * One layer of a {@link Network}, in the order the network runs them. Layers name their operands by value id:
 * {@code 0} is the network's input and {@code i + 1} the output of {@code network.layers().get(i)}. A layer only
 * reads values made before it, so the list is already in execution order.
 *
 * <p>Names are torchvision's module names ({@code layer1.0.conv2}, {@code features.3.conv.1.0}): they appear in
 * error messages, in a plan's {@link NetworkPlan#steps() steps} and in per-layer timings.
 */
public sealed interface Layer {

    /** The layer's name, unique in its network. */
    String name();

    /** The id of the value this layer reads. */
    int input();

    /** The shape of this layer's output for an input of shape {@code in} (already checked by the network). */
    Shape outputShape(Shape in);

    /** Learnable parameters as PyTorch counts them ({@code sum(p.numel() for p in module.parameters())}). */
    long parameterCount();

    /**
     * A convolution, then an optional eval-mode BatchNorm, then {@code activation(... + residual)}: PyTorch's
     * {@code act(bn(conv(x)) + residual)}. {@link Network#plan} folds the BatchNorm into the weight and bias
     * ({@link #folded}) and fuses the residual add and the activation into the
     * convolution's store.
     *
     * @param bias      {@code [cout]}, or null exactly when {@code spec} has no bias
     * @param batchNorm the BatchNorm that follows the convolution, or null
     * @param residual  the id of a value of the output's shape added before the activation, or -1 for none
     */
    record Conv(String name, int input, ConvSpec spec, Tensor weight, Tensor bias, BatchNorm2d batchNorm,
                int residual, Activation activation) implements Layer {

        @Override
        public Shape outputShape(Shape in) {
            return spec.outputShape(in);
        }

        @Override
        public long parameterCount() {
            return weight.size() + (bias == null ? 0 : bias.size()) + (batchNorm == null ? 0 : 2L * batchNorm.numFeatures());
        }

        /** What the planned convolution applies as it stores: {@code activation(... + residual)}. */
        public Epilogue epilogue() {
            Epilogue e = Epilogue.of(activation);
            return residual >= 0 ? e.withResidual() : e;
        }

        /**
         * The convolution the network plans: the BatchNorm folded into new weight and bias tensors
         * ({@link BatchNorm2d#fold}, the spec gains a bias), or this layer's own spec, weight and bias when it has none.
         */
        public BatchNorm2d.Folded folded() {
            return batchNorm == null ? new BatchNorm2d.Folded(spec, weight, bias) : batchNorm.fold(spec, weight, bias);
        }
    }

    /**
     * {@code nn.MaxPool2d(kernel, stride, padding)} with PyTorch's defaults otherwise (dilation 1, floor
     * rounding): the padding never wins a window, NaN propagates.
     */
    record MaxPool(String name, int input, int kernel, int stride, int padding) implements Layer {

        @Override
        public Shape outputShape(Shape in) {
            int h = in.dim(2);
            int w = in.dim(3);
            int hout = Math.floorDiv(h + 2 * padding - kernel, stride) + 1;
            int wout = Math.floorDiv(w + 2 * padding - kernel, stride) + 1;
            if (hout < 1 || wout < 1) {
                throw new IllegalArgumentException("max pool '" + name + "': given input size " + in
                        + ", calculated output size (" + hout + " x " + wout + ") is too small (kernel " + kernel
                        + ", stride " + stride + ", padding " + padding + ")");
            }
            return Shape.of(in.dim(0), in.dim(1), hout, wout);
        }

        @Override
        public long parameterCount() {
            return 0;
        }
    }

    /** {@code nn.AdaptiveAvgPool2d(1)}: the mean of each channel's plane, {@code [n, c, h, w] -> [n, c, 1, 1]}. */
    record GlobalAvgPool(String name, int input) implements Layer {

        @Override
        public Shape outputShape(Shape in) {
            return Shape.of(in.dim(0), in.dim(1), 1, 1);
        }

        @Override
        public long parameterCount() {
            return 0;
        }
    }

    /** {@code torch.flatten(x, 1)}: {@code [n, c, h, w] -> [n, c*h*w]}, a view of the same array (no step at run time). */
    record Flatten(String name, int input) implements Layer {

        @Override
        public Shape outputShape(Shape in) {
            return Shape.of(in.dim(0), in.dim(1) * in.dim(2) * in.dim(3));
        }

        @Override
        public long parameterCount() {
            return 0;
        }
    }

    /**
     * {@code nn.Linear(in, out)}: {@code y = x W^T + b} on {@code [n, in]}, weight {@code [out, in]}, bias
     * {@code [out]} or null. Planned as a 1x1 convolution on a 1x1 image, so it runs on the network's engine.
     */
    record Linear(String name, int input, Tensor weight, Tensor bias) implements Layer {

        public int inFeatures() {
            return weight.dim(1);
        }

        public int outFeatures() {
            return weight.dim(0);
        }

        @Override
        public Shape outputShape(Shape in) {
            if (in.dim(1) != inFeatures()) {
                throw new IllegalArgumentException("linear '" + name + "' has in_features=" + inFeatures()
                        + " but its input of size " + in + " has " + in.dim(1) + " features");
            }
            return Shape.of(in.dim(0), outFeatures());
        }

        @Override
        public long parameterCount() {
            return weight.size() + (bias == null ? 0 : bias.size());
        }

        /** The same map as a 1x1 convolution: {@code [n, in, 1, 1] -> [n, out, 1, 1]}, weight {@code [out, in, 1, 1]}. */
        public ConvSpec asConv() {
            return ConvSpec.builder(inFeatures(), outFeatures(), 1).bias(bias != null).build();
        }
    }
}
