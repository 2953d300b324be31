package io.loyalty.survey.response;

import io.loyalty.survey.web.ApiException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/** Opaque list position: the (respondedAt, responseId) of the last item returned. */
public record ResponseCursor(Instant respondedAt, String responseId) {

    private static final long MIN_SECONDS = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();
    private static final long MAX_SECONDS = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    public String encode() {
        long seconds = respondedAt.getEpochSecond();
        int micros = respondedAt.getNano() / 1000;
        String raw = seconds + "." + micros + ":" + responseId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static ResponseCursor decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int colon = raw.indexOf(':');
            int dot = raw.indexOf('.');
            if (colon < 0 || dot < 0 || dot > colon || colon == raw.length() - 1) {
                throw invalid();
            }
            long seconds = Long.parseLong(raw.substring(0, dot));
            int micros = Integer.parseInt(raw.substring(dot + 1, colon));
            // PostgreSQL timestamps end long before Instant does
            if (micros < 0 || micros > 999_999 || seconds < MIN_SECONDS || seconds > MAX_SECONDS) {
                throw invalid();
            }
            return new ResponseCursor(Instant.ofEpochSecond(seconds, micros * 1000L), raw.substring(colon + 1));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            throw invalid();
        }
    }

    private static ApiException invalid() {
        return ApiException.badRequest("cursor", "is not a cursor this list returned");
    }
}
