package io.loyalty.clv.ingest;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;

import io.loyalty.clv.ingest.Records.ChurnEvent;
import io.loyalty.clv.ingest.Records.Purchase;
import io.loyalty.clv.ingest.Records.Referral;
import io.loyalty.clv.web.ApiException;
import io.loyalty.clv.web.FieldError;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** All-or-nothing validation of the three batch kinds: every error of the batch is reported at once. */
@Component
public class Validation {

    /** Purchases before this are surely a unit mistake (seconds read as milliseconds and the like). */
    static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final int MAX_REPORTED_ERRORS = 200;
    private static final int REASON_LENGTH = 500;

    private final IngestProperties properties;
    private final Clock clock;

    public Validation(IngestProperties properties, ObjectProvider<Clock> clock) {
        this.properties = properties;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    public IngestProperties properties() {
        return properties;
    }

    public List<Purchase> purchases(JsonNode body) {
        return batch(body, "purchases", this::purchase);
    }

    public List<Referral> referrals(JsonNode body) {
        return batch(body, "referrals", this::referral);
    }

    public List<ChurnEvent> churnEvents(JsonNode body) {
        return batch(body, "events", this::churnEvent);
    }

    /** Validates items of one gRPC chunk; index is the item's position in the stream (purchases[index]). */
    public Purchase purchase(JsonNode item, int index, List<FieldError> errors) {
        Fields f = new Fields(item, "purchases", index, errors);
        int maxId = properties.maxIdLength();
        String orderId = f.identifier("orderId", maxId);
        String customerId = f.identifier("customerId", maxId);
        Instant at = f.timestamp("occurredAt", latest());
        BigDecimal amount = f.money("amount", properties.maxAmount());
        String currency = f.identifier("currency", 3);
        BigDecimal reporting = null;
        if (currency != null) {
            BigDecimal rate = rate(currency);
            if (rate == null) {
                f.error("currency", currency.matches("[A-Z]{3}") && known(currency)
                        ? "currency " + currency + " is not accepted: amounts are in " + properties.reportingCurrency()
                                + " and no conversion rate is configured for " + currency
                        : "must be an ISO 4217 currency code, e.g. " + properties.reportingCurrency());
                currency = null;
            } else if (amount != null) {
                reporting = amount.multiply(rate).setScale(4, RoundingMode.HALF_EVEN);
            }
        }
        if (orderId == null || customerId == null || at == null || amount == null || currency == null) {
            return null;
        }
        return new Purchase(orderId, customerId, at, amount, currency, reporting);
    }

    /**
     * The purchase when every field is valid as purchase(JsonNode, ...) reads the same values, else null: for
     * PurchaseBatchParser, which leaves a batch with any error to the tree path and its error reporting.
     */
    Purchase validPurchase(String orderId, String customerId, String occurredAt, BigDecimal amount, String currency) {
        int maxId = properties.maxIdLength();
        if (!Fields.validIdentifier(orderId, maxId) || !Fields.validIdentifier(customerId, maxId)
                || !Fields.validIdentifier(currency, 3)) {
            return null;
        }
        Instant at = Fields.validTimestamp(occurredAt, latest());
        BigDecimal valid = Fields.validMoney(amount, properties.maxAmount());
        BigDecimal rate = rate(currency);
        if (at == null || valid == null || rate == null) {
            return null;
        }
        return new Purchase(orderId, customerId, at, valid, currency,
                valid.multiply(rate).setScale(4, RoundingMode.HALF_EVEN));
    }

    private Referral referral(JsonNode item, int index, List<FieldError> errors) {
        Fields f = new Fields(item, "referrals", index, errors);
        int maxId = properties.maxIdLength();
        String referralId = f.identifier("referralId", maxId);
        String referrerId = f.identifier("referrerId", maxId);
        String referredId = f.identifier("referredId", maxId);
        Instant at = f.timestamp("occurredAt", latest());
        if (referrerId != null && referrerId.equals(referredId)) {
            f.error("referredId", "a customer cannot refer themselves");
            return null;
        }
        if (referralId == null || referrerId == null || referredId == null || at == null) {
            return null;
        }
        return new Referral(referralId, referrerId, referredId, at);
    }

    private ChurnEvent churnEvent(JsonNode item, int index, List<FieldError> errors) {
        Fields f = new Fields(item, "events", index, errors);
        int maxId = properties.maxIdLength();
        String eventId = f.identifier("eventId", maxId);
        String customerId = f.identifier("customerId", maxId);
        Instant at = f.timestamp("occurredAt", latest());
        String reason = f.text("reason", REASON_LENGTH);
        if (eventId == null || customerId == null || at == null) {
            return null;
        }
        return new ChurnEvent(eventId, customerId, at, reason);
    }

    Instant latest() {
        return clock.instant().plus(properties.clockSkew());
    }

    private BigDecimal rate(String currency) {
        if (currency.equals(properties.reportingCurrency())) {
            return BigDecimal.ONE;
        }
        return known(currency) ? properties.rates().get(currency) : null;
    }

    private static boolean known(String code) {
        try {
            return Currency.getInstance(code).getCurrencyCode().equals(code);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    interface ItemReader<T> {
        /** Reads the item at index; the reader names its array (purchases, referrals, events) in error paths. */
        T read(JsonNode item, int index, List<FieldError> errors);
    }

    private <T> List<T> batch(JsonNode body, String name, ItemReader<T> reader) {
        if (body == null || !body.isObject()) {
            throw ApiException.invalid("$", "the body must be a JSON object with a \"" + name + "\" array");
        }
        JsonNode items = body.get(name);
        if (items == null || !items.isArray()) {
            throw ApiException.invalid(name, "is required and must be an array");
        }
        if (items.isEmpty() || items.size() > properties.maxBatchSize()) {
            throw ApiException.invalid(name, "must hold 1 to " + properties.maxBatchSize() + " items");
        }
        List<FieldError> errors = new ArrayList<>();
        List<T> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            if (!item.isObject()) {
                errors.add(new FieldError(name + "[" + i + "]", "must be an object"));
                continue;
            }
            out.add(reader.read(item, i, errors));
            if (errors.size() >= MAX_REPORTED_ERRORS) {
                break;
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return out;
    }
}
