package io.loyalty.clv.model;

import static io.loyalty.clv.model.CdnowData.rounded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.hipparchus.special.Gamma;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ParetoNbdModelTest {

    private static CdnowData.Summaries cdnow;
    private static ParetoNbdModel.Parameters fitted;

    @BeforeAll
    static void fit() {
        cdnow = CdnowData.summaryCsv();
        fitted = ParetoNbdModel.fit(cdnow.x(), cdnow.tx(), cdnow.T(), cdnow.weight());
    }

    /**
     * CDNOW Pareto/NBD estimates as reported to two decimals by Fader, Hardie and co-authors (r = 0.55,
     * alpha = 10.58, s = 0.61, beta = 11.67, LL = -9595.0), and as found here by an independent scipy
     * reference (untransformed scipy.special.hyp2f1 likelihood, Nelder-Mead): r 0.55328, alpha 10.5776,
     * s 0.60621, beta 11.6679, LL -9594.974.
     */
    @Test
    void fitReproducesTheCdnowEstimates() {
        assertThat(rounded(fitted.r(), 2)).isEqualTo(0.55);
        assertThat(rounded(fitted.alpha(), 2)).isEqualTo(10.58);
        assertThat(rounded(fitted.s(), 2)).isEqualTo(0.61);
        assertThat(rounded(fitted.beta(), 2)).isEqualTo(11.67);
        assertThat(rounded(fitted.logLikelihood(), 1)).isEqualTo(-9595.0);
        assertThat(fitted.r()).isCloseTo(0.55328, within(2e-4));
        assertThat(fitted.alpha()).isCloseTo(10.5776, within(5e-3));
        assertThat(fitted.s()).isCloseTo(0.60621, within(2e-3));
        assertThat(fitted.beta()).isCloseTo(11.6679, within(5e-2));
        assertThat(fitted.logLikelihood()).isCloseTo(-9594.974, within(2e-3));
    }

    @Test
    void fitIsAMaximum() {
        double ll = fitted.logLikelihood();
        double[] base = {fitted.r(), fitted.alpha(), fitted.s(), fitted.beta()};
        for (int i = 0; i < 4; i++) {
            for (double f : new double[] {0.99, 1.01}) {
                double[] p = base.clone();
                p[i] *= f;
                double other = ParetoNbdModel.logLikelihood(new ParetoNbdModel.Parameters(p[0], p[1], p[2], p[3], 0),
                        cdnow.x(), cdnow.tx(), cdnow.T(), cdnow.weight());
                assertThat(other).as("parameter %d x %s", i, f).isLessThan(ll);
            }
        }
    }

    /** FHL Pareto/NBD note eq. (22) with the plain (untransformed) 2F1 series, both branches alpha &gt;&lt; beta. */
    @Test
    void likelihoodEqualsTheUntransformedFormula() {
        for (ParetoNbdModel.Parameters p : new ParetoNbdModel.Parameters[] {
            new ParetoNbdModel.Parameters(0.55, 10.58, 0.61, 11.67, 0),
            new ParetoNbdModel.Parameters(0.55, 14, 0.61, 9, 0),
            new ParetoNbdModel.Parameters(1.2, 5, 2.5, 5, 0)}) {
            double expected = 0;
            for (int i = 0; i < cdnow.size(); i++) {
                expected += naiveLogLikelihood(p, cdnow.x()[i], cdnow.tx()[i], cdnow.T()[i]);
            }
            assertThat(ParetoNbdModel.logLikelihood(p, cdnow.x(), cdnow.tx(), cdnow.T(), cdnow.weight()))
                    .as("%s", p).isCloseTo(expected, within(1e-7));
        }
    }

    private static double naiveLogLikelihood(ParetoNbdModel.Parameters p, double x, double tx, double T) {
        double r = p.r();
        double alpha = p.alpha();
        double s = p.s();
        double beta = p.beta();
        double a = r + s + x;
        double k = Math.max(alpha, beta);
        double b = alpha >= beta ? s + 1 : r + x;
        double f1 = plain2F1(a, b, a + 1, Math.abs(alpha - beta) / (k + tx)) / Math.pow(k + tx, a);
        double f2 = plain2F1(a, b, a + 1, Math.abs(alpha - beta) / (k + T)) / Math.pow(k + T, a);
        double a0 = f1 - f2;
        double lead = Math.exp(Gamma.logGamma(r + x) - Gamma.logGamma(r)) * Math.pow(alpha, r) * Math.pow(beta, s);
        return Math.log(lead * (1 / (Math.pow(alpha + T, r + x) * Math.pow(beta + T, s)) + s / a * a0));
    }

    private static double plain2F1(double a, double b, double c, double z) {
        double term = 1;
        double sum = 1;
        for (int n = 0; n < 100_000; n++) {
            term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
            sum += term;
            if (Math.abs(term) < 1e-17 * sum) {
                break;
            }
        }
        return sum;
    }

    /**
     * CDNOW customer 1 (x = 2, tx = 30.43, T = 38.86) at r 0.5532755, alpha 10.5776125, s 0.6062135,
     * beta 11.6679078: P(alive) 0.8691187 and E[Y(39)] 1.4551130 from the FHL note's eqs. (24) and (21)
     * evaluated with scipy.special.hyp2f1 (independent reference computed for this test).
     */
    @Test
    void customerOneMatchesAnIndependentReference() {
        ParetoNbdModel m = ParetoNbdModel.of(
                new ParetoNbdModel.Parameters(0.5532755, 10.5776125, 0.6062135, 11.6679078, 0));
        assertThat(m.probabilityAlive(2, 30.43, 38.86)).isCloseTo(0.8691187, within(1e-7));
        assertThat(m.expectedPurchases(2, 30.43, 38.86, 39)).isCloseTo(1.4551130, within(1e-7));
    }

    @Test
    void expectationsAndPAliveBehave() {
        ParetoNbdModel m = ParetoNbdModel.of(fitted);
        assertThat(m.probabilityAlive(0, 0, 0)).isEqualTo(1.0);
        assertThat(m.probabilityAlive(5, 38, 39)).isGreaterThan(m.probabilityAlive(5, 10, 39));
        assertThat(m.probabilityAlive(2, 30.43, 38.86)).isBetween(0.0, 1.0);
        double h = 1e-6;
        assertThat(m.expectedPurchasesNewCustomer(h) / h).isCloseTo(fitted.r() / fitted.alpha(), within(1e-6));
        // a customer alive at T buys at rate (r+x)/(alpha+T) at first
        double rate = m.expectedPurchases(2, 30.43, 38.86, h) / h;
        assertThat(rate).isCloseTo(m.probabilityAlive(2, 30.43, 38.86) * (fitted.r() + 2) / (fitted.alpha() + 38.86),
                within(1e-6));
        // s = 1 is continuous
        ParetoNbdModel at = ParetoNbdModel.of(new ParetoNbdModel.Parameters(0.5, 10, 1, 12, 0));
        ParetoNbdModel near = ParetoNbdModel.of(new ParetoNbdModel.Parameters(0.5, 10, 1 + 1e-8, 12, 0));
        assertThat(at.expectedPurchases(3, 20, 39, 52)).isCloseTo(near.expectedPurchases(3, 20, 39, 52), within(1e-6));
        for (double x : new double[] {0, 1, 50, 900}) {
            for (double T : new double[] {0, 39, 1e5}) {
                double tx = x == 0 ? 0 : T / 3;
                assertThat(m.probabilityAlive(x, tx, T)).isBetween(0.0, 1.0);
                assertThat(m.expectedPurchases(x, tx, T, 52)).isFinite().isGreaterThanOrEqualTo(0);
            }
        }
        assertThatThrownBy(() -> m.expectedPurchases(1, 5, 2, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ParetoNbdModel.of(new ParetoNbdModel.Parameters(1, 1, -1, 1, 0)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
