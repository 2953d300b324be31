package io.loyalty.ticket.web;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Collects field errors while reading raw request values, so one response names every bad field. */
public final class Input {

    /** Identifiers from other systems: printable, no spaces, bounded. */
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z0-9._:@/+\\-]{1,128}");

    private final String prefix;
    private final List<FieldError> errors;

    public Input() {
        this("", new ArrayList<>());
    }

    private Input(String prefix, List<FieldError> errors) {
        this.prefix = prefix;
        this.errors = errors;
    }

    /** A view whose fields are reported under {@code prefix}, sharing this one's errors. */
    public Input nested(String prefix) {
        return new Input(this.prefix + prefix, errors);
    }

    public void reject(String field, String message) {
        String name = prefix + field;
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        errors.add(new FieldError(name, message));
    }

    public boolean hasErrors() {
        return !errors.isEmpty();
    }

    public List<FieldError> errors() {
        return errors;
    }

    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw ApiProblem.invalid(errors);
        }
    }

    public String identifier(String field, String value) {
        if (value == null || value.isBlank()) {
            reject(field, "is required");
            return null;
        }
        if (!IDENTIFIER.matcher(value).matches()) {
            reject(field, "must be 1-128 characters of letters, digits and . _ : @ / + -");
            return null;
        }
        return value;
    }

    public String text(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            reject(field, "is required");
            return null;
        }
        if (value.length() > maxLength) {
            reject(field, "must be at most " + maxLength + " characters");
            return null;
        }
        if (value.indexOf('\u0000') >= 0) {
            // PostgreSQL text cannot hold NUL
            reject(field, "must not contain NUL characters");
            return null;
        }
        return value.strip();
    }

    public <E extends Enum<E>> E enumValue(String field, String value, Class<E> type) {
        if (value == null || value.isBlank()) {
            reject(field, "is required");
            return null;
        }
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException e) {
            reject(field, "must be one of " + Arrays.stream(type.getEnumConstants()).map(Enum::name)
                    .collect(Collectors.joining(", ")));
            return null;
        }
    }

    /** An ISO-8601 timestamp with offset, kept to whole seconds (the SLA arithmetic counts seconds). */
    public Instant timestamp(String field, String value, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                reject(field, "is required");
            }
            return null;
        }
        try {
            Instant instant = OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            if (instant.isBefore(Instant.parse("1970-01-01T00:00:00Z"))
                    || instant.isAfter(Instant.parse("9999-12-31T23:59:59Z"))) {
                reject(field, "must be between 1970 and 9999");
                return null;
            }
            return instant.truncatedTo(ChronoUnit.SECONDS);
        } catch (DateTimeException e) {
            reject(field, "must be an ISO-8601 timestamp with offset, e.g. 2026-03-01T10:15:00Z");
            return null;
        }
    }

    /**
     * A period bound: a timestamp, or a date meaning the start of that day in UTC ({@code endOfDay}: the
     * start of the next day, so {@code to=2026-03-31} includes the 31st).
     */
    public Instant bound(String field, String value, boolean endOfDay) {
        if (value == null || value.isBlank()) {
            reject(field, "is required");
            return null;
        }
        if (value.length() == 10) {
            try {
                LocalDate date = LocalDate.parse(value);
                return (endOfDay ? date.plusDays(1) : date).atStartOfDay().toInstant(ZoneOffset.UTC);
            } catch (DateTimeException e) {
                reject(field, "must be a date (YYYY-MM-DD) or an ISO-8601 timestamp with offset");
                return null;
            }
        }
        return timestamp(field, value, true);
    }

    public UUID uuid(String field, String value) {
        if (value == null || value.isBlank()) {
            reject(field, "is required");
            return null;
        }
        try {
            if (value.length() != 36) {
                throw new IllegalArgumentException();
            }
            return UUID.fromString(value.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            reject(field, "must be a UUID");
            return null;
        }
    }

    public Integer intRange(String field, Integer value, int min, int max, boolean required) {
        if (value == null) {
            if (required) {
                reject(field, "is required");
            }
            return null;
        }
        if (value < min || value > max) {
            reject(field, "must be between " + min + " and " + max);
            return null;
        }
        return value;
    }

    /** {@code ?limit=} as text, so "abc" and 10^30 are a 400 with a message instead of a binding error. */
    public int limit(String value, int defaultLimit, int maxLimit) {
        if (value == null || value.isBlank()) {
            return defaultLimit;
        }
        try {
            int limit = Integer.parseInt(value.strip());
            if (limit >= 1 && limit <= maxLimit) {
                return limit;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        reject("limit", "must be an integer between 1 and " + maxLimit);
        return defaultLimit;
    }
}
