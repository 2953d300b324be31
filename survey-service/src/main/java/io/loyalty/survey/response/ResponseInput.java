package io.loyalty.survey.response;

import java.time.Instant;

/**
 * A validated response as the client sent it. channel is already normalised; channel and respondedAt
 * are null when the client left them out (the survey's channel and the receipt time apply then).
 */
public record ResponseInput(String responseId, String customerId, int score, String comment, String channel,
                            Instant respondedAt, String ticketId) {
}
