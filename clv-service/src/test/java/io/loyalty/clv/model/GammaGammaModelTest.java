package io.loyalty.clv.model;

import static io.loyalty.clv.model.CdnowData.rounded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class GammaGammaModelTest {

    /**
     * Fader, Hardie &amp; Lee (2005), "RFM and CLV: Using Iso-Value Curves for Customer Base Analysis", and Fader
     * &amp; Hardie (2013), "The Gamma-Gamma Model of Monetary Value": on the 946 CDNOW customers with repeat
     * purchases in the 39-week calibration period, p = 6.25, q = 3.74, gamma (v) = 15.44. The published fit
     * uses the exact mean spend per customer, so the summaries are computed here from the raw transactions.
     */
    @Test
    void fitOnTheRawCdnowTransactionsReproducesThePublishedEstimates() {
        CdnowData.Summaries rep = CdnowData.fromTransactions().repeaters();
        assertThat(rep.size()).isEqualTo(946);
        GammaGammaParameters g = GammaGammaModel.fit(rep.x(), rep.zbar(), rep.weight());
        assertThat(rounded(g.p(), 2)).isEqualTo(6.25);
        assertThat(rounded(g.q(), 2)).isEqualTo(3.74);
        assertThat(rounded(g.v(), 2)).isEqualTo(15.44);
    }

    /**
     * The summary CSV rounds zbar to cents; that alone moves v to 15.4477, which is what lifetimes prints on
     * this file ("p: 6.25, q: 3.74, v: 15.45", lifetimes docs/Quickstart.md). Its conditional expected average
     * profits printed there (customers 1, 2, 3 and 6) are reproduced to the precision of its parameters.
     */
    @Test
    void fitOnTheRoundedSummaryFileMatchesLifetimes() {
        CdnowData.Summaries rep = CdnowData.summaryCsv().repeaters();
        GammaGammaParameters g = GammaGammaModel.fit(rep.x(), rep.zbar(), rep.weight());
        assertThat(rounded(g.p(), 2)).isEqualTo(6.25);
        assertThat(rounded(g.q(), 2)).isEqualTo(3.74);
        assertThat(rounded(g.v(), 2)).isEqualTo(15.45);
        assertThat(GammaGammaModel.expectedAverageValue(g, 2, 22.35)).isCloseTo(24.658619, within(1e-4));
        assertThat(GammaGammaModel.expectedAverageValue(g, 1, 11.77)).isCloseTo(18.911489, within(1e-4));
        assertThat(GammaGammaModel.expectedAverageValue(g, 0, 0)).isCloseTo(35.170981, within(1e-4));
        assertThat(GammaGammaModel.expectedAverageValue(g, 7, 73.74)).isCloseTo(71.462843, within(1e-4));
    }

    @Test
    void fitIsAMaximumOfTheLikelihood() {
        CdnowData.Summaries rep = CdnowData.fromTransactions().repeaters();
        GammaGammaParameters g = GammaGammaModel.fit(rep.x(), rep.zbar(), rep.weight());
        assertThat(GammaGammaModel.logLikelihood(g, rep.x(), rep.zbar(), rep.weight()))
                .isCloseTo(g.logLikelihood(), within(1e-9));
        double[] base = {g.p(), g.q(), g.v()};
        for (int i = 0; i < 3; i++) {
            for (double f : new double[] {0.999, 1.001}) {
                double[] p = base.clone();
                p[i] *= f;
                double other = GammaGammaModel.logLikelihood(new GammaGammaParameters(p[0], p[1], p[2], 0),
                        rep.x(), rep.zbar(), rep.weight());
                assertThat(other).isLessThan(g.logLikelihood());
            }
        }
    }

    /** Hand-computed: ln f for one customer with x = 2, zbar = 10 at p = 2, q = 3, v = 4. */
    @Test
    void likelihoodOfOneCustomerMatchesAHandComputation() {
        // lnG(7) - lnG(4) - lnG(3) + 3 ln 4 + 3 ln 10 + 4 ln 2 - 7 ln 24
        double expected = Math.log(720) - Math.log(6) - Math.log(2) + 3 * Math.log(4) + 3 * Math.log(10)
                + 4 * Math.log(2) - 7 * Math.log(24);
        double ll = GammaGammaModel.logLikelihood(new GammaGammaParameters(2, 3, 4, 0),
                new double[] {2}, new double[] {10}, new double[] {1});
        assertThat(ll).isCloseTo(expected, within(1e-12));
        double weighted = GammaGammaModel.logLikelihood(new GammaGammaParameters(2, 3, 4, 0),
                new double[] {2}, new double[] {10}, new double[] {5});
        assertThat(weighted).isCloseTo(5 * expected, within(1e-11));
    }

    @Test
    void expectedAverageValueIsTheCredibilityWeightedMean() {
        GammaGammaParameters g = new GammaGammaParameters(6, 4, 15, 0);
        // population mean p v/(q-1) = 30; x = 3, zbar = 50: (6 (15 + 150)) / (18 + 3) = 47.142857...
        assertThat(GammaGammaModel.expectedAverageValue(g, 0, 0)).isCloseTo(30, within(1e-12));
        assertThat(GammaGammaModel.expectedAverageValue(g, 3, 50)).isCloseTo(990.0 / 21, within(1e-12));
        double w = 18.0 / 21;
        assertThat(GammaGammaModel.expectedAverageValue(g, 3, 50)).isCloseTo((1 - w) * 30 + w * 50, within(1e-12));
        // many purchases: the customer's own mean dominates
        assertThat(GammaGammaModel.expectedAverageValue(g, 10_000, 50)).isCloseTo(50, within(0.01));
        assertThatThrownBy(() -> GammaGammaModel.expectedAverageValue(new GammaGammaParameters(6, 0.9, 15, 0), 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GammaGammaModel.expectedAverageValue(g, -1, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GammaGammaModel.expectedAverageValue(g, 1, Double.NaN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void compressedRowsGiveTheSameFitAndFreeRepeatersAreLeftOut() {
        CdnowData.Summaries rep = CdnowData.summaryCsv().repeaters();
        GammaGammaParameters full = GammaGammaModel.fit(rep.x(), rep.zbar(), rep.weight());
        Map<List<Double>, Double> counts = new LinkedHashMap<>();
        for (int i = 0; i < rep.size(); i++) {
            counts.merge(List.of(rep.x()[i], rep.zbar()[i]), 1.0, Double::sum);
        }
        int n = counts.size() + 1;
        double[] x = new double[n];
        double[] z = new double[n];
        double[] w = new double[n];
        int k = 0;
        for (Map.Entry<List<Double>, Double> e : counts.entrySet()) {
            x[k] = e.getKey().get(0);
            z[k] = e.getKey().get(1);
            w[k] = e.getValue();
            k++;
        }
        x[k] = 3;
        z[k] = 0;
        w[k] = 17;
        assertThat(n).isLessThan(rep.size());
        GammaGammaParameters c = GammaGammaModel.fit(x, z, w);
        assertThat(c.p()).isCloseTo(full.p(), within(1e-6));
        assertThat(c.q()).isCloseTo(full.q(), within(1e-6));
        assertThat(c.v()).isCloseTo(full.v(), within(1e-5));
        assertThat(c.logLikelihood()).isCloseTo(full.logLikelihood(), within(1e-7));
    }

    @Test
    void fitRecoversSimulatedParameters() {
        Simulation.Data d = Simulation.bgNbd(new BgNbdParameters(2, 20, 0.5, 5, 0), 30_000, 730, 7);
        int n = 0;
        for (double v : d.x()) {
            n += v > 0 ? 1 : 0;
        }
        double[] x = new double[n];
        double[] z = new double[n];
        double[] w = new double[n];
        int k = 0;
        for (int i = 0; i < d.x().length; i++) {
            if (d.x()[i] > 0) {
                x[k] = d.x()[i];
                z[k] = d.zbar()[i];
                w[k++] = 1;
            }
        }
        GammaGammaParameters g = GammaGammaModel.fit(x, z, w);
        assertThat(g.p()).isCloseTo(6, within(0.4));
        assertThat(g.q()).isCloseTo(4, within(0.4));
        assertThat(g.v()).isCloseTo(15, within(2.5));
    }

    /** One customer, or everybody spending the same: no information on the spread, but a finite answer. */
    @Test
    void degenerateDataEndWithFiniteParameters() {
        double[] x = new double[2000];
        double[] z = new double[2000];
        double[] w = new double[2000];
        java.util.Arrays.fill(x, 1);
        java.util.Arrays.fill(z, 10);
        java.util.Arrays.fill(w, 1);
        for (GammaGammaParameters g : List.of(GammaGammaModel.fit(x, z, w),
                GammaGammaModel.fit(new double[] {2}, new double[] {5}, new double[] {1}))) {
            for (double v : new double[] {g.p(), g.q(), g.v()}) {
                assertThat(v).as("%s", g).isPositive().isFinite();
            }
            assertThat(g.logLikelihood()).isFinite();
            assertThat(GammaGammaModel.expectedAverageValue(g, 2, 5)).isFinite().isPositive();
        }
    }

    @Test
    void invalidInputIsRejected() {
        double[] one = {1};
        assertThatThrownBy(() -> GammaGammaModel.fit(new double[] {0}, one, one))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GammaGammaModel.fit(one, new double[] {-2}, one))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GammaGammaModel.fit(one, new double[] {0}, one))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GammaGammaModel.fit(one, one, new double[] {1, 2}))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GammaGammaModel.fit(one, new double[] {Double.POSITIVE_INFINITY}, one))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
