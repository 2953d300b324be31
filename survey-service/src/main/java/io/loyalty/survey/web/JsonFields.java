package io.loyalty.survey.web;

import tools.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Reads fields of a JSON object by hand, so that a wrong type, a fractional or huge number or a bad
 * timestamp becomes a field error with its full path instead of a generic decoding failure.
 */
public final class JsonFields {

    private final JsonNode node;
    private final String prefix;
    private final List<FieldError> errors;

    public JsonFields(JsonNode node, String prefix, List<FieldError> errors) {
        this.node = node;
        this.prefix = prefix;
        this.errors = errors;
    }

    public static JsonFields root(JsonNode node, List<FieldError> errors) {
        return new JsonFields(node, "", errors);
    }

    public String path(String field) {
        return prefix + field;
    }

    public void error(String field, String message) {
        errors.add(new FieldError(path(field), message));
    }

    public List<FieldError> errors() {
        return errors;
    }

    private JsonNode value(String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value;
    }

    public boolean present(String field) {
        return value(field) != null;
    }

    /** A string of 1..maxLength code points without control characters, or null when absent. */
    public String string(String field, boolean required, int maxLength) {
        JsonNode value = value(field);
        if (value == null) {
            if (required) {
                error(field, "is required");
            }
            return null;
        }
        if (!value.isString()) {
            error(field, "must be a string");
            return null;
        }
        String text = value.stringValue();
        if (text.isBlank()) {
            error(field, "must not be blank");
            return null;
        }
        if (text.codePointCount(0, text.length()) > maxLength) {
            error(field, "must be at most " + maxLength + " characters");
            return null;
        }
        return text;
    }

    /** Free text of at most maxLength code points; blank text counts as absent (an empty comment box). */
    public String text(String field, int maxLength) {
        JsonNode value = value(field);
        if (value == null) {
            return null;
        }
        if (!value.isString()) {
            error(field, "must be a string");
            return null;
        }
        String text = value.stringValue();
        if (text.isBlank()) {
            return null;
        }
        if (text.codePointCount(0, text.length()) > maxLength) {
            error(field, "must be at most " + maxLength + " characters");
            return null;
        }
        return text;
    }

    /** An identifier: 1..maxLength printable characters, no surrounding whitespace. */
    public String identifier(String field, boolean required, int maxLength) {
        String text = string(field, required, maxLength);
        if (text != null && (!text.strip().equals(text) || text.codePoints().anyMatch(Character::isISOControl))) {
            error(field, "must not contain control characters or surrounding whitespace");
            return null;
        }
        return text;
    }

    /** A whole number within [min, max]; fractions, strings and huge numbers are errors. */
    public Integer integer(String field, boolean required, int min, int max) {
        JsonNode value = value(field);
        if (value == null) {
            if (required) {
                error(field, "is required");
            }
            return null;
        }
        if (!value.isNumber()) {
            error(field, "must be an integer");
            return null;
        }
        BigInteger number;
        try {
            if (value.isIntegralNumber()) {
                number = value.bigIntegerValue();
            } else if (value.isDouble() && !Double.isFinite(value.doubleValue())) {
                error(field, "must be between " + min + " and " + max);
                return null;
            } else {
                // 7.0 is an integer written as a float; 7.5 is not. 1e400 must not become a huge BigInteger.
                BigDecimal decimal = value.decimalValue().stripTrailingZeros();
                if (decimal.scale() > 0) {
                    error(field, "must be an integer");
                    return null;
                }
                number = decimal.precision() - decimal.scale() > 18
                        ? BigInteger.TEN.pow(19) : decimal.toBigIntegerExact();
            }
        } catch (ArithmeticException | NumberFormatException | tools.jackson.core.JacksonException e) {
            error(field, "must be an integer");
            return null;
        }
        if (number.compareTo(BigInteger.valueOf(min)) < 0 || number.compareTo(BigInteger.valueOf(max)) > 0) {
            error(field, "must be between " + min + " and " + max);
            return null;
        }
        return number.intValueExact();
    }

    /** An ISO-8601 timestamp with offset, truncated to the microseconds PostgreSQL keeps. */
    public Instant timestamp(String field, boolean required) {
        JsonNode value = value(field);
        if (value == null) {
            if (required) {
                error(field, "is required");
            }
            return null;
        }
        if (!value.isString()) {
            error(field, "must be an ISO-8601 timestamp with offset, e.g. 2026-03-01T10:15:00Z");
            return null;
        }
        try {
            return OffsetDateTime.parse(value.stringValue(), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant().truncatedTo(ChronoUnit.MICROS);
        } catch (DateTimeParseException e) {
            error(field, "must be an ISO-8601 timestamp with offset, e.g. 2026-03-01T10:15:00Z");
            return null;
        }
    }
}
