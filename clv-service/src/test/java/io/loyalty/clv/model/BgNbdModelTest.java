package io.loyalty.clv.model;

import static io.loyalty.clv.model.CdnowData.rounded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.hipparchus.special.Gamma;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BgNbdModelTest {

    private static CdnowData.Summaries cdnow;
    private static BgNbdParameters fitted;

    @BeforeAll
    static void fitCdnow() {
        cdnow = CdnowData.summaryCsv();
        fitted = BgNbdModel.fit(cdnow.x(), cdnow.tx(), cdnow.T(), cdnow.weight());
    }

    /**
     * Fader, Hardie &amp; Lee (2005), "Counting Your Customers the Easy Way", Marketing Science 24(2): CDNOW
     * sample, 2,357 customers, 39-week calibration: r = 0.243, alpha = 4.414, a = 0.793, b = 2.426, LL = -9582.4.
     */
    @Test
    void fitReproducesThePublishedCdnowEstimatesToThePrintedPrecision() {
        assertThat(cdnow.size()).isEqualTo(2357);
        assertThat(rounded(fitted.r(), 3)).isEqualTo(0.243);
        assertThat(rounded(fitted.alpha(), 3)).isEqualTo(4.414);
        assertThat(rounded(fitted.a(), 3)).isEqualTo(0.793);
        assertThat(rounded(fitted.b(), 3)).isEqualTo(2.426);
        assertThat(rounded(fitted.logLikelihood(), 1)).isEqualTo(-9582.4);
    }

    /**
     * lifetimes Quickstart (CamDavidsonPilon/lifetimes, docs/Quickstart.md), BetaGeoFitter.summary on the same
     * file: r 0.242593, alpha 4.413532, a 0.792886, b 2.425752. Those come from scipy's optimiser with its
     * own stopping rule, so agreement is expected to a few units of the sixth decimal, not to the last digit.
     */
    @Test
    void fitAgreesWithTheLifetimesCoefficientTable() {
        assertThat(fitted.r()).isCloseTo(0.242593, within(2e-6));
        assertThat(fitted.alpha()).isCloseTo(4.413532, within(2e-5));
        assertThat(fitted.a()).isCloseTo(0.792886, within(5e-6));
        assertThat(fitted.b()).isCloseTo(2.425752, within(5e-6));
    }

    @Test
    void fitIsAStationaryPointAndAMaximumOfTheLikelihood() {
        double ll = fitted.logLikelihood();
        assertThat(BgNbdModel.logLikelihood(fitted, cdnow.x(), cdnow.tx(), cdnow.T(), cdnow.weight()))
                .isCloseTo(ll, within(1e-9));
        // moving any parameter by 0.1% in either direction lowers the likelihood
        double[] base = {fitted.r(), fitted.alpha(), fitted.a(), fitted.b()};
        for (int i = 0; i < 4; i++) {
            for (double f : new double[] {0.999, 1.001}) {
                double[] p = base.clone();
                p[i] *= f;
                double other = BgNbdModel.logLikelihood(new BgNbdParameters(p[0], p[1], p[2], p[3], 0),
                        cdnow.x(), cdnow.tx(), cdnow.T(), cdnow.weight());
                assertThat(other).as("parameter %d x %s", i, f).isLessThan(ll);
            }
        }
    }

    /**
     * The textbook likelihood (FHL 2005 eq. 6, written with Gamma functions and no tricks) equals the
     * implementation on CDNOW (few distinct T values: lookup tables) and on continuous-time simulated data
     * (no tables, several parallel chunks).
     */
    @Test
    void likelihoodEqualsTheTextbookFormulaOnBothCodePaths() {
        BgNbdParameters p = new BgNbdParameters(0.6, 15, 0.7, 3.5, 0);
        Simulation.Data sim = Simulation.bgNbd(new BgNbdParameters(0.75, 20, 0.5, 5, 0), 70_000, 730, 3);
        assertThat(BgNbdModel.logLikelihood(p, cdnow.x(), cdnow.tx(), cdnow.T(), cdnow.weight()))
                .isCloseTo(textbookLogLikelihood(p, cdnow.x(), cdnow.tx(), cdnow.T()), within(1e-8));
        double expected = textbookLogLikelihood(p, sim.x(), sim.tx(), sim.T());
        assertThat(BgNbdModel.logLikelihood(p, sim.x(), sim.tx(), sim.T(), sim.weight()))
                .isCloseTo(expected, within(1e-12 * Math.abs(expected)));
    }

    private static double textbookLogLikelihood(BgNbdParameters p, double[] x, double[] tx, double[] T) {
        double r = p.r();
        double alpha = p.alpha();
        double a = p.a();
        double b = p.b();
        double sum = 0;
        for (int i = 0; i < x.length; i++) {
            double xi = x[i];
            double lnBetaRatio = Gamma.logGamma(b + xi) + Gamma.logGamma(a + b) - Gamma.logGamma(b)
                    - Gamma.logGamma(a + b + xi);
            double lnGammaPart = Gamma.logGamma(r + xi) - Gamma.logGamma(r) + r * Math.log(alpha);
            double first = Math.exp(lnBetaRatio + lnGammaPart - (r + xi) * Math.log(alpha + T[i]));
            double second = 0;
            if (xi > 0) {
                // B(a+1, b+x-1)/B(a,b) = B(a, b+x)/B(a,b) * a/(b+x-1)
                second = Math.exp(lnBetaRatio + Math.log(a / (b + xi - 1)) + lnGammaPart
                        - (r + xi) * Math.log(alpha + tx[i]));
            }
            sum += Math.log(first + second);
        }
        return sum;
    }

    /** The published likelihood at the published (rounded) parameters is -9582.4 as well. */
    @Test
    void likelihoodAtThePublishedParametersMatchesThePaper() {
        double ll = BgNbdModel.logLikelihood(new BgNbdParameters(0.243, 4.414, 0.793, 2.426, 0),
                cdnow.x(), cdnow.tx(), cdnow.T(), cdnow.weight());
        assertThat(rounded(ll, 1)).isEqualTo(-9582.4);
    }

    @Test
    void fitOnSummariesBuiltFromTheRawTransactionsAlsoReproducesThePublishedEstimates() {
        CdnowData.Summaries raw = CdnowData.fromTransactions();
        assertThat(raw.size()).isEqualTo(2357);
        BgNbdParameters p = BgNbdModel.fit(raw.x(), raw.tx(), raw.T(), raw.weight());
        assertThat(rounded(p.r(), 3)).isEqualTo(0.243);
        assertThat(rounded(p.alpha(), 3)).isEqualTo(4.414);
        assertThat(rounded(p.a(), 3)).isEqualTo(0.793);
        assertThat(rounded(p.b(), 3)).isEqualTo(2.426);
        assertThat(rounded(p.logLikelihood(), 1)).isEqualTo(-9582.4);
    }

    @Test
    void compressedSummariesGiveTheSameFitAsOneRowPerCustomer() {
        Map<List<Double>, Double> counts = new LinkedHashMap<>();
        for (int i = 0; i < cdnow.size(); i++) {
            counts.merge(List.of(cdnow.x()[i], cdnow.tx()[i], cdnow.T()[i]), 1.0, Double::sum);
        }
        int n = counts.size();
        assertThat(n).isLessThan(cdnow.size() / 2);
        double[] x = new double[n];
        double[] tx = new double[n];
        double[] t = new double[n];
        double[] w = new double[n];
        int k = 0;
        for (Map.Entry<List<Double>, Double> e : counts.entrySet()) {
            x[k] = e.getKey().get(0);
            tx[k] = e.getKey().get(1);
            t[k] = e.getKey().get(2);
            w[k] = e.getValue();
            k++;
        }
        BgNbdParameters c = BgNbdModel.fit(x, tx, t, w);
        assertThat(c.r()).isCloseTo(fitted.r(), within(1e-7));
        assertThat(c.alpha()).isCloseTo(fitted.alpha(), within(1e-6));
        assertThat(c.a()).isCloseTo(fitted.a(), within(1e-6));
        assertThat(c.b()).isCloseTo(fitted.b(), within(1e-5));
        assertThat(c.logLikelihood()).isCloseTo(fitted.logLikelihood(), within(1e-7));
    }

    /**
     * Changing the time unit from weeks to days multiplies alpha by 7 and leaves r, a, b unchanged; each of
     * the x purchase-time densities gains a Jacobian 1/7, so LL(days) = LL(weeks) - ln 7 * sum(x).
     */
    @Test
    void fitIsEquivariantUnderAChangeOfTimeUnit() {
        int n = cdnow.size();
        double[] txDays = new double[n];
        double[] tDays = new double[n];
        double sumX = 0;
        for (int i = 0; i < n; i++) {
            txDays[i] = 7 * cdnow.tx()[i];
            tDays[i] = 7 * cdnow.T()[i];
            sumX += cdnow.x()[i];
        }
        BgNbdParameters days = BgNbdModel.fit(cdnow.x(), txDays, tDays, cdnow.weight());
        assertThat(days.r()).isCloseTo(fitted.r(), within(1e-6));
        assertThat(days.alpha()).isCloseTo(7 * fitted.alpha(), within(1e-4));
        assertThat(days.a()).isCloseTo(fitted.a(), within(1e-5));
        assertThat(days.b()).isCloseTo(fitted.b(), within(1e-4));
        assertThat(days.logLikelihood()).isCloseTo(fitted.logLikelihood() - Math.log(7) * sumX, within(1e-6));
        // and the same customer gets the same predictions in either unit
        assertThat(BgNbdModel.expectedPurchases(days, 2, 7 * 30.43, 7 * 38.86, 7 * 39))
                .isCloseTo(BgNbdModel.expectedPurchases(fitted, 2, 30.43, 38.86, 39), within(1e-5));
    }

    @Test
    void zeroWeightRowsAreIgnoredAndRowOrderDoesNotMatter() {
        int n = cdnow.size();
        double[] x = new double[n + 1];
        double[] tx = new double[n + 1];
        double[] t = new double[n + 1];
        double[] w = new double[n + 1];
        for (int i = 0; i < n; i++) {
            int j = n - 1 - i;
            x[i] = cdnow.x()[j];
            tx[i] = cdnow.tx()[j];
            t[i] = cdnow.T()[j];
            w[i] = 1;
        }
        x[n] = 400;
        tx[n] = 1;
        t[n] = 2;
        w[n] = 0;
        BgNbdParameters p = BgNbdModel.fit(x, tx, t, w);
        assertThat(p.r()).isCloseTo(fitted.r(), within(1e-7));
        assertThat(p.logLikelihood()).isCloseTo(fitted.logLikelihood(), within(1e-7));
    }

    /**
     * lifetimes Quickstart, "Ranking customers from best to worst": conditional expected purchases in the next
     * t = 1 week for the top five CDNOW customers (printed to 6 decimals).
     */
    @Test
    void conditionalExpectationsMatchTheLifetimesWorkedExample() {
        double[][] cases = {
            // x, tx, T, published E[Y(1)]
            {18, 35.14, 35.86, 0.424877},
            {19, 34.00, 34.14, 0.474738},
            {17, 28.43, 28.86, 0.486526},
            {29, 37.71, 38.00, 0.662396},
            {26, 30.86, 31.00, 0.710623},
        };
        for (double[] c : cases) {
            assertThat(BgNbdModel.expectedPurchases(fitted, c[0], c[1], c[2], 1))
                    .as("x=%s tx=%s T=%s", c[0], c[1], c[2])
                    .isCloseTo(c[3], within(2e-6));
        }
    }

    /**
     * Fader, Hardie &amp; Lee (2005), section 5 worked example: a customer with x = 2, tx = 30.43, T = 38.86
     * is expected to make 1.226 purchases in the next 39 weeks (published parameters).
     */
    @Test
    void conditionalExpectationMatchesThePaperExample() {
        BgNbdParameters published = new BgNbdParameters(0.243, 4.414, 0.793, 2.426, -9582.4);
        assertThat(rounded(BgNbdModel.expectedPurchases(published, 2, 30.43, 38.86, 39), 3)).isEqualTo(1.226);
        assertThat(rounded(BgNbdModel.expectedPurchases(fitted, 2, 30.43, 38.86, 39), 3)).isEqualTo(1.226);
    }

    /**
     * Fader, Hardie &amp; Lee (2008), "Computing P(alive) Using the BG/NBD Model": P(alive) = 1 / (1 + [x&gt;0]
     * a/(b+x-1) ((alpha+T)/(alpha+tx))^(r+x)); checked against that expression evaluated by hand.
     */
    @Test
    void probabilityAliveMatchesTheClosedForm() {
        double r = fitted.r();
        double alpha = fitted.alpha();
        double a = fitted.a();
        double b = fitted.b();
        double[][] cases = {{2, 30.43, 38.86}, {1, 1.71, 38.86}, {7, 29.43, 38.86}, {23, 39, 39}, {5, 30, 39}};
        for (double[] c : cases) {
            double x = c[0];
            double expected = 1 / (1 + a / (b + x - 1) * Math.pow((alpha + c[2]) / (alpha + c[1]), r + x));
            assertThat(BgNbdModel.probabilityAlive(fitted, x, c[1], c[2])).isCloseTo(expected, within(1e-13));
        }
        // customer 1 of CDNOW: 0.7266 with the fitted parameters
        assertThat(BgNbdModel.probabilityAlive(fitted, 2, 30.43, 38.86)).isCloseTo(0.726609, within(2e-6));
        // no repeat purchase: cannot have dropped out under BG/NBD
        assertThat(BgNbdModel.probabilityAlive(fitted, 0, 0, 38.86)).isEqualTo(1.0);
        // "increasing frequency paradox": same recency, more purchases -> less likely alive
        assertThat(BgNbdModel.probabilityAlive(fitted, 20, 30, 39))
                .isLessThan(BgNbdModel.probabilityAlive(fitted, 5, 30, 39));
    }

    /** E[Y(t)] from the untransformed FHL eq. (10), summed naively in the test where the series is benign. */
    @Test
    void transformedSeriesEqualsTheUntransformedFormula() {
        double[][] cases = {
            {0, 0, 38.86, 39}, {2, 30.43, 38.86, 39}, {1, 1.71, 38.86, 10}, {7, 29.43, 38.86, 52},
            {15, 20, 30, 5}, {0, 0, 5, 4},
        };
        for (double[] c : cases) {
            double naive = naiveExpectation(fitted, c[0], c[1], c[2], c[3]);
            assertThat(BgNbdModel.expectedPurchases(fitted, c[0], c[1], c[2], c[3]))
                    .as("case %s", Arrays.toString(c))
                    .isCloseTo(naive, within(1e-10 * Math.max(1, naive)));
        }
    }

    @Test
    void seriesAndBetaIntegralAgreeOverAGridOfCustomers() {
        BgNbdModel model = BgNbdModel.of(fitted);
        BgNbdModel aAboveOne = BgNbdModel.of(new BgNbdParameters(0.75, 20, 1.7, 5, 0));
        for (BgNbdModel m : List.of(model, aAboveOne)) {
            BgNbdParameters p = m.parameters();
            for (double x : new double[] {0, 1, 3, 10, 50, 300}) {
                for (double T : new double[] {0, 1, 10, 39, 500}) {
                    for (double t : new double[] {0.1, 1, 10, 52, 200}) {
                        double series = m.expectedPurchasesIfAlive(x, T, t);
                        double s = t / (p.alpha() + T);
                        double integral = BetaIntegral.expectedPurchasesIfAlive(p.a(), p.b() + x, p.r() + x, s);
                        assertThat(series).as("x=%s T=%s t=%s", x, T, t)
                                .isCloseTo(integral, within(1e-9 * Math.max(1, integral)));
                    }
                }
            }
        }
    }

    /**
     * Unconditional E[X(t)]: starts at rate r/alpha, and for a &gt; 1 tends to E[1/p] = (a+b-1)/(a-1), the mean
     * number of repeat purchases up to and including the one after which the customer drops out. FHL (2005)
     * eq. (7) evaluated directly at t = 39 and 78 weeks.
     */
    @Test
    void unconditionalExpectationHasTheRightShapeAndValues() {
        double h = 1e-6;
        assertThat(BgNbdModel.expectedPurchasesNewCustomer(fitted, h) / h)
                .isCloseTo(fitted.r() / fitted.alpha(), within(1e-6));
        BgNbdParameters p = new BgNbdParameters(0.75, 20, 2.5, 5, 0);
        assertThat(BgNbdModel.expectedPurchasesNewCustomer(p, 1e9)).isCloseTo(6.5 / 1.5, within(1e-4));
        for (double t : new double[] {39, 78}) {
            double naive = naiveExpectation(fitted, 0, 0, 0, t);
            assertThat(BgNbdModel.expectedPurchasesNewCustomer(fitted, t)).isCloseTo(naive, within(1e-10));
        }
        // CDNOW: a new customer is expected to make 1.195 repeat purchases in the first 39 weeks
        assertThat(BgNbdModel.expectedPurchasesNewCustomer(fitted, 39)).isCloseTo(1.195016, within(5e-6));
        // the expected count is increasing in t
        double prev = 0;
        for (double t = 1; t < 5000; t *= 1.7) {
            double e = BgNbdModel.expectedPurchasesNewCustomer(fitted, t);
            assertThat(e).isGreaterThan(prev);
            prev = e;
        }
    }

    @Test
    void aEqualToOneIsContinuous() {
        double below = BgNbdModel.expectedPurchases(new BgNbdParameters(0.5, 10, 1 - 1e-7, 3, 0), 3, 20, 40, 30);
        double at = BgNbdModel.expectedPurchases(new BgNbdParameters(0.5, 10, 1, 3, 0), 3, 20, 40, 30);
        double above = BgNbdModel.expectedPurchases(new BgNbdParameters(0.5, 10, 1 + 1e-7, 3, 0), 3, 20, 40, 30);
        assertThat(at).isCloseTo(below, within(1e-6)).isCloseTo(above, within(1e-6));
        double integral = BetaIntegral.expectedPurchasesIfAlive(1, 3 + 3, 0.5 + 3, 30.0 / 50)
                * BgNbdModel.probabilityAlive(new BgNbdParameters(0.5, 10, 1, 3, 0), 3, 20, 40);
        assertThat(at).isCloseTo(integral, within(1e-9));
    }

    @Test
    void extremeCustomersGiveFiniteSensibleValues() {
        BgNbdModel m = BgNbdModel.of(fitted);
        // tx = T: the most recent possible buyer is the most likely alive among same-x customers
        assertThat(m.probabilityAlive(5, 39, 39)).isGreaterThan(m.probabilityAlive(5, 20, 39));
        // hundreds of purchases long ago: certainly gone
        assertThat(m.probabilityAlive(500, 10, 1e5)).isEqualTo(0.0);
        assertThat(m.expectedPurchases(500, 10, 1e5, 52)).isEqualTo(0.0);
        // hundreds of purchases, still buying: rate ~ (r+x)/(alpha+T) per week times P(alive)
        double e = m.expectedPurchases(300, 38.9, 39, 1);
        assertThat(e).isFinite().isGreaterThan(0);
        assertThat(e).isCloseTo(m.probabilityAlive(300, 38.9, 39) * (fitted.r() + 300) / (fitted.alpha() + 39),
                within(0.5));
        double[] xs = {0, 1, 2, 10, 100, 999};
        double[] ts = {0, 1e-9, 0.5, 39, 1e4, 1e8};
        double[] horizons = {0, 1e-6, 1, 52, 1e4, 1e7};
        for (double x : xs) {
            for (double T : ts) {
                for (double t : horizons) {
                    double tx = x == 0 ? 0 : T;
                    for (double txv : new double[] {tx, tx / 2, 0}) {
                        double pa = m.probabilityAlive(x, txv, T);
                        double ey = m.expectedPurchases(x, txv, T, t);
                        assertThat(pa).as("P(alive) x=%s tx=%s T=%s", x, txv, T).isBetween(0.0, 1.0);
                        assertThat(ey).as("E x=%s tx=%s T=%s t=%s", x, txv, T, t).isFinite().isGreaterThanOrEqualTo(0);
                    }
                }
            }
        }
        assertThat(m.expectedPurchases(2, 30.43, 38.86, 0)).isEqualTo(0.0);
    }

    @Test
    void longHorizonsThatDefeatTheSeriesUseTheIntegral() {
        BgNbdModel m = BgNbdModel.of(fitted);
        // z = t/(alpha+T+t) = 1 - 1e-6: the series would need ~1e7 terms
        double e = m.expectedPurchases(3, 0, 0, 4.414e6);
        assertThat(e).isFinite().isGreaterThan(m.expectedPurchases(3, 0, 0, 1e4));
        // continuity across the switch at z = 0.999 (the 2e-9 relative step in t itself moves E by ~1e-7)
        double t1 = 0.999 / 0.001 * (fitted.alpha() + 10);
        double below = m.expectedPurchases(4, 9, 10, t1 * (1 - 1e-9));
        assertThat(m.expectedPurchases(4, 9, 10, t1 * (1 + 1e-9))).isCloseTo(below, within(1e-8 * below));
    }

    /**
     * Data that do not identify the model (nobody repeats; everybody bought on the last day; one customer)
     * push parameters towards a boundary: the fit must still end, within its evaluation budget, with finite
     * positive parameters and a finite likelihood, and scoring with them must stay finite.
     */
    @Test
    void degenerateDataEndWithFiniteParameters() {
        int n = 3000;
        double[] zero = new double[n];
        double[] three = new double[n];
        double[] t = new double[n];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = 1 + i % 700;
            three[i] = 3;
            w[i] = 1;
        }
        for (BgNbdParameters p : List.of(BgNbdModel.fit(zero, zero, t, w), BgNbdModel.fit(three, t, t, w),
                BgNbdModel.fit(new double[] {2}, new double[] {5}, new double[] {10}, new double[] {1}))) {
            for (double v : new double[] {p.r(), p.alpha(), p.a(), p.b()}) {
                assertThat(v).as("%s", p).isPositive().isFinite();
            }
            assertThat(p.logLikelihood()).isFinite();
            BgNbdModel m = BgNbdModel.of(p);
            assertThat(m.expectedPurchases(3, 5, 10, 52)).isFinite().isGreaterThanOrEqualTo(0);
            assertThat(m.probabilityAlive(3, 5, 10)).isBetween(0.0, 1.0);
        }
    }

    @Test
    void invalidInputIsRejected() {
        double[] one = {1};
        assertThatThrownBy(() -> BgNbdModel.fit(new double[] {1, 2}, one, one, one))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BgNbdModel.fit(new double[] {-1}, one, one, one))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BgNbdModel.fit(new double[] {1.5}, one, new double[] {2}, one))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BgNbdModel.fit(one, new double[] {3}, new double[] {2}, one))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BgNbdModel.fit(one, one, one, new double[] {Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BgNbdModel.fit(one, one, one, new double[] {0}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BgNbdModel.fit(null, one, one, one)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BgNbdModel.probabilityAlive(new BgNbdParameters(0, 1, 1, 1, 0), 1, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BgNbdModel.expectedPurchases(fitted, 1, 1, 1, -1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BgNbdModel.expectedPurchases(fitted, 1, 2, 1, 1))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BgNbdModel.probabilityAlive(fitted, Double.NaN, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void fitRecoversTheParametersOfSimulatedData() {
        BgNbdParameters truth = new BgNbdParameters(0.75, 20, 0.5, 5, 0);
        Simulation.Data d = Simulation.bgNbd(truth, 40_000, 730, 42);
        BgNbdParameters p = BgNbdModel.fit(d.x(), d.tx(), d.T(), d.weight());
        assertThat(p.r()).isCloseTo(0.75, within(0.05));
        assertThat(p.alpha()).isCloseTo(20, within(2.0));
        assertThat(p.a()).isCloseTo(0.5, within(0.08));
        assertThat(p.b()).isCloseTo(5, within(1.2));
    }

    /** FHL (2005) eq. (10) with the plain 2F1 series, as a reference for moderate z. */
    static double naiveExpectation(BgNbdParameters p, double x, double tx, double T, double t) {
        double r = p.r();
        double alpha = p.alpha();
        double a = p.a();
        double b = p.b();
        double z = t / (alpha + T + t);
        double aa = r + x;
        double bb = b + x;
        double cc = a + b + x - 1;
        double term = 1;
        double sum = 1;
        for (int n = 0; n < 100_000; n++) {
            term *= (aa + n) * (bb + n) / ((cc + n) * (n + 1)) * z;
            sum += term;
            if (Math.abs(term) < 1e-17 * Math.abs(sum)) {
                break;
            }
        }
        double num = (a + b + x - 1) / (a - 1) * (1 - Math.pow((alpha + T) / (alpha + T + t), r + x) * sum);
        double den = 1 + (x > 0 ? a / (b + x - 1) * Math.pow((alpha + T) / (alpha + tx), r + x) : 0);
        return num / den;
    }

    @Test
    void naiveReferenceIsItselfRightForAKnownCase() {
        // x = 0, T = 0, b = 1, a = 2: E[X(t)] reduces to E_p[(1-(1+pt/alpha)^-r)/p] with p ~ Beta(2,1),
        // density 2p: 2 * int_0^1 (1 - (1+p s)^-r) dp, closed form for r = 1: 2 (1 - ln(1+s)/s)
        BgNbdParameters p = new BgNbdParameters(1, 10, 2, 1, 0);
        double s = 3.0 / 10;
        double closed = 2 * (1 - Math.log1p(s) / s);
        assertThat(naiveExpectation(p, 0, 0, 0, 3)).isCloseTo(closed, within(1e-12));
        assertThat(BgNbdModel.expectedPurchasesNewCustomer(p, 3)).isCloseTo(closed, within(1e-12));
    }
}
