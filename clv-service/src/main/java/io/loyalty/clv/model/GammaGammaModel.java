package io.loyalty.clv.model;

import org.hipparchus.special.Gamma;

/**
 * Gamma-Gamma spend model (Fader, Hardie &amp; Lee 2005, "RFM and CLV: Using Iso-Value Curves"; Fader &amp;
 * Hardie, "The Gamma-Gamma Model of Monetary Value", 2013). A customer's x repeat purchases have mean
 * value zbar; individual spend is Gamma(p, nu), nu ~ Gamma(q, v) across customers.
 */
public final class GammaGammaModel {

    private GammaGammaModel() {}

    /**
     * Fit on customers with x &gt; 0 only (callers filter); meanValue = mean spend of repeat purchases.
     *
     * <p>x must be a whole number &gt;= 1 and weights non-negative, else {@link IllegalArgumentException}.
     * Rows with meanValue &lt;= 0 (customers whose repeat purchases were all free) carry no information
     * for a positive spend distribution, whose density is 0 there, and are left out of the fit.
     */
    public static GammaGammaParameters fit(double[] x, double[] meanValue, double[] weight) {
        Likelihood lik = new Likelihood(x, meanValue, weight);
        // method of moments for the start: mean spend m ~ p v/(q-1); start q = 3, p = 1
        double meanZ = lik.sumWZ / lik.totalWeight;
        double[][] starts = {
            {0, Math.log(3), Math.log(Math.max(1e-9, 2 * meanZ))},
            {0, 0, 0},
            {Math.log(5), Math.log(5), Math.log(Math.max(1e-9, 0.8 * meanZ))},
        };
        LogSpaceMinimizer.Result res =
                LogSpaceMinimizer.minimize(lik, starts, LogSpaceMinimizer.budgetFor(lik.rows.size()));
        double[] th = res.theta();
        double ll = -lik.valueAndGradient(th, new double[3]) * lik.totalWeight;
        return new GammaGammaParameters(Math.exp(th[0]), Math.exp(th[1]), Math.exp(th[2]), ll);
    }

    /** Weighted log-likelihood of the data under given parameters (for diagnostics and tests). */
    public static double logLikelihood(GammaGammaParameters g, double[] x, double[] meanValue, double[] weight) {
        Likelihood lik = new Likelihood(x, meanValue, weight);
        double[] th = {Math.log(g.p()), Math.log(g.q()), Math.log(g.v())};
        return -lik.valueAndGradient(th, new double[3]) * lik.totalWeight;
    }

    /**
     * E[Z | x, zbar] = (p (v + x zbar)) / (p x + q - 1), a weighted mean of the population mean p v/(q-1)
     * and the customer's own zbar; for x = 0 the population mean p v/(q-1).
     *
     * @throws IllegalArgumentException for invalid parameters or inputs, including q &lt;= 1 when the
     *         population mean is needed (the Gamma-Gamma mean spend does not exist then)
     */
    public static double expectedAverageValue(GammaGammaParameters g, double x, double meanValue) {
        if (g == null) {
            throw new IllegalArgumentException("Gamma-Gamma parameters are required");
        }
        BgNbdModel.requirePositive("p", g.p());
        BgNbdModel.requirePositive("q", g.q());
        BgNbdModel.requirePositive("v", g.v());
        if (!(x >= 0) || !Double.isFinite(x)) {
            throw new IllegalArgumentException("x must be finite and >= 0, was " + x);
        }
        if (x == 0) {
            if (!(g.q() > 1)) {
                throw new IllegalArgumentException("q must exceed 1 for a finite population mean, was " + g.q());
            }
            return g.p() * g.v() / (g.q() - 1);
        }
        if (!(meanValue >= 0) || !Double.isFinite(meanValue)) {
            throw new IllegalArgumentException("meanValue must be finite and >= 0, was " + meanValue);
        }
        double denom = g.p() * x + g.q() - 1;
        if (!(denom > 0)) {
            throw new IllegalArgumentException("p x + q - 1 must be positive, was " + denom);
        }
        return g.p() * (g.v() + x * meanValue) / denom;
    }

    /**
     * Negative mean log-likelihood in theta = ln(p, q, v) with analytic gradient. Per customer
     * ln f = lnG(px+q) - lnG(px) - lnG(q) + q ln v + (px-1) ln zbar + px ln x - (px+q) ln(v + x zbar);
     * the gamma-function terms are evaluated once per distinct x.
     */
    private static final class Likelihood implements LogSpaceMinimizer.Objective {
        final SummaryRows rows;
        final double[] logZ;
        final double[] z;
        final double[] groupLogX;
        final double totalWeight;
        final double sumWZ;

        Likelihood(double[] x, double[] meanValue, double[] weight) {
            SummaryRows.requireSameLength(x, meanValue, weight);
            double[] w = weight.clone();
            for (int i = 0; i < x.length; i++) {
                double m = meanValue[i];
                if (Double.isNaN(m) || Double.isInfinite(m) || m < 0) {
                    throw new IllegalArgumentException("meanValue[" + i + "] must be finite and >= 0, was " + m);
                }
                if (m == 0) {
                    w[i] = 0;
                }
            }
            this.rows = new SummaryRows(x, w, false);
            int n = rows.size();
            this.z = new double[n];
            this.logZ = new double[n];
            double swz = 0;
            for (int k = 0; k < n; k++) {
                double m = meanValue[rows.source[k]];
                z[k] = m;
                logZ[k] = Math.log(m);
                swz += rows.weight[k] * m;
            }
            this.groupLogX = new double[rows.groupX.length];
            for (int g = 0; g < groupLogX.length; g++) {
                groupLogX[g] = Math.log(rows.groupX[g]);
            }
            this.totalWeight = rows.totalWeight;
            this.sumWZ = swz;
        }

        @Override
        public double valueAndGradient(double[] theta, double[] grad) {
            double p = Math.exp(theta[0]);
            double q = Math.exp(theta[1]);
            double v = Math.exp(theta[2]);
            double logV = theta[2];
            double lgQ = Gamma.logGamma(q);
            double psiQ = Gamma.digamma(q);
            double ll = 0;
            double gp = 0;
            double gq = 0;
            double gv = 0;
            double[] gx = rows.groupX;
            double[] gw = rows.groupWeight;
            for (int g = 0; g < gx.length; g++) {
                double px = p * gx[g];
                double w = gw[g];
                double psiPxQ = Gamma.digamma(px + q);
                ll += w * (Gamma.logGamma(px + q) - Gamma.logGamma(px) - lgQ + q * logV + px * groupLogX[g]);
                gp += w * gx[g] * (psiPxQ - Gamma.digamma(px) + groupLogX[g]);
                gq += w * (psiPxQ - psiQ + logV);
                gv += w * q / v;
            }
            double[] rx = rows.x;
            double[] rw = rows.weight;
            for (int k = 0; k < rw.length; k++) {
                double w = rw[k];
                double xk = rx[k];
                double px = p * xk;
                double vxz = v + xk * z[k];
                double lVxz = Math.log(vxz);
                ll += w * ((px - 1) * logZ[k] - (px + q) * lVxz);
                gp += w * xk * (logZ[k] - lVxz);
                gq -= w * lVxz;
                gv -= w * (px + q) / vxz;
            }
            double inv = 1.0 / totalWeight;
            grad[0] = -gp * p * inv;
            grad[1] = -gq * q * inv;
            grad[2] = -gv * v * inv;
            return -ll * inv;
        }
    }
}
