package io.loyalty.gateway;

import io.loyalty.gateway.support.Backend;
import io.loyalty.gateway.support.GatewayIT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

import java.time.Duration;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The survey route (1 s response timeout, breaker: 4 calls, 50 %, 2 s open) against a real server
 * that hangs, stops and comes back.
 */
class ResilienceIT extends GatewayIT {

    private static final String PATH = "/api/v1/surveys/s-1";

    @AfterEach
    void restore() {
        SURVEY.mode(Backend.Mode.ANSWER);
        SURVEY.start();
        awaitRecovery();
    }

    @Test
    void hangingServiceAnswers503WithinTheTimeoutForGetAndPost() {
        SURVEY.mode(Backend.Mode.HANG);
        long start = System.nanoTime();
        get(PATH, ADMIN_KEY).exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(503)
                .jsonPath("$.detail").isEqualTo("The survey service did not answer in time")
                .jsonPath("$.instance").isEqualTo(PATH);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(took).isGreaterThanOrEqualTo(SURVEY_TIMEOUT).isLessThan(SURVEY_TIMEOUT.plusMillis(1500));

        start = System.nanoTime();
        web.post().uri("/api/v1/surveys/s-1/responses").header("Authorization", "Bearer " + ADMIN_KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"responseId\":\"r-1\",\"score\":9}")
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(503);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(SURVEY_TIMEOUT.plusMillis(1500));

        SURVEY.mode(Backend.Mode.ANSWER);
        awaitRecovery();
    }

    @Test
    void stoppedServiceAnswers503AtOnceAndRecoversWhenItIsBack() {
        SURVEY.stop();
        for (Supplier<EntityExchangeResult<byte[]>> call : java.util.List.<Supplier<EntityExchangeResult<byte[]>>>of(
                () -> get(PATH, ADMIN_KEY).exchange().expectBody().returnResult(),
                () -> web.post().uri("/api/v1/surveys").header("Authorization", "Bearer " + ADMIN_KEY)
                        .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\":\"n\"}")
                        .exchange().expectBody().returnResult(),
                () -> web.delete().uri(PATH).header("Authorization", "Bearer " + ADMIN_KEY)
                        .exchange().expectBody().returnResult())) {
            long start = System.nanoTime();
            EntityExchangeResult<byte[]> result = call.get();
            assertThat(result.getStatus().value()).isEqualTo(503);
            assertThat(result.getResponseHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
            assertThat(new String(result.getResponseBody())).contains("\"status\":503");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(SURVEY_TIMEOUT);
        }
        // the public docs route has no breaker; it is still a problem, not a 500
        web.get().uri("/api-docs/survey").exchange().expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        // enough failures open the breaker: requests are no longer even sent
        for (int i = 0; i < 4; i++) {
            get(PATH, ADMIN_KEY).exchange().expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        }
        SURVEY.clear();
        SURVEY.start();
        get(PATH, ADMIN_KEY).exchange().expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().valueEquals("Retry-After", Long.toString(BREAKER_WAIT.toSeconds()))
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("circuit breaker is open"));
        assertThat(SURVEY.received()).isEmpty();

        // after the open period a trial call goes through and closes the breaker again, with nobody's help
        awaitRecovery();
        get(PATH, ADMIN_KEY).exchange().expectStatus().isOk().expectBody().jsonPath("$.service").isEqualTo("survey");
    }

    @Test
    void oversizeBodiesAre413() {
        byte[] big = new byte[70 * 1024];
        java.util.Arrays.fill(big, (byte) 'a');
        web.post().uri("/api/v1/tickets").header("Authorization", "Bearer " + ADMIN_KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(big).exchange()
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(413);
        // the admin API is covered too
        web.post().uri("/api/v1/admin/clients").header("Authorization", "Bearer " + ADMIN_KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(big).exchange()
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE);
        // a chunked body (no Content-Length) is cut off while streaming
        web.post().uri("/api/v1/tickets").header("Authorization", "Bearer " + ADMIN_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .body(reactor.core.publisher.Flux.range(0, 70).map(i -> new org.springframework.core.io.buffer
                        .DefaultDataBufferFactory().wrap(new byte[1024])), org.springframework.core.io.buffer.DataBuffer.class)
                .exchange()
                .expectStatus().isEqualTo(HttpStatus.CONTENT_TOO_LARGE)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        // within the limit it passes
        web.post().uri("/api/v1/tickets").header("Authorization", "Bearer " + ADMIN_KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(new byte[60 * 1024]).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.bodyBytes").isEqualTo(60 * 1024);
    }

    @Test
    void requestIdAndTraceContextReachTheService() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        get("/api/v1/tickets/traced", ADMIN_KEY)
                .header("X-Request-Id", "req-123")
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .exchange().expectStatus().isOk()
                .expectHeader().valueEquals("X-Request-Id", "req-123")
                .expectBody()
                .jsonPath("$.requestId").isEqualTo("req-123")
                .jsonPath("$.traceparent").value(tp -> assertThat((String) tp)
                        .matches("00-" + traceId + "-[0-9a-f]{16}-01").doesNotContain("00f067aa0ba902b7"));

        var generated = get("/api/v1/tickets/traced", ADMIN_KEY).header("X-Request-Id", "bad id with spaces")
                .exchange().expectStatus().isOk().expectBody(java.util.Map.class).returnResult();
        String requestId = generated.getResponseHeaders().getFirst("X-Request-Id");
        assertThat(requestId).matches("[0-9a-f-]{36}");
        assertThat(generated.getResponseBody().get("requestId")).isEqualTo(requestId);
        assertThat((String) generated.getResponseBody().get("traceparent")).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");

        // errors the gateway answers itself carry the id too
        web.get().uri("/api/v1/tickets/traced").header("X-Request-Id", "req-401").exchange()
                .expectStatus().isUnauthorized().expectHeader().valueEquals("X-Request-Id", "req-401");
    }

    @Test
    void onlyIdempotentRequestsAreRetriedAndServiceStatusesPassThrough() {
        TICKET.status("/api/v1/tickets/busy", 503);
        TICKET.status("/api/v1/tickets/broken", 500);
        get("/api/v1/tickets/busy", ADMIN_KEY).exchange().expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectBody().jsonPath("$.service").isEqualTo("ticket");
        assertThat(TICKET.received()).filteredOn(r -> r.path().equals("/api/v1/tickets/busy")).hasSize(2);

        web.post().uri("/api/v1/tickets/busy").header("Authorization", "Bearer " + ADMIN_KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(TICKET.received()).filteredOn(r -> r.path().equals("/api/v1/tickets/busy")).hasSize(3);

        get("/api/v1/tickets/broken", ADMIN_KEY).exchange().expectStatus().isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(TICKET.received()).filteredOn(r -> r.path().equals("/api/v1/tickets/broken")).hasSize(1);
    }

    @Test
    void manyConcurrentRequestsOnOneRouteAreNotCutOffByABulkhead() {
        CLV.delay(Duration.ofMillis(300));
        try {
            WebClientHolder holder = new WebClientHolder(port);
            java.util.List<Integer> statuses = reactor.core.publisher.Flux.range(0, 60)
                    .flatMap(i -> holder.client.get().uri("/api/v1/customers/c-{i}/value", i)
                            .header("Authorization", "Bearer " + ADMIN_KEY)
                            .exchangeToMono(r -> r.releaseBody().thenReturn(r.statusCode().value())), 60)
                    .collectList().block(Duration.ofSeconds(30));
            assertThat(statuses).hasSize(60).containsOnly(200);
        } finally {
            CLV.delay(Duration.ZERO);
        }
    }

    private record WebClientHolder(org.springframework.web.reactive.function.client.WebClient client) {
        WebClientHolder(int port) {
            this(org.springframework.web.reactive.function.client.WebClient.builder()
                    .clientConnector(new org.springframework.http.client.reactive.ReactorClientHttpConnector(
                            reactor.netty.http.client.HttpClient.create(
                                    reactor.netty.resources.ConnectionProvider.builder("it").maxConnections(100).build())))
                    .baseUrl("http://127.0.0.1:" + port).build());
        }
    }

    private void awaitRecovery() {
        eventually(BREAKER_WAIT.multipliedBy(5), () -> {
            var result = get(PATH, ADMIN_KEY).exchange().expectBody().returnResult();
            return result.getStatus().value() == 200;
        }, "the survey route answers 200 again");
    }
}
