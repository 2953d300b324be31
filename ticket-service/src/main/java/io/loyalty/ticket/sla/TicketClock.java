package io.loyalty.ticket.sla;

import java.time.Instant;

/**
 * Everything the SLA arithmetic keeps per ticket, as of its latest event. {@code activeSeconds} is the
 * business time the ticket has spent waiting on the team (NEW or OPEN) up to {@code lastEventAt}; the
 * first-response and resolution times are readings of that one clock. Breach flags here are the ones
 * already decided by events; {@link SlaEngine#evaluate} adds the ones the passing of time decides.
 */
public record TicketClock(
        TicketStatus status,
        Instant lastEventAt,
        long activeSeconds,
        Instant firstResponseAt,
        Long firstResponseSeconds,
        Instant solvedAt,
        Long resolutionSeconds,
        int reopens,
        Instant firstResponseDueAt,
        Instant resolutionDueAt,
        boolean firstResponseBreached,
        boolean resolutionBreached) {
}
