package io.loyalty.clv.model;

import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.IntStream;

import org.hipparchus.special.Gamma;

/**
 * BG/NBD model (Fader, Hardie &amp; Lee 2005, "Counting Your Customers the Easy Way"): maximum-likelihood fit
 * over compressed customer summaries and the per-customer quantities derived from it.
 *
 * <p>The static methods are the contract; {@link #of(BgNbdParameters)} gives an instance holding the
 * parameter-only terms for scoring many customers. Its methods allocate nothing on the series and
 * Gauss-Jacobi paths beyond one cached quadrature rule per distinct x.
 *
 * <p>E[Y(t) | alive] is evaluated by whichever of three methods is accurate and cheapest for the parameters:
 * the Euler-transformed hypergeometric series (typical fits), Gauss-Jacobi quadrature over the dropout
 * probability (large a, up to the limit of no dropout heterogeneity, where the series would need millions
 * of terms) and a tanh-sinh integral (small a with t much longer than alpha + T).
 */
public final class BgNbdModel {

    /** Relative accuracy targeted by the hypergeometric series. */
    private static final double SERIES_TOLERANCE = 1e-14;
    /** ln(1/SERIES_TOLERANCE): terms needed after the series' peak, in units of 1/(1-z). */
    private static final double SERIES_TAIL_LENGTH = Math.log(1 / SERIES_TOLERANCE);
    /** Above this estimate the series costs more than the tanh-sinh integral (~50k terms ~ 0.2 ms). */
    private static final double SERIES_MAX_ESTIMATED_TERMS = 50_000;
    /** A Gauss-Jacobi node (log1p, expm1) costs about as much as this many series terms. */
    private static final double NODE_COST_IN_SERIES_TERMS = 10;
    /** Quadrature rules are cached for whole x below this; heavier buyers get theirs built per call. */
    private static final int RULE_CACHE_SIZE = 1024;

    private final BgNbdParameters parameters;
    private final double r;
    private final double alpha;
    private final double a;
    private final double b;
    private final double logA;
    /** c - k = a + b - 1 - r for c = a+b+x-1, k = r+x: the upper parameter of the series' Pochhammer ratio. */
    private final double upper;
    /** Gauss-Jacobi rules for Beta(a, b+x) by x, built on first use. */
    private final AtomicReferenceArray<GaussJacobiRule> rulesByX = new AtomicReferenceArray<>(RULE_CACHE_SIZE);

    private BgNbdModel(BgNbdParameters p) {
        this.parameters = p;
        this.r = p.r();
        this.alpha = p.alpha();
        this.a = p.a();
        this.b = p.b();
        this.logA = Math.log(a);
        this.upper = a + b - 1 - r;
    }

    /** A scoring instance for fitted parameters (all four must be positive and finite). */
    public static BgNbdModel of(BgNbdParameters p) {
        if (p == null) {
            throw new IllegalArgumentException("BG/NBD parameters are required");
        }
        requirePositive("r", p.r());
        requirePositive("alpha", p.alpha());
        requirePositive("a", p.a());
        requirePositive("b", p.b());
        return new BgNbdModel(p);
    }

    public BgNbdParameters parameters() {
        return parameters;
    }

    // ---------------------------------------------------------------- fit

    /**
     * Maximum likelihood over customers given as parallel arrays; weight[i] = how many customers share
     * the summary (x[i], tx[i], T[i]) (callers compress identical summaries). x = repeat purchases,
     * tx = recency (time of last purchase since first), T = age (calibration end since first).
     *
     * <p>x must be a non-negative whole number, 0 &lt;= tx &lt;= T (tx is ignored when x = 0), weights
     * non-negative with a positive total; otherwise {@link IllegalArgumentException}. The cost of one
     * likelihood evaluation is linear in the number of rows plus the number of distinct x values.
     */
    public static BgNbdParameters fit(double[] x, double[] tx, double[] T, double[] weight) {
        Likelihood lik = new Likelihood(x, tx, T, weight);
        double meanT = lik.sumWT / lik.totalWeight;
        double meanX = lik.sumWX / lik.totalWeight;
        // r/alpha is the mean purchase rate: start with r = 1 and alpha matching the observed rate
        double alpha0 = Math.max(1e-6, (meanT + 1e-9) / Math.max(meanX, 1e-3));
        double[][] starts = {
            {0, Math.log(alpha0), 0, 0},
            {0, 0, 0, 0},
            {Math.log(0.5), Math.log(alpha0 / 2), Math.log(0.5), Math.log(2)},
        };
        LogSpaceMinimizer.Result res =
                LogSpaceMinimizer.minimize(lik, starts, LogSpaceMinimizer.budgetFor(lik.rows.size()));
        double[] th = res.theta();
        double[] scratch = new double[4];
        double ll = -lik.valueAndGradient(th, scratch) * lik.totalWeight;
        return new BgNbdParameters(Math.exp(th[0]), Math.exp(th[1]), Math.exp(th[2]), Math.exp(th[3]), ll);
    }

    /** Weighted log-likelihood of the data under given parameters (for diagnostics and tests). */
    public static double logLikelihood(BgNbdParameters p, double[] x, double[] tx, double[] T, double[] weight) {
        Likelihood lik = new Likelihood(x, tx, T, weight);
        double[] th = {Math.log(p.r()), Math.log(p.alpha()), Math.log(p.a()), Math.log(p.b())};
        return -lik.valueAndGradient(th, new double[4]) * lik.totalWeight;
    }

    /**
     * Negative mean log-likelihood in log-parameters theta = ln(r, alpha, a, b), with its analytic
     * gradient. Terms that depend only on x (log-gamma, digamma) are evaluated once per distinct x.
     */
    private static final class Likelihood implements LogSpaceMinimizer.Objective {
        /** Rows per parallel chunk; fixed so that the summation order, hence the result, never varies. */
        private static final int CHUNK = 32_768;

        final SummaryRows rows;
        final double[] tCol;
        final double[] txCol;
        /** Distinct T and tx values, or null when they are nearly as many as the rows (continuous time). */
        final DistinctValues tValues;
        final DistinctValues txValues;
        final double totalWeight;
        final double sumWT;
        final double sumWX;

        Likelihood(double[] x, double[] tx, double[] T, double[] weight) {
            SummaryRows.requireSameLength(x, tx, T, weight);
            for (int i = 0; i < x.length; i++) {
                if (!Double.isFinite(T[i]) || T[i] < 0) {
                    throw new IllegalArgumentException("T[" + i + "] must be finite and >= 0, was " + T[i]);
                }
                if (x[i] > 0 && (!Double.isFinite(tx[i]) || tx[i] < 0 || tx[i] > T[i])) {
                    throw new IllegalArgumentException(
                            "tx[" + i + "] must lie in [0, T], was " + tx[i] + " with T " + T[i]);
                }
            }
            this.rows = new SummaryRows(x, weight, true);
            int n = rows.size();
            double[] tCol = new double[n];
            double[] txCol = new double[n];
            double swt = 0;
            double swx = 0;
            for (int k = 0; k < n; k++) {
                int i = rows.source[k];
                tCol[k] = T[i];
                txCol[k] = x[i] > 0 ? tx[i] : 0;
                swt += rows.weight[k] * T[i];
                swx += rows.weight[k] * x[i];
            }
            this.tCol = tCol;
            this.txCol = txCol;
            DistinctValues tv = new DistinctValues(tCol);
            DistinctValues txv = new DistinctValues(txCol);
            // tables pay off only when values repeat; otherwise the random lookups cost more than the logs
            boolean tables = tv.size() <= n / 4 && txv.size() <= n / 4;
            this.tValues = tables ? tv : null;
            this.txValues = tables ? txv : null;
            this.totalWeight = rows.totalWeight;
            this.sumWT = swt;
            this.sumWX = swx;
        }

        @Override
        public double valueAndGradient(double[] theta, double[] grad) {
            double r = Math.exp(theta[0]);
            double alpha = Math.exp(theta[1]);
            double a = Math.exp(theta[2]);
            double b = Math.exp(theta[3]);
            double logAlpha = theta[1];
            double lgR = Gamma.logGamma(r);
            double lgAB = Gamma.logGamma(a + b);
            double lgB = Gamma.logGamma(b);
            double psiR = Gamma.digamma(r);
            double psiAB = Gamma.digamma(a + b);
            double psiB = Gamma.digamma(b);

            // [ll, d/dr, d/dalpha, d/da, d/db]
            double[] sums = new double[5];
            double[] gx = rows.groupX;
            double[] gw = rows.groupWeight;
            double[] groupLogBx1 = new double[gx.length];
            for (int g = 0; g < gx.length; g++) {
                double xg = gx[g];
                double w = gw[g];
                double lg = r * logAlpha;
                double dr = logAlpha;
                if (xg > 0) {
                    lg += Gamma.logGamma(r + xg) - lgR
                            + lgAB + Gamma.logGamma(b + xg) - lgB - Gamma.logGamma(a + b + xg);
                    double psiABX = Gamma.digamma(a + b + xg);
                    dr += Gamma.digamma(r + xg) - psiR;
                    sums[3] += w * (psiAB - psiABX);
                    sums[4] += w * (psiAB + Gamma.digamma(b + xg) - psiB - psiABX);
                    groupLogBx1[g] = Math.log(b + xg - 1);
                }
                sums[0] += w * lg;
                sums[1] += w * dr;
                sums[2] += w * r / alpha;
            }
            // ln(alpha + T), 1/(alpha + T) and the same for tx, once per distinct value
            double[] logAT = null;
            double[] invAT = null;
            double[] logATx = null;
            double[] invATx = null;
            if (tValues != null) {
                logAT = new double[tValues.size()];
                invAT = new double[tValues.size()];
                for (int j = 0; j < logAT.length; j++) {
                    double v = alpha + tValues.values[j];
                    logAT[j] = Math.log(v);
                    invAT[j] = 1 / v;
                }
                logATx = new double[txValues.size()];
                invATx = new double[txValues.size()];
                for (int j = 0; j < logATx.length; j++) {
                    double v = alpha + txValues.values[j];
                    logATx[j] = Math.log(v);
                    invATx[j] = 1 / v;
                }
            }
            RowTerms terms = new RowTerms(r, alpha, a, b, Math.log(a), groupLogBx1, logAT, invAT, logATx, invATx);
            int n = rows.size();
            int chunks = (n + CHUNK - 1) / CHUNK;
            if (chunks <= 1) {
                terms.accumulate(0, n, sums);
            } else {
                double[][] partial = new double[chunks][5];
                IntStream.range(0, chunks).parallel()
                        .forEach(c -> terms.accumulate(c * CHUNK, Math.min(n, (c + 1) * CHUNK), partial[c]));
                for (double[] p : partial) {
                    for (int j = 0; j < 5; j++) {
                        sums[j] += p[j];
                    }
                }
            }
            double inv = 1.0 / totalWeight;
            grad[0] = -sums[1] * r * inv;
            grad[1] = -sums[2] * alpha * inv;
            grad[2] = -sums[3] * a * inv;
            grad[3] = -sums[4] * b * inv;
            return -sums[0] * inv;
        }

        /** The per-row part: log-sum-exp of the "alive at T" and "dropped out after tx" terms. */
        private final class RowTerms {
            final double r;
            final double alpha;
            final double a;
            final double b;
            final double logA;
            final double[] groupLogBx1;
            final double[] logAT;
            final double[] invAT;
            final double[] logATx;
            final double[] invATx;

            RowTerms(double r, double alpha, double a, double b, double logA, double[] groupLogBx1,
                     double[] logAT, double[] invAT, double[] logATx, double[] invATx) {
                this.r = r;
                this.alpha = alpha;
                this.a = a;
                this.b = b;
                this.logA = logA;
                this.groupLogBx1 = groupLogBx1;
                this.logAT = logAT;
                this.invAT = invAT;
                this.logATx = logATx;
                this.invATx = invATx;
            }

            void accumulate(int from, int to, double[] out) {
                double ll = 0;
                double gr = 0;
                double gAlpha = 0;
                double ga = 0;
                double gb = 0;
                int[] group = rows.group;
                double[] rw = rows.weight;
                double[] rx = rows.x;
                boolean tables = logAT != null;
                int[] ti = tables ? tValues.index : null;
                int[] txi = tables ? txValues.index : null;
                for (int k = from; k < to; k++) {
                    double w = rw[k];
                    double xk = rx[k];
                    double rxk = r + xk;
                    double invT = tables ? invAT[ti[k]] : 1 / (alpha + tCol[k]);
                    double lAT = tables ? logAT[ti[k]] : Math.log(alpha + tCol[k]);
                    double a3 = -rxk * lAT;
                    if (xk > 0) {
                        double invTx = tables ? invATx[txi[k]] : 1 / (alpha + txCol[k]);
                        double lATx = tables ? logATx[txi[k]] : Math.log(alpha + txCol[k]);
                        double a4 = logA - groupLogBx1[group[k]] - rxk * lATx;
                        double w3;
                        double w4;
                        double lse;
                        if (a3 >= a4) {
                            double e = Math.exp(a4 - a3);
                            lse = a3 + Math.log1p(e);
                            w4 = e / (1 + e);
                            w3 = 1 - w4;
                        } else {
                            double e = Math.exp(a3 - a4);
                            lse = a4 + Math.log1p(e);
                            w3 = e / (1 + e);
                            w4 = 1 - w3;
                        }
                        ll += w * lse;
                        gr -= w * (w3 * lAT + w4 * lATx);
                        gAlpha -= w * rxk * (w3 * invT + w4 * invTx);
                        ga += w * w4 / a;
                        gb -= w * w4 / (b + xk - 1);
                    } else {
                        ll += w * a3;
                        gr -= w * lAT;
                        gAlpha -= w * rxk * invT;
                    }
                }
                out[0] += ll;
                out[1] += gr;
                out[2] += gAlpha;
                out[3] += ga;
                out[4] += gb;
            }
        }
    }

    // ---------------------------------------------------------------- static contract

    /** E[Y(t) | x, tx, T]: expected repeat purchases in the next t time units. */
    public static double expectedPurchases(BgNbdParameters p, double x, double tx, double T, double t) {
        return of(p).expectedPurchases(x, tx, T, t);
    }

    /** P(alive | x, tx, T). */
    public static double probabilityAlive(BgNbdParameters p, double x, double tx, double T) {
        return of(p).probabilityAlive(x, tx, T);
    }

    /** Unconditional E[X(t)] for a new customer (used for validation reports). */
    public static double expectedPurchasesNewCustomer(BgNbdParameters p, double t) {
        return of(p).expectedPurchasesNewCustomer(t);
    }

    // ---------------------------------------------------------------- instance API

    /** P(alive | x, tx, T) = 1 / (1 + [x&gt;0] a/(b+x-1) ((alpha+T)/(alpha+tx))^(r+x)). */
    public double probabilityAlive(double x, double tx, double T) {
        checkCustomer(x, tx, T);
        return 1.0 / (1.0 + Math.exp(logDropoutOdds(x, tx, T)));
    }

    /** E[Y(t) | x, tx, T] = P(alive) * E[purchases in (T, T+t] | alive at T]. */
    public double expectedPurchases(double x, double tx, double T, double t) {
        checkCustomer(x, tx, T);
        checkHorizon(t);
        double alive = expectedPurchasesIfAlive(x, T, t);
        double odds = Math.exp(logDropoutOdds(x, tx, T));
        return alive / (1.0 + odds);
    }

    /** E[X(t)] = (a+b-1)/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))]. */
    public double expectedPurchasesNewCustomer(double t) {
        checkHorizon(t);
        // a customer just acquired (x = 0, T = 0) is alive by definition
        return expectedPurchasesIfAlive(0, 0, t);
    }

    /**
     * ln of the odds "dropped out after the last purchase" : "alive at T"; -infinity for x = 0 (a customer
     * without repeat purchases cannot have dropped out under BG/NBD). Package-visible for CLV.
     */
    double logDropoutOdds(double x, double tx, double T) {
        if (x <= 0) {
            return Double.NEGATIVE_INFINITY;
        }
        // ln((alpha+T)/(alpha+tx)) via log1p keeps precision when tx is close to T
        return logA - Math.log(b + x - 1) + (r + x) * Math.log1p((T - tx) / (alpha + tx));
    }

    /**
     * Expected purchases in (T, T+t] for a customer alive at T with x repeat purchases:
     * E = (a+b+x-1)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z)],
     * z = t/(alpha+T+t), equivalently E_p[(1 - (1 + p s)^-(r+x)) / p] over p ~ Beta(a, b+x), s = t/(alpha+T).
     * By the series where it is cheap, else by Gauss-Jacobi quadrature where that is accurate, else by the
     * tanh-sinh integral.
     */
    double expectedPurchasesIfAlive(double x, double T, double t) {
        if (t <= 0) {
            return 0;
        }
        double s = t / (alpha + T);
        double terms = estimatedSeriesTerms(x, s / (1 + s));
        GaussJacobiRule rule = gaussJacobiRule(x);
        if (!prefersRule(rule, terms)) {
            double value = seriesExpectationIfAlive(x, s);
            if (value >= 0 && Double.isFinite(value)) {
                return value;
            }
        }
        return rule.usable() ? rule.expectedPurchasesIfAlive(r + x, s)
                : BetaIntegral.expectedPurchasesIfAlive(a, b + x, r + x, s);
    }

    /**
     * The series E = c (1-z)^(a-1) sum_(n&gt;=1) (a)_(n-1)/n! z^n d_n, d_n = 1 - (c-k)_n/(c)_n, c = a+b+x-1,
     * k = r+x: Euler's transformation of the 2F1 form above with its c -&gt; infinity limit subtracted term by
     * term. Summed that way because 1 - (1-z)^(a-1) 2F1(c-k, a-1; c; z) loses ~log10(c/k) digits to
     * cancellation (all of them at b ~ 1e13, where the fit runs when nobody seems to drop out); here d_n is
     * built from positive increments. NaN where the series would cost more than the integral, does not
     * converge within twice its estimated length, or under- or overflows (large a: Gauss-Jacobi's regime).
     */
    double seriesExpectationIfAlive(double x, double s) {
        double z = s / (1 + s);
        double c = a + b + x - 1;
        double k = r + x;
        double estimatedTerms = estimatedSeriesTerms(x, z);
        if (!(estimatedTerms <= SERIES_MAX_ESTIMATED_TERMS) || !(c > 0)) {
            return Double.NaN;
        }
        int maxTerms = termLimit(estimatedTerms);
        // (a)_(n-1)/n! z^n (1-z)^(a-1), the prefactor folded in so that large a neither over- nor underflows late
        double term = z * Math.exp(-(a - 1) * Math.log1p(s));
        if (!(term > 0)) {
            return Double.NaN;
        }
        double pochhammerRatio = upper / c;
        double d = k / c;
        double sum = term * d;
        for (int n = 1; n < maxTerms; n++) {
            double inverse = 1 / (c + n);
            double ratio = (a + n - 1) / (n + 1);
            term *= ratio * z;
            d += pochhammerRatio * k * inverse;
            pochhammerRatio *= (upper + n) * inverse;
            sum += term * d;
            if (n + upper >= 0 && tailSmall(term, ratio, z, pochhammerRatio, sum)) {
                return c * sum;
            }
        }
        return Double.NaN;
    }

    /** The cached Gauss-Jacobi rule for Beta(a, b+x), possibly {@link GaussJacobiRule#UNAVAILABLE}. */
    GaussJacobiRule gaussJacobiRule(double x) {
        if (!(a > 1)) {
            return GaussJacobiRule.UNAVAILABLE;
        }
        if (x != Math.rint(x) || x >= RULE_CACHE_SIZE) {
            return GaussJacobiRule.forBeta(a, b + x);
        }
        int i = (int) x;
        GaussJacobiRule rule = rulesByX.get(i);
        if (rule == null) {
            // racing threads build equal rules; either may win
            rule = GaussJacobiRule.forBeta(a, b + x);
            rulesByX.set(i, rule);
        }
        return rule;
    }

    /**
     * Terms the series needs at z: for a &gt; 1 they grow until n ~ (a-1) z/(1-z), then shrink by about z each;
     * the tail must fall below the tolerance times a sum that is ~k/c times the terms' own sum. Within a
     * factor 1.5 of the count over a &lt;= 1e3, b &lt;= 1e8, x &lt;= 300, z &lt;= 0.999.
     */
    private double estimatedSeriesTerms(double x, double z) {
        double cOverK = (a + b + x - 1) / (r + x);
        return (Math.max(a - 1, 0) * z + SERIES_TAIL_LENGTH + Math.log(Math.max(1, cOverK))) / (1 - z);
    }

    /** Iteration cap for an estimate of at most SERIES_MAX_ESTIMATED_TERMS (the estimate can be 1.5x low). */
    private static int termLimit(double estimatedTerms) {
        return (int) (2 * estimatedTerms) + 100;
    }

    private static boolean prefersRule(GaussJacobiRule rule, double estimatedSeriesTerms) {
        return rule.usable() && rule.size() * NODE_COST_IN_SERIES_TERMS < estimatedSeriesTerms;
    }

    /**
     * sum_m (E[Y(t_m) | alive] - E[Y(t_(m-1)) | alive]) * discount[m] for increasing month ends t_m, t_0 = 0.
     * zs, seriesTerms and cumulative are scratch arrays of at least monthEnds.length (the caller keeps them
     * per thread); on return cumulative[m] holds E[Y(t_m) | alive], cumulative[h-1] the whole horizon's. One
     * method serves all month ends, chosen for the longest; the series is then summed in a single pass.
     */
    double discountedIncrementsIfAlive(double x, double T, double[] monthEnds, double[] discount,
                                       double[] zs, double[] seriesTerms, double[] cumulative) {
        int h = monthEnds.length;
        if (h == 0) {
            return 0;
        }
        double scale = alpha + T;
        double terms = estimatedSeriesTerms(x, monthEnds[h - 1] / (scale + monthEnds[h - 1]));
        GaussJacobiRule rule = gaussJacobiRule(x);
        if (prefersRule(rule, terms)) {
            for (int m = 0; m < h; m++) {
                cumulative[m] = rule.expectedPurchasesIfAlive(r + x, monthEnds[m] / scale);
            }
        } else if (!(terms <= SERIES_MAX_ESTIMATED_TERMS
                && cumulativeBySeries(x, scale, monthEnds, termLimit(terms), zs, seriesTerms, cumulative))) {
            for (int m = 0; m < h; m++) {
                cumulative[m] = expectedPurchasesIfAlive(x, T, monthEnds[m]);
            }
        }
        double total = 0;
        double previous = 0;
        for (int m = 0; m < h; m++) {
            total += (cumulative[m] - previous) * discount[m];
            previous = cumulative[m];
        }
        return total;
    }

    /**
     * The series for every month end in one pass: (a)_(n-1)/n! and d_n do not depend on t, so each term costs
     * two divisions plus two products and an addition per month. False when it does not converge within
     * maxTerms or a month's value comes out unusable.
     */
    private boolean cumulativeBySeries(double x, double scale, double[] monthEnds, int maxTerms,
                                       double[] zs, double[] terms, double[] cumulative) {
        int h = monthEnds.length;
        double c = a + b + x - 1;
        double k = r + x;
        if (!(c > 0)) {
            return false;
        }
        double pochhammerRatio = upper / c;
        double d = k / c;
        for (int m = 0; m < h; m++) {
            double s = monthEnds[m] / scale;
            zs[m] = s / (1 + s);
            terms[m] = zs[m] * Math.exp(-(a - 1) * Math.log1p(s));
            if (!(terms[m] > 0)) {
                return false;
            }
            cumulative[m] = terms[m] * d;
        }
        boolean converged = false;
        int last = h - 1;
        for (int n = 1; n < maxTerms && !converged; n++) {
            double inverse = 1 / (c + n);
            double ratio = (a + n - 1) / (n + 1);
            d += pochhammerRatio * k * inverse;
            pochhammerRatio *= (upper + n) * inverse;
            for (int m = 0; m < h; m++) {
                terms[m] *= ratio * zs[m];
                cumulative[m] += terms[m] * d;
            }
            // the largest z converges last; confirm the others only then
            if (n + upper >= 0 && tailSmall(terms[last], ratio, zs[last], pochhammerRatio, cumulative[last])) {
                converged = true;
                for (int m = 0; m < last && converged; m++) {
                    converged = tailSmall(terms[m], ratio, zs[m], pochhammerRatio, cumulative[m]);
                }
            }
        }
        if (!converged) {
            return false;
        }
        for (int m = 0; m < h; m++) {
            cumulative[m] *= c;
            if (!(cumulative[m] >= 0) || !Double.isFinite(cumulative[m])) {
                return false;
            }
        }
        return true;
    }

    /**
     * Bound on the rest of the series after a term: the ratios (a+n-1)/(n+1) z of (a)_(n-1)/n! z^n move
     * monotonically towards z, and |d_m| &lt;= 1 + |(c-k)_n/(c)_n| for m &gt; n &gt;= k - c.
     */
    private static boolean tailSmall(double term, double ratioWithoutZ, double z, double pochhammerRatio,
                                     double sum) {
        if (term == 0) {
            return true;
        }
        double rho = Math.max(ratioWithoutZ * z, z);
        return rho < 1 && term * rho / (1 - rho) * (1 + Math.abs(pochhammerRatio)) <= SERIES_TOLERANCE * Math.abs(sum);
    }

    private static void checkCustomer(double x, double tx, double T) {
        if (!(x >= 0) || !Double.isFinite(x) || !Double.isFinite(T) || T < 0) {
            throw new IllegalArgumentException("invalid customer summary x=" + x + " T=" + T);
        }
        if (x > 0 && (!(tx >= 0) || tx > T)) {
            throw new IllegalArgumentException("recency tx=" + tx + " must lie in [0, T=" + T + "]");
        }
    }

    private static void checkHorizon(double t) {
        if (!(t >= 0) || !Double.isFinite(t)) {
            throw new IllegalArgumentException("horizon t must be finite and >= 0, was " + t);
        }
    }

    static void requirePositive(String name, double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(name + " must be positive and finite, was " + v);
        }
    }
}
