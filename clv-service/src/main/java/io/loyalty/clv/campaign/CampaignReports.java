package io.loyalty.clv.campaign;

import io.loyalty.clv.signals.SignalStore;
import io.loyalty.clv.signals.SignalsOutcome;
import io.r2dbc.spi.Readable;
import java.time.Instant;
import java.util.List;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

/** The campaign uplift report and the per-run service-impact report. */
@Service
public class CampaignReports {

    private final DatabaseClient db;
    private final CampaignSnapshots snapshots;
    private final RankingQueries rankings;
    private final SignalStore signals;
    private final CampaignProperties.Purchases purchases;

    public CampaignReports(DatabaseClient db, CampaignSnapshots snapshots, RankingQueries rankings, SignalStore signals,
                           CampaignProperties properties) {
        this.db = db;
        this.snapshots = snapshots;
        this.rankings = rankings;
        this.signals = signals;
        this.purchases = properties.purchases();
    }

    public record Group(long customers, long repeatPurchasers, Intervals.Estimate repeatPurchaseRate,
                        Intervals.Estimate spendPerCustomer) {
    }

    public record Uplift(Intervals.Estimate repeatPurchaseRate, Intervals.Estimate spendPerCustomer) {
    }

    public record UpliftReport(String campaignId, long runId, Instant from, Instant to, Group treated, Group control,
                               Uplift uplift) {
    }

    /** Group sizes and sums the uplift is computed from (treated or control). */
    record GroupStats(long n, long buyers, double meanSpend, Double spendVariance, Double spendSd) {
    }

    public Mono<UpliftReport> uplift(String campaignId, Instant to) {
        String sql = "SELECT m.control, count(*) AS n, count(*) FILTER (WHERE a.purchases > 0) AS buyers,"
                + " avg(coalesce(a.spend, 0))::float8 AS mean_spend, var_samp(coalesce(a.spend, 0))::float8 AS var_spend,"
                + " stddev_samp(coalesce(a.spend, 0))::float8 AS sd_spend"
                + " FROM campaign_member m LEFT JOIN LATERAL (SELECT count(*) AS purchases, sum(p." + purchases.amountColumn()
                + ") AS spend FROM " + purchases.table() + " p WHERE p." + purchases.customerColumn() + " = m.customer_id"
                + " AND p." + purchases.timeColumn() + " > $2 AND p." + purchases.timeColumn() + " <= $3) a ON true"
                + " WHERE m.campaign_id = $1 GROUP BY m.control";
        return snapshots.get(campaignId).flatMap(c -> {
            Instant until = to == null ? Instant.now() : to;
            if (!until.isAfter(c.createdAt())) {
                return Mono.error(ApiProblem.invalid("to", "must be after the snapshot was taken (" + c.createdAt() + ")"));
            }
            return db.sql(sql).bind(0, campaignId).bind(1, c.createdAt()).bind(2, until)
                    .map(row -> java.util.Map.entry(row.get("control", Boolean.class), groupStats(row)))
                    .all().collectMap(java.util.Map.Entry::getKey, java.util.Map.Entry::getValue)
                    .map(groups -> {
                        GroupStats t = groups.getOrDefault(false, new GroupStats(0, 0, 0, null, null));
                        GroupStats k = groups.getOrDefault(true, new GroupStats(0, 0, 0, null, null));
                        Uplift uplift = k.n() == 0 ? null : new Uplift(
                                Intervals.proportionDifference(t.buyers(), t.n(), k.buyers(), k.n()),
                                t.spendVariance() == null || k.spendVariance() == null ? null
                                        : Intervals.meanDifference(t.meanSpend(), t.spendVariance(), t.n(),
                                        k.meanSpend(), k.spendVariance(), k.n()));
                        return new UpliftReport(campaignId, c.runId(), c.createdAt(), until, group(t),
                                k.n() == 0 ? null : group(k), uplift);
                    });
        });
    }

    private static GroupStats groupStats(Readable row) {
        Double mean = row.get("mean_spend", Double.class);
        return new GroupStats(row.get("n", Long.class), row.get("buyers", Long.class), mean == null ? 0 : mean,
                row.get("var_spend", Double.class), row.get("sd_spend", Double.class));
    }

    private static Group group(GroupStats g) {
        return new Group(g.n(), g.buyers(), Intervals.proportion(g.buyers(), g.n()),
                Intervals.mean(g.meanSpend(), g.spendSd(), g.n()));
    }

    public record Segment(String segment, long customers, Intervals.Estimate repeatPurchaseRate, Intervals.Estimate clv) {
    }

    public record ServiceImpact(long runId, SignalsOutcome signals, List<Segment> byNpsCategory,
                                List<Segment> bySlaBreaches) {
    }

    private static final String SEGMENTS = """
            SELECT %s AS segment, count(*) AS n, count(*) FILTER (WHERE frequency > 0) AS repeaters,
                   avg(clv)::float8 AS mean_clv, stddev_samp(clv)::float8 AS sd_clv
            FROM campaign_run_customer WHERE run_id = $1 GROUP BY 1 ORDER BY min(%s)
            """;

    public Mono<ServiceImpact> serviceImpact(long runId) {
        Mono<List<Segment>> nps = segments(SEGMENTS.formatted("coalesce(nps_category, 'NONE')",
                "CASE nps_category WHEN 'PROMOTER' THEN 0 WHEN 'PASSIVE' THEN 1 WHEN 'DETRACTOR' THEN 2 ELSE 3 END"), runId);
        String exposure = "CASE WHEN sla_breaches_last_90_days IS NULL THEN 'unknown' "
                + "WHEN sla_breaches_last_90_days = 0 THEN '0' WHEN sla_breaches_last_90_days = 1 THEN '1' ELSE '2+' END";
        Mono<List<Segment>> breaches = segments(SEGMENTS.formatted(exposure,
                // LEAST ignores NULLs, so unknown needs its own branch
                "CASE WHEN sla_breaches_last_90_days IS NULL THEN 3 ELSE least(sla_breaches_last_90_days, 2) END"), runId);
        return rankings.resolveRun(runId).then(Mono.zip(nps, breaches,
                        signals.outcome(runId).map(java.util.Optional::of).defaultIfEmpty(java.util.Optional.empty())))
                .map(t -> new ServiceImpact(runId, t.getT3().orElse(null), t.getT1(), t.getT2()));
    }

    private Mono<List<Segment>> segments(String sql, long runId) {
        return db.sql(sql).bind(0, runId).map(row -> {
            long n = row.get("n", Long.class);
            Double mean = row.get("mean_clv", Double.class);
            return new Segment(row.get("segment", String.class), n,
                    Intervals.proportion(row.get("repeaters", Long.class), n),
                    Intervals.mean(mean == null ? 0 : mean, row.get("sd_clv", Double.class), n));
        }).all().collectList();
    }
}
