package io.loyalty.clv.scoring;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * @param fetchSize        summary rows per cursor fetch in the scoring pass (bounds the heap, not the run)
 * @param copyBufferRows   result rows encoded before they are handed to COPY
 * @param maxHorizonMonths longest accepted CLV horizon
 * @param summaryParallelism customer-id ranges summarised at once, each on a connection (and so a
 *                         PostgreSQL backend) of its own: about the database server's cores
 */
@Validated
@ConfigurationProperties("loyalty.clv.scoring")
public record ScoringProperties(@Min(100) @Max(1_000_000) int fetchSize,
                                @Min(1) @Max(1_000_000) int copyBufferRows,
                                @Min(1) @Max(1200) int maxHorizonMonths,
                                @Min(1) @Max(64) int summaryParallelism) {
}
