package dev.vconv.bench.gate;

/**
 * The two special functions Student's t distribution needs: {@code ln Gamma} and the regularized incomplete beta
 * function {@code I_x(a, b)}. Written here rather than taken from a statistics library to keep the tools'
 * dependencies to Jackson and JMH; both are tested against closed forms and tabulated values.
 */
final class SpecialFunctions {

    /** Relative accuracy the continued fraction iterates to. */
    private static final double EPSILON = 1e-15;

    /** Stand-in for zero in Lentz's method, where a partial denominator vanishes. */
    private static final double TINY = 1e-300;

    /** Iteration cap of the continued fraction; it converges in a few dozen steps for the arguments used here. */
    private static final int MAX_ITERATIONS = 10_000;

    /** Below this, {@link #logGamma} shifts its argument up: Stirling's series is then accurate to about 1e-14. */
    private static final double STIRLING_FROM = 10;

    private SpecialFunctions() {
    }

    /**
     * {@code ln Gamma(x)} for {@code x > 0}: Stirling's series with five correction terms, after raising small
     * arguments with {@code Gamma(x) = Gamma(x + 1) / x}.
     *
     * @throws IllegalArgumentException unless {@code x} is positive and finite
     */
    static double logGamma(double x) {
        if (!(x > 0) || Double.isInfinite(x)) {
            throw new IllegalArgumentException("logGamma needs x > 0 and finite, but got x=" + x);
        }
        double shift = 0;
        double z = x;
        while (z < STIRLING_FROM) {
            shift += Math.log(z);
            z += 1;
        }
        double inverse = 1 / z;
        double inverse2 = inverse * inverse;
        // 1/(12z) - 1/(360z^3) + 1/(1260z^5) - 1/(1680z^7) + 1/(1188z^9), the Bernoulli-number terms of the
        // series; the first one left out is below 2e-14 for z >= 10.
        double series = inverse * (1.0 / 12 - inverse2 * (1.0 / 360 - inverse2 * (1.0 / 1260
                - inverse2 * (1.0 / 1680 - inverse2 / 1188))));
        return (z - 0.5) * Math.log(z) - z + 0.5 * Math.log(2 * Math.PI) + series - shift;
    }

    /**
     * The regularized incomplete beta function {@code I_x(a, b) = B(x; a, b) / B(a, b)}, by its continued fraction
     * (DLMF 8.17.22), evaluated with the modified Lentz method. The fraction converges fast for
     * {@code x < (a + 1) / (a + b + 2)}; above that the symmetry {@code I_x(a, b) = 1 - I_{1-x}(b, a)} is used.
     *
     * @throws IllegalArgumentException unless {@code 0 <= x <= 1}, {@code a > 0} and {@code b > 0}
     */
    static double regularizedIncompleteBeta(double x, double a, double b) {
        if (!(x >= 0 && x <= 1)) {
            throw new IllegalArgumentException("x must be in [0, 1], but got x=" + x);
        }
        if (!(a > 0) || !(b > 0) || Double.isInfinite(a) || Double.isInfinite(b)) {
            throw new IllegalArgumentException("a and b must be positive and finite, but got a=" + a + ", b=" + b);
        }
        if (x == 0 || x == 1) {
            return x;
        }
        if (x > (a + 1) / (a + b + 2)) {
            return 1 - regularizedIncompleteBeta(1 - x, b, a);
        }
        double logFront = a * Math.log(x) + b * Math.log1p(-x) - logBeta(a, b);
        return Math.exp(logFront) / (a * continuedFraction(x, a, b));
    }

    private static double logBeta(double a, double b) {
        return logGamma(a) + logGamma(b) - logGamma(a + b);
    }

    /**
     * {@code 1 + d1/(1 + d2/(1 + ...))} with {@code d(2m+1) = -(a+m)(a+b+m)x / ((a+2m)(a+2m+1))} and
     * {@code d(2m) = m(b-m)x / ((a+2m-1)(a+2m))}.
     */
    private static double continuedFraction(double x, double a, double b) {
        double f = 1;
        double c = 1;
        double d = 0;
        for (int j = 1; j <= MAX_ITERATIONS; j++) {
            int m = j / 2;
            double numerator = (j % 2 == 1)
                    ? -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
                    : m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
            d = 1 + numerator * d;
            d = 1 / (Math.abs(d) < TINY ? TINY : d);
            c = 1 + numerator / c;
            c = Math.abs(c) < TINY ? TINY : c;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1) < EPSILON) {
                return f;
            }
        }
        throw new ArithmeticException("incomplete beta continued fraction did not converge for x=" + x + ", a=" + a
                + ", b=" + b);
    }
}
