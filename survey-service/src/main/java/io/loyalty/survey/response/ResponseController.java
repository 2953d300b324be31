package io.loyalty.survey.response;

import io.loyalty.survey.config.SurveyProperties;
import io.loyalty.survey.survey.SurveyService;
import io.loyalty.survey.web.ApiException;
import io.loyalty.survey.web.Paging;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.util.List;

@RestController
public class ResponseController {

    @Schema(name = "SurveyResponseRequest")
    record ResponseRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 128) String responseId,
                           @Schema(requiredMode = Schema.RequiredMode.REQUIRED, maxLength = 128) String customerId,
                           @Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "within the survey's scale") int score,
                           @Schema(description = "at most loyalty.survey.max-comment-length (2000) characters; blank = none") String comment,
                           @Schema(description = "defaults to the survey's channel") String channel,
                           @Schema(description = "ISO-8601 with offset; defaults to the receipt time") String respondedAt,
                           String ticketId) {
    }

    @Schema(name = "SurveyResponseBatchRequest")
    record BatchRequest(@Schema(requiredMode = Schema.RequiredMode.REQUIRED) List<ResponseRequest> responses) {
    }

    public record BatchResult(long accepted, long duplicates) {
    }

    public record DeleteResult(String customerId, long deletedResponses) {
    }

    private final SurveyService surveys;
    private final ResponseParser parser;
    private final ResponseService responses;
    private final ResponseRepository repository;
    private final SurveyProperties properties;

    public ResponseController(SurveyService surveys, ResponseParser parser, ResponseService responses,
                              ResponseRepository repository, SurveyProperties properties) {
        this.surveys = surveys;
        this.parser = parser;
        this.responses = responses;
        this.repository = repository;
        this.properties = properties;
    }

    @Operation(summary = "Record one response: 201, or 200 when it replays a stored one",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(schema = @Schema(implementation = ResponseRequest.class))))
    @PostMapping(path = "/api/v1/surveys/{surveyId}/responses", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<StoredResponse>> record(@PathVariable String surveyId, @RequestBody JsonNode body) {
        return surveys.require(surveyId).flatMap(survey -> {
            ResponseInput input = parser.single(body, survey);
            return responses.ingest(survey, List.of(input), "")
                    .flatMap(result -> responses.find(input.responseId())
                            .map(stored -> ResponseEntity
                                    .status(result.accepted() == 1 ? HttpStatus.CREATED : HttpStatus.OK)
                                    .location(URI.create("/api/v1/surveys/" + survey.id() + "/responses/"
                                            + stored.responseId()))
                                    .body(stored)));
        });
    }

    @Operation(summary = "Record up to 1000 responses; one invalid item rejects the whole batch",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(
                    content = @Content(schema = @Schema(implementation = BatchRequest.class))))
    @PostMapping(path = "/api/v1/surveys/{surveyId}/responses/batch", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<BatchResult> batch(@PathVariable String surveyId, @RequestBody JsonNode body) {
        return surveys.require(surveyId).flatMap(survey -> responses
                .ingest(survey, parser.batch(body, survey), "responses[%d].")
                .map(result -> new BatchResult(result.accepted(), result.duplicates())));
    }

    @Operation(summary = "One stored response")
    @GetMapping(path = "/api/v1/surveys/{surveyId}/responses/{responseId}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<StoredResponse> get(@PathVariable String surveyId, @PathVariable String responseId) {
        return surveys.require(surveyId).flatMap(survey -> responses.find(responseId)
                .filter(r -> r.surveyId().equals(survey.id()))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("No response " + responseId + " in survey " + surveyId))));
    }

    @Operation(summary = "A survey's responses in (respondedAt, responseId) order, cursor-paged")
    @GetMapping(path = "/api/v1/surveys/{surveyId}/responses", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<Paging.Page<StoredResponse>> list(@PathVariable String surveyId,
                                                  @RequestParam(required = false) String limit,
                                                  @RequestParam(required = false) String cursor) {
        int size = Paging.limit(limit, properties);
        ResponseCursor after = cursor == null || cursor.isEmpty() ? null : ResponseCursor.decode(cursor);
        return surveys.require(surveyId).flatMap(survey -> repository.page(survey.id(), after, size + 1)
                .collectList()
                .map(rows -> {
                    if (rows.size() <= size) {
                        return new Paging.Page<>(rows, null);
                    }
                    List<StoredResponse> items = rows.subList(0, size);
                    StoredResponse last = items.get(size - 1);
                    return new Paging.Page<>(List.copyOf(items),
                            new ResponseCursor(last.respondedAt(), last.responseId()).encode());
                }));
    }

    @Operation(summary = "Delete every response of a customer (privacy request); results stay exact")
    @DeleteMapping(path = "/api/v1/customers/{customerId}/responses", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<DeleteResult> deleteCustomer(@PathVariable String customerId) {
        if (customerId.length() > ResponseParser.MAX_ID_LENGTH) {
            return Mono.error(ApiException.badRequest("customerId",
                    "must be at most " + ResponseParser.MAX_ID_LENGTH + " characters"));
        }
        return responses.deleteCustomer(customerId)
                .map(deleted -> new DeleteResult(customerId, deleted.count()));
    }
}
