package dev.vconv.core;

/**
 * An element-wise activation with PyTorch's definition: the last step of an {@link Epilogue}. Immutable; made by
 * the factories ({@link #relu()}, {@link #clamp(float, float)}, {@link #gelu()}, ...), compared by value. An
 * engine switches on {@link #kind()} and reads the parameters of that kind ({@link #min()}/{@link #max()} for
 * {@link Kind#CLAMP}, {@link #negativeSlope()} for {@link Kind#LEAKY_RELU}).
 *
 * <p>{@link #apply(float)} is the definition every engine's fused epilogue is measured against. What it computes,
 * and what torch 1.13.1 (Debian's {@code python3-torch}, CPU, float32) was seen to compute on the same inputs:
 * <table>
 * <caption>Activations, their edge cases, and torch 1.13</caption>
 * <tr><th>kind</th><th>{@code apply(x)}</th><th>edge cases (same in torch unless said)</th></tr>
 * <tr><td>IDENTITY</td><td>{@code x}</td><td></td></tr>
 * <tr><td>RELU</td><td>{@code x < 0 ? +0 : x}</td><td>{@code relu(-0.0) = -0.0}; {@code relu(-inf) = +0};
 *     NaN stays NaN</td></tr>
 * <tr><td>CLAMP (and ReLU6 = clamp(0, 6))</td><td>{@code x < min ? min : x > max ? max : x}</td><td>
 *     {@code relu6(-0.0) = -0.0}, {@code relu6(inf) = 6}; {@code clamp(-0.0, 6)} gives {@code -0.0} for every
 *     negative {@code x}, and {@code +0.0} for {@code +0.0}; NaN stays NaN (torch's {@code hardtanh},
 *     {@code relu6} and {@code clamp} all behave so)</td></tr>
 * <tr><td>LEAKY_RELU</td><td>{@code x > 0 ? x : x * slope} (float)</td><td>{@code -0.0 -> -0.0}, and
 *     {@code +0.0 -> -0.0} for a negative slope; {@code -inf} with slope 0 gives NaN</td></tr>
 * <tr><td>HARDSWISH</td><td>{@code x * min(max(x + 3, 0), 6) / 6}, each step in float, in that order</td><td>
 *     bit for bit torch's (checked on 10^5 values, its vectorised and scalar paths); {@code hardswish(-0.0) = -0.0},
 *     {@code hardswish(-3) = -0.0}, {@code hardswish(-inf) = NaN}, {@code hardswish(inf) = inf}</td></tr>
 * <tr><td>SILU</td><td>{@code x / (1 + exp(-x))}</td><td>{@code silu(-0.0) = -0.0}, {@code silu(-inf) = NaN}
 *     (the formula's {@code -inf/inf}), {@code silu(inf) = inf}</td></tr>
 * <tr><td>SIGMOID</td><td>{@code 1 / (1 + exp(-x))}</td><td>{@code sigmoid(±0) = 0.5}, {@code sigmoid(-inf) = +0}</td></tr>
 * <tr><td>TANH</td><td>{@code tanh(x)}</td><td>{@code tanh(-0.0) = -0.0}</td></tr>
 * <tr><td>GELU</td><td>{@code x/2 * (1 + erf(x/sqrt(2)))}, evaluated as {@code x/2 * erfc(-x/sqrt(2))}</td><td>
 *     {@code gelu(-inf) = NaN}, {@code gelu(inf) = inf}. Here {@code gelu(-0.0) = -0.0} and large negative
 *     {@code x} give the tiny negative exact value ({@code gelu(-10) = -7.6e-23}); torch's float32 kernel gives
 *     {@code +0.0} for both (its {@code 1 + erf} cancels to 0, and it is off by 4 % already at {@code x = -5}),
 *     its float64 kernel {@code -0.0}</td></tr>
 * <tr><td>GELU_TANH</td><td>{@code x/2 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))}, evaluated as
 *     {@code x / (1 + exp(-2u))} with {@code u} the tanh's argument (the same function, without the
 *     cancellation of {@code 1 + tanh} for negative {@code x})</td><td>{@code -0.0 -> -0.0}, {@code -inf -> NaN};
 *     torch's float32 kernel is off by 30 % at {@code x = -5} (cancellation), its float64 kernel is not</td></tr>
 * </table>
 * The five transcendental kinds (SILU, SIGMOID, TANH, GELU, GELU_TANH) are computed in double from the float
 * argument and rounded once to float: within 1 ulp of the exact value (0.5 ulp plus the double evaluation's
 * error of a few {@code 1e-16} relative, so a misrounding needs the exact value within that distance of a
 * midpoint between two floats). Torch's float32 kernels are not correctly rounded (Sleef's 1-ulp functions
 * composed in float): on 400,000 inputs in [-8, 8] they were within 2 ulps of the correctly rounded value for
 * SiLU and sigmoid and 1 ulp for tanh, but up to 546 ulps for GELU and 200 for GELU-tanh already on [-3, 0)
 * (the cancellation of {@code 1 + erf} and {@code 1 + tanh}), and 0 where the exact value is a tiny negative
 * number further out. An engine that fuses GELU within {@link Epilogue#TRANSCENDENTAL_ULPS} of {@code apply}
 * needs a form without that cancellation (an {@code erfc}, or the sigmoid form above).
 */
public final class Activation {

    /** What an activation computes; the parameters live in the {@link Activation}. */
    public enum Kind {
        IDENTITY, RELU, CLAMP, LEAKY_RELU, HARDSWISH, SILU, SIGMOID, TANH, GELU, GELU_TANH;

        /**
         * True for the kinds that are exact float arithmetic (identity, ReLU, clamp, LeakyReLU, hardswish): a fused
         * engine reproduces {@link Activation#apply} bit for bit on them. The others are transcendental.
         */
        public boolean isExact() {
            return switch (this) {
                case IDENTITY, RELU, CLAMP, LEAKY_RELU, HARDSWISH -> true;
                case SILU, SIGMOID, TANH, GELU, GELU_TANH -> false;
            };
        }
    }

    private static final Activation IDENTITY = new Activation(Kind.IDENTITY, 0, 0);
    private static final Activation RELU = new Activation(Kind.RELU, 0, 0);
    private static final Activation RELU6 = new Activation(Kind.CLAMP, 0, 6);
    private static final Activation HARDSWISH = new Activation(Kind.HARDSWISH, 0, 0);
    private static final Activation SILU = new Activation(Kind.SILU, 0, 0);
    private static final Activation SIGMOID = new Activation(Kind.SIGMOID, 0, 0);
    private static final Activation TANH = new Activation(Kind.TANH, 0, 0);
    private static final Activation GELU = new Activation(Kind.GELU, 0, 0);
    private static final Activation GELU_TANH = new Activation(Kind.GELU_TANH, 0, 0);

    private static final double INV_SQRT_2 = 0.7071067811865476;
    /** {@code sqrt(2/pi)}, the GELU tanh approximation's factor, as torch's {@code M_SQRT2 * M_2_SQRTPI * 0.5}. */
    private static final double SQRT_2_OVER_PI = 0.7978845608028654;
    private static final double GELU_TANH_KAPPA = 0.044715;

    private final Kind kind;
    /** CLAMP: the lower bound; LEAKY_RELU: the negative slope; else 0. */
    private final float p0;
    /** CLAMP: the upper bound; else 0. */
    private final float p1;

    private Activation(Kind kind, float p0, float p1) {
        this.kind = kind;
        this.p0 = p0;
        this.p1 = p1;
    }

    /** {@code x}: no activation. */
    public static Activation identity() {
        return IDENTITY;
    }

    /** {@code nn.ReLU}: {@code max(x, 0)}, keeping {@code -0.0} and NaN. */
    public static Activation relu() {
        return RELU;
    }

    /** {@code nn.ReLU6}: {@code clamp(x, 0, 6)}; it is {@code clamp(0, 6)} and equal to it. */
    public static Activation relu6() {
        return RELU6;
    }

    /**
     * {@code torch.clamp(x, min, max)} / {@code nn.Hardtanh(min, max)}. Either bound may be infinite (for a
     * one-sided clamp).
     *
     * @throws IllegalArgumentException if a bound is NaN or {@code min > max}
     */
    public static Activation clamp(float min, float max) {
        if (Float.isNaN(min) || Float.isNaN(max)) {
            throw new IllegalArgumentException("clamp bounds must not be NaN, but got min=" + min + ", max=" + max);
        }
        if (min > max) {
            throw new IllegalArgumentException("clamp needs min <= max, but got min=" + min + ", max=" + max);
        }
        return new Activation(Kind.CLAMP, min, max);
    }

    /**
     * {@code nn.LeakyReLU(negative_slope)}: {@code x > 0 ? x : x * slope}. Any finite slope, as PyTorch allows
     * (negative and above 1 too).
     *
     * @throws IllegalArgumentException if {@code slope} is NaN or infinite
     */
    public static Activation leakyRelu(float slope) {
        if (!Float.isFinite(slope)) {
            throw new IllegalArgumentException("leakyRelu's negative_slope must be finite, but got negative_slope=" + slope);
        }
        return new Activation(Kind.LEAKY_RELU, slope, 0);
    }

    /** {@code nn.SiLU} (swish): {@code x * sigmoid(x)}. */
    public static Activation silu() {
        return SILU;
    }

    /** {@code nn.Sigmoid}: {@code 1 / (1 + exp(-x))}. */
    public static Activation sigmoid() {
        return SIGMOID;
    }

    /** {@code nn.Hardswish}: {@code x * relu6(x + 3) / 6}. */
    public static Activation hardswish() {
        return HARDSWISH;
    }

    /** {@code nn.Tanh}. */
    public static Activation tanh() {
        return TANH;
    }

    /** {@code nn.GELU()}: PyTorch's exact form {@code x/2 * (1 + erf(x/sqrt(2)))}. */
    public static Activation gelu() {
        return GELU;
    }

    /** {@code nn.GELU(approximate='tanh')}: {@code x/2 * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3)))}. */
    public static Activation geluTanh() {
        return GELU_TANH;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * The lower bound of a {@link Kind#CLAMP}.
     *
     * @throws IllegalStateException for any other kind
     */
    public float min() {
        requireKind(Kind.CLAMP, "min");
        return p0;
    }

    /**
     * The upper bound of a {@link Kind#CLAMP}.
     *
     * @throws IllegalStateException for any other kind
     */
    public float max() {
        requireKind(Kind.CLAMP, "max");
        return p1;
    }

    /**
     * The negative slope of a {@link Kind#LEAKY_RELU}.
     *
     * @throws IllegalStateException for any other kind
     */
    public float negativeSlope() {
        requireKind(Kind.LEAKY_RELU, "negativeSlope");
        return p0;
    }

    private void requireKind(Kind expected, String parameter) {
        if (kind != expected) {
            throw new IllegalStateException(parameter + " is a parameter of " + expected + ", but this activation is " + this);
        }
    }

    /** True for {@link #identity()}. */
    public boolean isIdentity() {
        return kind == Kind.IDENTITY;
    }

    /** The activation of {@code x}, as the table of the class comment defines it. */
    public float apply(float x) {
        return switch (kind) {
            case IDENTITY -> x;
            case RELU -> x < 0 ? 0f : x;
            case CLAMP -> x < p0 ? p0 : x > p1 ? p1 : x;
            case LEAKY_RELU -> x > 0 ? x : x * p0;
            case HARDSWISH -> x * Math.min(Math.max(x + 3f, 0f), 6f) / 6f;
            case SILU -> (float) (x / (1 + Math.exp(-(double) x)));
            case SIGMOID -> (float) (1 / (1 + Math.exp(-(double) x)));
            case TANH -> (float) Math.tanh(x);
            case GELU -> (float) (0.5 * x * Erf.erfc(-x * INV_SQRT_2));
            case GELU_TANH -> {
                double d = x;
                double u = SQRT_2_OVER_PI * (d + GELU_TANH_KAPPA * d * d * d);
                yield (float) (d / (1 + Math.exp(-2 * u)));
            }
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Activation a && kind == a.kind && Float.floatToIntBits(p0) == Float.floatToIntBits(a.p0)
                && Float.floatToIntBits(p1) == Float.floatToIntBits(a.p1);
    }

    @Override
    public int hashCode() {
        return (kind.hashCode() * 31 + Float.floatToIntBits(p0)) * 31 + Float.floatToIntBits(p1);
    }

    /** Reads like the factory call: {@code relu}, {@code clamp(-1.0, 1.0)}, {@code leakyRelu(0.01)}, {@code relu6}. */
    @Override
    public String toString() {
        return switch (kind) {
            case IDENTITY -> "identity";
            case RELU -> "relu";
            case CLAMP -> equals(RELU6) ? "relu6" : "clamp(" + p0 + ", " + p1 + ")";
            case LEAKY_RELU -> "leakyRelu(" + p0 + ")";
            case HARDSWISH -> "hardswish";
            case SILU -> "silu";
            case SIGMOID -> "sigmoid";
            case TANH -> "tanh";
            case GELU -> "gelu";
            case GELU_TANH -> "geluTanh";
        };
    }
}
