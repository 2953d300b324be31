package io.loyalty.ticket.stats;

import io.loyalty.ticket.TicketProperties;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;

/**
 * Statistics computed in PostgreSQL from the derived per-ticket columns (no event replay). A ticket counts
 * as breached when a target was missed by an event, or when its clock is still running past a due instant
 * at the moment asked about, the same rule {@code SlaEngine.evaluate} applies.
 */
@Repository
public class StatsRepository {

    /** Window of the per-customer "last 90 days" figures (part of the API's field names). */
    public static final int CUSTOMER_WINDOW_DAYS = 90;

    private static final String BREACHED = "(first_response_breached OR resolution_breached OR (status IN ('NEW', 'OPEN') "
            + "AND ((first_response_at IS NULL AND first_response_due_at < $%1$d) "
            + "OR (resolution_seconds IS NULL AND resolution_due_at < $%1$d))))";

    private final DatabaseClient db;
    private final TransactionalOperator tx;
    private final String workMem;

    public StatsRepository(DatabaseClient db, TransactionalOperator tx, TicketProperties properties) {
        this.db = db;
        this.tx = tx;
        this.workMem = properties == null ? null : properties.statsWorkMem();
    }

    /**
     * Runs a statistics query in its own read-only transaction with enough work_mem for in-memory sorts and
     * without JIT (compiling costs more than it saves at this size); both settings end with the transaction.
     */
    private <T> Mono<T> tuned(Mono<T> query) {
        Mono<Void> settings = db.sql("SELECT set_config('work_mem', $1, true), set_config('jit', 'off', true)")
                .bind(0, workMem).fetch().rowsUpdated().then();
        return tx.transactional(settings.then(query));
    }

    public record PeriodStats(long tickets, Double firstResponseMedian, Double firstResponseP90,
                              Double resolutionMedian, Double resolutionP90, long withPolicy, long breached,
                              long everSolved, long reopened) {
    }

    public record CustomerStats(String customerId, int openTickets, int ticketsInWindow, int breachesInWindow,
                                int reopensInWindow, Double medianResolutionSeconds, Instant lastContactAt) {
    }

    /**
     * Tickets opened in [from, to); breaches judged at {@code now}. The two percentile sorts (first response,
     * resolution) run as two queries on two connections at once, so they can use two cores instead of running
     * one after the other; each reads its own snapshot, so under concurrent writes the two halves can differ
     * by the tickets written in between.
     */
    public Mono<PeriodStats> period(Instant from, Instant to, Instant now) {
        String where = " FROM ticket WHERE opened_at >= $1 AND opened_at < $2";
        String counts = "SELECT count(*) AS tickets, "
                + "percentile_cont(0.5) WITHIN GROUP (ORDER BY first_response_seconds) AS fr_median, "
                + "percentile_cont(0.9) WITHIN GROUP (ORDER BY first_response_seconds) AS fr_p90, "
                + "count(*) FILTER (WHERE sla_policy_id IS NOT NULL) AS with_policy, "
                + "count(*) FILTER (WHERE sla_policy_id IS NOT NULL AND " + BREACHED.formatted(3) + ") AS breached, "
                + "count(*) FILTER (WHERE status IN ('SOLVED', 'CLOSED') OR reopens > 0) AS ever_solved, "
                + "count(*) FILTER (WHERE reopens > 0) AS reopened" + where;
        String resolution = "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY resolution_seconds) AS res_median, "
                + "percentile_cont(0.9) WITHIN GROUP (ORDER BY resolution_seconds) AS res_p90" + where;
        Mono<PeriodStats> first = tuned(db.sql(counts).bind(0, from).bind(1, to)
                .bind(2, now.truncatedTo(ChronoUnit.SECONDS))
                .map(row -> new PeriodStats(row.get("tickets", Long.class), row.get("fr_median", Double.class),
                        row.get("fr_p90", Double.class), null, null, row.get("with_policy", Long.class),
                        row.get("breached", Long.class), row.get("ever_solved", Long.class),
                        row.get("reopened", Long.class)))
                .one());
        Mono<Double[]> second = tuned(db.sql(resolution).bind(0, from).bind(1, to)
                .map(row -> new Double[] {row.get("res_median", Double.class), row.get("res_p90", Double.class)})
                .one());
        return Mono.zip(first, second).map(both -> {
            PeriodStats s = both.getT1();
            Double[] res = both.getT2();
            return new PeriodStats(s.tickets(), s.firstResponseMedian(), s.firstResponseP90(), res[0], res[1],
                    s.withPolicy(), s.breached(), s.everSolved(), s.reopened());
        });
    }

    private static String customerSelect() {
        return "SELECT customer_id, "
                + "count(*) FILTER (WHERE status NOT IN ('SOLVED', 'CLOSED')) AS open_tickets, "
                + "count(*) FILTER (WHERE opened_at > $1 AND opened_at <= $2) AS tickets_window, "
                + "count(*) FILTER (WHERE opened_at > $1 AND opened_at <= $2 AND " + BREACHED.formatted(2) + ") AS breaches_window, "
                + "coalesce(sum(reopens) FILTER (WHERE opened_at > $1 AND opened_at <= $2), 0) AS reopens_window, "
                + "percentile_cont(0.5) WITHIN GROUP (ORDER BY resolution_seconds) AS median_resolution, "
                + "max(last_event_at) AS last_contact "
                + "FROM ticket ";
    }

    /** One customer; empty when the customer has no tickets. */
    public Mono<CustomerStats> customer(String customerId, Instant asOf) {
        Instant end = asOf.truncatedTo(ChronoUnit.SECONDS);
        return db.sql(customerSelect() + "WHERE customer_id = $3 GROUP BY customer_id")
                .bind(0, end.minus(CUSTOMER_WINDOW_DAYS, ChronoUnit.DAYS)).bind(1, end).bind(2, customerId)
                .map(StatsRepository::customerStats).one();
    }

    /** Up to {@code limit} customers after {@code afterCustomerId}, in customer id order (the column's collation is "C": byte order). */
    public Flux<CustomerStats> customersAfter(String afterCustomerId, Instant asOf, int limit) {
        Instant end = asOf.truncatedTo(ChronoUnit.SECONDS);
        return db.sql(customerSelect() + "WHERE customer_id > $3 "
                        + "GROUP BY customer_id ORDER BY customer_id LIMIT $4")
                .bind(0, end.minus(CUSTOMER_WINDOW_DAYS, ChronoUnit.DAYS)).bind(1, end)
                .bind(2, afterCustomerId).bind(3, limit)
                .map(StatsRepository::customerStats).all();
    }

    private static CustomerStats customerStats(Readable row) {
        OffsetDateTime last = row.get("last_contact", OffsetDateTime.class);
        return new CustomerStats(row.get("customer_id", String.class), row.get("open_tickets", Long.class).intValue(),
                row.get("tickets_window", Long.class).intValue(), row.get("breaches_window", Long.class).intValue(),
                row.get("reopens_window", Long.class).intValue(), row.get("median_resolution", Double.class),
                last == null ? null : last.toInstant());
    }
}
