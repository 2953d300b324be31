package io.loyalty.clv.campaign;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The two ranking formulas and their reasons (docs/campaigns.md). Pure arithmetic, so the scores and
 * the wording are tested on hand-made customers.
 */
public final class CampaignScoring {

    /** Reasons shown per customer and ranking. */
    public static final int MAX_REASONS = 3;
    private static final double MIN_ALIVE = 1e-9;

    private final CampaignProperties.Upsell upsell;
    private final CampaignProperties.Retention retention;

    public CampaignScoring(CampaignProperties.Upsell upsell, CampaignProperties.Retention retention) {
        this.upsell = upsell;
        this.retention = retention;
    }

    public record Scored(double score, List<String> reasons) {
    }

    /** The score and its reasons; the rankings store only the score and word the reasons when a row is read. */
    public Scored upsell(CustomerValueRow v, CustomerSignals s) {
        return new Scored(upsellScore(v, s), upsellReasons(v, s));
    }

    /**
     * upsell = (clv + referralValue) x P(alive) x (1 + promoterLift [promoter]) x (1 + referrerLift [referrer])
     * x (1 - detractorPenalty [detractor]) x (1 - openTicketPenalty [any open ticket])
     * x max(0, 1 - breachPenalty x breaches).
     */
    public double upsellScore(CustomerValueRow v, CustomerSignals s) {
        double referral = finite(v.referralValue());
        double multiplier = 1;
        if ("PROMOTER".equals(s.npsCategory())) {
            multiplier *= 1 + upsell.promoterLift();
        }
        if (referral > 0) {
            multiplier *= 1 + upsell.referrerLift();
        }
        if ("DETRACTOR".equals(s.npsCategory())) {
            multiplier *= 1 - upsell.detractorPenalty();
        }
        if (s.open() > 0) {
            multiplier *= 1 - upsell.openTicketPenalty();
        }
        if (s.breaches() > 0) {
            multiplier *= Math.max(0, 1 - upsell.breachPenalty() * s.breaches());
        }
        return (finite(v.clv()) + referral) * clamp01(v.probabilityAlive()) * multiplier;
    }

    /** Up to {@link #MAX_REASONS}, in the order of the upsell formula's factors. */
    public List<String> upsellReasons(CustomerValueRow v, CustomerSignals s) {
        double referral = finite(v.referralValue());
        List<String> reasons = new ArrayList<>();
        if ("PROMOTER".equals(s.npsCategory())) {
            reasons.add(nps("promoter", s));
        }
        if (referral > 0) {
            reasons.add("referrer: referrals worth " + money(referral));
        }
        if ("DETRACTOR".equals(s.npsCategory())) {
            reasons.add("held back: " + nps("detractor", s));
        }
        if (s.open() > 0) {
            reasons.add("held back: " + count(s.open(), "open ticket", "open tickets"));
        }
        if (s.breaches() > 0) {
            reasons.add("held back: " + breaches(s.breaches()));
        }
        if (reasons.size() < MAX_REASONS) {
            reasons.add("expected " + fixed(finite(v.expectedPurchases()), 1) + " purchases, CLV "
                    + money(finite(v.clv())) + ", probability alive " + fixed(clamp01(v.probabilityAlive()), 2));
        }
        return top(reasons);
    }

    /** The score and its reasons; the rankings store only the score and word the reasons when a row is read. */
    public Scored retention(CustomerValueRow v, CustomerSignals s, Double previousProbabilityAlive) {
        return new Scored(retentionScore(v, s, previousProbabilityAlive),
                retentionReasons(v, s, previousProbabilityAlive));
    }

    /**
     * retention = value if kept x risk x (1 + detractorLift [detractor] + breachLift x min(breaches, cap)
     * + reopenLift x min(reopens, cap) + declineLift x max(0, previous P(alive) - P(alive))), where
     * value if kept = clv / P(alive) + referralValue (CLV already carries P(alive)) and risk = 1 - P(alive).
     */
    public double retentionScore(CustomerValueRow v, CustomerSignals s, Double previousProbabilityAlive) {
        double alive = clamp01(v.probabilityAlive());
        int cap = retention.maxCountedEvents();
        double multiplier = 1
                + ("DETRACTOR".equals(s.npsCategory()) ? retention.detractorLift() : 0)
                + retention.breachLift() * Math.min(s.breaches(), cap)
                + retention.reopenLift() * Math.min(s.reopens(), cap)
                + retention.declineLift() * decline(alive, previousProbabilityAlive);
        return keptValue(v, alive) * (1 - alive) * multiplier;
    }

    /** Up to {@link #MAX_REASONS}, the strongest risk signals first. */
    public List<String> retentionReasons(CustomerValueRow v, CustomerSignals s, Double previousProbabilityAlive) {
        double alive = clamp01(v.probabilityAlive());
        List<String> reasons = new ArrayList<>();
        if ("DETRACTOR".equals(s.npsCategory())) {
            reasons.add(nps("detractor", s));
        }
        if (previousProbabilityAlive != null
                && decline(alive, previousProbabilityAlive) >= retention.declineReasonThreshold()) {
            reasons.add("probability alive " + fixed(alive, 2) + ", down from "
                    + fixed(clamp01(previousProbabilityAlive), 2) + " in the previous run");
        }
        if (s.breaches() > 0) {
            reasons.add(breaches(s.breaches()));
        }
        if (s.reopens() > 0) {
            reasons.add(count(s.reopens(), "reopened ticket", "reopened tickets") + " in 90 days");
        }
        if (reasons.size() < MAX_REASONS) {
            double keptValue = keptValue(v, alive);
            reasons.add("value at risk " + money(keptValue * (1 - alive)) + " (worth " + money(keptValue)
                    + " if kept, probability alive " + fixed(alive, 2) + ")");
        }
        return top(reasons);
    }

    /** The reasons of one ranking, as pages and exports word them from a stored row. */
    public List<String> reasons(CampaignKind kind, CustomerValueRow v, CustomerSignals s, Double previousProbabilityAlive) {
        return kind == CampaignKind.UPSELL ? upsellReasons(v, s) : retentionReasons(v, s, previousProbabilityAlive);
    }

    /** What the customer is worth if kept: CLV already carries P(alive), so it is divided back out. */
    private static double keptValue(CustomerValueRow v, double alive) {
        return (alive < MIN_ALIVE ? 0 : finite(v.clv()) / alive) + finite(v.referralValue());
    }

    private static double decline(double alive, Double previousProbabilityAlive) {
        return previousProbabilityAlive == null ? 0 : Math.max(0, clamp01(previousProbabilityAlive) - alive);
    }

    private static List<String> top(List<String> reasons) {
        return List.copyOf(reasons.subList(0, Math.min(MAX_REASONS, reasons.size())));
    }

    private static String nps(String label, CustomerSignals s) {
        String text = label + " (NPS " + s.npsScore() + ")";
        return s.npsRespondedAt() == null ? text
                : text + " on " + s.npsRespondedAt().atOffset(ZoneOffset.UTC).toLocalDate();
    }

    private static String breaches(int n) {
        return count(n, "SLA breach", "SLA breaches") + " in 90 days";
    }

    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    static String money(double value) {
        return fixed(value, 2);
    }

    private static final double[] POWERS_OF_TEN = {1, 10, 100, 1000, 10_000};

    /**
     * value rounded half-up to scale decimals, as BigDecimal.valueOf(value) would round it. That is a few
     * hundred nanoseconds per call and a ranking formats millions of numbers, so values away from a tie
     * are rounded in long arithmetic, and only near-ties and huge values take the BigDecimal path.
     */
    static String fixed(double value, int scale) {
        double scaled = Math.abs(value) * POWERS_OF_TEN[scale];
        double fraction = scaled - Math.floor(scaled);
        // the decimal BigDecimal.valueOf reads is within an ulp of the double: only near a tie can they round apart
        if (!(scaled < 1e15) || Math.abs(fraction - 0.5) <= 4 * Math.ulp(scaled)) {
            return BigDecimal.valueOf(value).setScale(scale, RoundingMode.HALF_UP).toPlainString();
        }
        long units = (long) Math.floor(scaled + 0.5);
        StringBuilder out = new StringBuilder(24);
        if (value < 0 && units != 0) {
            out.append('-');
        }
        long whole = units / (long) POWERS_OF_TEN[scale];
        out.append(whole);
        if (scale > 0) {
            String digits = Long.toString(units % (long) POWERS_OF_TEN[scale] + (long) POWERS_OF_TEN[scale]);
            out.append('.').append(digits, 1, digits.length());
        }
        return out.toString();
    }

    private static double finite(double d) {
        return Double.isFinite(d) && d > 0 ? d : 0;
    }

    private static double clamp01(double d) {
        return Double.isFinite(d) ? Math.max(0, Math.min(1, d)) : 0;
    }
}
