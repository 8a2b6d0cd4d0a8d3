package dev.vconv.core;

import java.util.Objects;

/**
 * What a convolution does to each output element before it stores it, in PyTorch's order:
 * <pre>
 * y = act(conv(x) + bias + alpha * residual)
 * </pre>
 * an {@link Activation} and, optionally, the add of a residual tensor of the output's shape scaled by
 * {@code alpha} (as {@code torch.add(y, residual, alpha=alpha)} followed by the activation module). Immutable,
 * compared by value. Give it to {@link Conv2d#forward(ConvSpec, Tensor, Tensor, Tensor, Epilogue, Tensor, Tensor)}
 * or {@link Conv2d#plan(ConvSpec, Shape, Tensor, Tensor, Epilogue)}:
 * <pre>
 * Epilogue.of(Activation.relu())                 // relu(conv(x) + bias)
 * Epilogue.of(Activation.relu()).withResidual()  // relu(conv(x) + bias + residual), a ResNet block's end
 * Epilogue.NONE.withResidual(0.5f)               // conv(x) + bias + 0.5 * residual
 * </pre>
 *
 * <p><b>The unfused semantics.</b> {@link #apply(float, float)} and the array forms define the result: the
 * convolution's float output {@code y} (bias included), then {@code z = fma(alpha, r, y)} rounded once (for
 * {@code alpha = 1} that is {@code y + r}), then {@link Activation#apply}. Torch 1.13's {@code add} with
 * {@code alpha != 1} rounds once in the same way, on its vectorised and its scalar path: on 10^5 random pairs
 * for each of five alphas its result equalled {@code fma(alpha, r, y)} every time, and {@code y + alpha*r}
 * (two roundings) differed in up to 28 % of them. {@code alpha} is a float, as PyTorch converts it to the
 * tensor's type.
 *
 * <p><b>What an engine promises.</b> A fused engine's result equals that same engine's unfused output followed by
 * this class's element-wise application: bit for bit for every exact activation kind ({@link Activation.Kind#isExact}:
 * identity, ReLU, ReLU6/clamp, LeakyReLU, hardswish) and the residual add; for the transcendental kinds
 * (SiLU, sigmoid, tanh, GELU, GELU-tanh) within {@link #TRANSCENDENTAL_ULPS} ulps. The reference engine and any
 * engine that does not fuse (the interface defaults) apply this class after the convolution, literally; the
 * scalar engine calls the same {@link Activation#apply} on each element as it stores it, so it is bit for bit
 * on every kind.
 *
 * <p><b>The residual</b> has exactly the output's shape. It is only read, and each of its elements is read before
 * the output element at the same index is written, so it may be the output's own array: the epilogue then
 * accumulates in place ({@code out = act(conv + alpha * out)}, like oneDNN's sum post-op). It may also share
 * the input's, weight's or bias's array, which no engine writes. {@link #checkResidual} states the rules.
 */
public final class Epilogue {

    /**
     * The most a fused engine's transcendental activation (SiLU, sigmoid, tanh, GELU, GELU-tanh) may differ from
     * {@link Activation#apply} on the same pre-activation value: this many ulps of the larger magnitude of the two
     * results, an ulp counting as at least {@code 2^-126} (so results below about {@code 2^-100}, such as GELU's
     * far negative tail, may differ by {@code 4 * 2^-126} absolute). The exact kinds and the residual add allow no
     * difference. {@link #withinBound} is the test.
     */
    public static final int TRANSCENDENTAL_ULPS = 4;

    /** No activation and no residual: the plain convolution. */
    public static final Epilogue NONE = new Epilogue(Activation.identity(), false, 1f);

    private final Activation activation;
    private final boolean residual;
    private final float alpha;

    private Epilogue(Activation activation, boolean residual, float alpha) {
        this.activation = activation;
        this.residual = residual;
        this.alpha = alpha;
    }

    /** {@code act(conv(x) + bias)}, no residual. */
    public static Epilogue of(Activation activation) {
        return new Epilogue(Objects.requireNonNull(activation, "activation"), false, 1f);
    }

    /** This epilogue with {@code + residual} (alpha 1) before its activation. */
    public Epilogue withResidual() {
        return withResidual(1f);
    }

    /**
     * This epilogue with {@code + alpha * residual} before its activation.
     *
     * @throws IllegalArgumentException if {@code alpha} is NaN or infinite
     */
    public Epilogue withResidual(float alpha) {
        if (!Float.isFinite(alpha)) {
            throw new IllegalArgumentException("the residual's alpha must be finite, but got alpha=" + alpha);
        }
        return new Epilogue(activation, true, alpha);
    }

    /** This epilogue's residual (if any) with another activation. */
    public Epilogue withActivation(Activation activation) {
        return new Epilogue(Objects.requireNonNull(activation, "activation"), residual, alpha);
    }

    public Activation activation() {
        return activation;
    }

    /** Whether a residual tensor is added (then every call needs one of the output's shape). */
    public boolean hasResidual() {
        return residual;
    }

    /** The residual's factor; 1 when there is no residual. */
    public float alpha() {
        return alpha;
    }

    /** True for {@link #NONE}: identity activation, no residual. */
    public boolean isNone() {
        return !residual && activation.isIdentity();
    }

    /**
     * One element: {@code act(y + alpha * residual)} with the add rounded once ({@code fma}), or {@code act(y)}
     * when this epilogue has no residual ({@code residual} is then ignored).
     */
    public float apply(float y, float residual) {
        return activation.apply(this.residual ? Math.fma(alpha, residual, y) : y);
    }

    /**
     * The unfused epilogue on a stretch of an array, in place: {@code y[i] = act(y[i] + alpha * residual[i])} for
     * {@code length} elements from the offsets. {@code residual} may be {@code y} itself at the same offset.
     *
     * @param residual {@code null} exactly when this epilogue has no residual
     * @throws IllegalArgumentException if a stretch does not lie inside its array, or the residual's presence does
     *                                  not match {@link #hasResidual()}
     */
    public void apply(float[] y, int yOffset, float[] residual, int residualOffset, int length) {
        apply(y, yOffset, residual, residualOffset, y, yOffset, length);
    }

    /**
     * The unfused epilogue from one stretch into another: {@code out[i] = act(y[i] + alpha * residual[i])}. Each
     * index reads {@code y} and {@code residual} before it writes {@code out}, so {@code out} may be {@code y} or
     * {@code residual} at the same offset.
     *
     * @param residual {@code null} exactly when this epilogue has no residual
     * @throws IllegalArgumentException as {@link #apply(float[], int, float[], int, int)}
     */
    public void apply(float[] y, int yOffset, float[] residual, int residualOffset, float[] out, int outOffset, int length) {
        Objects.requireNonNull(y, "y");
        Objects.requireNonNull(out, "out");
        checkStretch("y", y, yOffset, length);
        checkStretch("out", out, outOffset, length);
        if (this.residual) {
            if (residual == null) {
                throw new IllegalArgumentException("residual is required: the epilogue " + this + " adds a residual, but got residual=null");
            }
            checkStretch("residual", residual, residualOffset, length);
        } else if (residual != null) {
            throw new IllegalArgumentException("residual must be null: the epilogue " + this + " adds no residual");
        }
        applyUnchecked(y, yOffset, residual, residualOffset, out, outOffset, length);
    }

    /**
     * The unfused epilogue on a whole output tensor, in place: {@code output = act(output + alpha * residual)}.
     *
     * @param residual the output's shape (it may be {@code output} itself), or {@code null} exactly when this
     *                 epilogue has no residual
     * @throws IllegalArgumentException as {@link #checkResidual}
     */
    public void apply(Tensor output, Tensor residual) {
        Objects.requireNonNull(output, "output");
        checkResidual(output.shape(), residual);
        applyUnchecked(output.data(), 0, residual == null ? null : residual.data(), 0, output.data(), 0, output.size());
    }

    /** The loop of the array forms, on checked stretches. */
    void applyUnchecked(float[] y, int yOffset, float[] r, int rOffset, float[] out, int outOffset, int length) {
        if (!residual) {
            if (activation.kind() == Activation.Kind.RELU) {        // the common case, without the kind switch
                for (int i = 0; i < length; i++) {
                    float v = y[yOffset + i];
                    out[outOffset + i] = v < 0 ? 0f : v;
                }
            } else if (!activation.isIdentity() || y != out || yOffset != outOffset) {
                for (int i = 0; i < length; i++) {
                    out[outOffset + i] = activation.apply(y[yOffset + i]);
                }
            }
        } else if (alpha == 1f) {
            for (int i = 0; i < length; i++) {
                out[outOffset + i] = activation.apply(y[yOffset + i] + r[rOffset + i]);
            }
        } else {
            for (int i = 0; i < length; i++) {
                out[outOffset + i] = activation.apply(Math.fma(alpha, r[rOffset + i], y[yOffset + i]));
            }
        }
    }

    private static void checkStretch(String name, float[] array, int offset, int length) {
        if (length < 0 || offset < 0 || offset > array.length - length) {
            throw new IllegalArgumentException(name + " stretch [" + offset + ", " + offset + " + " + length
                    + ") must lie inside its array of length " + array.length + ", with offset and length >= 0");
        }
    }

    /**
     * Checks a call's residual against this epilogue and the output's shape, before anything is written: a
     * residual of exactly {@code outputShape} when this epilogue has one, {@code null} when it has none. Sharing
     * arrays is allowed (see the class comment): the output's own array accumulates in place; the input's,
     * weight's or bias's array is only read.
     *
     * @throws IllegalArgumentException if the residual is missing, unexpected, or of another shape
     */
    public void checkResidual(Shape outputShape, Tensor residual) {
        Objects.requireNonNull(outputShape, "outputShape");
        if (this.residual && residual == null) {
            throw new IllegalArgumentException("residual of size " + outputShape + " is required: the epilogue " + this
                    + " adds a residual, but got residual=null");
        }
        if (!this.residual && residual != null) {
            throw new IllegalArgumentException("residual must be null: the epilogue " + this
                    + " adds no residual, but got residual of size " + residual.shape());
        }
        if (residual != null && !residual.shape().equals(outputShape)) {
            throw new IllegalArgumentException("residual must have the output's size " + outputShape
                    + ", but got residual of size " + residual.shape());
        }
    }

    /**
     * Whether a fused engine's {@code got} is within this epilogue's promise of {@code expected}, the unfused
     * value ({@link #apply(float, float)} on the engine's own unfused output): identical for the exact
     * activation kinds ({@code +0} and {@code -0} differ; NaN matches NaN), else within
     * {@link #TRANSCENDENTAL_ULPS} ulps of the larger magnitude, or an absolute {@code TRANSCENDENTAL_ULPS * 2^-126}
     * near zero.
     */
    public boolean withinBound(float expected, float got) {
        if (Float.floatToIntBits(expected) == Float.floatToIntBits(got) || (Float.isNaN(expected) && Float.isNaN(got))) {
            return true;
        }
        if (activation.kind().isExact() || Float.isNaN(expected) || Float.isNaN(got)
                || Float.isInfinite(expected) || Float.isInfinite(got)) {
            return false;
        }
        double ulp = Math.max(Math.ulp(Math.max(Math.abs(expected), Math.abs(got))), Float.MIN_NORMAL);
        return Math.abs((double) expected - got) <= TRANSCENDENTAL_ULPS * ulp;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Epilogue e && activation.equals(e.activation) && residual == e.residual
                && Float.floatToIntBits(alpha) == Float.floatToIntBits(e.alpha);
    }

    @Override
    public int hashCode() {
        return (activation.hashCode() * 31 + Boolean.hashCode(residual)) * 31 + Float.floatToIntBits(alpha);
    }

    /** {@code relu}, {@code relu(y + residual)}, {@code gelu(y + 0.5 * residual)}, {@code none}. */
    @Override
    public String toString() {
        if (isNone()) {
            return "none";
        }
        if (!residual) {
            return activation.toString();
        }
        String sum = alpha == 1f ? "y + residual" : "y + " + alpha + " * residual";
        return activation.isIdentity() ? sum : activation + "(" + sum + ")";
    }
}
