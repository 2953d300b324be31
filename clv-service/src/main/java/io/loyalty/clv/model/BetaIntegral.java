package io.loyalty.clv.model;

import org.hipparchus.special.Gamma;

/**
 * The BG/NBD expectation for a customer alive at T written as an integral over the dropout probability p
 * (posterior Beta(a, b+x)), after the purchase rate (posterior Gamma(r+x, alpha+T)) is integrated out:
 * <pre>
 *   E[Y(t) | alive] = E_p[(1 - (1 + p s)^-(r+x)) / p],   s = t / (alpha + T).
 * </pre>
 * Evaluated by tanh-sinh quadrature after the substitution p = u^(1/a) (which removes the p^(a-1)
 * singularity). Used where the hypergeometric series converges too slowly (z = s/(1+s) near 1) and as an
 * independent check of the series in tests.
 */
final class BetaIntegral {

    private static final double TAU_MAX = 5.0;
    private static final int MAX_LEVEL = 12;
    private static final double TOLERANCE = 1e-13;

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
        // 1 / (a B(a, b')) in log space
        double logNorm = Gamma.logGamma(a + bPrime) - Gamma.logGamma(a + 1) - Gamma.logGamma(bPrime);
        double h = 0.5;
        double sum = integrand(0.0, a, bPrime, k, s);
        for (int j = 1; j * h <= TAU_MAX; j++) {
            sum += integrand(j * h, a, bPrime, k, s) + integrand(-j * h, a, bPrime, k, s);
        }
        double estimate = sum * h;
        for (int level = 1; level <= MAX_LEVEL; level++) {
            h /= 2;
            for (int j = 1; j * h <= TAU_MAX; j += 2) {
                sum += integrand(j * h, a, bPrime, k, s) + integrand(-j * h, a, bPrime, k, s);
            }
            double next = sum * h;
            boolean done = Math.abs(next - estimate) <= TOLERANCE * Math.abs(next);
            estimate = next;
            if (done && level >= 3) {
                break;
            }
        }
        return Math.exp(logNorm) * estimate;
    }

    /** Integrand in tau, including the tanh-sinh Jacobian du/dtau = pi cosh(tau) u (1 - u). */
    private static double integrand(double tau, double a, double bPrime, double k, double s) {
        double y = Math.PI * Math.sinh(tau);          // 2 * (pi/2) sinh(tau)
        double logU = -log1pExp(-y);                  // u = 1 / (1 + e^-y)
        double logOneMinusU = -log1pExp(y);
        double logJac = Math.log(Math.PI * Math.cosh(tau)) + logU + logOneMinusU;
        double logP = logU / a;
        double p = Math.exp(logP);
        double logOneMinusP = p < 0.5 ? Math.log1p(-p) : Math.log(-Math.expm1(logP));
        double hp;
        if (p * s < 1e-300 || p == 0) {
            hp = k * s;
        } else {
            hp = -Math.expm1(-k * Math.log1p(p * s)) / p;
        }
        double logRest = logJac + (bPrime - 1) * logOneMinusP;
        double v = hp * Math.exp(logRest);
        return Double.isFinite(v) ? v : 0;
    }

    private static double log1pExp(double v) {
        return v > 35 ? v + Math.exp(-v) : Math.log1p(Math.exp(v));
    }
}
