package io.loyalty.clv.campaign;

import java.time.Instant;

/**
 * The service signals of one customer in a run; every field is null when the signal is unknown
 * (never answered, or the signal service was missing for the run).
 */
public record CustomerSignals(Integer npsScore, String npsCategory, Instant npsRespondedAt,
                              Integer openTickets, Integer ticketsLast90Days, Integer slaBreachesLast90Days,
                              Integer reopensLast90Days) {

    public static final CustomerSignals NONE = new CustomerSignals(null, null, null, null, null, null, null);

    int open() {
        return openTickets == null ? 0 : openTickets;
    }

    int breaches() {
        return slaBreachesLast90Days == null ? 0 : slaBreachesLast90Days;
    }

    int reopens() {
        return reopensLast90Days == null ? 0 : reopensLast90Days;
    }
}
