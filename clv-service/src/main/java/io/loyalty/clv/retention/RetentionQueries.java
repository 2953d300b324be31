package io.loyalty.clv.retention;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

/**
 * Cohorts: customers by the UTC month of their first purchase ever (cohorts starting in [fromMonth, toMonth]);
 * retained[k] = share of the cohort that purchased in month cohort + k, observed through toMonth
 * (retained[0] = 1). Periods: for each month m in [fromMonth, toMonth], of the customers who purchased in
 * m - 1, the share who purchased again in m (retention rate) and 1 - that (churn rate), with the explicit
 * churn events received for that month beside it.
 */
@Repository
public class RetentionQueries {

    private final DatabaseClient db;

    public RetentionQueries(DatabaseClient db) {
        this.db = db;
    }

    record Cell(LocalDate cohort, int k, long customers) {
    }

    record Period(LocalDate month, long active, long retained) {
    }

    public Mono<Map<String, Object>> report(LocalDate fromMonth, LocalDate toMonth) {
        OffsetDateTime from = fromMonth.atStartOfDay().atOffset(ZoneOffset.UTC);
        OffsetDateTime end = toMonth.plusMonths(1).atStartOfDay().atOffset(ZoneOffset.UTC);
        Mono<List<Cell>> cells = db.sql("""
                WITH first AS (
                    SELECT customer_id, date_trunc('month', min(occurred_at) AT TIME ZONE 'UTC')::date AS cohort
                    FROM purchases GROUP BY customer_id
                    HAVING min(occurred_at) >= $1 AND min(occurred_at) < $2),
                active AS (
                    SELECT DISTINCT p.customer_id, date_trunc('month', p.occurred_at AT TIME ZONE 'UTC')::date AS month
                    FROM purchases p JOIN first f USING (customer_id)
                    WHERE p.occurred_at < $2)
                SELECT f.cohort, ((extract(year FROM a.month) - extract(year FROM f.cohort)) * 12
                                  + extract(month FROM a.month) - extract(month FROM f.cohort))::int AS k,
                       count(*) AS customers
                FROM first f JOIN active a USING (customer_id)
                GROUP BY 1, 2 ORDER BY 1, 2""")
                .bind(0, from).bind(1, end)
                .map(row -> new Cell(row.get(0, LocalDate.class), row.get(1, Integer.class), row.get(2, Long.class)))
                .all().collectList();
        Mono<List<Period>> periods = db.sql("""
                WITH act AS (
                    SELECT DISTINCT customer_id, date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date AS month
                    FROM purchases WHERE occurred_at >= $1 AND occurred_at < $2)
                SELECT (p.month + 1 * interval '1 month')::date AS month, count(*) AS active, count(n.customer_id) AS retained
                FROM act p LEFT JOIN act n ON n.customer_id = p.customer_id
                    AND n.month = (p.month + interval '1 month')::date
                WHERE p.month < $3
                GROUP BY 1 ORDER BY 1""")
                .bind(0, from.minusMonths(1)).bind(1, end).bind(2, toMonth)
                .map(row -> new Period(row.get(0, LocalDate.class), row.get(1, Long.class), row.get(2, Long.class)))
                .all().collectList();
        Mono<Map<LocalDate, Long>> churn = db.sql("""
                SELECT date_trunc('month', occurred_at AT TIME ZONE 'UTC')::date AS month, count(DISTINCT customer_id)
                FROM churn_events WHERE occurred_at >= $1 AND occurred_at < $2 GROUP BY 1""")
                .bind(0, from).bind(1, end)
                .map(row -> Map.entry(row.get(0, LocalDate.class), row.get(1, Long.class)))
                .all().collectMap(Map.Entry::getKey, Map.Entry::getValue);
        return Mono.zip(cells, periods, churn).map(t -> assemble(fromMonth, toMonth, t.getT1(), t.getT2(), t.getT3()));
    }

    static Map<String, Object> assemble(LocalDate fromMonth, LocalDate toMonth, List<Cell> cells,
                                        List<Period> periods, Map<LocalDate, Long> churn) {
        Map<LocalDate, Map<Integer, Long>> byCohort = new TreeMap<>();
        for (Cell c : cells) {
            byCohort.computeIfAbsent(c.cohort(), k -> new HashMap<>()).put(c.k(), c.customers());
        }
        List<Map<String, Object>> cohorts = new ArrayList<>();
        byCohort.forEach((cohort, counts) -> {
            long size = counts.getOrDefault(0, 0L);
            int observed = (int) ChronoUnit.MONTHS.between(cohort, toMonth);
            List<Double> retained = new ArrayList<>(observed + 1);
            for (int k = 0; k <= observed; k++) {
                retained.add(size == 0 ? 0 : counts.getOrDefault(k, 0L) / (double) size);
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("cohortStart", cohort);
            row.put("customers", size);
            row.put("retained", retained);
            cohorts.add(row);
        });
        Map<LocalDate, Period> byMonth = new HashMap<>();
        periods.forEach(p -> byMonth.put(p.month(), p));
        List<Map<String, Object>> rates = new ArrayList<>();
        for (LocalDate m = fromMonth; !m.isAfter(toMonth); m = m.plusMonths(1)) {
            Period p = byMonth.getOrDefault(m, new Period(m, 0, 0));
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("periodStart", m);
            row.put("activeLastPeriod", p.active());
            row.put("retained", p.retained());
            row.put("retentionRate", p.active() == 0 ? null : p.retained() / (double) p.active());
            row.put("churnRate", p.active() == 0 ? null : 1 - p.retained() / (double) p.active());
            row.put("churnEvents", churn.getOrDefault(m, 0L));
            rates.add(row);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("period", "month");
        out.put("from", fromMonth);
        out.put("to", toMonth);
        out.put("cohorts", cohorts);
        out.put("periods", rates);
        return out;
    }
}
