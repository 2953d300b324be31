package io.loyalty.ticket.ticket;

import io.loyalty.ticket.AbstractIT;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class TicketLifecycleIT extends AbstractIT {

    static final Map<String, Object> BERLIN_OFFICE = Map.of("timeZone", "Europe/Berlin", "windows", List.of(
            Map.of("day", "MONDAY", "start", "09:00", "end", "17:00"),
            Map.of("day", "TUESDAY", "start", "09:00", "end", "17:00"),
            Map.of("day", "WEDNESDAY", "start", "09:00", "end", "17:00"),
            Map.of("day", "THURSDAY", "start", "09:00", "end", "17:00"),
            Map.of("day", "FRIDAY", "start", "09:00", "end", "17:00")));

    @BeforeEach
    void policies() {
        policy("HIGH", 120, 480, BERLIN_OFFICE);
        policy("LOW", 30, 60, null);
    }

    @Test
    void createReplayAndConflictByExternalId() {
        String externalId = unique("ext");
        String customer = unique("cust");
        Map<String, Object> body = Map.of("externalId", externalId, "customerId", customer, "subject", "Refund",
                "priority", "LOW", "channel", "CHAT", "openedAt", "2026-03-02T10:00:00Z");
        @SuppressWarnings("unchecked")
        Map<String, Object> created = post("/api/v1/tickets", body).expectStatus().isCreated()
                .expectHeader().valueMatches("Location", "/api/v1/tickets/[0-9a-f-]{36}")
                .expectBody(Map.class).returnResult().getResponseBody();
        assertThat(created).containsEntry("status", "NEW").containsEntry("externalId", externalId)
                .containsEntry("customerId", customer).containsEntry("priority", "LOW").containsEntry("channel", "CHAT")
                .containsEntry("openedAt", "2026-03-02T10:00:00Z").containsEntry("reopens", 0)
                .containsEntry("firstResponseSeconds", null).containsEntry("resolutionSeconds", null);
        @SuppressWarnings("unchecked")
        Map<String, Object> sla = (Map<String, Object>) created.get("sla");
        assertThat(sla).containsEntry("firstResponseDueAt", "2026-03-02T10:30:00Z")
                .containsEntry("resolutionDueAt", "2026-03-02T11:00:00Z")
                // long past by now and never answered
                .containsEntry("firstResponseBreached", true).containsEntry("resolutionBreached", true);

        post("/api/v1/tickets", body).expectStatus().isOk().expectBody().jsonPath("$.id").isEqualTo(created.get("id"));

        Map<String, Object> changed = new java.util.HashMap<>(body);
        changed.put("subject", "Something else");
        post("/api/v1/tickets", changed).expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").value(t -> assertThat((String) t).endsWith("/external-id-conflict"))
                .jsonPath("$.status").isEqualTo(409);
        web.get().uri("/api/v1/tickets/{id}", created.get("id")).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.subject").isEqualTo("Refund");
        web.get().uri("/api/v1/tickets?customerId={c}", customer).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(1);
    }

    @Test
    void businessHoursAcrossAWeekendOverHttp() {
        // Fri 2026-03-06 16:00 Berlin (15:00Z); the golden suite's case end to end
        String id = ticket(unique("cust"), "HIGH", "2026-03-06T15:00:00Z");
        web.get().uri("/api/v1/tickets/{id}", id).exchange().expectStatus().isOk().expectBody()
                .jsonPath("$.sla.firstResponseDueAt").isEqualTo("2026-03-09T09:00:00Z")
                .jsonPath("$.sla.resolutionDueAt").isEqualTo("2026-03-09T15:00:00Z");
        event(id, "r1", "AGENT_REPLY", "2026-03-09T08:30:00Z").expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("OPEN")
                .jsonPath("$.firstResponseSeconds").isEqualTo(5400)
                .jsonPath("$.sla.firstResponseBreached").isEqualTo(false);
        event(id, "s1", "SOLVED", "2026-03-09T10:00:00Z").expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("SOLVED")
                .jsonPath("$.resolutionSeconds").isEqualTo(10800)
                .jsonPath("$.sla.resolutionBreached").isEqualTo(false);
    }

    @Test
    void pauseReopenAndCloseWithTheirNumbers() {
        String id = ticket(unique("cust"), "LOW", "2026-05-04T10:00:00Z");
        events(id, "AGENT_REPLY@2026-05-04T10:20:00Z", "PENDING@2026-05-04T10:30:00Z",
                "CUSTOMER_REPLY@2026-05-04T14:30:00Z", "SOLVED@2026-05-04T14:45:00Z");
        // 30 min before pending + 15 after = 2700 s; the 4 h pending do not count
        web.get().uri("/api/v1/tickets/{id}", id).exchange().expectBody()
                .jsonPath("$.firstResponseSeconds").isEqualTo(1200)
                .jsonPath("$.resolutionSeconds").isEqualTo(2700)
                .jsonPath("$.sla.resolutionBreached").isEqualTo(false);
        event(id, "re", "REOPENED", "2026-05-05T09:00:00Z").expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("OPEN").jsonPath("$.reopens").isEqualTo(1)
                .jsonPath("$.resolutionSeconds").isEmpty()
                .jsonPath("$.sla.resolutionDueAt").isEqualTo("2026-05-05T09:15:00Z");
        event(id, "s2", "SOLVED", "2026-05-05T09:30:00Z").expectStatus().isOk().expectBody()
                .jsonPath("$.resolutionSeconds").isEqualTo(4500)
                .jsonPath("$.sla.resolutionBreached").isEqualTo(true);
        event(id, "c", "CLOSED", "2026-05-09T09:30:00Z").expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("CLOSED").jsonPath("$.resolutionSeconds").isEqualTo(4500);
    }

    @Test
    void eventReplayIsANoOpAndAReusedEventIdIsAConflict() {
        String id = ticket(unique("cust"), "LOW", "2026-05-04T10:00:00Z");
        event(id, "r1", "AGENT_REPLY", "2026-05-04T10:10:00Z").expectStatus().isOk();
        event(id, "s1", "SOLVED", "2026-05-04T10:20:00Z").expectStatus().isOk();
        // replaying an older event is fine even though it is earlier than the latest
        event(id, "r1", "AGENT_REPLY", "2026-05-04T10:10:00Z").expectStatus().isOk().expectBody()
                .jsonPath("$.status").isEqualTo("SOLVED").jsonPath("$.resolutionSeconds").isEqualTo(1200);
        event(id, "r1", "AGENT_REPLY", "2026-05-04T10:11:00Z").expectStatus().isEqualTo(409).expectBody()
                .jsonPath("$.type").value(t -> assertThat((String) t).endsWith("/event-id-conflict"))
                .jsonPath("$.errors[0].field").isEqualTo("eventId");
        event(id, "s1", "CLOSED", "2026-05-04T10:20:00Z").expectStatus().isEqualTo(409);
        web.get().uri("/api/v1/tickets/{id}", id).exchange().expectBody().jsonPath("$.status").isEqualTo("SOLVED");
    }

    @Test
    void nonsenseTransitionsAre409Problems() {
        String id = ticket(unique("cust"), "LOW", "2026-05-04T10:00:00Z");
        event(id, "x1", "REOPENED", "2026-05-04T10:01:00Z").expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON).expectBody()
                .jsonPath("$.type").value(t -> assertThat((String) t).endsWith("/illegal-transition"))
                .jsonPath("$.title").isNotEmpty()
                .jsonPath("$.detail").value(d -> assertThat((String) d).contains("REOPENED").contains("NEW"))
                .jsonPath("$.errors[0].field").isEqualTo("type");
        event(id, "x2", "CLOSED", "2026-05-04T10:01:00Z").expectStatus().isEqualTo(409);
        events(id, "SOLVED@2026-05-04T10:05:00Z", "CLOSED@2026-05-08T10:05:00Z");
        event(id, "x3", "AGENT_REPLY", "2026-05-08T11:00:00Z").expectStatus().isEqualTo(409);
        event(id, "x4", "CUSTOMER_REPLY", "2026-05-08T11:00:00Z").expectStatus().isEqualTo(409);
        event(id, "x5", "REOPENED", "2026-05-08T11:00:00Z").expectStatus().isEqualTo(409);
        web.get().uri("/api/v1/tickets/{id}", id).exchange().expectBody()
                .jsonPath("$.status").isEqualTo("CLOSED").jsonPath("$.reopens").isEqualTo(0);
    }

    @Test
    void anEventEarlierThanTheLatestIsRejected() {
        String id = ticket(unique("cust"), "LOW", "2026-05-04T10:00:00Z");
        event(id, "before-open", "AGENT_REPLY", "2026-05-04T09:59:59Z").expectStatus().isEqualTo(409).expectBody()
                .jsonPath("$.type").value(t -> assertThat((String) t).endsWith("/event-out-of-order"))
                .jsonPath("$.errors[0].field").isEqualTo("at");
        event(id, "r1", "AGENT_REPLY", "2026-05-04T10:30:00Z").expectStatus().isOk();
        event(id, "late", "SOLVED", "2026-05-04T10:29:00Z").expectStatus().isEqualTo(409);
        event(id, "same-instant", "SOLVED", "2026-05-04T10:30:00Z").expectStatus().isOk();
    }

    @Test
    void unknownAndMalformedTicketIds() {
        web.get().uri("/api/v1/tickets/{id}", "7d0c2a58-6a34-4d9c-9a4e-5a4d0d4c1f00").exchange()
                .expectStatus().isNotFound().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        event("7d0c2a58-6a34-4d9c-9a4e-5a4d0d4c1f00", "e", "AGENT_REPLY", "2026-05-04T10:30:00Z")
                .expectStatus().isNotFound();
        web.get().uri("/api/v1/tickets/not-a-uuid").exchange().expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("ticketId");
    }

    @Test
    void aBatchAcrossTicketsIsAllOrNothing() {
        String a = ticket(unique("cust"), "LOW", "2026-05-04T10:00:00Z");
        String b = ticket(unique("cust"), "LOW", "2026-05-04T11:00:00Z");
        List<Map<String, Object>> good = List.of(
                Map.of("ticketId", a, "eventId", "a1", "type", "AGENT_REPLY", "at", "2026-05-04T10:05:00Z"),
                Map.of("ticketId", b, "eventId", "b1", "type", "AGENT_REPLY", "at", "2026-05-04T11:10:00Z"),
                Map.of("ticketId", a, "eventId", "a2", "type", "SOLVED", "at", "2026-05-04T10:15:00Z"));
        List<Map<String, Object>> withConflict = new ArrayList<>(good);
        withConflict.add(Map.of("ticketId", b, "eventId", "b2", "type", "CLOSED", "at", "2026-05-04T11:20:00Z"));
        post("/api/v1/ticket-events/batch", Map.of("events", withConflict)).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.errors.length()").isEqualTo(1)
                .jsonPath("$.errors[0].field").isEqualTo("events[3].type");
        // nothing of it was stored
        web.get().uri("/api/v1/tickets/{id}", a).exchange().expectBody().jsonPath("$.status").isEqualTo("NEW");

        List<Map<String, Object>> withInvalid = new ArrayList<>(good);
        withInvalid.add(Map.of("ticketId", b, "eventId", "b2", "type", "SHOUTED", "at", "yesterday"));
        post("/api/v1/ticket-events/batch", Map.of("events", withInvalid)).expectStatus().isBadRequest()
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("events[3].type")
                .jsonPath("$.errors[1].field").isEqualTo("events[3].at");
        web.get().uri("/api/v1/tickets/{id}", b).exchange().expectBody().jsonPath("$.status").isEqualTo("NEW");

        post("/api/v1/ticket-events/batch", Map.of("events", good)).expectStatus().isOk().expectBody()
                .jsonPath("$.accepted").isEqualTo(3).jsonPath("$.duplicates").isEqualTo(0);
        post("/api/v1/ticket-events/batch", Map.of("events", good)).expectStatus().isOk().expectBody()
                .jsonPath("$.accepted").isEqualTo(0).jsonPath("$.duplicates").isEqualTo(3);
        web.get().uri("/api/v1/tickets/{id}", a).exchange().expectBody()
                .jsonPath("$.status").isEqualTo("SOLVED").jsonPath("$.firstResponseSeconds").isEqualTo(300)
                .jsonPath("$.resolutionSeconds").isEqualTo(900);
        // the single-event endpoint sees the batch's events as its own
        event(b, "b1", "AGENT_REPLY", "2026-05-04T11:10:00Z").expectStatus().isOk();

        List<Map<String, Object>> unknown = List.of(Map.of("ticketId", "7d0c2a58-6a34-4d9c-9a4e-5a4d0d4c1f00",
                "eventId", "u1", "type", "AGENT_REPLY", "at", "2026-05-04T11:10:00Z"));
        post("/api/v1/ticket-events/batch", Map.of("events", unknown)).expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.errors[0].field").isEqualTo("events[0].ticketId");
    }

    @Test
    void aFullBatchWithLongIdsIsAccepted() {
        List<Map<String, Object>> events = new ArrayList<>();
        List<String> tickets = new ArrayList<>();
        for (int t = 0; t < 200; t++) {
            tickets.add(ticket(unique("cust"), "LOW", "2026-05-04T10:00:00Z"));
        }
        String longId = "x".repeat(120);
        String[][] steps = {{"AGENT_REPLY", "10:05"}, {"PENDING", "10:10"}, {"CUSTOMER_REPLY", "12:00"},
                {"SOLVED", "12:30"}, {"CLOSED", "23:00"}};
        for (String t : tickets) {
            for (String[] step : steps) {
                events.add(Map.of("ticketId", t, "eventId", longId.substring(step[0].length()) + step[0],
                        "type", step[0], "at", "2026-05-04T" + step[1] + ":00Z"));
            }
        }
        assertThat(events).hasSize(1000);
        post("/api/v1/ticket-events/batch", Map.of("events", events)).expectStatus().isOk().expectBody()
                .jsonPath("$.accepted").isEqualTo(1000).jsonPath("$.duplicates").isEqualTo(0);
        // 5 min before the pending + 30 min after the customer reply
        web.get().uri("/api/v1/tickets/{id}", tickets.get(199)).exchange().expectBody()
                .jsonPath("$.status").isEqualTo("CLOSED").jsonPath("$.firstResponseSeconds").isEqualTo(300)
                .jsonPath("$.resolutionSeconds").isEqualTo(2400);
    }

    @Test
    void listingPagesWithACursorAndFilters() {
        String customer = unique("cust");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            ids.add(ticket(customer, "LOW", "2026-05-04T10:0" + i + ":00Z"));
        }
        String solved = ids.iterator().next();
        events(solved, "SOLVED@2026-05-04T12:00:00Z");

        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            String uri = "/api/v1/tickets?customerId=" + customer + "&limit=2" + (cursor == null ? "" : "&cursor=" + cursor);
            Map<?, ?> page = web.get().uri(uri).exchange().expectStatus().isOk()
                    .expectBody(Map.class).returnResult().getResponseBody();
            List<?> items = (List<?>) page.get("items");
            assertThat(items.size()).isLessThanOrEqualTo(2);
            items.forEach(item -> assertThat(seen.add((String) ((Map<?, ?>) item).get("id"))).isTrue());
            cursor = (String) page.get("nextCursor");
            pages++;
        } while (cursor != null);
        assertThat(seen).isEqualTo(ids);
        assertThat(pages).isEqualTo(3);

        web.get().uri("/api/v1/tickets?customerId={c}&status=SOLVED", customer).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].id").isEqualTo(solved)
                .jsonPath("$.nextCursor").isEmpty();
        web.get().uri("/api/v1/tickets?customerId={c}&status=NEW&limit=1000", customer).exchange()
                .expectBody().jsonPath("$.items.length()").isEqualTo(4);
    }

    @Test
    void aPolicyChangeAppliesToTicketsOpenedAfterIt() {
        policy("NORMAL", 60, 240, null);
        String before = ticket(unique("cust"), "NORMAL", "2026-05-04T10:00:00Z");
        policy("NORMAL", 10, 240, null);
        String after = ticket(unique("cust"), "NORMAL", "2026-05-04T10:00:00Z");
        web.get().uri("/api/v1/tickets/{id}", before).exchange().expectBody()
                .jsonPath("$.sla.firstResponseDueAt").isEqualTo("2026-05-04T11:00:00Z");
        web.get().uri("/api/v1/tickets/{id}", after).exchange().expectBody()
                .jsonPath("$.sla.firstResponseDueAt").isEqualTo("2026-05-04T10:10:00Z");
    }
}
