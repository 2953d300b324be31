package io.loyalty.survey;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Every *IT extends this, so all of them share one application context (and one embedded PostgreSQL).
 * Tests isolate themselves with fresh surveys and random customer ids instead of cleaning tables.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.grpc.server.port=0")
@AutoConfigureWebTestClient
public abstract class IntegrationTest {

    @Autowired
    protected WebTestClient web;

    @Autowired
    protected DatabaseClient db;

    @BeforeEach
    void patientClient() {
        // several builds share this machine's two cores; a slow answer is not a wrong one
        web = web.mutate().responseTimeout(Duration.ofSeconds(30)).build();
    }

    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 13);
    }

    protected String createSurvey(Map<String, Object> body) {
        return web.post().uri("/api/v1/surveys").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange()
                .expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody().get("id").toString();
    }

    protected String createSurvey(String kind) {
        return createSurvey(Map.of("name", kind + " survey", "kind", kind, "question", "How was it?"));
    }

    protected WebTestClient.ResponseSpec postJson(String uri, Object body) {
        return web.post().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    protected long scalar(String sql) {
        return db.sql(sql).map(row -> ((Number) row.get(0)).longValue()).one().block();
    }
}
