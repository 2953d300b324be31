package io.loyalty.clv.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * The three evaluations of E[Y(t) | alive] (hypergeometric series, Gauss-Jacobi, tanh-sinh integral) against
 * each other, and the boundary of the BG/NBD fit where the dropout heterogeneity vanishes (a and b huge).
 */
class BgNbdEvaluationTest {

    private static final double WEEKS_PER_MONTH = 365.25 / 12 / 7;
    /** BgNbdModel.fit on {@link #boundaryData()}: a, b ~ 1e7 with a/(a+b) ~ 0.2 (WEEK units). */
    private static final BgNbdParameters BOUNDARY = new BgNbdParameters(1.5199805411328962, 2.5288975808812424,
            9030242.586488055, 3.692529177119841E7, 0);

    private static final double[] XS = {0, 1, 3, 10, 30};
    private static final double[] TS = {0, 5, 39, 80};
    private static final double[] HORIZONS = {0.1, 1, WEEKS_PER_MONTH, 52, 200};

    /**
     * Where a Gauss-Jacobi rule exists (a large enough for the Beta(a, b+x) mass to sit away from 0) it agrees
     * with the series wherever the series converges, and with the tanh-sinh integral within that integral's
     * reach (a up to a few hundred, see BetaIntegral). Expected agreement ~1e-12; asserted to 1e-10.
     */
    @Test
    void gaussJacobiAgreesWithTheSeriesAndTheIntegral() {
        List<BgNbdParameters> params = List.of(new BgNbdParameters(0.243, 4.414, 12, 3, 0),
                new BgNbdParameters(0.75, 20, 40, 120, 0), new BgNbdParameters(1.52, 2.53, 300, 1200, 0),
                new BgNbdParameters(1.5, 3, 5000, 20_000, 0), new BgNbdParameters(0.8, 0.05, 15, 3.7e7, 0));
        int bySeries = 0;
        int byIntegral = 0;
        for (BgNbdParameters p : params) {
            BgNbdModel m = BgNbdModel.of(p);
            for (double x : XS) {
                GaussJacobiRule rule = m.gaussJacobiRule(x);
                assertThat(rule.usable()).as("%s x=%s", p, x).isTrue();
                for (double T : TS) {
                    for (double t : HORIZONS) {
                        double s = t / (p.alpha() + T);
                        double quadrature = rule.expectedPurchasesIfAlive(p.r() + x, s);
                        double series = m.seriesExpectationIfAlive(x, s);
                        if (Double.isFinite(series)) {
                            assertThat(quadrature).as("series %s x=%s T=%s t=%s", p, x, T, t)
                                    .isCloseTo(series, within(1e-10 * series));
                            bySeries++;
                        }
                        if (p.a() <= 300) {
                            double integral = BetaIntegral.expectedPurchasesIfAlive(p.a(), p.b() + x, p.r() + x, s);
                            assertThat(integral).as("integral %s x=%s T=%s t=%s", p, x, T, t).isFinite().isPositive();
                            assertThat(quadrature).as("integral %s x=%s T=%s t=%s", p, x, T, t)
                                    .isCloseTo(integral, within(1e-10 * integral));
                            byIntegral++;
                        }
                        assertThat(m.expectedPurchasesIfAlive(x, T, t)).isCloseTo(quadrature, within(1e-10 * quadrature));
                    }
                }
            }
        }
        assertThat(bySeries).isGreaterThan(300);
        assertThat(byIntegral).isGreaterThan(300);
    }

    /**
     * The integral, split at the mean of p, also covers what its single substitution p = u^(1/a) could not:
     * b + x below ~0.15 (mass against p = 1) and a concentrated Beta far from 1 (m^a below double precision).
     */
    @Test
    void tanhSinhIntegralAgreesWithTheSeriesOnBothSidesOfTheMean() {
        List<BgNbdParameters> params = List.of(new BgNbdParameters(0.243, 4.414, 0.793, 2.426, 0),
                new BgNbdParameters(0.3, 0.5, 0.2, 0.01, 0), new BgNbdParameters(0.5, 2, 3, 0.02, 0),
                new BgNbdParameters(0.24, 4.4, 0.79, 3.7e7, 0), new BgNbdParameters(0.8, 3, 15, 3.7e7, 0),
                new BgNbdParameters(2, 3, 4, 0.5, 0));
        int compared = 0;
        for (BgNbdParameters p : params) {
            BgNbdModel m = BgNbdModel.of(p);
            for (double x : XS) {
                for (double T : TS) {
                    for (double t : HORIZONS) {
                        double s = t / (p.alpha() + T);
                        double series = m.seriesExpectationIfAlive(x, s);
                        if (Double.isFinite(series)) {
                            double integral = BetaIntegral.expectedPurchasesIfAlive(p.a(), p.b() + x, p.r() + x, s);
                            assertThat(integral).as("%s x=%s T=%s t=%s", p, x, T, t)
                                    .isCloseTo(series, within(1e-10 * series));
                            compared++;
                        }
                    }
                }
            }
        }
        assertThat(compared).isGreaterThan(500);
    }

    /** The boundary fit's customers: the conditional expectation is that of a known p = a/(a+b+x). */
    @Test
    void boundaryParametersGiveFiniteMonotoneValuesForAGridOfCustomers() {
        BgNbdModel m = BgNbdModel.of(BOUNDARY);
        int months = 24;
        CustomerValue cv = CustomerValue.of(m, months, 0.01, WEEKS_PER_MONTH);
        double[] out = new double[3];
        for (int x = 0; x <= 30; x++) {
            double mu = BOUNDARY.a() / (BOUNDARY.a() + BOUNDARY.b() + x);
            double k = BOUNDARY.r() + x;
            for (double T : new double[] {0, 0.5, 1, 5, 10, 26, 52, 80}) {
                for (double tx : x == 0 ? new double[] {0} : new double[] {0, T / 3, T}) {
                    double alive = m.probabilityAlive(x, tx, T);
                    assertThat(alive).isBetween(0.0, 1.0);
                    double previous = 0;
                    for (int month = 1; month <= months; month++) {
                        double t = month * WEEKS_PER_MONTH;
                        double e = m.expectedPurchases(x, tx, T, t);
                        assertThat(e).as("x=%s tx=%s T=%s month %s", x, tx, T, month).isFinite()
                                .isGreaterThanOrEqualTo(previous);
                        previous = e;
                        double s = t / (BOUNDARY.alpha() + T);
                        double knownP = -Math.expm1(-k * Math.log1p(mu * s)) / mu;
                        assertThat(m.expectedPurchasesIfAlive(x, T, t)).isCloseTo(knownP, within(1e-5 * knownP));
                    }
                    cv.score(x, tx, T, 50, out);
                    assertThat(out[0]).isEqualTo(alive);
                    assertThat(out[1]).isFinite().isCloseTo(previous, within(1e-12 * Math.max(1e-300, previous)));
                    assertThat(out[2]).isFinite().isGreaterThanOrEqualTo(0)
                            .isCloseTo(cv.discountedClv(x, tx, T, 50), within(1e-12 * Math.max(1, out[2])));
                }
            }
        }
    }

    /**
     * The data behind the boundary fit (every customer bought for a few weeks, then nothing for a year): the
     * fit runs to a, b ~ 1e7, and every customer's score must come out finite and consistent.
     */
    @Test
    void boundaryFitScoresEveryCustomerFinitely() {
        double[][] d = boundaryData();
        double[] x = d[0];
        double[] tx = d[1];
        double[] t = d[2];
        BgNbdParameters p = BgNbdModel.fit(x, tx, t, d[3]);
        assertThat(p.a()).isGreaterThan(1e5);
        assertThat(p.b()).isGreaterThan(1e5);
        BgNbdModel m = BgNbdModel.of(p);
        CustomerValue cv = CustomerValue.of(m, 12, 0.01, WEEKS_PER_MONTH);
        double[] out = new double[3];
        for (int i = 0; i < x.length; i++) {
            cv.score(x[i], tx[i], t[i], 50, out);
            assertThat(out[0]).as("customer %d", i).isBetween(0.0, 1.0);
            assertThat(out[1]).as("customer %d", i).isFinite().isGreaterThanOrEqualTo(0);
            assertThat(out[2]).as("customer %d", i).isFinite().isGreaterThanOrEqualTo(0);
            if (i % 97 == 0) {
                double horizon = cv.expectedPurchasesOverHorizon(x[i], tx[i], t[i]);
                assertThat(out[1]).isCloseTo(horizon, within(1e-12 * Math.max(1e-300, horizon)));
            }
        }
    }

    /** Summaries in weeks as a scoring run would build them: 20,000 + 3,000 customers, a year of silence. */
    private static double[][] boundaryData() {
        Map<String, TreeMap<LocalDate, Double>> days = new HashMap<>();
        Instant first = Instant.parse("2025-06-01T00:00:00Z");
        for (int n = 0; n < 100_000; n++) {
            purchase(days, "RP-C" + (n % 20_000), first.plusSeconds(n * 97L));
        }
        Instant second = Instant.parse("2025-09-01T00:00:00Z");
        for (int n = 0; n < 40_000; n++) {
            purchase(days, "KILL-C" + (n % 3_000), second.plusSeconds(n * 61L));
        }
        LocalDate calibrationEnd = LocalDate.parse("2026-12-02");
        int count = days.size();
        double[][] d = new double[4][count];
        int i = 0;
        for (TreeMap<LocalDate, Double> history : days.values()) {
            d[0][i] = history.size() - 1;
            d[1][i] = (history.lastKey().toEpochDay() - history.firstKey().toEpochDay()) / 7.0;
            d[2][i] = (calibrationEnd.toEpochDay() - history.firstKey().toEpochDay()) / 7.0;
            d[3][i] = 1;
            i++;
        }
        return d;
    }

    private static void purchase(Map<String, TreeMap<LocalDate, Double>> days, String customer, Instant at) {
        days.computeIfAbsent(customer, c -> new TreeMap<>()).merge(LocalDate.ofInstant(at, ZoneOffset.UTC), 1.0, Double::sum);
    }
}
