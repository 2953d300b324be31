package io.loyalty.clv.model;

import org.hipparchus.special.Beta;

/**
 * The BG/NBD expectation for a customer alive at T written as an integral over the dropout probability p
 * (posterior Beta(a, b+x)), after the purchase rate (posterior Gamma(r+x, alpha+T)) is integrated out:
 * <pre>
 *   E[Y(t) | alive] = E_p[(1 - (1 + p s)^-(r+x)) / p],   s = t / (alpha + T).
 * </pre>
 * Evaluated by tanh-sinh quadrature on both sides of the mean m of p: p = m u^(1/a) below it and
 * 1 - p = (1-m) v^(1/b') above it, which removes the p^(a-1) and (1-p)^(b'-1) endpoint behaviour and keeps
 * the bulk of a concentrated Beta within reach of the nodes (a substitution over the whole of (0, 1) would
 * put it at u ~ m^a, beyond double precision once a ln(1/m) exceeds a few hundred). Used where the
 * hypergeometric series converges too slowly and Gauss-Jacobi is not accurate (small a with z near 1), and
 * as an independent check of both in tests. Its reach ends at large a: the nodes stop at u ~ e^-233, i.e.
 * p = m e^(-233/a), so beyond a few hundred the Beta's lower tail (relative spread ~ a^-1/2) is cut off.
 * That is Gauss-Jacobi's regime, which needs only a few nodes there.
 */
final class BetaIntegral {

    /** Two levels agreeing to 1e-10 leave an error far smaller: tanh-sinh roughly squares it per level. */
    private static final double TOLERANCE = 1e-10;
    /** Caps the cost at ~2 x 5,000 integrand evaluations; typical cases stop at level 4 to 6. */
    private static final int MAX_LEVEL = 8;

    private BetaIntegral() {}

    /**
     * @param a      Beta shape of p at 0 (model parameter a)
     * @param bPrime b + x
     * @param k      r + x
     * @param s      t / (alpha + T)
     */
    static double expectedPurchasesIfAlive(double a, double bPrime, double k, double s) {
        if (s <= 0) {
            return 0;
        }
        double mean = a / (a + bPrime);
        double oneMinusMean = bPrime / (a + bPrime);
        double logMean = mean < 0.5 ? Math.log(mean) : Math.log1p(-oneMinusMean);
        double logOneMinusMean = mean < 0.5 ? Math.log1p(-mean) : Math.log(oneMinusMean);
        double logBeta = Beta.logBeta(a, bPrime);
        // the normalisations go inside the integrands: for a concentrated Beta m^a / B(a, b') overflows where
        // (1-p)^(b'-1) underflows, while their product at the bulk of p is of order one
        double logScaleBelow = a * logMean - Math.log(a) - logBeta;
        double logScaleAbove = bPrime * logOneMinusMean - Math.log(bPrime) - logBeta;
        // int_0^m g(p) p^(a-1) (1-p)^(b'-1) dp = m^a / a * int_0^1 g(p) (1-p)^(b'-1) du,  p = m u^(1/a)
        double below = TanhSinh.integrate((logU, logOneMinusU) -> {
            double shrink = -Math.expm1(logU / a);                  // 1 - u^(1/a)
            double p = mean * (1 - shrink);
            double logOneMinusP = p < 0.5 ? Math.log1p(-p) : Math.log(oneMinusMean + mean * shrink);
            return purchasesGivenDropout(p, k, s) * Math.exp(logScaleBelow + (bPrime - 1) * logOneMinusP);
        }, TOLERANCE, MAX_LEVEL);
        // int_m^1 ... dp = (1-m)^b' / b' * int_0^1 g(p) p^(a-1) dv,  1 - p = (1-m) v^(1/b')
        double above = TanhSinh.integrate((logV, logOneMinusV) -> {
            double shrink = -Math.expm1(logV / bPrime);             // 1 - v^(1/b')
            double q = oneMinusMean * (1 - shrink);
            double p = mean + oneMinusMean * shrink;
            double logP = q < 0.5 ? Math.log1p(-q) : Math.log(p);
            return purchasesGivenDropout(p, k, s) * Math.exp(logScaleAbove + (a - 1) * logP);
        }, TOLERANCE, MAX_LEVEL);
        return below + above;
    }

    /** (1 - (1 + p s)^-k) / p, the expected purchases in s given dropout probability p; k s at p = 0. */
    static double purchasesGivenDropout(double p, double k, double s) {
        if (p == 0 || p * s < 1e-300) {
            return k * s;
        }
        return -Math.expm1(-k * Math.log1p(p * s)) / p;
    }
}
