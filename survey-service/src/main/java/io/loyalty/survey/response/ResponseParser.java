package io.loyalty.survey.response;

import io.loyalty.survey.config.SurveyProperties;
import io.loyalty.survey.survey.Channels;
import io.loyalty.survey.survey.Survey;
import io.loyalty.survey.web.ApiException;
import io.loyalty.survey.web.FieldError;
import io.loyalty.survey.web.JsonFields;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Validates response bodies against the survey they answer; collects every error before failing. */
@Component
public class ResponseParser {

    static final int MAX_ID_LENGTH = 128;

    private final SurveyProperties properties;
    private final Clock clock;

    public ResponseParser(SurveyProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    public ResponseInput single(JsonNode body, Survey survey) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("$", "must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        ResponseInput input = item(new JsonFields(body, "", errors), survey, clock.instant());
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        return input;
    }

    public List<ResponseInput> batch(JsonNode body, Survey survey) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("$", "must be a JSON object with a responses array");
        }
        JsonNode items = body.get("responses");
        if (items == null || items.isNull()) {
            throw ApiException.badRequest("responses", "is required");
        }
        if (!items.isArray()) {
            throw ApiException.badRequest("responses", "must be an array");
        }
        if (items.isEmpty() || items.size() > properties.maxBatchSize()) {
            throw ApiException.badRequest("responses",
                    "must hold between 1 and " + properties.maxBatchSize() + " responses");
        }
        Instant now = clock.instant();
        List<FieldError> errors = new ArrayList<>();
        List<ResponseInput> inputs = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String prefix = "responses[" + i + "].";
            if (item == null || !item.isObject()) {
                errors.add(new FieldError("responses[" + i + "]", "must be a JSON object"));
                continue;
            }
            inputs.add(item(new JsonFields(item, prefix, errors), survey, now));
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        return inputs;
    }

    private ResponseInput item(JsonFields f, Survey survey, Instant now) {
        String responseId = f.identifier("responseId", true, MAX_ID_LENGTH);
        String customerId = f.identifier("customerId", true, MAX_ID_LENGTH);
        Integer score = f.integer("score", true, survey.scaleMin(), survey.scale());
        String comment = f.text("comment", properties.maxCommentLength());
        String channelText = f.string("channel", false, 64);
        String channel = Channels.normalise(channelText);
        if (channelText != null && channel == null) {
            f.error("channel", "must be " + Channels.RULE);
        }
        Instant respondedAt = f.timestamp("respondedAt", false);
        if (respondedAt != null && respondedAt.isAfter(now.plus(properties.maxClockSkew()))) {
            f.error("respondedAt", "must not lie in the future");
            respondedAt = null;
        } else if (respondedAt != null && respondedAt.isBefore(properties.earliestRespondedAt())) {
            f.error("respondedAt", "must not be before " + properties.earliestRespondedAt());
            respondedAt = null;
        }
        String ticketId = f.identifier("ticketId", false, MAX_ID_LENGTH);
        if (responseId == null || customerId == null || score == null) {
            return null;
        }
        return new ResponseInput(responseId, customerId, score, comment, channel, respondedAt, ticketId);
    }
}
