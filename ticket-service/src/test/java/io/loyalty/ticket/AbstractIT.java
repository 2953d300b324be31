package io.loyalty.ticket;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * One application context for every integration test (same configuration = cached context), against the
 * real PostgreSQL test-support provides. Tests isolate themselves by unique ids, not by cleaning tables.
 * The export page size is tiny so the gRPC stream crosses many keyset pages even with little data.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"spring.grpc.server.port=0", "loyalty.ticket.export-page-size=2"})
@AutoConfigureWebTestClient
public abstract class AbstractIT {

    @Autowired
    protected WebTestClient web;

    /** The first request of a cold context on a shared 2-core machine can take longer than the 5 s default. */
    @BeforeEach
    void patientClient() {
        web = web.mutate().responseTimeout(Duration.ofSeconds(30)).build();
    }

    protected static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected WebTestClient.ResponseSpec post(String uri, Object body) {
        return web.post().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    protected WebTestClient.ResponseSpec postRaw(String uri, String json) {
        return web.post().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
    }

    protected WebTestClient.ResponseSpec put(String uri, Object body) {
        return web.put().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    protected void policy(String priority, int firstResponseMinutes, int resolutionMinutes, Object businessHours) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("firstResponseMinutes", firstResponseMinutes);
        body.put("resolutionMinutes", resolutionMinutes);
        body.put("businessHours", businessHours);
        put("/api/v1/sla-policies/" + priority, body).expectStatus().isOk();
    }

    /** Creates a ticket and returns its id. */
    protected String ticket(String customerId, String priority, String openedAt) {
        Map<String, Object> body = Map.of("externalId", unique("ext"), "customerId", customerId,
                "subject", "Order did not arrive", "priority", priority, "channel", "EMAIL", "openedAt", openedAt);
        Map<?, ?> created = post("/api/v1/tickets", body).expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (String) created.get("id");
    }

    protected WebTestClient.ResponseSpec event(String ticketId, String eventId, String type, String at) {
        return post("/api/v1/tickets/" + ticketId + "/events", Map.of("eventId", eventId, "type", type, "at", at));
    }

    /** Applies events in order ("TYPE@instant"), each expected to succeed. */
    protected void events(String ticketId, String... typeAtInstants) {
        int n = 0;
        for (String e : typeAtInstants) {
            String[] parts = e.split("@");
            event(ticketId, "e" + (++n), parts[0], parts[1]).expectStatus().isOk();
        }
    }
}
