package dev.vconv.core;

/**
 * The error function and its complement in double precision, which {@link Math} lacks; {@link Activation#gelu()}
 * needs them. Two expansions, each used where it converges fast and adds no cancellation:
 * <ul>
 * <li>{@code |z| < 2}: the series {@code erf(z) = 2/sqrt(pi) * exp(-z^2) * sum_n (2 z^2)^n z / (1*3*...*(2n+1))},
 *     whose terms are all positive (no cancellation, unlike Taylor's alternating series); at most about 35 terms;</li>
 * <li>{@code erfc(z)} for {@code z >= 1} (and {@code erf(z) = 1 - erfc(z)} from 2 on): Laplace's continued
 *     fraction {@code erfc(z) = exp(-z^2)/sqrt(pi) / (z + (1/2)/(z + 1/(z + (3/2)/(z + 2/(z + ...)))))}, evaluated
 *     from a fixed depth upwards (200 levels below {@code z = 1.25}, 150 below 2, 60 below 4, 20 above), so {@code erfc} keeps its
 *     relative accuracy far into the tail, where {@code 1 - erf(z)} would be 0;</li>
 * <li>{@code erfc(z) = 1 - erf(z)} below 1, where it loses at most a factor {@code erf/erfc < 5.4} of relative
 *     accuracy, and {@code erfc(-z) = 1 + erf(z)}.</li>
 * </ul>
 * {@code exp(-z^2)} is taken as {@code exp(-hi) * (1 - lo)} with {@code z^2 = hi + lo} split exactly by an FMA, so
 * the rounding of {@code z^2} does not grow into a relative error of {@code z^2} ulps. Tested against glibc's
 * {@code erf}/{@code erfc}: within 16 ulps (relative {@code 4e-15}) from 0 to 26, where {@code erfc} is still a
 * normal double (on a grid of step 0.005: at most 8 ulps for erf, 16 for erfc).
 */
final class Erf {
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double SQRT_PI = 1.7724538509055159;
    /** Below this |z| erf is the series; from it on {@code 1 - erfc}. */
    private static final double SERIES_LIMIT = 2.0;
    /** From this z on erfc is the continued fraction; below it {@code 1 - erf}. */
    private static final double TAIL_LIMIT = 1.0;

    private Erf() {
    }

    /** {@code erf(x)}; odd, {@code erf(±inf) = ±1}, NaN for NaN. */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double z = Math.abs(x);
        double e = z < SERIES_LIMIT ? series(z) : 1 - tail(z);
        return Math.copySign(e, x);
    }

    /** {@code erfc(x) = 1 - erf(x)}, accurate relative to its own size for large positive {@code x}. */
    static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x >= TAIL_LIMIT) {
            return tail(x);
        }
        if (x >= 0) {
            return 1 - series(x);
        }
        double z = -x;
        return z < SERIES_LIMIT ? 1 + series(z) : 2 - tail(z);
    }

    /** {@code exp(-z^2)} with {@code z^2} split exactly into {@code hi + lo}. */
    private static double expMinusSquare(double z) {
        double hi = z * z;
        double lo = Math.fma(z, z, -hi);
        return Math.exp(-hi) * (1 - lo);
    }

    /** {@code erf(z)} for {@code 0 <= z < 2}. */
    private static double series(double z) {
        double twoZ2 = 2 * z * z;
        double term = z;
        double sum = z;
        for (int n = 1; term > sum * 0x1p-56; n++) {
            term *= twoZ2 / (2 * n + 1);
            sum += term;
        }
        return TWO_OVER_SQRT_PI * expMinusSquare(z) * sum;
    }

    /** {@code erfc(z)} for {@code z >= 1}; {@code +inf} gives 0. */
    private static double tail(double z) {
        if (z == Double.POSITIVE_INFINITY) {
            return 0;
        }
        int depth = z < 1.25 ? 200 : z < 2 ? 150 : z < 4 ? 60 : 20;
        double f = z;
        for (int n = depth; n >= 1; n--) {
            f = z + 0.5 * n / f;
        }
        return expMinusSquare(z) / (SQRT_PI * f);
    }
}
