package io.loyalty.clv.ingest;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

import io.loyalty.clv.web.FieldError;
import tools.jackson.databind.JsonNode;

/** Typed reads of one JSON object's fields; each problem becomes a FieldError under the object's path. */
final class Fields {

    private final JsonNode node;
    private final String name;
    private final int index;
    private final List<FieldError> errors;

    /** The fields of item name[index]; the path string is built only for an error, not for each valid item. */
    Fields(JsonNode node, String name, int index, List<FieldError> errors) {
        this.node = node;
        this.name = name;
        this.index = index;
        this.errors = errors;
    }

    void error(String field, String message) {
        errors.add(new FieldError(name + "[" + index + "]." + field, message));
    }

    private JsonNode value(String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }

    /** 1..maxLength characters, no control characters or surrounding whitespace. */
    String identifier(String field, int maxLength) {
        JsonNode value = value(field);
        if (value == null) {
            error(field, "is required");
            return null;
        }
        if (!value.isString()) {
            error(field, "must be a string");
            return null;
        }
        String text = value.stringValue();
        if (text.isEmpty()) {
            error(field, "must not be empty");
            return null;
        }
        if (text.length() > maxLength) {
            error(field, "must be at most " + maxLength + " characters");
            return null;
        }
        if (!clean(text)) {
            error(field, "must not contain control characters or surrounding whitespace");
            return null;
        }
        return text;
    }

    /**
     * No surrounding whitespace (what strip() removes: Character.isWhitespace, all of it in the BMP, so the first
     * and last char decide) and no control character; a loop, as strip() and a stream per id showed in profiles.
     */
    static boolean clean(String text) {
        int n = text.length();
        if (n > 0 && (Character.isWhitespace(text.charAt(0)) || Character.isWhitespace(text.charAt(n - 1)))) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (Character.isISOControl(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether identifier accepts text: what PurchaseBatchParser, reading strings itself, checks. */
    static boolean validIdentifier(String text, int maxLength) {
        return !text.isEmpty() && text.length() <= maxLength && clean(text);
    }

    /** Optional free text up to maxLength characters. */
    String text(String field, int maxLength) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isString()) {
            error(field, "must be a string");
            return null;
        }
        String text = value.stringValue();
        if (text.length() > maxLength) {
            error(field, "must be at most " + maxLength + " characters");
            return null;
        }
        return text.isBlank() ? null : text;
    }

    /** A JSON number, zero or more, at most max and at most 4 decimal places (what is stored). */
    BigDecimal money(String field, BigDecimal max) {
        JsonNode value = value(field);
        if (value == null) {
            error(field, "is required");
            return null;
        }
        if (!value.isNumber()) {
            error(field, "must be a number");
            return null;
        }
        BigDecimal amount;
        try {
            if (value.isDouble() && !Double.isFinite(value.doubleValue())) {
                error(field, "must be a finite number");
                return null;
            }
            amount = value.decimalValue();
        } catch (RuntimeException e) {
            error(field, "must be a finite number");
            return null;
        }
        if (amount.signum() < 0) {
            error(field, "must be zero or more");
            return null;
        }
        if (amount.compareTo(max) > 0) {
            error(field, "must be at most " + max.toPlainString());
            return null;
        }
        BigDecimal stripped = amount.stripTrailingZeros();
        if (stripped.scale() > 4) {
            error(field, "must have at most 4 decimal places");
            return null;
        }
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    /** What money returns for a number read as amount, or null where it reports an error. */
    static BigDecimal validMoney(BigDecimal amount, BigDecimal max) {
        if (amount.signum() < 0 || amount.compareTo(max) > 0) {
            return null;
        }
        BigDecimal stripped = amount.stripTrailingZeros();
        if (stripped.scale() > 4) {
            return null;
        }
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    /** What timestamp returns for text, or null where it reports an error. */
    static Instant validTimestamp(String text, Instant latest) {
        Instant at;
        try {
            at = Timestamps.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
        return at.isAfter(latest) || at.isBefore(Validation.EARLIEST) ? null : at;
    }

    /** An ISO-8601 timestamp with offset, not later than latest, truncated to microseconds. */
    Instant timestamp(String field, Instant latest) {
        JsonNode value = value(field);
        if (value == null) {
            error(field, "is required");
            return null;
        }
        String message = "must be an ISO-8601 timestamp with offset, e.g. 2026-03-01T10:15:00Z";
        if (!value.isString()) {
            error(field, message);
            return null;
        }
        Instant at;
        try {
            at = Timestamps.parse(value.stringValue());
        } catch (DateTimeParseException e) {
            error(field, message);
            return null;
        }
        return checkTime(field, at, latest);
    }

    Instant checkTime(String field, Instant at, Instant latest) {
        if (at.isAfter(latest)) {
            error(field, "must not be in the future");
            return null;
        }
        if (at.isBefore(Validation.EARLIEST)) {
            error(field, "must not be before " + Validation.EARLIEST);
            return null;
        }
        return at;
    }
}
