package io.loyalty.clv.scoring;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Scoring-run rows and stored per-customer results (R2DBC, request paths). */
@Repository
public class ScoringRuns {

    public record Created(long id, Instant cutoff) {
    }

    private final DatabaseClient db;
    private final JsonMapper json;

    public ScoringRuns(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    public Mono<Created> create(ScoringRequest r) {
        var spec = db.sql("""
                INSERT INTO scoring_runs (status, stage, calibration_end, holdout_end, horizon_months,
                    monthly_discount_rate, time_unit, data_cutoff)
                VALUES ('RUNNING', 'QUEUED', $1, $2, $3, $4, $5, now()) RETURNING id, data_cutoff""")
                .bind(0, r.calibrationEnd());
        spec = r.holdoutEnd() == null ? spec.bindNull(1, LocalDate.class) : spec.bind(1, r.holdoutEnd());
        return spec.bind(2, r.horizonMonths()).bind(3, r.monthlyDiscountRate()).bind(4, r.timeUnit().name())
                .map(row -> new Created(row.get(0, Long.class), row.get(1, OffsetDateTime.class).toInstant()))
                .one();
    }

    public Mono<Long> latestSucceeded() {
        return db.sql("SELECT id FROM scoring_runs WHERE status = 'SUCCEEDED' ORDER BY id DESC LIMIT 1")
                .map(row -> row.get(0, Long.class)).one();
    }

    public Mono<String> status(long id) {
        return db.sql("SELECT status FROM scoring_runs WHERE id = $1").bind(0, id)
                .map(row -> row.get(0, String.class)).one();
    }

    public Mono<Map<String, Object>> find(long id) {
        return db.sql("""
                SELECT id, status, stage, progress, calibration_end, holdout_end, horizon_months, monthly_discount_rate,
                       time_unit, data_cutoff, created_at, finished_at, customers, model::text AS model,
                       diagnostics::text AS diagnostics, validation::text AS validation, signals_complete,
                       signals_missing, error
                FROM scoring_runs WHERE id = $1""").bind(0, id).map(this::run).one();
    }

    private Map<String, Object> run(Readable row) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", row.get("id", Long.class));
        String status = row.get("status", String.class);
        out.put("status", status);
        out.put("stage", row.get("stage", String.class));
        out.put("progress", row.get("progress", Double.class));
        out.put("calibrationEnd", row.get("calibration_end", LocalDate.class));
        out.put("holdoutEnd", row.get("holdout_end", LocalDate.class));
        out.put("horizonMonths", row.get("horizon_months", Integer.class));
        out.put("monthlyDiscountRate", row.get("monthly_discount_rate", Double.class));
        out.put("timeUnit", row.get("time_unit", String.class));
        out.put("dataCutoff", row.get("data_cutoff", OffsetDateTime.class));
        out.put("createdAt", row.get("created_at", OffsetDateTime.class));
        out.put("finishedAt", row.get("finished_at", OffsetDateTime.class));
        out.put("customers", row.get("customers", Long.class));
        out.put("model", parse(row.get("model", String.class)));
        out.put("diagnostics", parse(row.get("diagnostics", String.class)));
        JsonNode validation = parse(row.get("validation", String.class));
        if (validation != null) {
            out.put("validation", validation);
        }
        Boolean complete = row.get("signals_complete", Boolean.class);
        String[] missing = row.get("signals_missing", String[].class);
        Map<String, Object> signals = new LinkedHashMap<>();
        signals.put("complete", complete != null && complete);
        signals.put("missing", complete == null && !"FAILED".equals(status) ? List.of("survey", "ticket")
                : missing == null ? List.of() : Arrays.asList(missing));
        out.put("signals", signals);
        String error = row.get("error", String.class);
        if (error != null) {
            out.put("error", error);
        }
        return out;
    }

    private JsonNode parse(String text) {
        return text == null ? null : json.readTree(text);
    }

    public Mono<Map<String, Object>> customerValue(long runId, String customerId) {
        return db.sql("""
                SELECT customer_id, frequency, recency, t, monetary_value, expected_purchases, probability_alive,
                       expected_average_value, clv, referral_value, churned_at
                FROM scoring_run_customers WHERE run_id = $1 AND customer_id = $2""")
                .bind(0, runId).bind(1, customerId)
                .map(row -> {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("customerId", row.get("customer_id", String.class));
                    out.put("runId", runId);
                    out.put("frequency", row.get("frequency", Integer.class));
                    out.put("recency", row.get("recency", Double.class));
                    out.put("T", row.get("t", Double.class));
                    out.put("monetaryValue", row.get("monetary_value", Double.class));
                    out.put("expectedPurchases", row.get("expected_purchases", Double.class));
                    out.put("probabilityAlive", row.get("probability_alive", Double.class));
                    out.put("expectedAverageValue", row.get("expected_average_value", Double.class));
                    out.put("clv", row.get("clv", Double.class));
                    out.put("referralValue", row.get("referral_value", Double.class));
                    OffsetDateTime churned = row.get("churned_at", OffsetDateTime.class);
                    out.put("churned", churned != null);
                    if (churned != null) {
                        out.put("churnedAt", churned);
                    }
                    return out;
                }).one();
    }
}
