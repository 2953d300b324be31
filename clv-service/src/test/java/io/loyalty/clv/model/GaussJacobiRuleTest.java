package io.loyalty.clv.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GaussJacobiRuleTest {

    /** Shapes (a, b) of concentrated Betas, up to the fit that motivated the rule (a ~ 9e6, b ~ 3.7e7). */
    private static final double[][] CONCENTRATED = {
        {12, 3}, {40, 120}, {300, 1200}, {5000, 20_000}, {9030242.586488055, 3.692529177119841E7}, {1e12, 4e12},
    };

    /** An n-node Gauss rule is exact for polynomials of degree 2n-1: E[p^j] = prod_(i&lt;j) (a+i)/(a+b+i). */
    @Test
    void nodesAndWeightsReproduceTheBetaMoments() {
        for (double[] ab : CONCENTRATED) {
            GaussJacobiRule rule = GaussJacobiRule.forBeta(ab[0], ab[1]);
            assertThat(rule.usable()).as("a=%s b=%s", ab[0], ab[1]).isTrue();
            double[] moments = new double[2 * rule.size()];
            for (int i = 0; i < rule.size(); i++) {
                double power = 1;
                for (int j = 0; j < moments.length; j++) {
                    moments[j] += rule.weight(i) * power;
                    power *= rule.node(i);
                }
                assertThat(rule.node(i)).isStrictlyBetween(0.0, 1.0);
            }
            double exact = 1;
            for (int j = 0; j < moments.length; j++) {
                assertThat(moments[j]).as("a=%s b=%s E[p^%d]", ab[0], ab[1], j)
                        .isCloseTo(exact, within(1e-13 * exact));
                exact *= (ab[0] + j) / (ab[0] + ab[1] + j);
            }
        }
    }

    /** The acceptance test of a rule: E[1/p] = (a+b-1)/(a-1), the hardest of the BG/NBD integrands. */
    @Test
    void inverseMomentMeetsTheTolerance() {
        for (double[] ab : CONCENTRATED) {
            GaussJacobiRule rule = GaussJacobiRule.forBeta(ab[0], ab[1]);
            double sum = 0;
            for (int i = 0; i < rule.size(); i++) {
                sum += rule.weight(i) / rule.node(i);
            }
            double exact = 1 + ab[1] / (ab[0] - 1);
            assertThat(sum).as("a=%s b=%s", ab[0], ab[1]).isCloseTo(exact, within(2 * GaussJacobiRule.TOLERANCE * exact));
        }
        // the more spread the Beta relative to its mean, the more nodes
        assertThat(GaussJacobiRule.forBeta(300, 1200).size()).isLessThan(GaussJacobiRule.forBeta(40, 120).size());
        assertThat(GaussJacobiRule.forBeta(9030242.586488055, 3.692529177119841E7).size()).isLessThanOrEqualTo(3);
    }

    /**
     * Without dropout heterogeneity everybody has p = mu = a/(a+b): the expectation becomes
     * (1 - (1 + mu s)^-k)/mu. The distance from that limit is of the order of the variance of p relative to
     * mu^2, (1-mu)/(mu (a+b+1)): at most 4/(a+b) here, and shrinking exactly like 1/(a+b).
     */
    @Test
    void approachesTheClosedFormWhenDropoutHeterogeneityVanishes() {
        double mu = 0.2;
        for (double k : new double[] {0.25, 1.52, 31.5}) {
            for (double s : new double[] {0.01, 1, 20, 1e4}) {
                double closed = -Math.expm1(-k * Math.log1p(mu * s)) / mu;
                double[] scaledDeviation = new double[4];
                int i = 0;
                for (double size = 1e6; size <= 1e12; size *= 100) {
                    GaussJacobiRule rule = GaussJacobiRule.forBeta(mu * size, (1 - mu) * size);
                    double deviation = Math.abs(rule.expectedPurchasesIfAlive(k, s) / closed - 1);
                    assertThat(deviation).as("k=%s s=%s size=%s", k, s, size).isLessThan(4.01 / size);
                    scaledDeviation[i++] = deviation * size;
                }
                if (scaledDeviation[0] > 0.01) {
                    assertThat(scaledDeviation[2]).isCloseTo(scaledDeviation[0], within(0.01 * scaledDeviation[0]));
                }
                GaussJacobiRule limit = GaussJacobiRule.forBeta(mu * 1e13, (1 - mu) * 1e13);
                assertThat(limit.size()).isEqualTo(1);
                assertThat(limit.expectedPurchasesIfAlive(k, s)).isCloseTo(closed, within(1e-12 * closed));
            }
        }
    }

    @Test
    void unavailableWhereTheBetaIsTooSpreadOrE1OverPIsInfinite() {
        assertThat(GaussJacobiRule.forBeta(0.793, 2.426).usable()).isFalse();
        assertThat(GaussJacobiRule.forBeta(1, 5).usable()).isFalse();
        assertThat(GaussJacobiRule.forBeta(2.5, 40).usable()).isFalse();
        assertThat(GaussJacobiRule.UNAVAILABLE.size()).isZero();
    }
}
