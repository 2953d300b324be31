package io.loyalty.clv.scoring;

/**
 * The customer summary, computed in PostgreSQL with the literature's semantics: purchases grouped per
 * customer per UTC day; x = repeat purchase days; recency = last day - first day and T = calibrationEnd -
 * first day (dates, so T counts from the start of calibrationEnd's day), both in the run's unit;
 * monetary value = mean spend of the repeat days (the first day excluded); calibrationEnd inclusive.
 * A churn event at or after the customer's last purchase (up to calibrationEnd) marks them churned;
 * a later purchase undoes it. With a holdout, holdout_actual = purchase days in (calibrationEnd, holdoutEnd].
 *
 * <p>The first day's spend rides in the low 44 bits of min(day number * 2^44 + spend in 1/10000 units): one
 * integer aggregate instead of an ordered one (days since 1970 need 15 bits, spend up to 1.7e9 per day).
 *
 * <p>A CREATE TABLE AS into a per-run unlogged table, because PostgreSQL plans INSERT ... SELECT serially
 * while CTAS may use parallel workers. Utility statements take no bind parameters: the placeholders are
 * filled by {@link #create} with a run id, an instant, dates and an int only (nothing from a client string).
 */
final class SummarySql {

    private SummarySql() {
    }

    static String table(long runId) {
        return "scoring_summary_" + runId;
    }

    static String create(long runId, java.time.Instant cutoff, java.time.LocalDate calibrationEnd, int unitDays,
                         java.time.LocalDate holdoutEnd) {
        return String.format(java.util.Locale.ROOT, CREATE, table(runId), runId, cutoff.toString(), calibrationEnd,
                unitDays, holdoutEnd == null ? "NULL" : "'" + holdoutEnd + "'");
    }

    private static final String CREATE = """
            CREATE UNLOGGED TABLE %s AS
            WITH params AS (
                SELECT %d::bigint AS run_id, '%s'::timestamptz AS cutoff, '%s'::date AS cal_end, %d::int AS unit,
                       %s::date AS hold_end),
            bounds AS (
                SELECT p.*, (p.cal_end + 1)::timestamp AT TIME ZONE 'UTC' AS cal_end_excl,
                       (p.hold_end + 1)::timestamp AT TIME ZONE 'UTC' AS hold_end_excl
                FROM params p),
            days AS (
                SELECT pu.customer_id, (pu.occurred_at AT TIME ZONE 'UTC')::date AS day, sum(pu.amount) AS spend,
                       max(pu.occurred_at) AS last_at
                FROM purchases pu, bounds b
                WHERE pu.occurred_at < b.cal_end_excl AND pu.received_at <= b.cutoff
                GROUP BY 1, 2),
            customers AS (
                SELECT customer_id, count(*) - 1 AS x, min(day) AS first_day, max(day) AS last_day, sum(spend) AS total,
                       (min((day - DATE '1970-01-01')::bigint * 17592186044416 + round(spend * 10000)::bigint)
                            %% 17592186044416)::numeric / 10000 AS first_spend, max(last_at) AS last_at
                FROM days GROUP BY 1),
            churn AS (
                SELECT e.customer_id, max(e.occurred_at) AS churned_at
                FROM churn_events e, bounds b
                WHERE e.occurred_at < b.cal_end_excl AND e.received_at <= b.cutoff
                GROUP BY 1),
            holdout AS (
                SELECT pu.customer_id, count(DISTINCT (pu.occurred_at AT TIME ZONE 'UTC')::date) AS purchase_days
                FROM purchases pu, bounds b
                WHERE b.hold_end IS NOT NULL AND pu.occurred_at >= b.cal_end_excl AND pu.occurred_at < b.hold_end_excl
                  AND pu.received_at <= b.cutoff
                GROUP BY 1)
            SELECT b.run_id, c.customer_id, c.x::int AS x,
                   (c.last_day - c.first_day)::float8 / b.unit AS recency,
                   (b.cal_end - c.first_day)::float8 / b.unit AS t,
                   CASE WHEN c.x > 0 THEN ((c.total - c.first_spend) / c.x)::float8 ELSE 0 END AS monetary_value,
                   CASE WHEN ch.churned_at >= c.last_at THEN ch.churned_at END AS churned_at,
                   CASE WHEN b.hold_end IS NOT NULL THEN coalesce(h.purchase_days, 0) END::int AS holdout_actual
            FROM customers c CROSS JOIN bounds b
            LEFT JOIN churn ch ON ch.customer_id = c.customer_id
            LEFT JOIN holdout h ON h.customer_id = c.customer_id""";
}
