package io.loyalty.clv.ingest;

import java.math.BigDecimal;
import java.time.Instant;

/** Validated ingestion items. */
public final class Records {

    private Records() {
    }

    /** amount/currency as sent; reportingAmount converted to the reporting currency. */
    public record Purchase(String orderId, String customerId, Instant occurredAt, BigDecimal amount, String currency,
                           BigDecimal reportingAmount) {
    }

    public record Referral(String referralId, String referrerId, String referredId, Instant occurredAt) {
    }

    public record ChurnEvent(String eventId, String customerId, Instant occurredAt, String reason) {
    }

    public record BatchResult(long accepted, long duplicates) {
        public BatchResult plus(BatchResult other) {
            return new BatchResult(accepted + other.accepted, duplicates + other.duplicates);
        }
    }
}
