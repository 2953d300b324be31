package io.loyalty.ticket;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * Operator settings of the ticket service ({@code loyalty.ticket.*}).
 *
 * @param defaultPageSize list size when {@code ?limit=} is absent
 * @param maxPageSize largest {@code ?limit=} accepted
 * @param maxBatchEvents most events one batch request may carry
 * @param exportPageSize customers read per database page by the gRPC export
 * @param statsWorkMem PostgreSQL {@code work_mem} for the statistics queries, so the percentile sorts of a
 *     quarter (hundreds of thousands of rows) stay in memory instead of spilling to disk
 * @param maxClockSkew how far in the future a client's timestamp may lie; a later event would block
 *     every real event before it (events must come in time order)
 */
@Validated
@ConfigurationProperties("loyalty.ticket")
public record TicketProperties(
        @DefaultValue("100") @Min(1) @Max(10_000) int defaultPageSize,
        @DefaultValue("1000") @Min(1) @Max(10_000) int maxPageSize,
        @DefaultValue("1000") @Min(1) @Max(10_000) int maxBatchEvents,
        @DefaultValue("500") @Min(1) @Max(10_000) int exportPageSize,
        @DefaultValue("5m") @NotNull Duration maxClockSkew,
        @DefaultValue("64MB") @Pattern(regexp = "\\d{1,7}(kB|MB|GB)") String statsWorkMem) {
}
