package io.loyalty.survey.response;

import java.time.Instant;

/** A response ready to insert: channel and respondedAt resolved. */
public record ResponseRow(String responseId, String customerId, int score, String comment, String channel,
                          Instant respondedAt, String ticketId) {
}
