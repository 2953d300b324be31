package io.loyalty.launcher.demo;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** What the demo generator draws: plain data, shaped like the public API's request bodies. */
public record DemoDataSet(LocalDate asOf, List<Customer> customers, List<Referral> referrals) {

    public enum Priority { LOW, NORMAL, HIGH, URGENT }

    public enum EventType { AGENT_REPLY, CUSTOMER_REPLY, PENDING, ON_HOLD, SOLVED, REOPENED, CLOSED }

    public record Customer(String id, Instant firstPurchaseAt, List<Ticket> tickets, Integer npsScore,
                           Instant npsAt, List<Purchase> purchases, Instant churnedAt,
                           boolean breachedSla, double dropoutProbability) {

        public boolean detractor() {
            return npsScore != null && npsScore <= 6;
        }

        public boolean promoter() {
            return npsScore != null && npsScore >= 9;
        }
    }

    public record Purchase(String orderId, Instant occurredAt, BigDecimal amount) {
    }

    public record Ticket(String externalId, String subject, Priority priority, String channel, Instant openedAt,
                         List<Event> events, Integer csatScore, Instant csatAt) {
    }

    public record Event(String eventId, EventType type, Instant at) {
    }

    public record Referral(String referralId, String referrerId, String referredId, Instant occurredAt) {
    }
}
