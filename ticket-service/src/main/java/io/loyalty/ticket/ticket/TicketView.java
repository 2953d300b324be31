package io.loyalty.ticket.ticket;

import io.loyalty.ticket.sla.SlaEngine;
import io.loyalty.ticket.sla.SlaStatus;
import io.loyalty.ticket.sla.SlaTargets;
import io.loyalty.ticket.sla.TicketClock;
import io.loyalty.ticket.sla.TicketStatus;

import java.time.Instant;
import java.util.UUID;

/** A ticket as the API shows it, with breach flags judged at the moment of the request. */
public record TicketView(UUID id, String externalId, String customerId, String subject, TicketStatus status,
                         Priority priority, Channel channel, Instant openedAt, Instant lastEventAt,
                         Instant firstResponseAt, Long firstResponseSeconds, Instant solvedAt, Long resolutionSeconds,
                         int reopens, Sla sla) {

    public record Sla(Long policyVersion, Instant firstResponseDueAt, Instant resolutionDueAt,
                      boolean firstResponseBreached, boolean resolutionBreached) {
    }

    public static TicketView of(TicketRow row, SlaTargets targets, Instant now) {
        TicketClock c = row.clock();
        SlaStatus sla = SlaEngine.evaluate(c, targets, now);
        return new TicketView(row.id(), row.externalId(), row.customerId(), row.subject(), c.status(), row.priority(),
                row.channel(), row.openedAt(), c.lastEventAt(), c.firstResponseAt(), c.firstResponseSeconds(),
                c.solvedAt(), c.resolutionSeconds(), c.reopens(),
                new Sla(row.slaPolicyVersion(), sla.firstResponseDueAt(), sla.resolutionDueAt(),
                        sla.firstResponseBreached(), sla.resolutionBreached()));
    }
}
