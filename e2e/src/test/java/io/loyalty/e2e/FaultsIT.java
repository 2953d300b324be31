package io.loyalty.e2e;

import io.loyalty.e2e.Api.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Jepsen-style kill-and-check, scaled to one machine: each scenario breaks part of the running platform
 * while a client keeps writing with stable ids, then checks that no acknowledged write was lost and
 * nothing was duplicated.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultsIT {

    /** Where clv-service keeps purchases; the checks read the database, not the API under test. */
    static final String PURCHASES = "SELECT count(*) FROM purchases WHERE order_id LIKE '%s%%'";

    static Platform platform;
    static Api api;

    @BeforeAll
    static void start() {
        platform = Platform.shared();
        api = platform.api;
    }

    @Test
    @Order(1)
    void replayingOneHundredThousandPurchasesThreeTimesLeavesExactlyOneHundredThousand() throws Exception {
        List<Map<String, Object>> batches = new ArrayList<>();
        for (int b = 0; b < 20; b++) {
            List<Map<String, Object>> purchases = new ArrayList<>(5000);
            for (int i = 0; i < 5000; i++) {
                int n = b * 5000 + i;
                purchases.add(Map.of("orderId", "RP-" + n, "customerId", "RP-C" + (n % 20_000),
                        "occurredAt", Instant.parse("2025-06-01T00:00:00Z").plusSeconds(n * 97L).toString(),
                        "amount", 5 + (n % 400) / 4.0, "currency", "USD"));
            }
            batches.add(Map.of("purchases", purchases));
        }
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger duplicates = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        // three copies of the stream at once: replays race the originals
        List<CompletableFuture<Void>> copies = new ArrayList<>();
        for (int copy = 0; copy < 3; copy++) {
            copies.add(CompletableFuture.runAsync(() -> {
                for (Map<String, Object> batch : batches) {
                    Response response = retrying(() -> api.post("/api/v1/purchases/batch", batch), errors);
                    accepted.addAndGet(response.json().get("accepted").asInt());
                    duplicates.addAndGet(response.json().get("duplicates").asInt());
                }
            }));
        }
        CompletableFuture.allOf(copies.toArray(CompletableFuture[]::new)).join();
        long rows = platform.count("clv_service", PURCHASES.formatted("RP-"));
        System.out.printf("replay: requests tried %d, purchases acknowledged %d (accepted %d, duplicates %d), rows found %d, 5xx seen %d%n",
                60 + errors.get(), accepted.get() + duplicates.get(), accepted.get(), duplicates.get(), rows, errors.get());
        assertThat(rows).isEqualTo(100_000);
        assertThat(accepted.get()).isEqualTo(100_000);
        assertThat(duplicates.get()).isEqualTo(200_000);
        assertThat(errors.get()).isZero();
    }

    @Test
    @Order(2)
    void aKilledClvServiceLosesNoAcknowledgedPurchase() throws Exception {
        int batches = 40;
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        CompletableFuture<Void> client = CompletableFuture.runAsync(() -> {
            for (int b = 0; b < batches; b++) {
                List<Map<String, Object>> purchases = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    int n = b * 1000 + i;
                    purchases.add(Map.of("orderId", "KILL-" + n, "customerId", "KILL-C" + (n % 3000),
                            "occurredAt", Instant.parse("2025-09-01T00:00:00Z").plusSeconds(n * 61L).toString(),
                            "amount", 20, "currency", "USD"));
                }
                Map<String, Object> body = Map.of("purchases", purchases);
                retrying(() -> {
                    sent.incrementAndGet();
                    return api.post("/api/v1/purchases/batch", body);
                }, failures);
                acknowledged.addAndGet(1000);
            }
        });
        while (acknowledged.get() < 8000) {
            Thread.sleep(20);
        }
        platform.kill("clv-service");
        Thread.sleep(1500);
        platform.start("clv-service");
        client.get(5, java.util.concurrent.TimeUnit.MINUTES);
        long rows = platform.count("clv_service", PURCHASES.formatted("KILL-"));
        System.out.printf("kill -9 clv-service: requests tried %d, writes acknowledged %d, rows found %d, failed attempts retried %d%n",
                sent.get(), acknowledged.get(), rows, failures.get());
        assertThat(rows).isEqualTo(batches * 1000L);
    }

    @Test
    @Order(3)
    void aScoringRunCompletesWhileTheSurveyServiceHangs() throws Exception {
        platform.freeze("survey-service");
        try {
            Response run = api.post("/api/v1/scoring-runs", Map.of("horizonMonths", 12, "monthlyDiscountRate", 0.01, "timeUnit", "WEEK"));
            assertThat(run.status()).as(run.toString()).isEqualTo(202);
            JsonNode finished = EndToEndIT.awaitRunWith(api, run.json().get("id").asString(), Duration.ofMinutes(3));
            assertThat(finished.get("status").asString()).as(finished.toString()).isEqualTo("SUCCEEDED");
            assertThat(finished.get("signals").get("complete").asBoolean()).isFalse();
            assertThat(finished.get("signals").get("missing").toString()).contains("survey");
        } finally {
            platform.thaw("survey-service");
        }
    }

    @Test
    @Order(4)
    void aDatabaseRestartUnderLoadIsAnOutageNotAStorm() throws Exception {
        String survey = api.post("/api/v1/surveys", Map.of("name", "restart load", "kind", "CSAT", "question", "q"))
                .json().get("id").asString();
        AtomicBoolean restarting = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger sent = new AtomicInteger();
        AtomicInteger acknowledged = new AtomicInteger();
        AtomicInteger errorsDuringOutage = new AtomicInteger();
        AtomicInteger errorsOutsideOutage = new AtomicInteger();
        List<String> acknowledgedIds = java.util.Collections.synchronizedList(new ArrayList<>());
        Instant[] recoveredAt = new Instant[1];
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            int n = 0;
            while (!done.get()) {
                String id = "PG-" + n;
                Response r = api.post("/api/v1/surveys/" + survey + "/responses",
                        Map.of("responseId", id, "customerId", "PG-C" + n, "score", 1 + n % 5));
                sent.incrementAndGet();
                if (r.status() == 201 || r.status() == 200) {
                    acknowledged.incrementAndGet();
                    acknowledgedIds.add(id);
                    n++;
                } else if (r.status() >= 500) {
                    boolean outage = restarting.get() || recoveredAt[0] == null
                            || Instant.now().isBefore(recoveredAt[0].plusSeconds(10));
                    (outage ? errorsDuringOutage : errorsOutsideOutage).incrementAndGet();
                    sleep(100);
                } else {
                    throw new AssertionError("unexpected answer " + r);
                }
            }
        });
        Thread.sleep(2000);
        restarting.set(true);
        platform.restartDatabase(Duration.ofSeconds(3));
        restarting.set(false);
        // readiness comes back by itself
        Instant deadline = Instant.now().plusSeconds(60);
        while (api.withKey(null).get("/actuator/health").status() != 200) {
            assertThat(Instant.now()).as("platform healthy again").isBefore(deadline);
            Thread.sleep(500);
        }
        recoveredAt[0] = Instant.now();
        int before = acknowledged.get();
        Thread.sleep(4000);
        done.set(true);
        writer.get(1, java.util.concurrent.TimeUnit.MINUTES);
        long rows = platform.count("survey_service", "SELECT count(*) FROM survey_response WHERE response_id LIKE 'PG-%'");
        System.out.printf("postgres restart: requests tried %d, writes acknowledged %d, rows found %d, 5xx during outage %d, 5xx after recovery %d%n",
                sent.get(), acknowledged.get(), rows, errorsDuringOutage.get(), errorsOutsideOutage.get());
        assertThat(acknowledged.get()).as("writes resumed after the restart").isGreaterThan(before);
        assertThat(rows).isEqualTo(acknowledged.get());
        assertThat(errorsOutsideOutage.get()).isZero();
    }

    interface Call {
        Response send();
    }

    /** A client that retries with the same ids until it gets an answer that is not an outage. */
    static Response retrying(Call call, AtomicInteger failures) {
        for (int attempt = 0; attempt < 600; attempt++) {
            Response response;
            try {
                response = call.send();
            } catch (RuntimeException e) { // connection refused while a process restarts
                failures.incrementAndGet();
                sleep(200);
                continue;
            }
            if (response.status() == 200) {
                return response;
            }
            if (response.status() >= 500 || response.status() == 429) {
                failures.incrementAndGet();
                sleep(200);
                continue;
            }
            throw new AssertionError("write rejected: " + response);
        }
        throw new AssertionError("gave up after 600 attempts");
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
