package io.loyalty.clv.scoring;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * @param copyBufferBytes  bytes of encoded rows the scoring pass buffers before it hands them to COPY
 * @param maxHorizonMonths longest accepted CLV horizon
 * @param summaryParallelism customer-id ranges summarised at once, each on a connection (and so a
 *                         PostgreSQL backend) of its own: about the database server's cores
 */
@Validated
@ConfigurationProperties("loyalty.clv.scoring")
public record ScoringProperties(@Min(4096) @Max(64 * 1024 * 1024) int copyBufferBytes,
                                @Min(1) @Max(1200) int maxHorizonMonths,
                                @Min(1) @Max(64) int summaryParallelism) {
}
