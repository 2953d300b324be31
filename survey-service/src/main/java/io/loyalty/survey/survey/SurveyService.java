package io.loyalty.survey.survey;

import io.loyalty.survey.web.ApiException;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Mono;

import io.loyalty.survey.web.FieldError;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

@Service
public class SurveyService {

    private final SurveyRepository surveys;

    public SurveyService(SurveyRepository surveys) {
        this.surveys = surveys;
    }

    public record Created(Survey survey, boolean created) {
    }

    /**
     * Creates the survey. A client-chosen id makes creation idempotent: the same id with the same fields
     * returns the stored survey (created = false), with other fields it is a 409.
     */
    public Mono<Created> create(Survey survey) {
        return surveys.insert(survey).map(s -> new Created(s, true))
                .switchIfEmpty(Mono.defer(() -> surveys.find(survey.id()).flatMap(existing -> sameFields(existing, survey)
                        ? Mono.just(new Created(existing, false))
                        : Mono.error(ApiException.conflict("survey " + survey.id() + " exists with different fields",
                                List.of(new FieldError("id", "is taken by a survey with different fields")))))));
    }

    private static boolean sameFields(Survey a, Survey b) {
        return a.name().equals(b.name()) && a.kind() == b.kind() && a.question().equals(b.question())
                && a.scale() == b.scale() && Objects.equals(a.channel(), b.channel())
                && Objects.equals(a.ticketId(), b.ticketId());
    }

    /** The survey, or a 404 problem; ids that are not UUIDs name no survey either. */
    public Mono<Survey> require(String surveyId) {
        UUID id = parseId(surveyId);
        if (id == null) {
            return Mono.error(ApiException.notFound("No survey " + surveyId));
        }
        return surveys.find(id).switchIfEmpty(Mono.error(() -> ApiException.notFound("No survey " + surveyId)));
    }

    static UUID parseId(String text) {
        if (text == null || text.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
