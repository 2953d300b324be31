package io.loyalty.clv.model;

/**
 * Tanh-sinh (double-exponential) quadrature on (0, 1): u = 1 / (1 + exp(-pi sinh(tau))), trapezoidal rule in
 * tau, halving the step until two levels agree. Integrable endpoint singularities and mass crowded against an
 * endpoint cost only a few more levels, which is why the BG/NBD and Pareto/NBD integrals are written with
 * their difficulty at an endpoint.
 */
final class TanhSinh {

    /** The integrand at u, given as ln u and ln(1-u) so that points next to either endpoint keep their digits. */
    interface Integrand {
        double at(double logU, double logOneMinusU);
    }

    /** |tau| beyond which u or 1 - u is below e^-233: nothing left to sample in double precision. */
    private static final double TAU_MAX = 5.0;
    private static final double FIRST_STEP = 0.5;

    private TanhSinh() {}

    /**
     * Integral of f over (0, 1). Stops when two successive levels agree to tolerance (relative) from level 3
     * on; at maxLevel (about 20 * 2^maxLevel evaluations) it returns the finest estimate. Non-finite values of
     * f (underflow against overflow at the far ends) count as 0.
     */
    static double integrate(Integrand f, double tolerance, int maxLevel) {
        double h = FIRST_STEP;
        double sum = weighted(f, 0.0);
        for (int j = 1; j * h <= TAU_MAX; j++) {
            sum += weighted(f, j * h) + weighted(f, -j * h);
        }
        double estimate = sum * h;
        for (int level = 1; level <= maxLevel; level++) {
            h /= 2;
            for (int j = 1; j * h <= TAU_MAX; j += 2) {
                sum += weighted(f, j * h) + weighted(f, -j * h);
            }
            double next = sum * h;
            boolean done = Math.abs(next - estimate) <= tolerance * Math.abs(next);
            estimate = next;
            if (done && level >= 3) {
                break;
            }
        }
        return estimate;
    }

    /** f at the node for tau times the Jacobian du/dtau = pi cosh(tau) u (1 - u). */
    private static double weighted(Integrand f, double tau) {
        double y = Math.PI * Math.sinh(tau);
        double logU = -log1pExp(-y);
        double logOneMinusU = -log1pExp(y);
        double logJacobian = Math.log(Math.PI * Math.cosh(tau)) + logU + logOneMinusU;
        double v = f.at(logU, logOneMinusU) * Math.exp(logJacobian);
        return Double.isFinite(v) ? v : 0;
    }

    private static double log1pExp(double v) {
        return v > 35 ? v + Math.exp(-v) : Math.log1p(Math.exp(v));
    }
}
