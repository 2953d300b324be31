package io.loyalty.survey.results;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

@Repository
public class ResultsRepository {

    /** Summed rollup counts of one score in one period. */
    public record PeriodCount(LocalDate periodStart, int score, long responses) {
    }

    private final DatabaseClient db;

    public ResultsRepository(DatabaseClient db) {
        this.db = db;
    }

    /** Reads only the rollups (one row per day, channel and score), never the responses. */
    public Flux<PeriodCount> counts(UUID surveyId, Interval interval, LocalDate from, LocalDate to, String channel) {
        // one row per period (scores and counts as arrays) keeps the rows to decode 11x fewer for NPS
        StringBuilder sql = new StringBuilder("""
                SELECT period, array_agg(score ORDER BY score) AS scores, array_agg(n ORDER BY score) AS counts
                FROM (
                    SELECT date_trunc(:unit, day::timestamp)::date AS period, score, sum(responses)::bigint AS n
                    FROM survey_rollup WHERE survey_id = :surveyId""");
        if (from != null) {
            sql.append(" AND day >= :from");
        }
        if (to != null) {
            sql.append(" AND day <= :to");
        }
        if (channel != null) {
            sql.append(" AND channel = :channel");
        }
        sql.append(" GROUP BY 1, 2 HAVING sum(responses) > 0) t GROUP BY period ORDER BY period");
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql.toString())
                .bind("unit", interval.sqlUnit())
                .bind("surveyId", surveyId);
        if (from != null) {
            spec = spec.bind("from", from);
        }
        if (to != null) {
            spec = spec.bind("to", to);
        }
        if (channel != null) {
            spec = spec.bind("channel", channel);
        }
        return spec.map(row -> {
                    LocalDate period = row.get("period", LocalDate.class);
                    Short[] scores = row.get("scores", Short[].class);
                    Long[] n = row.get("counts", Long[].class);
                    List<PeriodCount> counts = new ArrayList<>(scores.length);
                    for (int i = 0; i < scores.length; i++) {
                        counts.add(new PeriodCount(period, scores[i], n[i]));
                    }
                    return counts;
                })
                .all()
                .flatMapIterable(counts -> counts);
    }
}
