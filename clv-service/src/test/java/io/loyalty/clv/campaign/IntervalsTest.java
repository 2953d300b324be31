package io.loyalty.clv.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Intervals checked against values computed by hand (z = 1.959964). */
class IntervalsTest {

    @Test
    void wilsonIntervalOfEightInTen() {
        Intervals.Estimate e = Intervals.proportion(8, 10);
        assertThat(e.estimate()).isEqualTo(0.8);
        // (x + z^2/2) / (n + z^2) -+ z / (n + z^2) x sqrt(x (n - x) / n + z^2 / 4) = 0.716740 -+ 0.226578
        assertThat(e.ciLow95()).isCloseTo(0.490162, within(1e-6));
        assertThat(e.ciHigh95()).isCloseTo(0.943318, within(1e-6));
    }

    @Test
    void wilsonIntervalAtTheEdges() {
        Intervals.Estimate none = Intervals.proportion(0, 10);
        assertThat(none.ciLow95()).isZero();
        // z^2 / (n + z^2)
        assertThat(none.ciHigh95()).isCloseTo(3.841459 / 13.841459, within(1e-6));
        Intervals.Estimate all = Intervals.proportion(10, 10);
        assertThat(all.ciHigh95()).isCloseTo(1.0, within(1e-12));
        assertThat(all.ciLow95()).isCloseTo(10 / 13.841459, within(1e-6));
        Intervals.Estimate empty = Intervals.proportion(0, 0);
        assertThat(empty.ciLow95()).isNull();
        assertThat(empty.ciHigh95()).isNull();
    }

    @Test
    void meanIntervalNeedsTwoObservations() {
        Intervals.Estimate e = Intervals.mean(10, 2.0, 4);
        assertThat(e.ciLow95()).isCloseTo(10 - 1.959964, within(1e-6));
        assertThat(e.ciHigh95()).isCloseTo(10 + 1.959964, within(1e-6));
        assertThat(Intervals.mean(10, null, 1).ciLow95()).isNull();
    }

    @Test
    void upliftInRepeatPurchaseRate() {
        // treated 30 of 100, control 10 of 100: 0.2 +- 1.959964 x sqrt(0.0021 + 0.0009)
        Intervals.Estimate d = Intervals.proportionDifference(30, 100, 10, 100);
        assertThat(d.estimate()).isCloseTo(0.2, within(1e-12));
        assertThat(d.ciLow95()).isCloseTo(0.092648, within(1e-6));
        assertThat(d.ciHigh95()).isCloseTo(0.307352, within(1e-6));
        assertThat(Intervals.proportionDifference(3, 10, 0, 0)).isNull();
    }

    @Test
    void upliftInSpendUsesWelchStandardError() {
        // 50 - 40 +- 1.959964 x sqrt(400/100 + 900/50) = 10 +- 1.959964 x sqrt(22)
        Intervals.Estimate d = Intervals.meanDifference(50, 400, 100, 40, 900, 50);
        assertThat(d.estimate()).isEqualTo(10.0);
        assertThat(d.ciLow95()).isCloseTo(0.806954, within(1e-5));
        assertThat(d.ciHigh95()).isCloseTo(19.193046, within(1e-5));
        assertThat(Intervals.meanDifference(1, 1, 1, 1, 1, 5)).isNull();
    }
}
