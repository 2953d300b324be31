package io.loyalty.clv.campaign;

import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Builds the upsell and retention rankings of a scoring run: a streaming pass scores the run's
 * customers a chunk at a time (joined with the run's signals and the previous run's P(alive)) into a
 * stage table, then one statement numbers both rankings with row_number() and moves them into
 * campaign_run_customer, where pages are range scans on (run_id, rank).
 */
@Service
public class CampaignRankings {

    private final DatabaseClient db;
    private final CampaignProperties properties;
    private final CampaignScoring scoring;

    public CampaignRankings(DatabaseClient db, CampaignProperties properties) {
        this.db = db;
        this.properties = properties;
        this.scoring = new CampaignScoring(properties.upsell(), properties.retention());
    }

    /**
     * Ranks a run's customers; call once the run's values (and its signals, see SignalCollector) exist.
     * Rerunning for the same run replaces its rankings. Emits the number of customers ranked.
     */
    public Mono<Long> rank(long runId, Flux<CustomerValueRow> values) {
        Mono<Void> clear = db.sql("DELETE FROM campaign_scored_stage WHERE run_id = $1").bind(0, runId).then()
                .then(db.sql("DELETE FROM campaign_run_customer WHERE run_id = $1").bind(0, runId).then())
                .then(db.sql("DELETE FROM campaign_run WHERE run_id = $1").bind(0, runId).then());
        Mono<Long> previousRun = db.sql("SELECT max(run_id) AS id FROM campaign_run WHERE run_id < $1")
                .bind(0, runId).map(row -> {
                    Long id = row.get("id", Long.class);
                    return id == null ? -1L : id;
                }).one().defaultIfEmpty(-1L);
        return clear.then(previousRun).flatMap(previous -> values
                .buffer(properties.chunkSize())
                .concatMap(chunk -> scoreChunk(runId, previous, chunk), 1)
                .then(db.sql("""
                        WITH moved AS (
                            DELETE FROM campaign_scored_stage WHERE run_id = $1 RETURNING *
                        ), ranked AS (
                            INSERT INTO campaign_run_customer
                            SELECT moved.*,
                                   row_number() OVER (ORDER BY upsell_score DESC, customer_id),
                                   row_number() OVER (ORDER BY retention_score DESC, customer_id)
                            FROM moved
                            RETURNING 1
                        )
                        INSERT INTO campaign_run (run_id, customers, previous_run_id)
                        SELECT $1, count(*), NULLIF($2, -1) FROM ranked
                        RETURNING customers
                        """)
                        .bind(0, runId).bind(1, previous)
                        .map(row -> row.get("customers", Long.class)).one()
                        .flatMap(n -> properties.vacuumAfterRanking()
                                // outside a transaction (autocommit); skips pages already all-visible
                                ? db.sql("VACUUM (ANALYZE) campaign_run_customer").then().thenReturn(n)
                                : Mono.just(n))));
    }

    private Mono<Void> scoreChunk(long runId, long previousRun, List<CustomerValueRow> chunk) {
        String[] ids = chunk.stream().map(CustomerValueRow::customerId).toArray(String[]::new);
        return db.sql("""
                        SELECT c.id, s.nps_score, s.nps_category, s.nps_at, t.open_tickets, t.tickets_last_90_days,
                               t.sla_breaches_last_90_days, t.reopens_last_90_days, p.probability_alive AS previous
                        FROM unnest($2::text[]) AS c(id)
                        LEFT JOIN signal_satisfaction s ON s.run_id = $1 AND s.customer_id = c.id
                        LEFT JOIN signal_service_stats t ON t.run_id = $1 AND t.customer_id = c.id
                        LEFT JOIN campaign_run_customer p ON p.run_id = $3 AND p.customer_id = c.id
                        """)
                .bind(0, runId).bind(1, ids).bind(2, previousRun)
                .map(row -> Map.entry(row.get("id", String.class), new Joined(signals(row), row.get("previous", Double.class))))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue, HashMap::new)
                .flatMap(joined -> insertStage(runId, chunk, joined));
    }

    private static CustomerSignals signals(Readable row) {
        OffsetDateTime npsAt = row.get("nps_at", OffsetDateTime.class);
        Short npsScore = row.get("nps_score", Short.class);
        return new CustomerSignals(npsScore == null ? null : npsScore.intValue(), row.get("nps_category", String.class),
                npsAt == null ? null : npsAt.toInstant(), row.get("open_tickets", Integer.class),
                row.get("tickets_last_90_days", Integer.class), row.get("sla_breaches_last_90_days", Integer.class),
                row.get("reopens_last_90_days", Integer.class));
    }

    private record Joined(CustomerSignals signals, Double previous) {
    }

    private Mono<Void> insertStage(long runId, List<CustomerValueRow> chunk, Map<String, Joined> joined) {
        int n = chunk.size();
        String[] ids = new String[n];
        Integer[] frequency = new Integer[n];
        Double[] clv = new Double[n];
        Double[] alive = new Double[n];
        Double[] expected = new Double[n];
        Double[] referral = new Double[n];
        Double[] previous = new Double[n];
        Integer[] npsScore = new Integer[n];
        String[] npsCategory = new String[n];
        String[] npsAt = new String[n];
        Integer[] open = new Integer[n];
        Integer[] tickets = new Integer[n];
        Integer[] breaches = new Integer[n];
        Integer[] reopens = new Integer[n];
        Double[] upsellScore = new Double[n];
        String[] upsellReasons = new String[n];
        Double[] retentionScore = new Double[n];
        String[] retentionReasons = new String[n];
        for (int i = 0; i < n; i++) {
            CustomerValueRow v = chunk.get(i);
            Joined j = joined.getOrDefault(v.customerId(), new Joined(CustomerSignals.NONE, null));
            CustomerSignals s = j.signals();
            CampaignScoring.Scored up = scoring.upsell(v, s);
            CampaignScoring.Scored keep = scoring.retention(v, s, j.previous());
            ids[i] = v.customerId();
            frequency[i] = v.frequency();
            clv[i] = sane(v.clv());
            alive[i] = sane(v.probabilityAlive());
            expected[i] = sane(v.expectedPurchases());
            referral[i] = sane(v.referralValue());
            previous[i] = j.previous();
            npsScore[i] = s.npsScore();
            npsCategory[i] = s.npsCategory();
            Instant at = s.npsRespondedAt();
            npsAt[i] = at == null ? null : at.toString();
            open[i] = s.openTickets();
            tickets[i] = s.ticketsLast90Days();
            breaches[i] = s.slaBreachesLast90Days();
            reopens[i] = s.reopensLast90Days();
            upsellScore[i] = up.score();
            upsellReasons[i] = Reasons.encode(up.reasons());
            retentionScore[i] = keep.score();
            retentionReasons[i] = Reasons.encode(keep.reasons());
        }
        // reasons travel as one JSON array text per row: unnest cannot expand a 2-D array into rows of 1-D arrays
        return db.sql("""
                        INSERT INTO campaign_scored_stage (run_id, customer_id, frequency, clv, probability_alive,
                            expected_purchases, referral_value, previous_probability_alive, nps_score, nps_category,
                            nps_at, open_tickets, tickets_last_90_days, sla_breaches_last_90_days, reopens_last_90_days,
                            upsell_score, upsell_reasons, retention_score, retention_reasons)
                        SELECT $1, u.id, u.f, u.clv, u.alive, u.expected, u.referral, u.previous, u.nps_score, u.nps_category,
                               u.nps_at, u.open, u.tickets, u.breaches, u.reopens,
                               u.up, ARRAY(SELECT r.e FROM jsonb_array_elements_text(u.up_reasons::jsonb) WITH ORDINALITY AS r(e, i) ORDER BY r.i),
                               u.keep, ARRAY(SELECT r.e FROM jsonb_array_elements_text(u.keep_reasons::jsonb) WITH ORDINALITY AS r(e, i) ORDER BY r.i)
                        FROM unnest($2::text[], $3::int[], $4::float8[], $5::float8[], $6::float8[], $7::float8[],
                                    $8::float8[], $9::int[], $10::text[], $11::timestamptz[], $12::int[], $13::int[],
                                    $14::int[], $15::int[], $16::float8[], $17::text[], $18::float8[], $19::text[])
                             AS u(id, f, clv, alive, expected, referral, previous, nps_score, nps_category, nps_at,
                                  open, tickets, breaches, reopens, up, up_reasons, keep, keep_reasons)
                        ON CONFLICT (run_id, customer_id) DO NOTHING
                        """)
                .bind(0, runId).bind(1, ids).bind(2, frequency).bind(3, clv).bind(4, alive).bind(5, expected)
                .bind(6, referral).bind(7, previous).bind(8, npsScore).bind(9, npsCategory).bind(10, npsAt)
                .bind(11, open).bind(12, tickets).bind(13, breaches).bind(14, reopens)
                .bind(15, upsellScore).bind(16, upsellReasons).bind(17, retentionScore).bind(18, retentionReasons)
                .then();
    }

    private static double sane(double d) {
        return Double.isFinite(d) ? d : 0;
    }
}
