package io.loyalty.clv.signals;

import io.loyalty.clv.campaign.CampaignRankings;
import io.loyalty.clv.scoring.RankingFeed;
import io.loyalty.clv.scoring.RunSignals;
import java.sql.SQLException;
import java.time.Instant;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;

/** The scoring run's signals seam: the gRPC signal collection, then the campaign rankings. */
@Component
public class ScoringRunSignals implements RunSignals {

    private final SignalCollector collector;
    private final CampaignRankings rankings;

    public ScoringRunSignals(SignalCollector collector, CampaignRankings rankings) {
        this.collector = collector;
        this.rankings = rankings;
    }

    @Override
    public Mono<Outcome> collect(long runId, Instant asOf) {
        return collector.collect(runId, asOf).map(outcome -> new Outcome(outcome.complete(), outcome.missing()));
    }

    @Override
    public RankingFeed rankingFeed(long runId) throws SQLException {
        return rankings.feed(runId);
    }
}
