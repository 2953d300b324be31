package io.loyalty.clv.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.loyalty.clv.ClvApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import static io.loyalty.clv.ClvApi.purchase;
import static org.assertj.core.api.Assertions.assertThat;

/** Validation (all-or-nothing, problem+json with item paths) and idempotency of the batch endpoints. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.grpc.server.port=0")
@AutoConfigureWebTestClient
class IngestIT {

    @Autowired
    WebTestClient web;
    ClvApi api;
    String id;

    @BeforeEach
    void setUp() {
        api = new ClvApi(web);
        id = UUID.randomUUID().toString();
    }

    private Map<String, Object> with(Map<String, Object> item, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(item);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return copy;
    }

    /** The batch fails with 400 naming purchases[1].field; the valid item 0 was not stored either. */
    private void rejected(Map<String, Object> bad, String field) {
        Map<String, Object> good = purchase(id + "-good", id + "-c", "2024-01-01T10:00:00Z", 10);
        JsonNode problem = api.post("/api/v1/purchases/batch", Map.of("purchases", List.of(good, bad)), 400);
        assertThat(problem.get("status").intValue()).isEqualTo(400);
        assertThat(problem.get("title").stringValue()).isNotBlank();
        assertThat(problem.get("type").stringValue()).isNotBlank();
        assertThat(problem.get("errors").get(0).get("field").stringValue()).isEqualTo("purchases[1]." + field);
        JsonNode replay = api.purchases(List.of(good));
        assertThat(replay.get("accepted").intValue()).as("nothing stored from the rejected batch").isEqualTo(1);
        id = UUID.randomUUID().toString();
    }

    @Test
    void invalidPurchasesAreRejectedWithTheirPathAndNothingIsStored() {
        Map<String, Object> p = purchase(id + "-bad", id + "-c", "2024-01-01T10:00:00Z", 10);
        rejected(with(p, "amount", -1), "amount");
        rejected(with(p, "amount", 1_000_000.01), "amount");
        rejected(with(p, "amount", new java.math.BigDecimal("1e400")), "amount");
        rejected(with(p, "amount", "12.50"), "amount");
        rejected(with(p, "amount", 1.23456), "amount");
        rejected(with(p, "amount", null), "amount");
        rejected(with(p, "currency", "XYZ"), "currency");
        rejected(with(p, "currency", "usd"), "currency");
        rejected(with(p, "currency", "EUR"), "currency"); // a real code, but no configured rate
        rejected(with(p, "occurredAt", "2999-01-01T00:00:00Z"), "occurredAt");
        rejected(with(p, "occurredAt", "2024-01-01"), "occurredAt");
        rejected(with(p, "occurredAt", "2024-01-01T10:00:00"), "occurredAt");
        rejected(with(p, "occurredAt", 12345), "occurredAt");
        rejected(with(p, "orderId", ""), "orderId");
        rejected(with(p, "orderId", 42), "orderId");
        rejected(with(p, "customerId", "x".repeat(129)), "customerId");
        rejected(with(p, "customerId", null), "customerId");
    }

    @Test
    void malformedBodiesAreProblems() {
        for (String body : List.of("{", "[]", "{\"purchases\": {}}", "{\"purchases\": []}", "{\"purchases\": [1]}",
                "null", "{\"purchases\": [{\"orderId\": \"a\", \"amount\": 1e99999}]}")) {
            web.post().uri("/api/v1/purchases/batch").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                    .exchange().expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.status").isEqualTo(400);
        }
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 5001; i++) {
            tooMany.add(purchase(id + "-" + i, id, "2024-01-01T10:00:00Z", 1));
        }
        JsonNode problem = api.post("/api/v1/purchases/batch", Map.of("purchases", tooMany), 400);
        assertThat(problem.get("errors").get(0).get("field").stringValue()).isEqualTo("purchases");
    }

    @Test
    void replaysAreDuplicatesAndAChangedBodyIsAConflictThatStoresNothing() {
        Map<String, Object> a = purchase(id + "-a", id + "-c", "2024-01-01T10:00:00Z", 12.5);
        Map<String, Object> b = purchase(id + "-b", id + "-c", "2024-01-02T10:00:00Z", 7);
        JsonNode first = api.purchases(List.of(a, b, a));
        assertThat(first.get("accepted").intValue()).isEqualTo(2);
        assertThat(first.get("duplicates").intValue()).isEqualTo(1);
        // 12.50 is the same amount as 12.5
        JsonNode replay = api.purchases(List.of(with(a, "amount", new java.math.BigDecimal("12.50")), b));
        assertThat(replay.get("accepted").intValue()).isZero();
        assertThat(replay.get("duplicates").intValue()).isEqualTo(2);

        Map<String, Object> fresh = purchase(id + "-fresh", id + "-c", "2024-01-03T10:00:00Z", 1);
        JsonNode conflict = api.post("/api/v1/purchases/batch",
                Map.of("purchases", List.of(fresh, with(b, "amount", 8))), 409);
        assertThat(conflict.get("errors").get(0).get("field").stringValue()).isEqualTo("purchases[1].orderId");
        JsonNode inBatch = api.post("/api/v1/purchases/batch",
                Map.of("purchases", List.of(fresh, with(fresh, "amount", 2))), 409);
        assertThat(inBatch.get("errors").get(0).get("field").stringValue()).isEqualTo("purchases[1].orderId");
        assertThat(api.purchases(List.of(fresh)).get("accepted").intValue())
                .as("the conflicting batches stored nothing").isEqualTo(1);
    }

    @Test
    void referralsAndChurnEventsAreValidatedAndIdempotent() {
        Map<String, Object> r = Map.of("referralId", id + "-r", "referrerId", id + "-x", "referredId", id + "-y",
                "occurredAt", "2024-01-01T00:00:00Z");
        JsonNode self = api.post("/api/v1/referrals/batch",
                Map.of("referrals", List.of(r, with(r, "referredId", id + "-x"))), 400);
        assertThat(self.get("errors").get(0).get("field").stringValue()).isEqualTo("referrals[1].referredId");
        assertThat(api.post("/api/v1/referrals/batch", Map.of("referrals", List.of(r)), 200).get("accepted").intValue())
                .isEqualTo(1);
        assertThat(api.post("/api/v1/referrals/batch", Map.of("referrals", List.of(r)), 200).get("duplicates").intValue())
                .isEqualTo(1);
        api.post("/api/v1/referrals/batch", Map.of("referrals", List.of(with(r, "referredId", id + "-z"))), 409);

        Map<String, Object> e = Map.of("eventId", id + "-e", "customerId", id + "-x",
                "occurredAt", "2024-01-01T00:00:00Z", "reason", "account closed");
        JsonNode future = api.post("/api/v1/churn-events/batch",
                Map.of("events", List.of(with(e, "occurredAt", "2999-01-01T00:00:00Z"))), 400);
        assertThat(future.get("errors").get(0).get("field").stringValue()).isEqualTo("events[0].occurredAt");
        assertThat(api.post("/api/v1/churn-events/batch", Map.of("events", List.of(e)), 200).get("accepted").intValue())
                .isEqualTo(1);
        assertThat(api.post("/api/v1/churn-events/batch", Map.of("events", List.of(e)), 200).get("duplicates").intValue())
                .isEqualTo(1);
        api.post("/api/v1/churn-events/batch", Map.of("events", List.of(with(e, "reason", "other"))), 409);
    }
}
