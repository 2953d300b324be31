package io.loyalty.survey.response;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/** A response as stored; what the API returns for it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoredResponse(String responseId, UUID surveyId, String customerId, int score, String comment,
                             String channel, Instant respondedAt, String ticketId, Instant receivedAt) {

    /**
     * Whether a resent input is the same response: every field the client sent must match. A replay that
     * omits respondedAt matches whatever receipt time the first delivery got.
     */
    boolean sameAs(UUID survey, ResponseInput input, String effectiveChannel) {
        return surveyId.equals(survey)
                && customerId.equals(input.customerId())
                && score == input.score()
                && Objects.equals(comment, input.comment())
                && channel.equals(effectiveChannel)
                && Objects.equals(ticketId, input.ticketId())
                && (input.respondedAt() == null || respondedAt.equals(input.respondedAt()));
    }
}
