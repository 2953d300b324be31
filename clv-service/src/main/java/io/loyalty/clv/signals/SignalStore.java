package io.loyalty.clv.signals;

import com.google.protobuf.Timestamp;
import io.loyalty.proto.survey.v1.CustomerSatisfaction;
import io.loyalty.proto.survey.v1.NpsCategory;
import io.loyalty.proto.ticket.v1.CustomerServiceStats;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/** Per-run signal rows, written a chunk per statement (unnest of arrays), never a row per round trip. */
@Repository
public class SignalStore {

    private final DatabaseClient db;

    public SignalStore(DatabaseClient db) {
        this.db = db;
    }

    /** Clears what an earlier attempt of the same run stored, so a rerun starts from nothing. */
    public Mono<Void> start(long runId, Instant asOf) {
        return db.sql("DELETE FROM signal_satisfaction WHERE run_id = $1").bind(0, runId).then()
                .then(db.sql("DELETE FROM signal_service_stats WHERE run_id = $1").bind(0, runId).then())
                .then(db.sql("""
                        INSERT INTO signal_collection (run_id, as_of) VALUES ($1, $2)
                        ON CONFLICT (run_id) DO UPDATE SET as_of = EXCLUDED.as_of, started_at = now(), finished_at = NULL,
                            complete = NULL, missing = '{}', survey_customers = 0, ticket_customers = 0, errors = '{}'
                        """).bind(0, runId).bind(1, asOf).then());
    }

    public Mono<Void> insertSatisfaction(long runId, List<CustomerSatisfaction> chunk) {
        int n = chunk.size();
        String[] ids = new String[n];
        Integer[] npsScore = new Integer[n];
        String[] npsCategory = new String[n];
        String[] npsAt = new String[n];
        Integer[] csatScore = new Integer[n];
        Integer[] csatScale = new Integer[n];
        String[] csatAt = new String[n];
        Integer[] cesScore = new Integer[n];
        Integer[] cesScale = new Integer[n];
        String[] cesAt = new String[n];
        for (int i = 0; i < n; i++) {
            CustomerSatisfaction s = chunk.get(i);
            ids[i] = s.getCustomerId();
            if (s.hasNps()) {
                npsScore[i] = s.getNps().getScore();
                npsCategory[i] = category(s.getNps().getScore(), s.getNps().getCategory());
                npsAt[i] = iso(s.getNps().hasRespondedAt(), s.getNps().getRespondedAt());
            }
            if (s.hasCsat()) {
                csatScore[i] = s.getCsat().getScore();
                csatScale[i] = s.getCsat().getScale();
                csatAt[i] = iso(s.getCsat().hasRespondedAt(), s.getCsat().getRespondedAt());
            }
            if (s.hasCes()) {
                cesScore[i] = s.getCes().getScore();
                cesScale[i] = s.getCes().getScale();
                cesAt[i] = iso(s.getCes().hasRespondedAt(), s.getCes().getRespondedAt());
            }
        }
        return db.sql("""
                INSERT INTO signal_satisfaction (run_id, customer_id, nps_score, nps_category, nps_at,
                    csat_score, csat_scale, csat_at, ces_score, ces_scale, ces_at)
                SELECT $1, * FROM unnest($2::text[], $3::int[], $4::text[], $5::timestamptz[],
                    $6::int[], $7::int[], $8::timestamptz[], $9::int[], $10::int[], $11::timestamptz[])
                ON CONFLICT (run_id, customer_id) DO NOTHING
                """)
                .bind(0, runId).bind(1, ids).bind(2, npsScore).bind(3, npsCategory).bind(4, npsAt)
                .bind(5, csatScore).bind(6, csatScale).bind(7, csatAt)
                .bind(8, cesScore).bind(9, cesScale).bind(10, cesAt)
                .then();
    }

    public Mono<Void> insertServiceStats(long runId, List<CustomerServiceStats> chunk) {
        int n = chunk.size();
        String[] ids = new String[n];
        Integer[] open = new Integer[n];
        Integer[] tickets = new Integer[n];
        Integer[] breaches = new Integer[n];
        Integer[] reopens = new Integer[n];
        Long[] median = new Long[n];
        String[] lastContact = new String[n];
        for (int i = 0; i < n; i++) {
            CustomerServiceStats s = chunk.get(i);
            ids[i] = s.getCustomerId();
            open[i] = s.getOpenTickets();
            tickets[i] = s.getTicketsLast90Days();
            breaches[i] = s.getSlaBreachesLast90Days();
            reopens[i] = s.getReopensLast90Days();
            median[i] = s.hasMedianResolutionSeconds() ? s.getMedianResolutionSeconds() : null;
            lastContact[i] = iso(s.hasLastContactAt(), s.getLastContactAt());
        }
        return db.sql("""
                INSERT INTO signal_service_stats (run_id, customer_id, open_tickets, tickets_last_90_days,
                    sla_breaches_last_90_days, reopens_last_90_days, median_resolution_seconds, last_contact_at)
                SELECT $1, * FROM unnest($2::text[], $3::int[], $4::int[], $5::int[], $6::int[], $7::bigint[],
                    $8::timestamptz[])
                ON CONFLICT (run_id, customer_id) DO NOTHING
                """)
                .bind(0, runId).bind(1, ids).bind(2, open).bind(3, tickets).bind(4, breaches).bind(5, reopens)
                .bind(6, median).bind(7, lastContact)
                .then();
    }

    public Mono<Void> finish(long runId, SignalsOutcome outcome, List<String> errors) {
        return db.sql("""
                UPDATE signal_collection SET finished_at = now(), complete = $2, missing = $3::text[],
                    survey_customers = $4, ticket_customers = $5, errors = $6::text[]
                WHERE run_id = $1
                """)
                .bind(0, runId).bind(1, outcome.complete()).bind(2, outcome.missing().toArray(String[]::new))
                .bind(3, outcome.surveyCustomers()).bind(4, outcome.ticketCustomers())
                .bind(5, errors.toArray(String[]::new))
                .then();
    }

    /** The recorded outcome of a run's collection; empty when none was made or it has not finished. */
    public Mono<SignalsOutcome> outcome(long runId) {
        return db.sql("""
                SELECT complete, missing, survey_customers, ticket_customers FROM signal_collection
                WHERE run_id = $1 AND complete IS NOT NULL
                """)
                .bind(0, runId)
                .map(row -> new SignalsOutcome(Boolean.TRUE.equals(row.get("complete", Boolean.class)),
                        Arrays.asList(row.get("missing", String[].class)),
                        row.get("survey_customers", Long.class), row.get("ticket_customers", Long.class)))
                .one();
    }

    private static String category(int score, NpsCategory category) {
        return switch (category) {
            case PROMOTER -> "PROMOTER";
            case PASSIVE -> "PASSIVE";
            case DETRACTOR -> "DETRACTOR";
            // derive it from the score rather than losing the signal
            default -> score >= 9 ? "PROMOTER" : score >= 7 ? "PASSIVE" : "DETRACTOR";
        };
    }

    private static String iso(boolean present, Timestamp t) {
        return present ? Instant.ofEpochSecond(t.getSeconds(), t.getNanos()).toString() : null;
    }
}
