package io.loyalty.survey.survey;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.UUID;

/** A survey as stored and as returned by the API. scale is the upper end of the score scale. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Survey(UUID id, String name, SurveyKind kind, String question, int scaleMin, int scale,
                     String channel, String ticketId, Instant createdAt) {
}
