package io.loyalty.clv.campaign;

import java.time.Instant;
import java.util.List;

/** One row of a ranking as the API shows it, with the service signals the score used. */
public record RankedCustomer(long rank, String customerId, double score, double clv, double probabilityAlive,
                             double expectedPurchases, double referralValue, Double previousProbabilityAlive,
                             Signals signals, List<String> reasons) {

    /** Null fields: the signal was not known for this customer in this run. */
    public record Signals(Integer npsScore, String npsCategory, Instant npsRespondedAt, Integer openTickets,
                          Integer ticketsLast90Days, Integer slaBreachesLast90Days, Integer reopensLast90Days) {
    }
}
