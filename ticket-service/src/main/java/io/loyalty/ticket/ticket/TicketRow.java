package io.loyalty.ticket.ticket;

import io.loyalty.ticket.sla.TicketClock;
import io.loyalty.ticket.sla.TicketStatus;
import io.r2dbc.spi.Readable;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A ticket as stored, its derived SLA columns included. */
public record TicketRow(UUID id, long seq, String externalId, String customerId, String subject, Priority priority,
                        Channel channel, Instant openedAt, boolean openedAtGiven, Long slaPolicyVersion,
                        TicketClock clock) {

    static final String COLUMNS = "id, seq, external_id, customer_id, subject, priority, channel, status, opened_at, "
            + "opened_at_given, sla_policy_id, last_event_at, active_seconds, first_response_at, first_response_seconds, "
            + "solved_at, resolution_seconds, reopens, first_response_due_at, resolution_due_at, "
            + "first_response_breached, resolution_breached";

    public TicketRow withClock(TicketClock next) {
        return new TicketRow(id, seq, externalId, customerId, subject, priority, channel, openedAt, openedAtGiven,
                slaPolicyVersion, next);
    }

    static TicketRow read(Readable row) {
        TicketClock clock = new TicketClock(
                TicketStatus.valueOf(row.get("status", String.class)),
                instant(row, "last_event_at"),
                row.get("active_seconds", Long.class),
                instant(row, "first_response_at"),
                row.get("first_response_seconds", Long.class),
                instant(row, "solved_at"),
                row.get("resolution_seconds", Long.class),
                row.get("reopens", Integer.class),
                instant(row, "first_response_due_at"),
                instant(row, "resolution_due_at"),
                row.get("first_response_breached", Boolean.class),
                row.get("resolution_breached", Boolean.class));
        return new TicketRow(row.get("id", UUID.class), row.get("seq", Long.class), row.get("external_id", String.class),
                row.get("customer_id", String.class), row.get("subject", String.class),
                Priority.valueOf(row.get("priority", String.class)), Channel.valueOf(row.get("channel", String.class)),
                instant(row, "opened_at"), row.get("opened_at_given", Boolean.class),
                row.get("sla_policy_id", Long.class), clock);
    }

    private static Instant instant(Readable row, String column) {
        OffsetDateTime value = row.get(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
