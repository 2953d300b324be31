package io.loyalty.ticket.ticket;

import io.loyalty.ticket.AbstractIT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad input of every kind: a 4xx problem+json, never a 5xx, and nothing changes. */
class BadInputIT extends AbstractIT {

    static final String CUSTOMER = "bad-input-customer";

    static void problem(WebTestClient.ResponseSpec response, int status, String... fields) {
        WebTestClient.BodyContentSpec body = response.expectStatus().isEqualTo(status)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.type").value(t -> assertThat((String) t).startsWith("https://"))
                .jsonPath("$.title").isNotEmpty()
                .jsonPath("$.status").isEqualTo(status)
                .jsonPath("$.detail").isNotEmpty();
        for (int i = 0; i < fields.length; i++) {
            body.jsonPath("$.errors[" + i + "].field").isEqualTo(fields[i])
                    .jsonPath("$.errors[" + i + "].message").isNotEmpty();
        }
    }

    void noTicketWasCreated() {
        web.get().uri("/api/v1/tickets?customerId=" + CUSTOMER).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{",
            "[]",
            "\"a string\"",
            "{\"externalId\": {\"nested\": 1}, \"customerId\": \"bad-input-customer\", \"subject\": \"s\", \"priority\": \"LOW\", \"channel\": \"EMAIL\"}",
            "{\"externalId\": \"x\", \"customerId\": \"bad-input-customer\", \"subject\": [1, 2], \"priority\": \"LOW\", \"channel\": \"EMAIL\"}",
    })
    void malformedJsonOrWrongTypesAre400(String json) {
        problem(postRaw("/api/v1/tickets", json), 400);
        noTicketWasCreated();
    }

    @Test
    void everyInvalidFieldIsNamed() {
        problem(post("/api/v1/tickets", Map.of("externalId", "has spaces in it", "customerId", CUSTOMER, "subject", " ",
                        "priority", "VERY_HIGH", "channel", "pigeon", "openedAt", "2026-02-30T10:00:00Z")),
                400, "externalId", "subject", "priority", "channel", "openedAt");
        problem(post("/api/v1/tickets", Map.of()), 400, "externalId", "customerId", "subject", "priority", "channel");
        problem(post("/api/v1/tickets", Map.of("externalId", "x1", "customerId", CUSTOMER, "subject", "s".repeat(501),
                "priority", "LOW", "channel", "EMAIL")), 400, "subject");
        problem(postRaw("/api/v1/tickets", "{\"externalId\": \"x4\", \"customerId\": \"" + CUSTOMER
                + "\", \"subject\": \"nul \\u0000 inside\", \"priority\": \"LOW\", \"channel\": \"EMAIL\"}"), 400, "subject");
        problem(postRaw("/api/v1/tickets", "{\"externalId\": \"x5\", \"customerId\": \"" + CUSTOMER
                + "\", \"subject\": \"s\", \"priority\": 3, \"channel\": true, \"openedAt\": 1700000000}"),
                400, "priority", "channel", "openedAt");
        problem(post("/api/v1/tickets", Map.of("externalId", "x2", "customerId", CUSTOMER, "subject", "s",
                "priority", "LOW", "channel", "EMAIL", "openedAt", "2999-01-01T00:00:00Z")), 400, "openedAt");
        problem(post("/api/v1/tickets", Map.of("externalId", "x3", "customerId", CUSTOMER, "subject", "s",
                "priority", "low", "channel", "EMAIL", "openedAt", "2026-01-01 10:00")), 400, "priority", "openedAt");
        noTicketWasCreated();
    }

    @Test
    void wrongMediaTypeAndMissingBody() {
        problem(web.post().uri("/api/v1/tickets").contentType(MediaType.TEXT_PLAIN).bodyValue("hello").exchange(), 415);
        problem(web.post().uri("/api/v1/tickets").contentType(MediaType.APPLICATION_JSON).exchange(), 400);
        problem(postRaw("/api/v1/tickets", "null"), 400);
        problem(web.delete().uri("/api/v1/tickets").exchange(), 405);
        problem(postRaw("/api/v1/ticket-events/batch", "{\"events\": [\"" + "y".repeat(5_000_000) + "\"]}"), 413);
        problem(web.get().uri("/api/v1/nothing-here").exchange(), 404);
        noTicketWasCreated();
    }

    @Test
    void badEvents() {
        policy("LOW", 30, 60, null);
        String id = ticket(unique("cust"), "LOW", "2026-05-04T10:00:00Z");
        problem(post("/api/v1/tickets/" + id + "/events", Map.of("eventId", "", "type", "WAVED", "at", "noon")),
                400, "eventId", "type", "at");
        problem(post("/api/v1/tickets/" + id + "/events", Map.of("eventId", "e1", "type", "SOLVED",
                "at", "2999-05-04T10:00:00Z")), 400, "at");
        problem(postRaw("/api/v1/tickets/" + id + "/events", "{\"eventId\": 5, \"type\": \"SOLVED\", \"at\": {}}"), 400, "at");
        problem(post("/api/v1/tickets/not-a-ticket/events", Map.of("eventId", "e1", "type", "SOLVED",
                "at", "2026-05-04T10:00:00Z")), 400, "ticketId");
        web.get().uri("/api/v1/tickets/{id}", id).exchange().expectBody()
                .jsonPath("$.status").isEqualTo("NEW").jsonPath("$.lastEventAt").isEqualTo("2026-05-04T10:00:00Z");
    }

    @Test
    void badBatches() {
        problem(post("/api/v1/ticket-events/batch", Map.of("events", List.of())), 400, "events");
        problem(post("/api/v1/ticket-events/batch", Map.of()), 400, "events");
        problem(postRaw("/api/v1/ticket-events/batch", "{\"events\": [null]}"), 400, "events[0]");
        problem(postRaw("/api/v1/ticket-events/batch", "{\"events\": {\"a\": 1}}"), 400, "events");
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(Map.of("ticketId", "7d0c2a58-6a34-4d9c-9a4e-5a4d0d4c1f00", "eventId", "e" + i,
                    "type", "AGENT_REPLY", "at", "2026-05-04T10:00:00Z"));
        }
        problem(post("/api/v1/ticket-events/batch", Map.of("events", tooMany)), 400, "events");
        problem(post("/api/v1/ticket-events/batch", Map.of("events", List.of(
                Map.of("ticketId", "nope", "eventId", "e1", "type", "AGENT_REPLY", "at", "2026-05-04T10:00:00Z"),
                Map.of("ticketId", "7d0c2a58-6a34-4d9c-9a4e-5a4d0d4c1f00", "eventId", "e 2", "type", "AGENT_REPLY",
                        "at", "2026-05-04T10:00:00Z")))), 400, "events[0].ticketId", "events[1].eventId");
    }

    @Test
    void badListQueries() {
        for (String query : new String[] {"limit=0", "limit=1001", "limit=abc", "limit=99999999999999999999",
                "limit=-1", "cursor=garbage", "cursor=dGlja2V0czphYmM", "status=DONE", "customerId=a%20b"}) {
            problem(web.get().uri("/api/v1/tickets?" + query).exchange(), 400);
        }
    }

    @Test
    void badPolicies() {
        problem(put("/api/v1/sla-policies/CRITICAL", Map.of("firstResponseMinutes", 10, "resolutionMinutes", 60)),
                400, "priority");
        problem(put("/api/v1/sla-policies/LOW", Map.of("firstResponseMinutes", 0, "resolutionMinutes", 600_000)),
                400, "firstResponseMinutes", "resolutionMinutes");
        problem(putRaw("/api/v1/sla-policies/LOW", "{\"firstResponseMinutes\": 1e30, \"resolutionMinutes\": 60}"), 400,
                "firstResponseMinutes");
        problem(putRaw("/api/v1/sla-policies/LOW", "{\"firstResponseMinutes\": \"ten\", \"resolutionMinutes\": 60}"), 400,
                "firstResponseMinutes");
        problem(put("/api/v1/sla-policies/LOW", Map.of("firstResponseMinutes", 10, "resolutionMinutes", 60,
                "businessHours", Map.of("timeZone", "Mars/Olympus", "windows", List.of(
                        Map.of("day", "MONDAY", "start", "09:00", "end", "17:00"),
                        Map.of("day", "MONDAY", "start", "16:00", "end", "18:00"),
                        Map.of("day", "FUNDAY", "start", "09:00", "end", "17:00"),
                        Map.of("day", "TUESDAY", "start", "17:00", "end", "09:00"),
                        Map.of("day", "WEDNESDAY", "start", "9am", "end", "24:01"))))),
                400, "businessHours.timeZone", "businessHours.windows[1]", "businessHours.windows[2].day",
                "businessHours.windows[3].end", "businessHours.windows[4].start", "businessHours.windows[4].end");
        problem(put("/api/v1/sla-policies/LOW", Map.of("firstResponseMinutes", 10, "resolutionMinutes", 60,
                "businessHours", Map.of("timeZone", "UTC", "windows", List.of()))), 400, "businessHours.windows");
        // one minute a week: 260 minutes is five years of it, 261 is out of reach
        problem(put("/api/v1/sla-policies/LOW", Map.of("firstResponseMinutes", 260, "resolutionMinutes", 261,
                "businessHours", Map.of("timeZone", "UTC", "windows", List.of(
                        Map.of("day", "SUNDAY", "start", "03:00", "end", "03:01"))))), 400, "resolutionMinutes");
    }

    @Test
    void aPolicyPutIsIdempotentAndVersioned() {
        Map<String, Object> hours = Map.of("timeZone", "Europe/Berlin", "windows", List.of(
                Map.of("day", "TUESDAY", "start", "09:00", "end", "12:00"),
                Map.of("day", "MONDAY", "start", "09:00", "end", "24:00")));
        Map<?, ?> first = put("/api/v1/sla-policies/HIGH", Map.of("firstResponseMinutes", 61, "resolutionMinutes", 601,
                "businessHours", hours)).expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        Map<?, ?> again = put("/api/v1/sla-policies/HIGH", Map.of("firstResponseMinutes", 61, "resolutionMinutes", 601,
                "businessHours", hours)).expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(again.get("version")).isEqualTo(first.get("version"));
        assertThat(((List<?>) ((Map<?, ?>) first.get("businessHours")).get("windows")).get(0))
                .isEqualTo(Map.of("day", "MONDAY", "start", "09:00", "end", "24:00"));
        web.get().uri("/api/v1/sla-policies/HIGH").exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.version").isEqualTo(first.get("version"))
                .jsonPath("$.businessHours.timeZone").isEqualTo("Europe/Berlin");
        Map<?, ?> changed = put("/api/v1/sla-policies/HIGH", Map.of("firstResponseMinutes", 62, "resolutionMinutes", 601))
                .expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat(((Number) changed.get("version")).longValue()).isGreaterThan(((Number) first.get("version")).longValue());
        assertThat(changed.get("businessHours")).isNull();
    }

    WebTestClient.ResponseSpec putRaw(String uri, String json) {
        return web.put().uri(uri).contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
    }
}
