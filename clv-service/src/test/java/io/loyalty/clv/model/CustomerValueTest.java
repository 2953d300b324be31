package io.loyalty.clv.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CustomerValueTest {

    private static BgNbdParameters bg;
    private static GammaGammaParameters gg;

    @BeforeAll
    static void fit() {
        CdnowData.Summaries s = CdnowData.summaryCsv();
        bg = BgNbdModel.fit(s.x(), s.tx(), s.T(), s.weight());
        CdnowData.Summaries rep = s.repeaters();
        gg = GammaGammaModel.fit(rep.x(), rep.zbar(), rep.weight());
    }

    /**
     * lifetimes Quickstart, customer_lifetime_value(bgf, ..., time=12, discount_rate=0.01) on the CDNOW file:
     * customers 1, 2, 3 and 6 are worth 140.096211, 18.943467, 38.180574 and 1003.868107. lifetimes' default
     * freq="D" steps 30 time units per month and the file is in weeks, so timeUnitsPerMonth = 30 reproduces it.
     */
    @Test
    void reproducesTheLifetimesClvExample() {
        double[][] cases = {
            // x, tx, T, zbar, published CLV
            {2, 30.43, 38.86, 22.35, 140.096211},
            {1, 1.71, 38.86, 11.77, 18.943467},
            {0, 0, 38.86, 0, 38.180574},
            {7, 29.43, 38.86, 73.74, 1003.868107},
        };
        for (double[] c : cases) {
            double eav = GammaGammaModel.expectedAverageValue(gg, c[0], c[3]);
            double clv = CustomerValue.discountedClv(bg, c[0], c[1], c[2], eav, 12, 0.01, 30);
            assertThat(clv).as("customer x=%s", c[0]).isCloseTo(c[4], within(2e-6 * c[4]));
        }
    }

    @Test
    void undiscountedValueIsExpectedPurchasesOverTheHorizonTimesValue() {
        double unitsPerMonth = 365.25 / 12 / 7;
        double clv = CustomerValue.discountedClv(bg, 2, 30.43, 38.86, 25, 12, 0, unitsPerMonth);
        double e = BgNbdModel.expectedPurchases(bg, 2, 30.43, 38.86, 12 * unitsPerMonth);
        assertThat(clv).isCloseTo(25 * e, within(1e-12));
        CustomerValue cv = CustomerValue.of(BgNbdModel.of(bg), 12, 0, unitsPerMonth);
        assertThat(cv.expectedPurchasesOverHorizon(2, 30.43, 38.86)).isCloseTo(e, within(1e-15));
    }

    @Test
    void discountingMatchesAHandSumOverMonths() {
        double u = 365.25 / 12 / 7;
        double d = 0.02;
        double expected = 0;
        double prev = 0;
        for (int m = 1; m <= 6; m++) {
            double cum = BgNbdModel.expectedPurchases(bg, 5, 20, 38.86, m * u);
            expected += (cum - prev) * 40 / Math.pow(1 + d, m);
            prev = cum;
        }
        assertThat(CustomerValue.discountedClv(bg, 5, 20, 38.86, 40, 6, d, u)).isCloseTo(expected, within(1e-12));
        assertThat(CustomerValue.of(BgNbdModel.of(bg), 6, d, u).discountedClv(5, 20, 38.86, 40))
                .isCloseTo(expected, within(1e-12));
        // a higher discount rate never raises the value
        assertThat(CustomerValue.discountedClv(bg, 5, 20, 38.86, 40, 6, 0.05, u)).isLessThan(expected);
    }

    /** The one-pass evaluation over all month ends equals month-by-month conditional expectations. */
    @Test
    void onePassOverMonthEndsEqualsMonthByMonthExpectations() {
        List<BgNbdParameters> params = List.of(bg, new BgNbdParameters(0.75, 20, 0.5, 5, 0),
                new BgNbdParameters(0.75, 20, 1, 5, 0), new BgNbdParameters(2, 3, 4, 0.5, 0),
                new BgNbdParameters(0.3, 0.01, 0.2, 0.3, 0));
        for (BgNbdParameters p : params) {
            for (double unitsPerMonth : new double[] {365.25 / 12, 365.25 / 12 / 7}) {
                CustomerValue cv = CustomerValue.of(BgNbdModel.of(p), 24, 0.01, unitsPerMonth);
                for (double x : new double[] {0, 1, 4, 40, 400}) {
                    for (double T : new double[] {0, 3, 52, 700}) {
                        double tx = x == 0 ? 0 : T * 0.8;
                        double expected = 0;
                        double prev = 0;
                        for (int m = 1; m <= 24; m++) {
                            double cum = BgNbdModel.expectedPurchases(p, x, tx, T, m * unitsPerMonth);
                            expected += (cum - prev) * 10 / Math.pow(1.01, m);
                            prev = cum;
                        }
                        assertThat(cv.discountedClv(x, tx, T, 10)).as("%s x=%s T=%s u=%s", p, x, T, unitsPerMonth)
                                .isFinite()
                                .isCloseTo(expected, within(1e-9 * Math.max(1, expected)));
                    }
                }
            }
        }
    }

    @Test
    void onePassScoreEqualsTheSeparateCalls() {
        double u = 365.25 / 12 / 7;
        BgNbdModel model = BgNbdModel.of(bg);
        CustomerValue cv = CustomerValue.of(model, 12, 0.01, u);
        double[] out = new double[3];
        double[][] customers = {{0, 0, 38.86}, {2, 30.43, 38.86}, {7, 29.43, 38.86}, {800, 1, 5000}, {3, 0, 0}};
        for (double[] c : customers) {
            double eav = GammaGammaModel.expectedAverageValue(gg, c[0], 20);
            cv.score(c[0], c[1], c[2], eav, out);
            assertThat(out[0]).isEqualTo(model.probabilityAlive(c[0], c[1], c[2]));
            assertThat(out[1]).isCloseTo(cv.expectedPurchasesOverHorizon(c[0], c[1], c[2]), within(1e-12));
            assertThat(out[2]).isCloseTo(cv.discountedClv(c[0], c[1], c[2], eav), within(1e-9));
        }
        CustomerValue none = CustomerValue.of(model, 0, 0.01, u);
        none.score(2, 30.43, 38.86, 10, out);
        assertThat(out[1]).isEqualTo(0.0);
        assertThat(out[2]).isEqualTo(0.0);
    }

    @Test
    void edgeCases() {
        assertThat(CustomerValue.discountedClv(bg, 2, 30.43, 38.86, 25, 0, 0.01, 4.35)).isEqualTo(0.0);
        assertThat(CustomerValue.discountedClv(bg, 2, 30.43, 38.86, 0, 12, 0.01, 4.35)).isEqualTo(0.0);
        assertThat(CustomerValue.discountedClv(bg, 800, 1, 5000, 25, 12, 0.01, 4.35)).isEqualTo(0.0);
        double longHorizon = CustomerValue.discountedClv(bg, 0, 0, 0, 30, 1200, 0.01, 4.35);
        assertThat(longHorizon).isFinite().isPositive();
        assertThatThrownBy(() -> CustomerValue.discountedClv(bg, 1, 1, 2, 10, -1, 0.01, 4.35))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CustomerValue.discountedClv(bg, 1, 1, 2, 10, 12, -1, 4.35))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CustomerValue.discountedClv(bg, 1, 1, 2, 10, 12, 0.01, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CustomerValue.discountedClv(bg, 1, 1, 2, Double.NaN, 12, 0.01, 4.35))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
