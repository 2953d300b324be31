package io.loyalty.clv.signals;

import io.loyalty.clv.campaign.CampaignRankings;
import io.loyalty.clv.campaign.CustomerValueRow;
import io.loyalty.clv.scoring.RunSignals;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The scoring run's signals seam: once a run's customer values are stored it collects the survey and
 * ticket signals, then ranks the run's customers for the upsell and retention campaigns. A ranking
 * failure is logged and leaves the run without campaign lists; it never fails the run.
 */
@Component
public class ScoringRunSignals implements RunSignals {

    private static final Logger log = LoggerFactory.getLogger(ScoringRunSignals.class);

    private final SignalCollector collector;
    private final CampaignRankings rankings;
    private final DatabaseClient db;

    public ScoringRunSignals(SignalCollector collector, CampaignRankings rankings, DatabaseClient db) {
        this.collector = collector;
        this.rankings = rankings;
        this.db = db;
    }

    @Override
    public Mono<Outcome> collect(long runId, Instant asOf) {
        return collector.collect(runId, asOf)
                .flatMap(outcome -> rankings.rank(runId, values(runId))
                        .doOnNext(n -> log.info("run {}: {} customers ranked for campaigns", runId, n))
                        .onErrorResume(e -> {
                            log.error("run {}: campaign rankings failed", runId, e);
                            return Mono.empty();
                        })
                        .thenReturn(new Outcome(outcome.complete(), outcome.missing())));
    }

    /** The run's customer values, streamed (demand-driven) rather than loaded. */
    Flux<CustomerValueRow> values(long runId) {
        return db.sql("""
                        SELECT customer_id, frequency, clv, probability_alive, expected_purchases, referral_value
                        FROM scoring_run_customers WHERE run_id = $1""")
                .bind(0, runId)
                .map(row -> new CustomerValueRow(row.get("customer_id", String.class), row.get("frequency", Integer.class),
                        row.get("clv", Double.class), row.get("probability_alive", Double.class),
                        row.get("expected_purchases", Double.class), row.get("referral_value", Double.class)))
                .all();
    }
}
