package io.loyalty.clv.model;

import org.hipparchus.special.Gamma;

/**
 * Pareto/NBD (Schmittlein, Morrison &amp; Colombo 1987), a second purchase model beside BG/NBD: purchases
 * Poisson(lambda), lambda ~ Gamma(r, alpha); lifetimes exponential(mu), mu ~ Gamma(s, beta). Likelihood,
 * P(alive) and conditional expectation as in Fader &amp; Hardie (2005), "A Note on Deriving the Pareto/NBD
 * Model and Related Expressions" (eqs. 22, 24 and 21 there).
 *
 * <p>Stability: the Gaussian hypergeometric terms are taken through Euler's transformation to
 * 2F1(1, b'; c; z) with b' &lt; c, whose series has positive terms that shrink from the start (no overflow
 * for x in the hundreds), and everything is combined in log space; the difference of the two terms of
 * A0 is a log-difference-of-exponentials, exactly 0 when tx = T. That series needs ~ln(1e15)/(1-z) terms,
 * 1 - z = (min(alpha, beta) + tx)/(max(alpha, beta) + tx), which runs to millions when one heterogeneity
 * vanishes (s and beta, or r and alpha, growing together); there A0 is integrated directly instead (see
 * {@link #logDropoutIntegral}).
 */
public final class ParetoNbdModel {

    private static final double SERIES_TOLERANCE = 1e-15;
    private static final int SERIES_MAX_TERMS = 1_000_000;
    /** Above this many series terms the tanh-sinh integral is cheaper (~600 evaluations of two log1p). */
    private static final double SERIES_MAX_ESTIMATED_TERMS = 5_000;
    /** Two levels agreeing to 1e-10 leave an error far smaller: tanh-sinh roughly squares it per level. */
    private static final double INTEGRAL_TOLERANCE = 1e-10;
    private static final int INTEGRAL_MAX_LEVEL = 9;

    /** Pareto/NBD parameters, time in the model's unit. */
    public record Parameters(double r, double alpha, double s, double beta, double logLikelihood) {}

    private final Parameters parameters;

    private ParetoNbdModel(Parameters p) {
        this.parameters = p;
    }

    public static ParetoNbdModel of(Parameters p) {
        if (p == null) {
            throw new IllegalArgumentException("Pareto/NBD parameters are required");
        }
        BgNbdModel.requirePositive("r", p.r());
        BgNbdModel.requirePositive("alpha", p.alpha());
        BgNbdModel.requirePositive("s", p.s());
        BgNbdModel.requirePositive("beta", p.beta());
        return new ParetoNbdModel(p);
    }

    public Parameters parameters() {
        return parameters;
    }

    /**
     * Maximum likelihood over weighted summaries (same conventions as {@link BgNbdModel#fit}). The
     * gradient is taken by central differences (the hypergeometric terms' parameter derivatives have no
     * cheap closed form), so this fit costs several times a BG/NBD fit.
     */
    public static Parameters fit(double[] x, double[] tx, double[] T, double[] weight) {
        SummaryRows.requireSameLength(x, tx, T, weight);
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(T[i]) || T[i] < 0) {
                throw new IllegalArgumentException("T[" + i + "] must be finite and >= 0, was " + T[i]);
            }
            if (x[i] > 0 && (!Double.isFinite(tx[i]) || tx[i] < 0 || tx[i] > T[i])) {
                throw new IllegalArgumentException("tx[" + i + "] must lie in [0, T], was " + tx[i]);
            }
        }
        SummaryRows rows = new SummaryRows(x, weight, true);
        int n = rows.size();
        double[] rtx = new double[n];
        double[] rT = new double[n];
        double swt = 0;
        double swx = 0;
        for (int k = 0; k < n; k++) {
            int i = rows.source[k];
            rtx[k] = x[i] > 0 ? tx[i] : 0;
            rT[k] = T[i];
            swt += rows.weight[k] * T[i];
            swx += rows.weight[k] * x[i];
        }
        double total = rows.totalWeight;
        LogSpaceMinimizer.Objective value = (theta, grad) -> -logLikelihood(theta, rows, rtx, rT) / total;
        LogSpaceMinimizer.Objective withGradient = (theta, grad) -> {
            double f = value.valueAndGradient(theta, null);
            double[] probe = theta.clone();
            for (int j = 0; j < theta.length; j++) {
                double h = 1e-6;
                probe[j] = theta[j] + h;
                double fp = value.valueAndGradient(probe, null);
                probe[j] = theta[j] - h;
                double fm = value.valueAndGradient(probe, null);
                probe[j] = theta[j];
                grad[j] = (fp - fm) / (2 * h);
            }
            return f;
        };
        double meanT = swt / total;
        double alpha0 = Math.max(1e-6, (meanT + 1e-9) / Math.max(swx / total, 1e-3));
        double[][] starts = {
            {0, Math.log(alpha0), 0, Math.log(Math.max(1e-6, meanT))},
            {0, 0, 0, 0},
        };
        LogSpaceMinimizer.Result res =
                LogSpaceMinimizer.minimize(withGradient, starts, LogSpaceMinimizer.budgetFor(n * 9));
        double[] th = res.theta();
        return new Parameters(Math.exp(th[0]), Math.exp(th[1]), Math.exp(th[2]), Math.exp(th[3]),
                logLikelihood(th, rows, rtx, rT));
    }

    private static double logLikelihood(double[] theta, SummaryRows rows, double[] tx, double[] T) {
        double r = Math.exp(theta[0]);
        double alpha = Math.exp(theta[1]);
        double s = Math.exp(theta[2]);
        double beta = Math.exp(theta[3]);
        double lgR = Gamma.logGamma(r);
        double ll = 0;
        for (int g = 0; g < rows.groupX.length; g++) {
            double xg = rows.groupX[g];
            ll += rows.groupWeight[g] * (Gamma.logGamma(r + xg) - lgR + r * theta[1] + s * theta[3]);
        }
        for (int k = 0; k < rows.size(); k++) {
            double x = rows.x[k];
            double aliveTerm = -(r + x) * Math.log(alpha + T[k]) - s * Math.log(beta + T[k]);
            double deadTerm = Math.log(s) - Math.log(r + s + x) + logA0(r, alpha, s, beta, x, tx[k], T[k]);
            ll += rows.weight[k] * logSumExp(aliveTerm, deadTerm);
        }
        return ll;
    }

    /** Weighted log-likelihood under given parameters. */
    public static double logLikelihood(Parameters p, double[] x, double[] tx, double[] T, double[] weight) {
        SummaryRows.requireSameLength(x, tx, T, weight);
        SummaryRows rows = new SummaryRows(x, weight, true);
        double[] rtx = new double[rows.size()];
        double[] rT = new double[rows.size()];
        for (int k = 0; k < rows.size(); k++) {
            rtx[k] = rows.x[k] > 0 ? tx[rows.source[k]] : 0;
            rT[k] = T[rows.source[k]];
        }
        return logLikelihood(new double[] {Math.log(p.r()), Math.log(p.alpha()), Math.log(p.s()), Math.log(p.beta())},
                rows, rtx, rT);
    }

    /**
     * ln A0, A0 = [2F1(A, B; A+1; z(tx)) / (k+tx)^A - 2F1(A, B; A+1; z(T)) / (k+T)^A], A = r+s+x, with
     * k = max(alpha, beta), z(u) = |alpha-beta| / (k+u), B = s+1 if alpha &gt;= beta else r+x.
     * -infinity when tx = T (the customer cannot have died between tx and T).
     */
    static double logA0(double r, double alpha, double s, double beta, double x, double tx, double T) {
        if (seriesIsSlow(alpha, beta, tx)) {
            return Math.log(r + s + x) - (r + x) * Math.log(alpha + tx) - (s + 1) * Math.log(beta + tx)
                    + logDropoutIntegral(r + x, alpha, s + 1, beta, tx, T);
        }
        double bigA = r + s + x;
        double c = bigA + 1;
        boolean alphaLarger = alpha >= beta;
        double k = alphaLarger ? alpha : beta;
        // Euler: 2F1(A, B; C; z) = (1-z)^(C-A-B) 2F1(C-A, C-B; C; z), C - A = 1
        double bPrime = alphaLarger ? r + x : s + 1;
        double power = alphaLarger ? -s : 1 - r - x;
        double diff = Math.abs(alpha - beta);
        double l1 = logTerm(bPrime, c, power, bigA, diff, k + tx);
        double l2 = logTerm(bPrime, c, power, bigA, diff, k + T);
        if (!(l2 < l1)) {
            return Double.NEGATIVE_INFINITY;
        }
        return l1 + Math.log(-Math.expm1(l2 - l1));
    }

    /** True where the 2F1 series at z(tx) (the slower of the two) would need more than the integral costs. */
    private static boolean seriesIsSlow(double alpha, double beta, double tx) {
        double oneMinusZ = (Math.min(alpha, beta) + tx) / (Math.max(alpha, beta) + tx);
        return -Math.log(SERIES_TOLERANCE) / oneMinusZ > SERIES_MAX_ESTIMATED_TERMS;
    }

    /**
     * ln of int_tx^T ((alpha+tx)/(alpha+tau))^A ((beta+tx)/(beta+tau))^B dtau, A = r+x, B = s+1: A0 / (r+s+x)
     * (alpha+tx)^A (beta+tx)^B. The integrand falls from 1 at tx, steeply for many purchases or fast dropout,
     * which tanh-sinh resolves by crowding nodes at that end; -infinity when tx = T.
     */
    static double logDropoutIntegral(double bigA, double alpha, double bigB, double beta, double tx, double T) {
        double length = T - tx;
        if (!(length > 0)) {
            return Double.NEGATIVE_INFINITY;
        }
        double alphaRate = length / (alpha + tx);
        double betaRate = length / (beta + tx);
        double integral = TanhSinh.integrate((logU, logOneMinusU) -> {
            double u = Math.exp(logU);
            return Math.exp(-bigA * Math.log1p(alphaRate * u) - bigB * Math.log1p(betaRate * u));
        }, INTEGRAL_TOLERANCE, INTEGRAL_MAX_LEVEL);
        return Math.log(length) + Math.log(integral);
    }

    private static double logTerm(double bPrime, double c, double power, double bigA, double diff, double ku) {
        double z = diff / ku;
        return power * Math.log1p(-z) + Math.log(series(bPrime, c, z)) - bigA * Math.log(ku);
    }

    /** 2F1(1, b'; c; z) = sum_n prod_(j&lt;n) (b'+j) z / (c+j) for b' &lt; c: positive, decreasing terms. */
    static double series(double bPrime, double c, double z) {
        double term = 1;
        double sum = 1;
        for (int n = 0; n < SERIES_MAX_TERMS; n++) {
            double ratio = (bPrime + n) * z / (c + n);
            term *= ratio;
            sum += term;
            // ratios increase towards z: z/(1-z) bounds the rest relative to the last term
            if (term <= SERIES_TOLERANCE * sum * (1 - z) || term == 0) {
                return sum;
            }
        }
        return sum + term * z / (1 - z);
    }

    private static double logSumExp(double u, double v) {
        double m = Math.max(u, v);
        if (m == Double.NEGATIVE_INFINITY) {
            return m;
        }
        return m + Math.log1p(Math.exp(Math.min(u, v) - m));
    }

    /** P(alive | x, tx, T) = 1 / (1 + s/(r+s+x) (alpha+T)^(r+x) (beta+T)^s A0). */
    public double probabilityAlive(double x, double tx, double T) {
        checkCustomer(x, tx, T);
        return 1 / (1 + Math.exp(logDeadOdds(x, tx, T)));
    }

    private double logDeadOdds(double x, double tx, double T) {
        Parameters p = parameters;
        double effectiveTx = x > 0 ? tx : 0;
        if (seriesIsSlow(p.alpha(), p.beta(), effectiveTx)) {
            // relative to tx: (r+x) ln(alpha+T) and s ln(beta+T) (~1e14 for s ~ 1e13) never need to cancel
            double length = T - effectiveTx;
            double rx = p.r() + x;
            return Math.log(p.s()) - Math.log(p.beta() + T)
                    + rx * Math.log1p(length / (p.alpha() + effectiveTx))
                    + (p.s() + 1) * Math.log1p(length / (p.beta() + effectiveTx))
                    + logDropoutIntegral(rx, p.alpha(), p.s() + 1, p.beta(), effectiveTx, T);
        }
        return Math.log(p.s()) - Math.log(p.r() + p.s() + x) + (p.r() + x) * Math.log(p.alpha() + T)
                + p.s() * Math.log(p.beta() + T) + logA0(p.r(), p.alpha(), p.s(), p.beta(), x, effectiveTx, T);
    }

    /**
     * E[Y(t) | x, tx, T] = (r+x)(beta+T) / ((alpha+T)(s-1)) [1 - ((beta+T)/(beta+T+t))^(s-1)] P(alive),
     * with the bracket over (s-1) as -expm1(...)/(s-1) (exact limit ln(1 + t/(beta+T)) at s = 1).
     */
    public double expectedPurchases(double x, double tx, double T, double t) {
        checkCustomer(x, tx, T);
        if (!(t >= 0) || !Double.isFinite(t)) {
            throw new IllegalArgumentException("horizon t must be finite and >= 0, was " + t);
        }
        if (t == 0) {
            return 0;
        }
        Parameters p = parameters;
        double bT = p.beta() + T;
        double alive = (p.r() + x) * bT / (p.alpha() + T) * bracketOverSMinusOne(p.s() - 1, Math.log1p(t / bT));
        return alive * probabilityAlive(x, tx, T);
    }

    /** E[X(t)] = r beta / (alpha (s-1)) [1 - (beta/(beta+t))^(s-1)] for a new customer. */
    public double expectedPurchasesNewCustomer(double t) {
        if (!(t >= 0) || !Double.isFinite(t)) {
            throw new IllegalArgumentException("horizon t must be finite and >= 0, was " + t);
        }
        Parameters p = parameters;
        return p.r() * p.beta() / p.alpha() * bracketOverSMinusOne(p.s() - 1, Math.log1p(t / p.beta()));
    }

    /** (1 - exp(-e L)) / e, stable for e near 0 (limit L). */
    private static double bracketOverSMinusOne(double e, double logRatio) {
        double el = e * logRatio;
        return Math.abs(el) < 1e-12 ? logRatio * (1 - 0.5 * el) : -Math.expm1(-el) / e;
    }

    private static void checkCustomer(double x, double tx, double T) {
        if (!(x >= 0) || !Double.isFinite(x) || !Double.isFinite(T) || T < 0) {
            throw new IllegalArgumentException("invalid customer summary x=" + x + " T=" + T);
        }
        if (x > 0 && (!(tx >= 0) || tx > T)) {
            throw new IllegalArgumentException("recency tx=" + tx + " must lie in [0, T=" + T + "]");
        }
    }
}
