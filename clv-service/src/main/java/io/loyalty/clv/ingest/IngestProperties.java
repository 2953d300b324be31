package io.loyalty.clv.ingest;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Ingestion limits.
 *
 * @param maxBatchSize     items per REST batch (the contract says up to 5000)
 * @param maxAmount        largest plausible single purchase in its own currency; larger is rejected as absurd
 * @param clockSkew        how far in the future an occurredAt may be (partner clocks drift)
 * @param reportingCurrency the currency every stored amount and every CLV is in
 * @param rates            units of the reporting currency per unit of another currency; a purchase in a
 *                         currency that is neither the reporting one nor listed here is rejected
 * @param maxIdLength      longest accepted orderId / customerId / referralId / eventId
 * @param grpcChunkSize    purchases validated and written together on the gRPC stream
 */
@Validated
@ConfigurationProperties("loyalty.clv.ingest")
public record IngestProperties(
        @Min(1) @Max(50_000) int maxBatchSize,
        @NotNull @DecimalMin("0.01") BigDecimal maxAmount,
        @NotNull Duration clockSkew,
        @NotNull @Pattern(regexp = "[A-Z]{3}") String reportingCurrency,
        Map<String, BigDecimal> rates,
        @Min(8) @Max(1000) int maxIdLength,
        @Min(1) @Max(10_000) int grpcChunkSize) {

    public IngestProperties {
        rates = rates == null ? Map.of() : Map.copyOf(rates);
    }
}
