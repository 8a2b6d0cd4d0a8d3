package dev.vconv.core;

import java.util.Objects;

/**
 * An eval-mode {@code nn.BatchNorm2d}: per channel {@code c},
 * {@code y = (x - running_mean[c]) / sqrt(running_var[c] + eps) * gamma[c] + beta[c]}. Immutable; it holds copies of
 * the four parameter vectors, checked once. Its use is {@link #fold}: a BatchNorm that follows a convolution goes
 * into that convolution's weight and bias, so a network runs the convolution alone.
 *
 * <pre>
 * BatchNorm2d bn = BatchNorm2d.of(gamma, beta, runningMean, runningVar, 1e-5);
 * BatchNorm2d.Folded f = bn.fold(spec, weight, bias);        // bias may be null
 * Conv2dPlan plan = engine.plan(f.spec(), inputShape, f.weight(), f.bias(), Epilogue.of(Activation.relu()));
 * </pre>
 */
public final class BatchNorm2d {
    private final float[] gamma;
    private final float[] beta;
    private final float[] runningMean;
    private final float[] runningVar;
    private final double eps;

    private BatchNorm2d(float[] gamma, float[] beta, float[] runningMean, float[] runningVar, double eps) {
        this.gamma = gamma;
        this.beta = beta;
        this.runningMean = runningMean;
        this.runningVar = runningVar;
        this.eps = eps;
    }

    /**
     * An eval-mode BatchNorm2d from PyTorch's {@code weight} (gamma), {@code bias} (beta), {@code running_mean},
     * {@code running_var} and {@code eps}. The tensors are copied.
     *
     * @param gamma       {@code [num_features]}, {@code num_features >= 1}; each of the four vectors has this size and
     *                    finite values
     * @param beta        {@code [num_features]}
     * @param runningMean {@code [num_features]}
     * @param runningVar  {@code [num_features]}, each {@code >= 0}
     * @param eps         finite and {@code >= 0} (PyTorch's default is {@code 1e-5}); {@code running_var[c] + eps}, in
     *                    float as the fold computes it, must be positive
     * @throws IllegalArgumentException naming the parameter, the value and the rule
     */
    public static BatchNorm2d of(Tensor gamma, Tensor beta, Tensor runningMean, Tensor runningVar, double eps) {
        Objects.requireNonNull(gamma, "gamma");
        Objects.requireNonNull(beta, "beta");
        Objects.requireNonNull(runningMean, "runningMean");
        Objects.requireNonNull(runningVar, "runningVar");
        Shape shape = gamma.shape();
        if (shape.rank() != 1 || shape.dim(0) == 0 || !beta.shape().equals(shape) || !runningMean.shape().equals(shape)
                || !runningVar.shape().equals(shape)) {
            throw new IllegalArgumentException("BatchNorm2d's gamma, beta, running_mean and running_var must all have size "
                    + "[num_features] with num_features >= 1, but got gamma " + shape + ", beta " + beta.shape() + ", running_mean "
                    + runningMean.shape() + ", running_var " + runningVar.shape());
        }
        if (!Double.isFinite(eps) || eps < 0) {
            throw new IllegalArgumentException("BatchNorm2d's eps must be finite and >= 0, but got eps=" + eps);
        }
        checkFinite("gamma", gamma.data());
        checkFinite("beta", beta.data());
        checkFinite("running_mean", runningMean.data());
        checkFinite("running_var", runningVar.data());
        float[] var = runningVar.data();
        for (int c = 0; c < var.length; c++) {
            if (var[c] < 0) {
                throw new IllegalArgumentException("running_var[" + c + "] must be >= 0 (a variance), but got " + var[c]);
            }
            if (!(var[c] + (float) eps > 0)) {
                throw new IllegalArgumentException("running_var[" + c + "] + eps must be positive, so that 1/sqrt(running_var + eps)"
                        + " is finite, but got " + var[c] + " + " + eps);
            }
        }
        return new BatchNorm2d(gamma.data().clone(), beta.data().clone(), runningMean.data().clone(), var.clone(), eps);
    }

    private static void checkFinite(String name, float[] values) {
        for (int c = 0; c < values.length; c++) {
            if (!Float.isFinite(values[c])) {
                throw new IllegalArgumentException(name + "[" + c + "] must be finite, but got " + values[c]);
            }
        }
    }

    /** The number of channels it normalises, {@code num_features}. */
    public int numFeatures() {
        return gamma.length;
    }

    /** {@code weight} (gamma), a copy. */
    public Tensor gamma() {
        return Tensor.of(gamma.clone(), gamma.length);
    }

    /** {@code bias} (beta), a copy. */
    public Tensor beta() {
        return Tensor.of(beta.clone(), beta.length);
    }

    /** {@code running_mean}, a copy. */
    public Tensor runningMean() {
        return Tensor.of(runningMean.clone(), runningMean.length);
    }

    /** {@code running_var}, a copy. */
    public Tensor runningVar() {
        return Tensor.of(runningVar.clone(), runningVar.length);
    }

    public double eps() {
        return eps;
    }

    /**
     * A convolution with this BatchNorm folded in: the spec with {@code bias=true}, and new weight and bias arrays.
     *
     * @param spec   the convolution's parameters
     * @param weight {@link ConvSpec#weightShape()}
     * @param bias   {@code [cout]}, or {@code null} exactly when the spec has none
     */
    public record Folded(ConvSpec spec, Tensor weight, Tensor bias) {
    }

    /**
     * Folds this BatchNorm into the convolution it follows, computed as PyTorch's
     * {@code torch.nn.utils.fusion.fuse_conv_bn_weights} (what {@code fuse_conv_bn_eval} uses) computes it in
     * float32, step by step in its order, so the results are its bit for bit:
     * <pre>
     * rsqrt[o]  = 1 / sqrt(running_var[o] + eps)              (eps rounded to float, as torch adds a Python float)
     * weight'   = weight[o, ...] * (gamma[o] * rsqrt[o])
     * bias'[o]  = ((bias[o] - running_mean[o]) * rsqrt[o]) * gamma[o] + beta[o]      (bias 0 when the spec has none)
     * </pre>
     * Then {@code conv(x; weight', bias') = bn(conv(x; weight, bias))}, up to float rounding. The caller's tensors
     * are not changed.
     *
     * @throws IllegalArgumentException if the convolution's {@code out_channels} is not {@link #numFeatures()}, or
     *                                  the weight or bias does not fit the spec
     */
    public Folded fold(ConvSpec spec, Tensor weight, Tensor bias) {
        Objects.requireNonNull(spec, "spec");
        spec.checkParameters(weight, bias);
        int cout = spec.outChannels();
        if (cout != gamma.length) {
            throw new IllegalArgumentException("BatchNorm2d with num_features=" + gamma.length + " cannot follow a convolution with out_channels="
                    + cout + ": they must be equal");
        }
        float epsF = (float) eps;
        float[] w = weight.data();
        float[] folded = new float[w.length];
        float[] foldedBias = new float[cout];
        int perChannel = w.length / cout;
        for (int o = 0; o < cout; o++) {
            float rsqrt = 1f / (float) Math.sqrt(runningVar[o] + epsF);
            float scale = gamma[o] * rsqrt;
            for (int i = o * perChannel; i < (o + 1) * perChannel; i++) {
                folded[i] = w[i] * scale;
            }
            float b = bias == null ? 0f : bias.data()[o];
            foldedBias[o] = (b - runningMean[o]) * rsqrt * gamma[o] + beta[o];
        }
        ConvSpec withBias = spec.hasBias() ? spec : spec.toBuilder().bias(true).build();
        return new Folded(withBias, Tensor.of(folded, spec.weightShape()), Tensor.of(foldedBias, cout));
    }

    @Override
    public String toString() {
        return "BatchNorm2d(" + gamma.length + ", eps=" + eps + ")";
    }
}
