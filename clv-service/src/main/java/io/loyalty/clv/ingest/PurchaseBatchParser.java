package io.loyalty.clv.ingest;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import io.loyalty.clv.ingest.Records.Purchase;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * A purchases batch read with Jackson's streaming parser straight into validated purchases: building the
 * JsonNode tree was the largest JVM cost per purchase. It answers only for the contract's plain shape with every
 * value valid: {"purchases": [{the five fields, each once, as a string or number}, ...]} and nothing after it.
 * For anything else (malformed JSON, other or repeated keys, nulls, other types, huge integers, a count out of
 * bounds, any invalid value) it returns null and the body is read as a tree and validated as before; that path
 * stays the definition of every answer (PurchaseBatchParserTest compares both on generated bodies).
 */
final class PurchaseBatchParser {

    private static final int ORDER_ID = 1;
    private static final int CUSTOMER_ID = 2;
    private static final int OCCURRED_AT = 4;
    private static final int AMOUNT = 8;
    private static final int CURRENCY = 16;
    private static final int ALL = 31;

    private final Validation validation;
    private final JsonMapper mapper;
    /** Whether the mapper's tree holds a JSON float as a double (DoubleNode), not as a BigDecimal. */
    private final boolean floatsAsDoubles;

    PurchaseBatchParser(Validation validation, JsonMapper mapper) {
        this.validation = validation;
        this.mapper = mapper;
        this.floatsAsDoubles = mapper.readTree("{\"amount\": 0.5}").get("amount").isDouble();
    }

    /** The batch's purchases, or null when the tree path must read the body. */
    List<Purchase> read(byte[] body) {
        // the same parser features and encoding detection as the JSON decoder's readValue(InputStream)
        try (JsonParser p = mapper.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT || !"purchases".equals(p.nextName())
                    || p.nextToken() != JsonToken.START_ARRAY) {
                return null;
            }
            int max = validation.properties().maxBatchSize();
            List<Purchase> purchases = new ArrayList<>(Math.min(max, body.length / 100 + 1));
            JsonToken token;
            while ((token = p.nextToken()) == JsonToken.START_OBJECT) {
                Purchase purchase = purchases.size() < max ? purchase(p) : null;
                if (purchase == null) {
                    return null;
                }
                purchases.add(purchase);
            }
            if (token != JsonToken.END_ARRAY || purchases.isEmpty() || p.nextToken() != JsonToken.END_OBJECT
                    || p.nextToken() != null) {
                return null;
            }
            return purchases;
        } catch (JacksonException e) {
            return null; // the JSON decoder reports it, as before
        }
    }

    /** One item, the parser at its START_OBJECT; null unless the five fields are there once each and valid. */
    private Purchase purchase(JsonParser p) {
        String orderId = null;
        String customerId = null;
        String occurredAt = null;
        BigDecimal amount = null;
        String currency = null;
        int seen = 0;
        String name;
        while ((name = p.nextName()) != null) {
            int field = switch (name) {
                case "orderId" -> ORDER_ID;
                case "customerId" -> CUSTOMER_ID;
                case "occurredAt" -> OCCURRED_AT;
                case "amount" -> AMOUNT;
                case "currency" -> CURRENCY;
                default -> 0;
            };
            JsonToken token = p.nextToken();
            // an unknown or repeated key (the tree keeps the last one), or a string field that is not one
            if (field == 0 || (seen & field) != 0 || field != AMOUNT && token != JsonToken.VALUE_STRING) {
                return null;
            }
            seen |= field;
            switch (field) {
                case ORDER_ID -> orderId = p.getString();
                case CUSTOMER_ID -> customerId = p.getString();
                case OCCURRED_AT -> occurredAt = p.getString();
                case CURRENCY -> currency = p.getString();
                default -> {
                    amount = amount(p, token);
                    if (amount == null) {
                        return null;
                    }
                }
            }
        }
        return seen == ALL ? validation.validPurchase(orderId, customerId, occurredAt, amount, currency) : null;
    }

    /** The BigDecimal that Fields.money gets from the tree's number node, for the number types it can be sure of. */
    private BigDecimal amount(JsonParser p, JsonToken token) {
        if (token == JsonToken.VALUE_NUMBER_INT) {
            // IntNode, LongNode (or a BigIntegerNode under USE_BIG_INTEGER_FOR_INTS): the same value
            return switch (p.getNumberType()) {
                case INT -> BigDecimal.valueOf(p.getIntValue());
                case LONG -> BigDecimal.valueOf(p.getLongValue());
                default -> null;
            };
        }
        if (token == JsonToken.VALUE_NUMBER_FLOAT && floatsAsDoubles) {
            // DoubleNode.decimalValue(); money rejects what is not finite
            double value = p.getDoubleValue();
            return Double.isFinite(value) ? BigDecimal.valueOf(value) : null;
        }
        return null;
    }
}
