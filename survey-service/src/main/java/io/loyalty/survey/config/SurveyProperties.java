package io.loyalty.survey.config;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;
import java.time.Instant;

/**
 * Operator settings of the survey service ({@code loyalty.survey.*}).
 *
 * @param maxBatchSize        most responses accepted by one batch request
 * @param maxCommentLength    longest accepted comment, in Unicode code points
 * @param maxClockSkew        how far in the future a respondedAt may lie (client clocks drift)
 * @param earliestRespondedAt respondedAt before this instant is rejected as a bad timestamp
 * @param defaultPageSize     list page size when no ?limit= is given
 * @param maxPageSize         largest accepted ?limit=
 * @param maxSeriesPoints     most periods a results series may span (guards ?interval=day over centuries)
 * @param exportPageSize      customers read per database round trip by the gRPC export
 */
@ConfigurationProperties("loyalty.survey")
@Validated
public record SurveyProperties(
        @DefaultValue("1000") @Min(1) @Max(10_000) int maxBatchSize,
        @DefaultValue("2000") @Min(1) @Max(100_000) int maxCommentLength,
        @DefaultValue("5m") @NotNull Duration maxClockSkew,
        @DefaultValue("2000-01-01T00:00:00Z") @NotNull Instant earliestRespondedAt,
        @DefaultValue("100") @Min(1) int defaultPageSize,
        @DefaultValue("1000") @Min(1) int maxPageSize,
        @DefaultValue("5000") @Min(1) int maxSeriesPoints,
        @DefaultValue("500") @Min(1) @Max(10_000) int exportPageSize) {
}
