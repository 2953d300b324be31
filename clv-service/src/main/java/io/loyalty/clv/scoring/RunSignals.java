package io.loyalty.clv.scoring;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import reactor.core.publisher.Mono;

/**
 * The seam where a scoring run gathers survey and ticket signals and ranks its customers for the campaigns.
 * Implement it as a bean (io.loyalty.clv.signals) and the run calls it: {@link #collect} when the run starts,
 * so the signal services are read while the run summarises and fits, then, once the collection has ended,
 * {@link #rankingFeed}, which the scoring pass feeds every customer's values. Without a bean the run records the
 * signals as not collected ({complete: false, missing: [survey, ticket]}) and ranks nothing.
 */
public interface RunSignals {

    record Outcome(boolean complete, List<String> missing) {
    }

    /** Pulls and stores the run's signals; completes with what was collected, never with an error. */
    Mono<Outcome> collect(long runId, Instant asOf);

    /** The rankings of the run, built from what the scoring pass feeds them and the run's stored signals. */
    RankingFeed rankingFeed(long runId) throws SQLException;
}
