package io.loyalty.ticket.ticket;

import io.loyalty.ticket.sla.TicketClock;
import io.loyalty.ticket.sla.TicketEventType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Tickets and their events over R2DBC. Multi-row writes go through unnest() of text arrays: one statement
 * and one round trip per batch, whatever its size.
 */
@Repository
public class TicketRepository {

    private final DatabaseClient db;

    public TicketRepository(DatabaseClient db) {
        this.db = db;
    }

    public record StoredEvent(UUID ticketId, String eventId, TicketEventType type, Instant at) {
    }

    /** The new row, or empty when the external id exists already. */
    public Mono<TicketRow> insert(TicketRow t) {
        TicketClock c = t.clock();
        DatabaseClient.GenericExecuteSpec spec = db.sql("INSERT INTO ticket (id, external_id, customer_id, subject, "
                        + "priority, channel, status, opened_at, opened_at_given, sla_policy_id, last_event_at, "
                        + "first_response_due_at, resolution_due_at) "
                        + "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) "
                        + "ON CONFLICT (external_id) DO NOTHING RETURNING " + TicketRow.COLUMNS)
                .bind(0, t.id()).bind(1, t.externalId()).bind(2, t.customerId()).bind(3, t.subject())
                .bind(4, t.priority().name()).bind(5, t.channel().name()).bind(6, c.status().name())
                .bind(7, t.openedAt()).bind(8, t.openedAtGiven());
        spec = t.slaPolicyVersion() == null ? spec.bindNull(9, Long.class) : spec.bind(9, t.slaPolicyVersion());
        spec = spec.bind(10, c.lastEventAt());
        spec = bindInstant(spec, 11, c.firstResponseDueAt());
        spec = bindInstant(spec, 12, c.resolutionDueAt());
        return spec.map(TicketRow::read).one();
    }

    public Mono<TicketRow> findById(UUID id) {
        return db.sql("SELECT " + TicketRow.COLUMNS + " FROM ticket WHERE id = $1").bind(0, id).map(TicketRow::read).one();
    }

    public Mono<TicketRow> findByExternalId(String externalId) {
        return db.sql("SELECT " + TicketRow.COLUMNS + " FROM ticket WHERE external_id = $1")
                .bind(0, externalId).map(TicketRow::read).one();
    }

    /** Keyset page in creation order; {@code limit + 1} rows are read to know whether more follow. */
    public Flux<TicketRow> list(String customerId, String status, long afterSeq, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + TicketRow.COLUMNS + " FROM ticket WHERE seq > $1");
        int next = 2;
        if (customerId != null) {
            sql.append(" AND customer_id = $").append(next++);
        }
        if (status != null) {
            sql.append(" AND status = $").append(next++);
        }
        sql.append(" ORDER BY seq LIMIT $").append(next);
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql.toString()).bind(0, afterSeq);
        int index = 1;
        if (customerId != null) {
            spec = spec.bind(index++, customerId);
        }
        if (status != null) {
            spec = spec.bind(index++, status);
        }
        return spec.bind(index, limit + 1).map(TicketRow::read).all();
    }

    /** Locks the tickets in id order, so concurrent batches touching the same tickets cannot deadlock. */
    public Flux<TicketRow> lockForUpdate(Collection<UUID> ids) {
        return db.sql("SELECT " + TicketRow.COLUMNS + " FROM ticket WHERE id = ANY($1::text[]::uuid[]) ORDER BY id FOR UPDATE")
                .bind(0, ids.stream().map(UUID::toString).toArray(String[]::new))
                .map(TicketRow::read).all();
    }

    /**
     * The given (ticket, event id) pairs already stored. A separate statement after the lock on purpose: its
     * snapshot is taken once the lock is held, so it sees events a concurrent transaction committed while we
     * waited (a join in the locking statement would read them with the statement's older snapshot).
     */
    public Flux<StoredEvent> findEvents(List<UUID> ticketIds, List<String> eventIds) {
        return db.sql("SELECT e.ticket_id, e.event_id, e.type, e.at FROM ticket_event e "
                        + "JOIN unnest($1::text[], $2::text[]) AS k(ticket_id, event_id) "
                        + "ON e.ticket_id = k.ticket_id::uuid AND e.event_id = k.event_id")
                .bind(0, ticketIds.stream().map(UUID::toString).toArray(String[]::new))
                .bind(1, eventIds.toArray(String[]::new))
                .map(row -> new StoredEvent(row.get("ticket_id", UUID.class), row.get("event_id", String.class),
                        TicketEventType.valueOf(row.get("type", String.class)),
                        row.get("at", OffsetDateTime.class).toInstant()))
                .all();
    }

    /**
     * Stores the new events and writes the derived SLA columns of the tickets they changed, in one statement
     * (a data-modifying CTE): one round trip per batch whatever its size.
     */
    public Mono<Long> write(List<StoredEvent> events, List<TicketRow> tickets) {
        if (events.isEmpty() && tickets.isEmpty()) {
            return Mono.just(0L);
        }
        int n = tickets.size();
        String[] id = new String[n];
        String[] status = new String[n];
        String[] lastEventAt = new String[n];
        String[] active = new String[n];
        String[] firstResponseAt = new String[n];
        String[] firstResponseSeconds = new String[n];
        String[] solvedAt = new String[n];
        String[] resolutionSeconds = new String[n];
        String[] reopens = new String[n];
        String[] firstResponseDue = new String[n];
        String[] resolutionDue = new String[n];
        String[] firstResponseBreached = new String[n];
        String[] resolutionBreached = new String[n];
        for (int i = 0; i < n; i++) {
            TicketRow t = tickets.get(i);
            TicketClock c = t.clock();
            id[i] = t.id().toString();
            status[i] = c.status().name();
            lastEventAt[i] = c.lastEventAt().toString();
            active[i] = Long.toString(c.activeSeconds());
            firstResponseAt[i] = text(c.firstResponseAt());
            firstResponseSeconds[i] = text(c.firstResponseSeconds());
            solvedAt[i] = text(c.solvedAt());
            resolutionSeconds[i] = text(c.resolutionSeconds());
            reopens[i] = Integer.toString(c.reopens());
            firstResponseDue[i] = text(c.firstResponseDueAt());
            resolutionDue[i] = text(c.resolutionDueAt());
            firstResponseBreached[i] = Boolean.toString(c.firstResponseBreached());
            resolutionBreached[i] = Boolean.toString(c.resolutionBreached());
        }
        return db.sql("WITH new_events AS (INSERT INTO ticket_event (ticket_id, event_id, type, at) "
                        + "SELECT ticket_id::uuid, event_id, type, at::timestamptz "
                        + "FROM unnest($14::text[], $15::text[], $16::text[], $17::text[]) AS e(ticket_id, event_id, type, at)) "
                        + "UPDATE ticket t SET status = u.status, last_event_at = u.last_event_at::timestamptz, "
                        + "active_seconds = u.active::bigint, first_response_at = u.fra::timestamptz, "
                        + "first_response_seconds = u.frs::bigint, solved_at = u.sa::timestamptz, "
                        + "resolution_seconds = u.rs::bigint, reopens = u.reopens::int, "
                        + "first_response_due_at = u.frd::timestamptz, resolution_due_at = u.rd::timestamptz, "
                        + "first_response_breached = u.frb::boolean, resolution_breached = u.rb::boolean "
                        + "FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], "
                        + "$8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[]) "
                        + "AS u(id, status, last_event_at, active, fra, frs, sa, rs, reopens, frd, rd, frb, rb) "
                        + "WHERE t.id = u.id::uuid")
                .bind(0, id).bind(1, status).bind(2, lastEventAt).bind(3, active).bind(4, firstResponseAt)
                .bind(5, firstResponseSeconds).bind(6, solvedAt).bind(7, resolutionSeconds).bind(8, reopens)
                .bind(9, firstResponseDue).bind(10, resolutionDue).bind(11, firstResponseBreached)
                .bind(12, resolutionBreached)
                .bind(13, events.stream().map(e -> e.ticketId().toString()).toArray(String[]::new))
                .bind(14, events.stream().map(StoredEvent::eventId).toArray(String[]::new))
                .bind(15, events.stream().map(e -> e.type().name()).toArray(String[]::new))
                .bind(16, events.stream().map(e -> e.at().toString()).toArray(String[]::new))
                .fetch().rowsUpdated();
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }

    private static DatabaseClient.GenericExecuteSpec bindInstant(DatabaseClient.GenericExecuteSpec spec, int index,
                                                                Instant value) {
        return value == null ? spec.bindNull(index, Instant.class) : spec.bind(index, value);
    }
}
