package dev.vconv.bench.gate;

/**
 * Whether two sets of measurements differ beyond noise.
 *
 * <p>With at least {@value #MIN_FORKS_FOR_T_TEST} forks on each side, Welch's t-test on the per-fork means:
 * forks are the independent samples (a new JVM each, with its own JIT decisions and memory layout), while
 * iterations within a fork are correlated and would overstate the confidence. With fewer forks there are too
 * few samples for a t-test, and the fallback is JMH's own view: 99% confidence intervals of the iteration
 * scores, significant only when they do not overlap.
 *
 * @param significant the difference is beyond noise at the 1% level
 * @param p           Welch's two-sided p-value, or {@code NaN} when the interval method was used
 * @param method      how it was decided, for the report: {@code "p=0.0012"}, {@code "99% CI disjoint"}, ...
 */
public record Significance(boolean significant, double p, String method) {

    /** Significance level of both methods. */
    static final double ALPHA = 0.01;

    /** Fewer forks than this on either side: confidence intervals instead of the t-test. */
    static final int MIN_FORKS_FOR_T_TEST = 3;

    /** Compares the measurements of one benchmark, {@code [fork][iteration]}, on each side. */
    static Significance of(double[][] baseline, double[][] current) {
        if (baseline.length >= MIN_FORKS_FOR_T_TEST && current.length >= MIN_FORKS_FOR_T_TEST) {
            double p = welchP(forkMeans(baseline), forkMeans(current));
            return new Significance(p < ALPHA, p, "p=" + formatP(p));
        }
        double[] a = flatten(baseline);
        double[] b = flatten(current);
        if (a.length < 2 || b.length < 2) {
            return new Significance(false, Double.NaN, "too few samples");
        }
        double[] ia = interval99(a);
        double[] ib = interval99(b);
        boolean disjoint = ia[1] < ib[0] || ib[1] < ia[0];
        return new Significance(disjoint, Double.NaN, disjoint ? "99% CI disjoint" : "99% CI overlap");
    }

    /**
     * Welch's two-sided p-value for a difference of means; samples need at least 2 values each. When both
     * variances are zero the answer is certain: 0 if the means differ, 1 if not.
     */
    static double welchP(double[] a, double[] b) {
        if (a.length < 2 || b.length < 2) {
            throw new IllegalArgumentException("Welch's test needs at least 2 values per sample, but got " + a.length
                    + " and " + b.length);
        }
        double va = variance(a) / a.length;
        double vb = variance(b) / b.length;
        double diff = mean(b) - mean(a);
        if (va + vb == 0) {
            return diff == 0 ? 1 : 0;
        }
        double t = diff / Math.sqrt(va + vb);
        // Welch-Satterthwaite degrees of freedom.
        double df = (va + vb) * (va + vb) / (va * va / (a.length - 1) + vb * vb / (b.length - 1));
        return StudentT.twoSidedP(t, df);
    }

    /** The two-sided 99% confidence interval of the mean, {@code [low, high]}. */
    static double[] interval99(double[] values) {
        double halfWidth = StudentT.quantile(1 - ALPHA / 2, values.length - 1)
                * Math.sqrt(variance(values) / values.length);
        double m = mean(values);
        return new double[] {m - halfWidth, m + halfWidth};
    }

    static double[] forkMeans(double[][] forks) {
        double[] means = new double[forks.length];
        for (int i = 0; i < forks.length; i++) {
            means[i] = mean(forks[i]);
        }
        return means;
    }

    static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    /** Sample variance (divisor n - 1). */
    static double variance(double[] values) {
        double m = mean(values);
        double sum = 0;
        for (double v : values) {
            sum += (v - m) * (v - m);
        }
        return sum / (values.length - 1);
    }

    private static double[] flatten(double[][] forks) {
        int count = 0;
        for (double[] fork : forks) {
            count += fork.length;
        }
        double[] all = new double[count];
        int at = 0;
        for (double[] fork : forks) {
            System.arraycopy(fork, 0, all, at, fork.length);
            at += fork.length;
        }
        return all;
    }

    static String formatP(double p) {
        return p < 1e-4 ? String.format("%.1e", p) : String.format("%.4f", p);
    }
}
