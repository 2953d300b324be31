package io.loyalty.survey.survey;

import io.loyalty.survey.web.ApiException;
import io.loyalty.survey.web.FieldError;
import io.loyalty.survey.web.JsonFields;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

@RestController
@RequestMapping(path = "/api/v1/surveys", produces = MediaType.APPLICATION_JSON_VALUE)
public class SurveyController {

    /** Request shape for the OpenAPI document; the body itself is read field by field. */
    @Schema(name = "CreateSurveyRequest")
    record CreateSurveyRequest(@Schema(description = "optional client-chosen UUID; makes creation idempotent") UUID id,
                               @Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 200) String name,
                               @Schema(requiredMode = Schema.RequiredMode.REQUIRED) SurveyKind kind,
                               @Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 2000) String question,
                               @Schema(description = "upper end of the scale: NPS 10, CSAT 5, CES 5 or 7 (default 7)") Integer scale,
                               @Schema(description = "default channel of its responses, e.g. EMAIL") String channel,
                               @Schema(description = "the ticket this survey follows up, e.g. a CSAT after resolution") String ticketId) {
    }

    private final SurveyService surveys;

    public SurveyController(SurveyService surveys) {
        this.surveys = surveys;
    }

    @Operation(summary = "Create a survey: 201, or 200 when a client-chosen id replays an identical survey", requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
            content = @Content(schema = @Schema(implementation = CreateSurveyRequest.class))))
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<Survey>> create(@RequestBody JsonNode body) {
        return Mono.fromCallable(() -> parse(body))
                .flatMap(surveys::create)
                .map(c -> c.created()
                        ? ResponseEntity.created(URI.create("/api/v1/surveys/" + c.survey().id())).body(c.survey())
                        : ResponseEntity.ok(c.survey()));
    }

    @Operation(summary = "Get a survey")
    @GetMapping("/{surveyId}")
    public Mono<Survey> get(@PathVariable String surveyId) {
        return surveys.require(surveyId);
    }

    static Survey parse(JsonNode body) {
        List<FieldError> errors = new ArrayList<>();
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("$", "must be a JSON object");
        }
        JsonFields f = JsonFields.root(body, errors);
        String name = f.string("name", true, 200);
        String question = f.string("question", true, 2000);
        String kindText = f.string("kind", true, 10);
        SurveyKind kind = kindText == null ? null : SurveyKind.parse(kindText);
        if (kindText != null && kind == null) {
            f.error("kind", "must be one of NPS, CSAT, CES");
        }
        Integer scale = f.integer("scale", false, 1, 100);
        if (kind != null && scale != null && !kind.allowsScale(scale)) {
            f.error("scale", kind + " surveys take a scale of " + kind.allowedScales().stream().sorted()
                    .map(String::valueOf).reduce((a, b) -> a + " or " + b).orElseThrow());
        }
        String channelText = f.string("channel", false, 64);
        String channel = Channels.normalise(channelText);
        if (channelText != null && channel == null) {
            f.error("channel", "must be " + Channels.RULE);
        }
        String ticketId = f.identifier("ticketId", false, 128);
        String idText = f.string("id", false, 36);
        UUID id = idText == null ? UUID.randomUUID() : SurveyService.parseId(idText);
        if (idText != null && id == null) {
            f.error("id", "must be a UUID");
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        int scaleMax = scale == null ? kind.defaultScaleMax() : scale;
        return new Survey(id, name, kind, question, kind.scaleMin(), scaleMax, channel, ticketId, null);
    }
}
