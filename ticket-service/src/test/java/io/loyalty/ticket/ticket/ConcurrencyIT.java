package io.loyalty.ticket.ticket;

import io.loyalty.ticket.AbstractIT;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;

/** Replays and overlapping batches arriving at the same moment: row locks serialise them, nothing doubles. */
class ConcurrencyIT extends AbstractIT {

    /** Runs a blocking WebTestClient call on its own thread, so flatMap really overlaps the requests. */
    static <T> Mono<T> parallel(Callable<T> call) {
        return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic());
    }

    @Test
    void theSameEventSentTwentyTimesAtOnceIsAppliedOnce() {
        policy("LOW", 30, 60, null);
        String id = ticket(unique("cust"), "LOW", "2026-05-04T10:00:00Z");
        event(id, "r1", "AGENT_REPLY", "2026-05-04T10:10:00Z").expectStatus().isOk();
        event(id, "s1", "SOLVED", "2026-05-04T10:20:00Z").expectStatus().isOk();
        List<Integer> statuses = Flux.range(0, 20)
                .flatMap(i -> parallel(() -> web.post().uri("/api/v1/tickets/{id}/events", id)
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("eventId", "reopen-1", "type", "REOPENED", "at", "2026-05-05T09:00:00Z"))
                        .exchange().returnResult(String.class).getStatus().value()), 20)
                .collectList().block();
        assertThat(statuses).hasSize(20).containsOnly(200);
        web.get().uri("/api/v1/tickets/{id}", id).exchange().expectBody()
                .jsonPath("$.reopens").isEqualTo(1).jsonPath("$.status").isEqualTo("OPEN");
    }

    @Test
    void overlappingBatchesOnTheSameTicketsNeitherDeadlockNorDoubleCount() {
        policy("LOW", 30, 60, null);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(ticket(unique("cust"), "LOW", "2026-05-04T10:00:00Z"));
        }
        // the same replies in opposite ticket orders, eight times at once
        List<Map<String, Object>> forward = new ArrayList<>();
        for (String id : ids) {
            forward.add(Map.of("ticketId", id, "eventId", "reply", "type", "AGENT_REPLY", "at", "2026-05-04T10:05:00Z"));
        }
        List<Map<String, Object>> backward = new ArrayList<>(forward);
        java.util.Collections.reverse(backward);
        List<Map<String, Object>> results = Flux.range(0, 8)
                .flatMap(i -> parallel(() -> web.post().uri("/api/v1/ticket-events/batch")
                        .contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(Map.of("events", i % 2 == 0 ? forward : backward)).exchange()
                        .expectStatus().isOk().expectBody(new ParameterizedTypeReference<Map<String, Object>>() { })
                        .returnResult().getResponseBody()), 8)
                .collectList().block();
        int accepted = results.stream().mapToInt(r -> ((Number) r.get("accepted")).intValue()).sum();
        int duplicates = results.stream().mapToInt(r -> ((Number) r.get("duplicates")).intValue()).sum();
        assertThat(accepted).isEqualTo(6);
        assertThat(duplicates).isEqualTo(6 * 8 - 6);
        for (String id : ids) {
            web.get().uri("/api/v1/tickets/{id}", id).exchange().expectBody()
                    .jsonPath("$.status").isEqualTo("OPEN").jsonPath("$.firstResponseSeconds").isEqualTo(300);
        }
    }

    @Test
    void theSameTicketCreatedTenTimesAtOnceExistsOnce() {
        String externalId = unique("ext");
        String customer = unique("cust");
        Map<String, Object> body = Map.of("externalId", externalId, "customerId", customer, "subject", "Refund",
                "priority", "LOW", "channel", "WEB", "openedAt", "2026-05-04T10:00:00Z");
        List<Integer> statuses = Flux.range(0, 10)
                .flatMap(i -> parallel(() -> post("/api/v1/tickets", body).returnResult(String.class).getStatus().value()), 10)
                .collectList().block();
        assertThat(statuses).containsOnly(200, 201);
        assertThat(statuses.stream().filter(s -> s == 201).count()).isEqualTo(1);
        web.get().uri("/api/v1/tickets?customerId={c}", customer).exchange().expectBody()
                .jsonPath("$.items.length()").isEqualTo(1);
    }
}
