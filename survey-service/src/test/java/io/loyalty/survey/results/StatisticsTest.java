package io.loyalty.survey.results;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Expected values are worked by hand from the documented formulas (and cross-checked with
 * scipy.stats: t.ppf(0.975, df), statistics.stdev).
 */
class StatisticsTest {

    private static final double EPS = 1e-9;

    @Nested
    class Nps {

        @Test
        void noResponsesHasNoScoreAndNoMargin() {
            Statistics.Nps nps = Statistics.nps(0, 0, 0);
            assertThat(nps.score()).isNull();
            assertThat(nps.marginOfError95()).isNull();
            assertThat(nps.promoters() + nps.passives() + nps.detractors()).isZero();
        }

        @Test
        void oneResponseHasAScoreButNoMarginBecauseTheSampleVarianceNeedsTwo() {
            assertThat(Statistics.nps(1, 0, 0).score()).isEqualTo(100.0);
            assertThat(Statistics.nps(1, 0, 0).marginOfError95()).isNull();
            assertThat(Statistics.nps(0, 1, 0).score()).isEqualTo(0.0);
            assertThat(Statistics.nps(0, 0, 1).score()).isEqualTo(-100.0);
            assertThat(Statistics.nps(0, 0, 1).marginOfError95()).isNull();
        }

        @Test
        void allPromotersScore100WithZeroVariance() {
            Statistics.Nps nps = Statistics.nps(5, 0, 0);
            assertThat(nps.score()).isEqualTo(100.0);
            assertThat(nps.marginOfError95()).isCloseTo(0.0, within(EPS));
        }

        @Test
        void sixPromotersTwoPassivesTwoDetractors() {
            // s = six +1, two 0, two -1: mean 0.4; sum (s - 0.4)^2 = 6*0.36 + 2*0.16 + 2*1.96 = 6.4;
            // Var = 6.4 / 9; MoE = 100 * 1.96 * sqrt(6.4 / 90) = 196 * 0.26666... = 52.2666...
            Statistics.Nps nps = Statistics.nps(6, 2, 2);
            assertThat(nps.score()).isCloseTo(40.0, within(EPS));
            assertThat(nps.marginOfError95()).isCloseTo(52.266666666666666, within(1e-9));
            assertThat(nps.promoters()).isEqualTo(6);
            assertThat(nps.passives()).isEqualTo(2);
            assertThat(nps.detractors()).isEqualTo(2);
        }

        @Test
        void hundredResponses() {
            // 50/30/20: mean 0.3, Var = (50*0.49 + 30*0.09 + 20*1.69) / 99 = 61/99; MoE = 196 * sqrt(61/9900)
            Statistics.Nps nps = Statistics.nps(50, 30, 20);
            assertThat(nps.score()).isCloseTo(30.0, within(EPS));
            assertThat(nps.marginOfError95()).isCloseTo(196 * Math.sqrt(61.0 / 9900), within(EPS))
                    .isCloseTo(15.385208690968298, within(1e-9));
        }

        @Test
        void twoOppositeAnswersGiveAMarginWiderThanTheScale() {
            // mean 0, Var = (1 + 1) / 1 = 2, MoE = 196 * sqrt(2 / 2) = 196: honest about n = 2
            assertThat(Statistics.nps(1, 0, 1).score()).isCloseTo(0.0, within(EPS));
            assertThat(Statistics.nps(1, 0, 1).marginOfError95()).isCloseTo(196.0, within(EPS));
        }
    }

    @Nested
    class Csat {

        @Test
        void noResponses() {
            Statistics.Csat csat = Statistics.csat(0, 0);
            assertThat(csat.score()).isNull();
            assertThat(csat.ciLow95()).isNull();
            assertThat(csat.ciHigh95()).isNull();
        }

        @Test
        void oneSatisfiedResponse() {
            // p = 1, n = 1: centre = (1 + z^2/2) / (1 + z^2), half = z / (1 + z^2) * sqrt(z^2 / 4)
            double z2 = 1.96 * 1.96;
            double low = ((1 + z2 / 2) - 1.96 / 2 * 1.96) / (1 + z2);
            Statistics.Csat csat = Statistics.csat(1, 1);
            assertThat(csat.score()).isEqualTo(100.0);
            assertThat(csat.ciLow95()).isCloseTo(100 * low, within(EPS)).isCloseTo(20.654329147389287, within(1e-9));
            assertThat(csat.ciHigh95()).isEqualTo(100.0);
        }

        @Test
        void oneUnsatisfiedResponse() {
            Statistics.Csat csat = Statistics.csat(0, 1);
            assertThat(csat.score()).isEqualTo(0.0);
            assertThat(csat.ciLow95()).isEqualTo(0.0);
            assertThat(csat.ciHigh95()).isCloseTo(79.34567085261071, within(1e-9));
        }

        @Test
        void eightOfTen() {
            // p = 0.8, n = 10: centre = (0.8 + 0.19208) / 1.38416, half = 1.96 / 1.38416 * sqrt(0.016 + 0.009604)
            double centre = (0.8 + 0.19208) / 1.38416;
            double half = 1.96 / 1.38416 * Math.sqrt(0.016 + 0.009604);
            Statistics.Csat csat = Statistics.csat(8, 10);
            assertThat(csat.score()).isCloseTo(80.0, within(EPS));
            assertThat(csat.satisfied()).isEqualTo(8);
            assertThat(csat.ciLow95()).isCloseTo(100 * (centre - half), within(1e-9))
                    .isCloseTo(49.01568467207233, within(1e-9));
            assertThat(csat.ciHigh95()).isCloseTo(100 * (centre + half), within(1e-9))
                    .isCloseTo(94.33190520193067, within(1e-9));
        }

        @Test
        void allSatisfiedStillHasALowerBoundBelow100() {
            Statistics.Csat csat = Statistics.csat(10, 10);
            assertThat(csat.score()).isEqualTo(100.0);
            assertThat(csat.ciLow95()).isCloseTo(72.24598312333835, within(1e-9));
            assertThat(csat.ciHigh95()).isEqualTo(100.0);
        }

        @Test
        void noneSatisfied() {
            Statistics.Csat csat = Statistics.csat(0, 10);
            assertThat(csat.ciLow95()).isEqualTo(0.0);
            assertThat(csat.ciHigh95()).isCloseTo(27.75401687666166, within(1e-9));
        }
    }

    @Nested
    class Ces {

        private long[] counts7(int... scores) {
            long[] counts = new long[7];
            for (int s : scores) {
                counts[s - 1]++;
            }
            return counts;
        }

        @Test
        void noResponses() {
            Statistics.Ces ces = Statistics.ces(new long[7], 1);
            assertThat(ces.mean()).isNull();
            assertThat(ces.ciLow95()).isNull();
            assertThat(ces.ciHigh95()).isNull();
        }

        @Test
        void oneResponseHasAMeanButNoInterval() {
            Statistics.Ces ces = Statistics.ces(counts7(6), 1);
            assertThat(ces.mean()).isEqualTo(6.0);
            assertThat(ces.ciLow95()).isNull();
            assertThat(ces.ciHigh95()).isNull();
            assertThat(ces.standardDeviation()).isNull();
        }

        @Test
        void fiveResponses() {
            // 5,6,7,4,5: mean 5.4, s^2 = (0.16+0.36+2.56+1.96+0.16)/4 = 1.3, t(0.975, 4) = 2.7764451051977934
            double half = 2.7764451051977934 * Math.sqrt(1.3) / Math.sqrt(5);
            Statistics.Ces ces = Statistics.ces(counts7(5, 6, 7, 4, 5), 1);
            assertThat(ces.mean()).isCloseTo(5.4, within(EPS));
            assertThat(ces.standardDeviation()).isCloseTo(Math.sqrt(1.3), within(EPS));
            assertThat(ces.ciLow95()).isCloseTo(5.4 - half, within(1e-7)).isCloseTo(3.9842852230177286, within(1e-7));
            assertThat(ces.ciHigh95()).isCloseTo(5.4 + half, within(1e-7)).isCloseTo(6.815714776982272, within(1e-7));
        }

        @Test
        void identicalAnswersHaveAZeroWidthInterval() {
            Statistics.Ces ces = Statistics.ces(counts7(4, 4, 4), 1);
            assertThat(ces.mean()).isEqualTo(4.0);
            assertThat(ces.ciLow95()).isCloseTo(4.0, within(EPS));
            assertThat(ces.ciHigh95()).isCloseTo(4.0, within(EPS));
        }

        @Test
        void intervalIsCutAtTheEndsOfTheScale() {
            // 1 and 7: mean 4, s = sqrt(18), t(0.975, 1) = 12.706...: raw interval -34.1 .. 42.1
            Statistics.Ces ces = Statistics.ces(counts7(1, 7), 1);
            assertThat(ces.mean()).isEqualTo(4.0);
            assertThat(ces.ciLow95()).isEqualTo(1.0);
            assertThat(ces.ciHigh95()).isEqualTo(7.0);
        }

        @Test
        void fivePointScale() {
            // 3,5,2,4,4,5,1: mean 24/7, s = 1.511857892036909, t(0.975, 6)
            long[] counts = {1, 1, 1, 2, 2};
            Statistics.Ces ces = Statistics.ces(counts, 1);
            assertThat(ces.mean()).isCloseTo(24.0 / 7, within(EPS));
            assertThat(ces.standardDeviation()).isCloseTo(1.511857892036909, within(1e-12));
            assertThat(ces.ciLow95()).isCloseTo(2.030336085060012, within(1e-7));
            assertThat(ces.ciHigh95()).isCloseTo(4.826806772082845, within(1e-7));
        }
    }

    @Test
    void studentTQuantilesMatchTables() {
        assertThat(Statistics.tQuantile975(1)).isCloseTo(12.706204736174694, within(1e-7));
        assertThat(Statistics.tQuantile975(4)).isCloseTo(2.7764451051977934, within(1e-8));
        assertThat(Statistics.tQuantile975(30)).isCloseTo(2.0422724563012378, within(1e-8));
        assertThat(Statistics.tQuantile975(1000)).isCloseTo(1.9623390808264083, within(1e-8));
        assertThat(Statistics.tQuantile975(1_000_000)).isCloseTo(1.959966, within(1e-5));
    }
}
