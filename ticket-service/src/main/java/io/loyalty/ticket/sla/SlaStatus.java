package io.loyalty.ticket.sla;

import java.time.Instant;

/** A ticket's SLA as of one instant. */
public record SlaStatus(Instant firstResponseDueAt, Instant resolutionDueAt,
                        boolean firstResponseBreached, boolean resolutionBreached) {
}
