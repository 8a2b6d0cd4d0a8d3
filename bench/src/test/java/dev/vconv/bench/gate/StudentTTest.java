package dev.vconv.bench.gate;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The special functions and Student's t against closed forms (df 1 is Cauchy, df 2 has an algebraic CDF) and
 * against tabulated values (computed with SciPy 1.17: {@code stats.t}, {@code special.betainc},
 * {@code special.gammaln}, {@code stats.ttest_ind(equal_var=False)}).
 */
class StudentTTest {

    @Test
    void logGammaMatchesKnownValues() {
        assertEquals(0.5723649429247, SpecialFunctions.logGamma(0.5), 1e-12); // ln sqrt(pi)
        assertEquals(Math.log(362880), SpecialFunctions.logGamma(10), 1e-12); // ln 9!
        assertEquals(0.0, SpecialFunctions.logGamma(1), 1e-12);
        assertEquals(1.428072326665388, SpecialFunctions.logGamma(3.7), 1e-12);
        assertEquals(469.3360974421906, SpecialFunctions.logGamma(123.4), 1e-9);
    }

    @Test
    void incompleteBetaMatchesClosedForms() {
        for (double x : new double[] {0, 0.1, 0.37, 0.5, 0.9, 1}) {
            assertEquals(x, SpecialFunctions.regularizedIncompleteBeta(x, 1, 1), 1e-12, "I_x(1,1) = x");
            assertEquals(Math.pow(x, 3.5), SpecialFunctions.regularizedIncompleteBeta(x, 3.5, 1), 1e-12, "I_x(a,1) = x^a");
        }
        assertEquals(0.5, SpecialFunctions.regularizedIncompleteBeta(0.5, 7.3, 7.3), 1e-13, "symmetry");
    }

    @Test
    void incompleteBetaMatchesTabulatedValues() {
        assertEquals(0.29675298929566646, SpecialFunctions.regularizedIncompleteBeta(0.3, 2.5, 3.5), 1e-12);
        assertEquals(0.4698474238676093, SpecialFunctions.regularizedIncompleteBeta(0.02, 0.5, 10), 1e-12);
        assertEquals(0.4642352914306031, SpecialFunctions.regularizedIncompleteBeta(0.45, 50, 60), 1e-10);
    }

    @Test
    void cdfMatchesCauchyAndDfTwoClosedForms() {
        for (double t : new double[] {-30, -2.5, -0.3, 0, 0.7, 4, 100}) {
            assertEquals(0.5 + Math.atan(t) / Math.PI, StudentT.cdf(t, 1), 1e-12, "df=1 at t=" + t);
            assertEquals(0.5 + t / (2 * Math.sqrt(2 + t * t)), StudentT.cdf(t, 2), 1e-12, "df=2 at t=" + t);
        }
    }

    @Test
    void cdfAndQuantileMatchTabulatedValues() {
        assertEquals(0.9633059826146299, StudentT.cdf(2.0, 10), 1e-12);
        assertEquals(0.9897291550153072, StudentT.cdf(3.5, 4.5), 1e-12);
        assertEquals(2.32966854670078e-05, StudentT.twoSidedP(5, 30), 1e-15);
        assertEquals(3.16927267261695, StudentT.quantile(0.995, 10), 1e-9);
        assertEquals(4.8692522532278275, StudentT.quantile(0.995, 3.7), 1e-9);
        assertEquals(Math.tan(Math.PI * 0.495), StudentT.quantile(0.995, 1), 1e-8); // Cauchy: 63.657
        assertEquals(-StudentT.quantile(0.9, 6), StudentT.quantile(0.1, 6), 1e-12);
    }

    @Test
    void welchMatchesTabulatedValue() {
        double p = Significance.welchP(new double[] {1, 2, 3, 4, 5}, new double[] {2, 4, 6, 8, 10});
        assertEquals(0.10753119493062728, p, 1e-10); // t = -1.897, df = 5.882
    }

    @Test
    void welchWithoutVarianceIsCertain() {
        assertEquals(0.0, Significance.welchP(new double[] {5, 5, 5}, new double[] {6, 6, 6}));
        assertEquals(1.0, Significance.welchP(new double[] {5, 5, 5}, new double[] {5, 5, 5}));
    }

    @Test
    void badArgumentsAreRejectedWithTheirValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> StudentT.cdf(1, 0));
        assertEquals("degrees of freedom must be positive and finite, but got df=0.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SpecialFunctions.regularizedIncompleteBeta(1.5, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> StudentT.quantile(1, 3));
    }
}
