package dev.vconv.bench.gate;

/**
 * Student's t distribution with {@code df} degrees of freedom; {@code df} need not be an integer, as Welch's
 * test gives fractional degrees of freedom.
 */
final class StudentT {

    private StudentT() {
    }

    /** {@code P(T <= t)}. */
    static double cdf(double t, double df) {
        checkDf(df);
        if (Double.isNaN(t)) {
            throw new IllegalArgumentException("t must be a number, but got t=NaN");
        }
        if (Double.isInfinite(t)) {
            return t > 0 ? 1 : 0;
        }
        double tail = 0.5 * tailBeta(t, df);
        return t > 0 ? 1 - tail : tail;
    }

    /** The two-sided p-value {@code P(|T| >= |t|)}. */
    static double twoSidedP(double t, double df) {
        checkDf(df);
        if (Double.isNaN(t)) {
            throw new IllegalArgumentException("t must be a number, but got t=NaN");
        }
        return Double.isInfinite(t) ? 0 : tailBeta(t, df);
    }

    /** The {@code p}-quantile: the {@code t} with {@code cdf(t, df) = p}, found by bisection. */
    static double quantile(double p, double df) {
        checkDf(df);
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("p must be in (0, 1), but got p=" + p);
        }
        if (p < 0.5) {
            return -quantile(1 - p, df);
        }
        double low = 0;
        double high = 1;
        while (cdf(high, df) < p) {
            low = high;
            high *= 2;
        }
        // 200 halvings take any bracket below double resolution; the loop usually stops far earlier.
        for (int i = 0; i < 200 && high - low > 1e-13 * Math.max(1, high); i++) {
            double mid = 0.5 * (low + high);
            if (cdf(mid, df) < p) {
                low = mid;
            } else {
                high = mid;
            }
        }
        return 0.5 * (low + high);
    }

    /** {@code P(|T| >= |t|) = I_{df/(df+t^2)}(df/2, 1/2)}. */
    private static double tailBeta(double t, double df) {
        return SpecialFunctions.regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
    }

    private static void checkDf(double df) {
        if (!(df > 0) || Double.isInfinite(df)) {
            throw new IllegalArgumentException("degrees of freedom must be positive and finite, but got df=" + df);
        }
    }
}
