package io.loyalty.clv.scoring;

import java.time.LocalDate;

/** A validated scoring-run request; calibrationEnd and holdoutEnd are inclusive UTC dates. */
public record ScoringRequest(LocalDate calibrationEnd, LocalDate holdoutEnd, int horizonMonths,
                             double monthlyDiscountRate, TimeUnit timeUnit) {
}
