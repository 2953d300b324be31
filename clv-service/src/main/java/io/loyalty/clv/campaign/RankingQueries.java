package io.loyalty.clv.campaign;

import io.r2dbc.spi.Readable;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Reads of the stored rankings: keyset pages on (run_id, rank) and a chunked stream of the whole list. */
@Repository
public class RankingQueries {

    private final DatabaseClient db;
    private final CampaignScoring scoring;

    public RankingQueries(DatabaseClient db, CampaignProperties properties) {
        this.db = db;
        this.scoring = new CampaignScoring(properties.upsell(), properties.retention());
    }

    public record Page(long runId, List<RankedCustomer> items, String nextCursor) {
    }

    /** The requested run when it has rankings, else the latest ranked run; 404 when there is none. */
    public Mono<Long> resolveRun(Long requested) {
        if (requested != null) {
            return db.sql("SELECT run_id FROM campaign_run WHERE run_id = $1").bind(0, requested)
                    .map(row -> row.get("run_id", Long.class)).one()
                    .switchIfEmpty(Mono.error(() -> ApiProblem.notFound("scoring run " + requested
                            + " does not exist or has no rankings")));
        }
        return db.sql("SELECT max(run_id) AS run_id FROM campaign_run").map(row -> java.util.Optional.ofNullable(
                        row.get("run_id", Long.class))).one()
                .flatMap(id -> id.map(Mono::just).orElseGet(() -> Mono.error(
                        ApiProblem.notFound("no scoring run has rankings yet"))));
    }

    public Mono<Page> page(CampaignKind kind, long runId, RankingFilter filter, long afterRank, int limit) {
        return rows(kind, runId, filter, afterRank, limit + 1).collectList().map(rows -> {
            boolean more = rows.size() > limit;
            List<RankedCustomer> items = more ? rows.subList(0, limit) : rows;
            String next = more ? Cursor.encode(runId, kind, items.get(items.size() - 1).rank()) : null;
            return new Page(runId, List.copyOf(items), next);
        });
    }

    /**
     * The whole ranked list in rank order, read chunkRows at a time so memory stays flat. (The CSV export reads
     * with one COPY instead: {@link CsvExport}.)
     */
    public Flux<List<RankedCustomer>> chunks(CampaignKind kind, long runId, RankingFilter filter, int chunkRows) {
        return rows(kind, runId, filter, 0, chunkRows).collectList()
                .expand(chunk -> chunk.size() < chunkRows ? Mono.empty()
                        : rows(kind, runId, filter, chunk.get(chunk.size() - 1).rank(), chunkRows).collectList())
                .filter(chunk -> !chunk.isEmpty());
    }

    /**
     * The columns of a ranked row, in the order of the CSV (and of {@link CsvExport}'s COPY), but for the reasons,
     * which are worded from them.
     */
    static String select(CampaignKind kind) {
        return "SELECT " + kind.rankColumn + " AS rank, customer_id, "
                + kind.scoreColumn + " AS score, clv, probability_alive, expected_purchases, referral_value, "
                + "previous_probability_alive, nps_score, nps_category, nps_at, open_tickets, "
                + "tickets_last_90_days, sla_breaches_last_90_days, reopens_last_90_days FROM campaign_run_customer";
    }

    private Flux<RankedCustomer> rows(CampaignKind kind, long runId, RankingFilter filter, long afterRank, int limit) {
        RankingFilter.Sql where = filter.where(4);
        DatabaseClient.GenericExecuteSpec spec = db.sql(select(kind) + " WHERE run_id = $1 AND "
                        + kind.rankColumn + " > $2" + where.text() + " ORDER BY " + kind.rankColumn + " LIMIT $3")
                .bind(0, runId).bind(1, (int) Math.min(afterRank, Integer.MAX_VALUE)).bind(2, limit);
        for (int i = 0; i < where.binds().size(); i++) {
            spec = spec.bind(3 + i, where.binds().get(i));
        }
        return spec.map(row -> customer(kind, row)).all();
    }

    /** A stored row with its reasons, worded from the stored inputs of its score (CampaignScoring). */
    RankedCustomer customer(CampaignKind kind, Readable row) {
        Short nps = row.get("nps_score", Short.class);
        OffsetDateTime npsAt = row.get("nps_at", OffsetDateTime.class);
        // frequency (0 here) is not an input of the reasons
        CustomerValueRow value = new CustomerValueRow(row.get("customer_id", String.class), 0,
                row.get("clv", Double.class), row.get("probability_alive", Double.class),
                row.get("expected_purchases", Double.class), row.get("referral_value", Double.class));
        CustomerSignals signals = new CustomerSignals(nps == null ? null : nps.intValue(), row.get("nps_category", String.class),
                npsAt == null ? null : npsAt.toInstant(), row.get("open_tickets", Integer.class),
                row.get("tickets_last_90_days", Integer.class), row.get("sla_breaches_last_90_days", Integer.class),
                row.get("reopens_last_90_days", Integer.class));
        Double previous = row.get("previous_probability_alive", Double.class);
        List<String> reasons = scoring.reasons(kind, value, signals, previous);
        return new RankedCustomer(row.get("rank", Integer.class), value.customerId(), row.get("score", Double.class),
                value.clv(), value.probabilityAlive(), value.expectedPurchases(), value.referralValue(), previous,
                new RankedCustomer.Signals(signals.npsScore(), signals.npsCategory(), signals.npsRespondedAt(),
                        signals.openTickets(), signals.ticketsLast90Days(), signals.slaBreachesLast90Days(),
                        signals.reopensLast90Days()),
                reasons);
    }

    /** Opaque page cursor: the run, the ranking and the last rank shown. */
    static final class Cursor {
        private Cursor() {
        }

        record Position(long runId, CampaignKind kind, long rank) {
        }

        static String encode(long runId, CampaignKind kind, long rank) {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    ("v1:" + runId + ":" + kind.label() + ":" + rank).getBytes(StandardCharsets.UTF_8));
        }

        static Position decode(String cursor) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
                if (parts.length == 4 && parts[0].equals("v1")) {
                    long run = Long.parseLong(parts[1]);
                    long rank = Long.parseLong(parts[3]);
                    CampaignKind kind = CampaignKind.valueOf(parts[2].toUpperCase(java.util.Locale.ROOT));
                    if (run > 0 && rank > 0 && kind.label().equals(parts[2])) {
                        return new Position(run, kind, rank);
                    }
                }
            } catch (IllegalArgumentException e) {
                // falls through: every malformed cursor gets the same answer
            }
            throw ApiProblem.invalid("cursor", "is not a cursor this list issued");
        }
    }
}
