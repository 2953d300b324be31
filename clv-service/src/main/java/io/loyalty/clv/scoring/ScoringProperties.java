package io.loyalty.clv.scoring;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * @param fetchSize        summary rows per cursor fetch in the scoring pass (bounds the heap, not the run)
 * @param copyBufferRows   result rows encoded before they are handed to COPY
 * @param maxHorizonMonths longest accepted CLV horizon
 * @param summaryWorkMem   PostgreSQL work_mem for the summary statement, so its per-day and per-customer
 *                         aggregates hash in memory instead of spilling to disk
 */
@Validated
@ConfigurationProperties("loyalty.clv.scoring")
public record ScoringProperties(@Min(100) @Max(1_000_000) int fetchSize,
                                @Min(1) @Max(1_000_000) int copyBufferRows,
                                @Min(1) @Max(1200) int maxHorizonMonths,
                                @NotNull @Pattern(regexp = "[1-9][0-9]{0,6}(kB|MB|GB)") String summaryWorkMem) {
}
