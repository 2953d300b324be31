package io.loyalty.clv.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The formulas of docs/campaigns.md on hand-made customers, with the default weights. */
class CampaignScoringTest {

    static final CampaignProperties.Upsell UPSELL = new CampaignProperties.Upsell(0.25, 0.15, 0.5, 0.5, 0.2);
    static final CampaignProperties.Retention RETENTION = new CampaignProperties.Retention(0.5, 0.25, 0.15, 1.0, 3, 0.1);
    final CampaignScoring scoring = new CampaignScoring(UPSELL, RETENTION);

    static final Instant OCT_2 = Instant.parse("2026-10-02T15:30:00Z");
    // a happy promoter
    static final CustomerValueRow A = new CustomerValueRow("A", 4, 100, 0.8, 2.5, 0);
    static final CustomerSignals A_SIGNALS = new CustomerSignals(10, "PROMOTER", OCT_2, 0, 0, 0, 0);
    // an unhappy, fading customer with a bad service history
    static final CustomerValueRow B = new CustomerValueRow("B", 2, 62, 0.31, 1.2, 0);
    static final CustomerSignals B_SIGNALS = new CustomerSignals(3, "DETRACTOR", OCT_2, 1, 3, 2, 1);
    // a referrer nobody asked, certainly alive
    static final CustomerValueRow C = new CustomerValueRow("C", 6, 50, 1.0, 3.0, 20);

    @Test
    void upsellLiftsPromotersByTheirShareOfValueTimesProbabilityAlive() {
        CampaignScoring.Scored a = scoring.upsell(A, A_SIGNALS);
        // (100 + 0) x 0.8 x 1.25
        assertThat(a.score()).isCloseTo(100.0, within(1e-12));
        assertThat(a.reasons()).containsExactly("promoter (NPS 10) on 2026-10-02",
                "expected 2.50 purchases, CLV 100.00, probability alive 0.80".replace("2.50", "2.5"));
    }

    @Test
    void upsellHoldsBackDetractorsOpenTicketsAndBreachesAndSaysSo() {
        CampaignScoring.Scored b = scoring.upsell(B, B_SIGNALS);
        // 62 x 0.31 x (1 - 0.5) x (1 - 0.5) x (1 - 0.2 x 2) = 19.22 x 0.15
        assertThat(b.score()).isCloseTo(2.883, within(1e-9));
        assertThat(b.reasons()).containsExactly("held back: detractor (NPS 3) on 2026-10-02",
                "held back: 1 open ticket", "held back: 2 SLA breaches in 90 days");
    }

    @Test
    void upsellLiftsReferrersAndCountsTheirReferralValue() {
        CampaignScoring.Scored c = scoring.upsell(C, CustomerSignals.NONE);
        // (50 + 20) x 1.0 x 1.15
        assertThat(c.score()).isCloseTo(80.5, within(1e-9));
        assertThat(c.reasons()).containsExactly("referrer: referrals worth 20.00",
                "expected 3.0 purchases, CLV 50.00, probability alive 1.00");
    }

    @Test
    void retentionIsValueAtRiskRaisedByDetractorsBreachesReopensAndDecline() {
        CampaignScoring.Scored b = scoring.retention(B, B_SIGNALS, 0.82);
        // kept = 62 / 0.31 = 200, risk = 0.69, multiplier = 1 + 0.5 + 0.25 x 2 + 0.15 x 1 + 1.0 x (0.82 - 0.31) = 2.66
        assertThat(b.score()).isCloseTo(200 * 0.69 * 2.66, within(1e-9));
        assertThat(b.reasons()).containsExactly("detractor (NPS 3) on 2026-10-02",
                "probability alive 0.31, down from 0.82 in the previous run", "2 SLA breaches in 90 days");
    }

    @Test
    void retentionOfAQuietCustomerIsPlainValueAtRisk() {
        CampaignScoring.Scored a = scoring.retention(A, A_SIGNALS, null);
        // kept = 100 / 0.8 = 125, risk 0.2, nothing raises it
        assertThat(a.score()).isCloseTo(25.0, within(1e-9));
        assertThat(a.reasons()).containsExactly("value at risk 25.00 (worth 125.00 if kept, probability alive 0.80)");
    }

    @Test
    void aSmallDeclineRaisesTheScoreButIsNotWorthAReason() {
        CustomerValueRow v = new CustomerValueRow("D", 3, 80, 0.8, 2, 0);
        CampaignScoring.Scored d = scoring.retention(v, CustomerSignals.NONE, 0.85);
        // kept 100, risk 0.2, multiplier 1 + 0.05
        assertThat(d.score()).isCloseTo(21.0, within(1e-9));
        assertThat(d.reasons()).noneMatch(r -> r.contains("previous run"));
    }

    @Test
    void eventCountsAreCappedAndBreachPenaltiesNeverGoNegative() {
        CustomerValueRow v = new CustomerValueRow("E", 3, 80, 0.5, 2, 0);
        CustomerSignals many = new CustomerSignals(null, null, null, 0, 9, 7, 5);
        assertThat(scoring.upsell(v, many).score()).isZero();
        // kept 160, risk 0.5, multiplier 1 + 0.25 x 3 + 0.15 x 3
        assertThat(scoring.retention(v, many, null).score()).isCloseTo(160 * 0.5 * 2.2, within(1e-9));
        assertThat(scoring.retention(v, many, null).reasons()).containsExactly("7 SLA breaches in 90 days",
                "5 reopened tickets in 90 days", "value at risk 80.00 (worth 160.00 if kept, probability alive 0.50)");
    }

    @Test
    void aCustomerWithNoValueOrNoChanceScoresZeroNotNaN() {
        CustomerValueRow dead = new CustomerValueRow("F", 0, 0, 0, 0, 0);
        assertThat(scoring.upsell(dead, CustomerSignals.NONE).score()).isZero();
        assertThat(scoring.retention(dead, CustomerSignals.NONE, 0.9).score()).isZero();
        CustomerValueRow broken = new CustomerValueRow("G", 0, Double.NaN, Double.NaN, Double.NaN, Double.POSITIVE_INFINITY);
        assertThat(scoring.upsell(broken, CustomerSignals.NONE).score()).isZero();
        assertThat(scoring.retention(broken, CustomerSignals.NONE, null).score()).isZero();
    }

    @Test
    void theHandMadeSetRanksAsExpected() {
        Map<CustomerValueRow, CustomerSignals> set = Map.of(A, A_SIGNALS, B, B_SIGNALS, C, CustomerSignals.NONE);
        List<String> upsell = set.entrySet().stream()
                .sorted(Comparator.comparingDouble(e -> -scoring.upsell(e.getKey(), e.getValue()).score()))
                .map(e -> e.getKey().customerId()).toList();
        assertThat(upsell).containsExactly("A", "C", "B");
        List<String> retention = set.entrySet().stream()
                .sorted(Comparator.comparingDouble(e -> -scoring.retention(e.getKey(), e.getValue(),
                        e.getKey() == B ? 0.82 : null).score()))
                .map(e -> e.getKey().customerId()).toList();
        assertThat(retention).containsExactly("B", "A", "C");
    }

    @Test
    void numbersInReasonsRoundHalfUpExactlyAsBigDecimalDoes() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        List<Double> values = new java.util.ArrayList<>(List.of(0.0, -0.0, 0.125, 1.005, 2.675, 0.045, 1e-9, -0.125,
                -0.001, 999.995, 12345678.905, 0.5, 9.995, 1e14, 123456789012.345, Double.MAX_VALUE, Double.NaN,
                Double.POSITIVE_INFINITY));
        for (int i = 0; i < 200_000; i++) {
            values.add(random.nextDouble() * Math.pow(10, random.nextInt(-3, 14)));
            values.add(random.nextInt(1_000_000) / 1000.0 + (random.nextBoolean() ? 0.0005 : 0.005));
        }
        for (double v : values) {
            for (int scale = 1; scale <= 2; scale++) {
                String expected = Double.isFinite(v)
                        ? java.math.BigDecimal.valueOf(v).setScale(scale, java.math.RoundingMode.HALF_UP).toPlainString()
                        : null;
                if (expected == null) {
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CampaignScoring.fixed(v, 1))
                            .isInstanceOf(NumberFormatException.class);
                } else {
                    assertThat(CampaignScoring.fixed(v, scale)).as("%s at scale %d", v, scale).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void reasonsAreEncodedAsATextArrayLiteralWhateverTheyContain() {
        assertThat(Reasons.arrayLiteral(List.of())).isEqualTo("{}");
        assertThat(Reasons.arrayLiteral(List.of("a \"b\", {c}", "c\\d", "e\nf")))
                .isEqualTo("{\"a \\\"b\\\", {c}\",\"c\\\\d\",\"e\nf\"}");
    }
}
