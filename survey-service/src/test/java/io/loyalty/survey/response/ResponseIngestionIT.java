package io.loyalty.survey.response;

import io.loyalty.survey.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ResponseIngestionIT extends IntegrationTest {

    private String nps;
    private String uri;
    private String batchUri;

    @BeforeEach
    void survey() {
        nps = createSurvey(Map.of("name", "Relationship NPS", "kind", "NPS", "question", "Recommend us?",
                "channel", "EMAIL"));
        uri = "/api/v1/surveys/" + nps + "/responses";
        batchUri = uri + "/batch";
    }

    private static Map<String, Object> response(String id, String customer, Object score) {
        Map<String, Object> r = new HashMap<>();
        r.put("responseId", id);
        r.put("customerId", customer);
        r.put("score", score);
        r.put("respondedAt", "2026-03-01T10:15:00Z");
        return r;
    }

    private long storedForSurvey() {
        return scalar("SELECT count(*) FROM survey_response WHERE survey_id = '" + nps + "'");
    }

    private long rolledUpForSurvey() {
        return scalar("SELECT coalesce(sum(responses), 0) FROM survey_rollup WHERE survey_id = '" + nps + "'");
    }

    @Test
    void singleResponseIs201ThenIdenticalReplayIs200AndStoredOnce() {
        Map<String, Object> body = response(unique("r"), unique("c"), 9);
        body.put("comment", "Great support");
        body.put("ticketId", "T-42");
        postJson(uri, body).expectStatus().isCreated()
                .expectHeader().exists("Location")
                .expectBody()
                .jsonPath("$.responseId").isEqualTo(body.get("responseId"))
                .jsonPath("$.score").isEqualTo(9)
                .jsonPath("$.channel").isEqualTo("EMAIL") // the survey's channel
                .jsonPath("$.respondedAt").isEqualTo("2026-03-01T10:15:00Z")
                .jsonPath("$.comment").isEqualTo("Great support");
        postJson(uri, body).expectStatus().isOk().expectBody().jsonPath("$.score").isEqualTo(9);
        assertThat(storedForSurvey()).isEqualTo(1);
        assertThat(rolledUpForSurvey()).isEqualTo(1);
    }

    @Test
    void sameResponseIdWithADifferentBodyIs409AndChangesNothing() {
        Map<String, Object> body = response(unique("r"), unique("c"), 9);
        postJson(uri, body).expectStatus().isCreated();
        body.put("score", 3);
        postJson(uri, body).expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(409).jsonPath("$.errors[0].field").isEqualTo("responseId");
        web.get().uri(uri + "/" + body.get("responseId")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.score").isEqualTo(9);
        assertThat(rolledUpForSurvey()).isEqualTo(1);
    }

    @Test
    void aSecondDifferentResponseOfTheSameCustomerIs409() {
        String customer = unique("c");
        postJson(uri, response(unique("r"), customer, 9)).expectStatus().isCreated();
        postJson(uri, response(unique("r"), customer, 9)).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("customerId");
        assertThat(storedForSurvey()).isEqualTo(1);
    }

    @Test
    void replayWithoutRespondedAtMatchesTheStoredReceiptTime() {
        Map<String, Object> body = response(unique("r"), unique("c"), 7);
        body.remove("respondedAt");
        postJson(uri, body).expectStatus().isCreated();
        postJson(uri, body).expectStatus().isOk();
        assertThat(storedForSurvey()).isEqualTo(1);
    }

    @Test
    void invalidSingleResponsesAre400AndStoreNothing() {
        List<Object[]> cases = List.of(
                new Object[]{"score", 11, "score"},
                new Object[]{"score", -1, "score"},
                new Object[]{"score", 7.5, "score"},
                new Object[]{"score", "7", "score"},
                new Object[]{"score", new java.math.BigInteger("99999999999999999999999999"), "score"},
                new Object[]{"score", 1e300, "score"},
                new Object[]{"respondedAt", "2026-03-01T10:15:00", "respondedAt"},
                new Object[]{"respondedAt", "yesterday", "respondedAt"},
                new Object[]{"respondedAt", "2999-01-01T00:00:00Z", "respondedAt"},
                new Object[]{"respondedAt", "1999-12-31T23:59:59Z", "respondedAt"},
                new Object[]{"respondedAt", 1700000000, "respondedAt"},
                new Object[]{"comment", "x".repeat(2001), "comment"},
                new Object[]{"comment", 12, "comment"},
                new Object[]{"channel", "web shop", "channel"},
                new Object[]{"customerId", "", "customerId"},
                new Object[]{"customerId", " padded", "customerId"},
                new Object[]{"responseId", "r".repeat(129), "responseId"},
                new Object[]{"ticketId", List.of("T"), "ticketId"});
        for (Object[] c : cases) {
            Map<String, Object> body = response(unique("r"), unique("c"), 8);
            body.put((String) c[0], c[1]);
            postJson(uri, body).expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.errors[0].field").isEqualTo(c[2])
                    .jsonPath("$.errors[0].message").isNotEmpty();
        }
        Map<String, Object> missing = new HashMap<>();
        postJson(uri, missing).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors.length()").isEqualTo(3);
        assertThat(storedForSurvey()).isZero();
        assertThat(rolledUpForSurvey()).isZero();
    }

    @Test
    void commentOfExactlyTheLimitIsAcceptedAndCountsCodePoints() {
        Map<String, Object> body = response(unique("r"), unique("c"), 8);
        body.put("comment", "\uD83D\uDE00".repeat(2000)); // 2000 emoji = 4000 UTF-16 units
        postJson(uri, body).expectStatus().isCreated();
    }

    @Test
    void unknownSurveyIs404AndMalformedJsonIs400() {
        postJson("/api/v1/surveys/00000000-0000-0000-0000-000000000000/responses", response("r", "c", 5))
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        postJson("/api/v1/surveys/00000000-0000-0000-0000-000000000000/responses/batch",
                Map.of("responses", List.of(response("r", "c", 5)))).expectStatus().isNotFound();
        for (String broken : new String[]{"{\"responseId\": ", "{\"score\": 1e999999999}", "[1,2]", "{\"responses\": [1,}"}) {
            web.post().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(broken).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
            web.post().uri(batchUri).contentType(MediaType.APPLICATION_JSON).bodyValue(broken).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
        assertThat(storedForSurvey()).isZero();
    }

    @Test
    void batchStoresEverythingAndCountsDuplicatesOnReplay() {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Map<String, Object> r = response(unique("r"), unique("c"), i % 11);
            r.put("channel", i % 2 == 0 ? "web" : "sms");
            r.put("comment", i % 3 == 0 ? null : "comment " + i);
            items.add(r);
        }
        postJson(batchUri, Map.of("responses", items)).expectStatus().isOk()
                .expectBody().jsonPath("$.accepted").isEqualTo(1000).jsonPath("$.duplicates").isEqualTo(0);
        postJson(batchUri, Map.of("responses", items)).expectStatus().isOk()
                .expectBody().jsonPath("$.accepted").isEqualTo(0).jsonPath("$.duplicates").isEqualTo(1000);
        // half old, half new, and one item repeated inside the batch
        List<Map<String, Object>> mixed = new ArrayList<>(items.subList(0, 2));
        mixed.add(response(unique("r"), unique("c"), 10));
        mixed.add(mixed.get(2));
        postJson(batchUri, Map.of("responses", mixed)).expectStatus().isOk()
                .expectBody().jsonPath("$.accepted").isEqualTo(1).jsonPath("$.duplicates").isEqualTo(3);
        assertThat(storedForSurvey()).isEqualTo(1001);
        assertThat(rolledUpForSurvey()).isEqualTo(1001);
        assertThat(scalar("SELECT count(*) FROM survey_response WHERE survey_id = '" + nps
                + "' AND channel = 'WEB'")).isEqualTo(500);
    }

    @Test
    void oneInvalidItemRejectsTheWholeBatchWithIndexedFields() {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            items.add(response(unique("r"), unique("c"), 5));
        }
        items.get(3).put("score", 12);
        items.get(4).remove("customerId");
        postJson(batchUri, Map.of("responses", items)).expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors.length()").isEqualTo(2)
                .jsonPath("$.errors[0].field").isEqualTo("responses[3].score")
                .jsonPath("$.errors[1].field").isEqualTo("responses[4].customerId");
        assertThat(storedForSurvey()).isZero();
    }

    @Test
    void aConflictingItemRollsBackTheWholeBatch() {
        Map<String, Object> stored = response(unique("r"), unique("c"), 10);
        postJson(uri, stored).expectStatus().isCreated();
        Map<String, Object> changed = new HashMap<>(stored);
        changed.put("score", 0);
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            items.add(response(unique("r"), unique("c"), 6));
        }
        items.add(changed);
        postJson(batchUri, Map.of("responses", items)).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("responses[10].responseId");
        assertThat(storedForSurvey()).isEqualTo(1);
        assertThat(rolledUpForSurvey()).isEqualTo(1);

        // the same customer twice in one batch, and a customer who already answered
        List<Map<String, Object>> twice = List.of(response(unique("r"), "same-" + nps, 1),
                response(unique("r"), "same-" + nps, 2));
        postJson(batchUri, Map.of("responses", twice)).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("responses[1].customerId");
        List<Map<String, Object>> again = List.of(response(unique("r"), unique("c"), 1),
                response(unique("r"), (String) stored.get("customerId"), 2));
        postJson(batchUri, Map.of("responses", again)).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("responses[1].customerId");
        assertThat(storedForSurvey()).isEqualTo(1);
        assertThat(rolledUpForSurvey()).isEqualTo(1);
    }

    @Test
    void batchShapeErrors() {
        postJson(batchUri, Map.of()).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("responses");
        postJson(batchUri, Map.of("responses", List.of())).expectStatus().isBadRequest();
        postJson(batchUri, Map.of("responses", "x")).expectStatus().isBadRequest();
        postJson(batchUri, Map.of("responses", List.of(1))).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("responses[0]");
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(response("r" + i, "c" + i, 5));
        }
        postJson(batchUri, Map.of("responses", tooMany)).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("responses");
        assertThat(storedForSurvey()).isZero();
    }

    @Test
    void listingPagesThroughEveryResponseOnceInOrder() {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            Map<String, Object> r = response(String.format("%s-%02d", nps, i), unique("c"), 5);
            r.put("respondedAt", String.format("2026-03-%02dT10:00:00Z", 1 + i % 5)); // ties on time
            items.add(r);
        }
        postJson(batchUri, Map.of("responses", items)).expectStatus().isOk();
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            String page = uri + "?limit=10" + (cursor == null ? "" : "&cursor=" + cursor);
            Map<?, ?> body = web.get().uri(page).exchange().expectStatus().isOk()
                    .expectBody(Map.class).returnResult().getResponseBody();
            for (Object item : (List<?>) body.get("items")) {
                seen.add((String) ((Map<?, ?>) item).get("responseId"));
            }
            cursor = (String) body.get("nextCursor");
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(25).doesNotHaveDuplicates();
        // ordered by respondedAt, then responseId
        List<String> expected = items.stream()
                .sorted((a, b) -> {
                    int byTime = ((String) a.get("respondedAt")).compareTo((String) b.get("respondedAt"));
                    return byTime != 0 ? byTime : ((String) a.get("responseId")).compareTo((String) b.get("responseId"));
                })
                .map(r -> (String) r.get("responseId")).toList();
        assertThat(seen).isEqualTo(expected);

        for (String bad : new String[]{"?limit=0", "?limit=1001", "?limit=abc", "?cursor=%21%21", "?cursor=eHg"}) {
            web.get().uri(uri + bad).exchange().expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
    }

    @Test
    void aBodyOverTheCodecLimitIs413() {
        String huge = "{\"responses\": [{\"comment\": \"" + "x".repeat(17 * 1024 * 1024) + "\"}]}";
        web.post().uri(batchUri).contentType(MediaType.APPLICATION_JSON).bodyValue(huge).exchange()
                .expectStatus().isEqualTo(413)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(storedForSurvey()).isZero();
    }

    @Test
    void oneResponseIdTwiceInABatchWithDifferentBodiesIs409() {
        String id = unique("r");
        List<Map<String, Object>> items = List.of(response(id, unique("c"), 3), response(id, unique("c"), 4));
        postJson(batchUri, Map.of("responses", items)).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("responses[1].responseId");
        assertThat(storedForSurvey()).isZero();
    }

    @Test
    void scoresFollowTheSurveysOwnScale() {
        String ces5 = createSurvey(Map.of("name", "e", "kind", "CES", "question", "q", "scale", 5));
        postJson("/api/v1/surveys/" + ces5 + "/responses", response(unique("r"), unique("c"), 6))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].message").isEqualTo("must be between 1 and 5");
        postJson("/api/v1/surveys/" + ces5 + "/responses", response(unique("r"), unique("c"), 0))
                .expectStatus().isBadRequest();
        postJson("/api/v1/surveys/" + ces5 + "/responses", response(unique("r"), unique("c"), 5))
                .expectStatus().isCreated();
    }

    @Test
    void overlongCustomerIdsInPathsAre400() {
        String longId = "c".repeat(129);
        web.delete().uri("/api/v1/customers/{id}/responses", longId).exchange().expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        web.get().uri("/api/v1/customers/{id}/satisfaction", longId).exchange().expectStatus().isBadRequest();
    }
}
