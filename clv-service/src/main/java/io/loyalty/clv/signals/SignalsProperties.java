package io.loyalty.clv.signals;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the scoring run pulls survey and ticket signals. Every guard is per signal service: one slow
 * service must never hold back or break the other.
 *
 * @param surveyAddress   host:port of the survey-service gRPC server
 * @param ticketAddress   host:port of the ticket-service gRPC server
 * @param chunkSize       rows per multi-row insert, also the number of messages requested at a time
 * @param callDeadline    gRPC deadline of one export call (a whole stream attempt)
 * @param idleTimeout     longest wait for the next message of a stream before the attempt counts as hung
 * @param collectionTimeout hard ceiling for one service's whole collection including retries
 */
@Validated
@ConfigurationProperties("loyalty.signals")
public record SignalsProperties(
        @NotBlank @Pattern(regexp = "[^\\s:]+:\\d{1,5}", message = "must be host:port") @DefaultValue("127.0.0.1:9081") String surveyAddress,
        @NotBlank @Pattern(regexp = "[^\\s:]+:\\d{1,5}", message = "must be host:port") @DefaultValue("127.0.0.1:9082") String ticketAddress,
        @Min(1) @Max(10_000) @DefaultValue("1000") int chunkSize,
        @NotNull @DefaultValue("10m") Duration callDeadline,
        @NotNull @DefaultValue("10s") Duration idleTimeout,
        @NotNull @DefaultValue("15m") Duration collectionTimeout,
        @Valid @NotNull @DefaultValue Retry retry,
        @Valid @NotNull @DefaultValue CircuitBreaker circuitBreaker,
        @Valid @NotNull @DefaultValue Bulkhead bulkhead) {

    public SignalsProperties {
        requirePositive(callDeadline, "callDeadline");
        requirePositive(idleTimeout, "idleTimeout");
        requirePositive(collectionTimeout, "collectionTimeout");
    }

    /** Attempts include the first call; a retry resumes after the last customer id stored. */
    public record Retry(
            @Min(1) @Max(20) @DefaultValue("4") int maxAttempts,
            @NotNull @DefaultValue("200ms") Duration initialBackoff,
            @DecimalMin("1.0") @DecimalMax("10.0") @DefaultValue("2.0") double multiplier,
            @NotNull @DefaultValue("5s") Duration maxBackoff) {
        public Retry {
            requirePositive(initialBackoff, "retry.initialBackoff");
            requirePositive(maxBackoff, "retry.maxBackoff");
        }
    }

    /** Counted per collection (one export, retries included), so thresholds are small numbers of runs. */
    public record CircuitBreaker(
            @DecimalMin("1") @DecimalMax("100") @DefaultValue("50") float failureRateThreshold,
            @Min(1) @Max(1000) @DefaultValue("4") int slidingWindowSize,
            @Min(1) @Max(1000) @DefaultValue("2") int minimumNumberOfCalls,
            @NotNull @DefaultValue("60s") Duration waitInOpenState) {
        public CircuitBreaker {
            requirePositive(waitInOpenState, "circuitBreaker.waitInOpenState");
        }
    }

    /** Concurrent collections from one service (scoring runs overlapping); the rest wait up to maxWait. */
    public record Bulkhead(
            @Min(1) @Max(64) @DefaultValue("2") int maxConcurrentCalls,
            @NotNull @DefaultValue("0s") Duration maxWait) {
        public Bulkhead {
            if (maxWait != null && maxWait.isNegative()) {
                throw new IllegalArgumentException("loyalty.signals.bulkhead.maxWait must be >= 0");
            }
        }
    }

    private static void requirePositive(Duration d, String name) {
        if (d != null && (d.isZero() || d.isNegative())) {
            throw new IllegalArgumentException("loyalty.signals." + name + " must be positive, was " + d);
        }
    }
}
