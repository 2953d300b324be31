package io.loyalty.clv.scoring;

import java.time.Instant;
import java.util.List;

import reactor.core.publisher.Mono;

/**
 * The seam where a scoring run gathers survey and ticket signals, after its customer results are stored.
 * Implement it as a bean (io.loyalty.clv.signals) and the run calls it; without one the run records the
 * signals as not collected ({complete: false, missing: [survey, ticket]}).
 */
public interface RunSignals {

    record Outcome(boolean complete, List<String> missing) {
    }

    Mono<Outcome> collect(long runId, Instant asOf);
}
