package io.loyalty.clv.signals;

import java.util.List;

/**
 * What a scoring run got from the signal services: {@code complete} only when every service streamed
 * to the end; {@code missing} names the services ("survey", "ticket") whose signals are absent or partial.
 */
public record SignalsOutcome(boolean complete, List<String> missing, long surveyCustomers, long ticketCustomers) {

    public SignalsOutcome {
        missing = List.copyOf(missing);
    }
}
