package io.loyalty.survey.survey;

import io.loyalty.survey.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import java.util.Map;

class SurveyApiIT extends IntegrationTest {

    @Test
    void createsAndReadsACesSurveyOnAFivePointScale() {
        String id = createSurvey(Map.of("name", "Support effort", "kind", "CES", "question", "How easy was it?",
                "scale", 5, "channel", "email", "ticketId", "T-1"));
        web.get().uri("/api/v1/surveys/{id}", id).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.id").isEqualTo(id)
                .jsonPath("$.kind").isEqualTo("CES")
                .jsonPath("$.scaleMin").isEqualTo(1)
                .jsonPath("$.scale").isEqualTo(5)
                .jsonPath("$.channel").isEqualTo("EMAIL")
                .jsonPath("$.ticketId").isEqualTo("T-1")
                .jsonPath("$.createdAt").isNotEmpty();
    }

    @Test
    void createReturnsLocationAndDefaultScales() {
        postJson("/api/v1/surveys", Map.of("name", "n", "kind", "NPS", "question", "Recommend us?"))
                .expectStatus().isCreated()
                .expectHeader().valueMatches("Location", "/api/v1/surveys/[0-9a-f-]{36}")
                .expectBody().jsonPath("$.scaleMin").isEqualTo(0).jsonPath("$.scale").isEqualTo(10);
        postJson("/api/v1/surveys", Map.of("name", "n", "kind", "CES", "question", "Effort?"))
                .expectStatus().isCreated().expectBody().jsonPath("$.scale").isEqualTo(7);
    }

    @Test
    void invalidSurveysAreProblemsWithFieldErrors() {
        postJson("/api/v1/surveys", Map.of("kind", "NPSX", "question", 5, "scale", 7, "channel", "e mail"))
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.type").isNotEmpty()
                .jsonPath("$.title").isNotEmpty()
                .jsonPath("$.detail").isNotEmpty()
                .jsonPath("$.errors[?(@.field == 'name')].message").isEqualTo("is required")
                .jsonPath("$.errors[?(@.field == 'kind')]").exists()
                .jsonPath("$.errors[?(@.field == 'question')].message").isEqualTo("must be a string")
                .jsonPath("$.errors[?(@.field == 'channel')]").exists();
        postJson("/api/v1/surveys", Map.of("name", "n", "kind", "CES", "question", "q", "scale", 6))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("scale");
        postJson("/api/v1/surveys", Map.of("name", "n", "kind", "NPS", "question", "q", "scale", 5))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("scale");
    }

    @Test
    void malformedBodiesAreProblemsNotServerErrors() {
        for (String body : new String[]{"{", "[]", "\"text\"", "{\"name\": }", "null"}) {
            web.post().uri("/api/v1/surveys").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.status").isEqualTo(400);
        }
        web.post().uri("/api/v1/surveys").contentType(MediaType.TEXT_PLAIN).bodyValue("hello").exchange()
                .expectStatus().isEqualTo(415)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void unknownSurveysAre404Problems() {
        for (String id : new String[]{"00000000-0000-0000-0000-000000000000", "not-a-uuid", "1"}) {
            web.get().uri("/api/v1/surveys/{id}", id).exchange()
                    .expectStatus().isNotFound()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.status").isEqualTo(404);
        }
    }

    @Test
    void unknownPathsAndMethodsAreProblemsToo() {
        web.get().uri("/api/v1/nothing-here").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        web.put().uri("/api/v1/surveys").contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isEqualTo(405)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void aClientChosenIdMakesCreationIdempotent() {
        String id = java.util.UUID.randomUUID().toString();
        Map<String, Object> body = Map.of("id", id, "name", "Post-ticket CSAT", "kind", "CSAT", "question", "Satisfied?");
        postJson("/api/v1/surveys", body).expectStatus().isCreated().expectBody().jsonPath("$.id").isEqualTo(id);
        postJson("/api/v1/surveys", body).expectStatus().isOk().expectBody().jsonPath("$.id").isEqualTo(id);
        postJson("/api/v1/surveys", Map.of("id", id, "name", "Other", "kind", "CSAT", "question", "Satisfied?"))
                .expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("id");
        postJson("/api/v1/surveys", Map.of("id", "not-a-uuid", "name", "n", "kind", "CSAT", "question", "q"))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("id");
    }
}
