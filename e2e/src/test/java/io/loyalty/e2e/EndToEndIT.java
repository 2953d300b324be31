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
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One customer journey through every service, only through the gateway: surveys, tickets with an SLA
 * breach, purchases and referrals, a scoring run, both rankings with their reasons, and the CSV export.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {

    static Platform platform;
    static Api api;
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    static String runId;
    /** Customers the run scored: this class's 403 plus whatever other suites on the same platform stored. */
    static long runCustomers;

    @BeforeAll
    static void start() {
        platform = Platform.shared();
        api = platform.api;
    }

    @Test
    @Order(1)
    void gatewayHealthShowsEveryServiceUp() {
        Response health = api.withKey(null).get("/actuator/health");
        assertThat(health.status()).as(health.toString()).isEqualTo(200);
        JsonNode downstream = health.json().get("components").get("downstream").get("components");
        for (String service : List.of("survey", "ticket", "clv")) {
            assertThat(downstream.get(service).get("status").asString()).isEqualTo("UP");
        }
    }

    @Test
    @Order(2)
    void surveyResultsMatchAHandComputedNps() {
        Response survey = api.post("/api/v1/surveys", Map.of("name", "e2e NPS", "kind", "NPS",
                "question", "How likely are you to recommend us?"));
        assertThat(survey.status()).as(survey.toString()).isEqualTo(201);
        String id = survey.json().get("id").asString();
        // 3 promoters, 1 passive, 2 detractors: NPS = (3 - 2) / 6 = 16.67
        int[] scores = {10, 9, 9, 7, 3, 0};
        List<Map<String, Object>> responses = new ArrayList<>();
        for (int i = 0; i < scores.length; i++) {
            responses.add(Map.of("responseId", "e2e-nps-" + i, "customerId", i == 4 ? "E2E-DETRACTOR" : "E2E-N" + i,
                    "score", scores[i], "respondedAt", NOW.minus(Duration.ofDays(3)).toString()));
        }
        Response batch = api.post("/api/v1/surveys/" + id + "/responses/batch", Map.of("responses", responses));
        assertThat(batch.status()).as(batch.toString()).isEqualTo(200);
        assertThat(batch.json().get("accepted").asInt()).isEqualTo(6);
        Response replay = api.post("/api/v1/surveys/" + id + "/responses/batch", Map.of("responses", responses));
        assertThat(replay.json().get("duplicates").asInt()).isEqualTo(6);

        JsonNode results = api.get("/api/v1/surveys/" + id + "/results").json();
        assertThat(results.get("responses").asInt()).isEqualTo(6);
        JsonNode nps = results.get("nps");
        assertThat(nps.get("promoters").asInt()).isEqualTo(3);
        assertThat(nps.get("detractors").asInt()).isEqualTo(2);
        assertThat(nps.get("score").asDouble()).isCloseTo(100.0 / 6, org.assertj.core.data.Offset.offset(0.01));

        JsonNode satisfaction = api.get("/api/v1/customers/E2E-DETRACTOR/satisfaction").json();
        assertThat(satisfaction.get("nps").get("category").asString()).isEqualTo("DETRACTOR");
    }

    @Test
    @Order(3)
    void aLateFirstReplyBreachesTheSla() {
        Response policy = api.put("/api/v1/sla-policies/HIGH", Map.of("firstResponseMinutes", 60, "resolutionMinutes", 480));
        assertThat(policy.status()).as(policy.toString()).isEqualTo(200);
        for (int t = 0; t < 2; t++) {
            Instant opened = NOW.minus(Duration.ofDays(10 + t));
            Response ticket = api.post("/api/v1/tickets", Map.of("externalId", "e2e-breach-" + t,
                    "customerId", "E2E-BREACHED", "subject", "Parcel lost", "priority", "HIGH", "channel", "EMAIL",
                    "openedAt", opened.toString()));
            assertThat(ticket.status()).as(ticket.toString()).isIn(200, 201);
            String id = ticket.json().get("id").asString();
            Response reply = api.post("/api/v1/tickets/" + id + "/events", Map.of("eventId", "e2e-breach-" + t + "-1",
                    "type", "AGENT_REPLY", "at", opened.plus(Duration.ofHours(3)).toString()));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            Response solved = api.post("/api/v1/tickets/" + id + "/events", Map.of("eventId", "e2e-breach-" + t + "-2",
                    "type", "SOLVED", "at", opened.plus(Duration.ofHours(5)).toString()));
            JsonNode body = solved.json();
            assertThat(body.get("firstResponseSeconds").asLong()).isEqualTo(3 * 3600);
            assertThat(body.get("sla").get("firstResponseBreached").asBoolean()).isTrue();
            assertThat(body.get("sla").get("resolutionBreached").asBoolean()).isFalse();
        }
        JsonNode stats = api.get("/api/v1/customers/E2E-BREACHED/service-stats").json();
        assertThat(stats.get("slaBreachesLast90Days").asInt()).isEqualTo(2);
        assertThat(stats.get("openTickets").asInt()).isZero();
    }

    @Test
    @Order(4)
    void purchasesAndReferralsFeedAScoringRun() throws InterruptedException {
        Random random = new Random(42);
        List<Map<String, Object>> purchases = new ArrayList<>();
        LocalDate start = LocalDate.now(ZoneOffset.UTC).minusDays(540);
        List<String> customers = new ArrayList<>();
        for (int c = 0; c < 400; c++) {
            customers.add("E2E-C" + c);
        }
        customers.addAll(List.of("E2E-DETRACTOR", "E2E-BREACHED", "E2E-N0"));
        for (String customer : customers) {
            LocalDate day = start.plusDays(random.nextInt(200));
            int n = 1 + random.nextInt(8);
            for (int i = 0; i < n && day.isBefore(LocalDate.now(ZoneOffset.UTC).minusDays(1)); i++) {
                purchases.add(Map.of("orderId", customer + "-o" + i, "customerId", customer,
                        "occurredAt", day.atTime(12, 0).toInstant(ZoneOffset.UTC).toString(),
                        "amount", java.math.BigDecimal.valueOf(1000 + random.nextInt(9000), 2), "currency", "USD"));
                day = day.plusDays(1 + random.nextInt(60));
            }
        }
        Response batch = api.post("/api/v1/purchases/batch", Map.of("purchases", purchases));
        assertThat(batch.status()).as(batch.toString()).isEqualTo(200);
        assertThat(batch.json().get("accepted").asInt()).isEqualTo(purchases.size());

        Response referral = api.post("/api/v1/referrals/batch", Map.of("referrals", List.of(Map.of(
                "referralId", "e2e-ref-1", "referrerId", "E2E-N0", "referredId", "E2E-C1",
                "occurredAt", start.atStartOfDay(ZoneOffset.UTC).toInstant().toString()))));
        assertThat(referral.status()).as(referral.toString()).isEqualTo(200);

        Response run = api.post("/api/v1/scoring-runs", Map.of("horizonMonths", 12, "monthlyDiscountRate", 0.01,
                "timeUnit", "WEEK"));
        assertThat(run.status()).as(run.toString()).isEqualTo(202);
        runId = run.json().get("id").asString();
        JsonNode finished = awaitRun(runId, Duration.ofMinutes(3));
        assertThat(finished.get("status").asString()).as(finished.toString()).isEqualTo("SUCCEEDED");
        assertThat(finished.get("signals").get("complete").asBoolean()).isTrue();
        assertThat(finished.get("model").get("bgnbd").get("r").asDouble()).isPositive();
        runCustomers = finished.get("customers").asLong();
        assertThat(runCustomers).isGreaterThanOrEqualTo(customers.size());

        JsonNode value = api.get("/api/v1/customers/E2E-N0/value?run=" + runId).json();
        assertThat(value.get("probabilityAlive").asDouble()).isBetween(0.0, 1.0);
        assertThat(value.get("clv").asDouble()).isGreaterThanOrEqualTo(0.0);
        assertThat(value.get("referralValue").asDouble()).isPositive();
    }

    @Test
    @Order(5)
    void rankingsCarryTheSeededSignalsAsReasons() {
        JsonNode retention = findRanked("retention", "E2E-DETRACTOR");
        assertThat(reasons(retention)).anyMatch(r -> r.toLowerCase().contains("detractor"));
        JsonNode breached = findRanked("retention", "E2E-BREACHED");
        assertThat(reasons(breached)).anyMatch(r -> r.contains("SLA"));

        Response page = api.get("/api/v1/campaigns/upsell/customers?limit=5&run=" + runId);
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        JsonNode items = page.json().get("items");
        assertThat(items.size()).isEqualTo(5);
        for (int i = 1; i < items.size(); i++) {
            assertThat(items.get(i).get("rank").asInt()).isEqualTo(items.get(i - 1).get("rank").asInt() + 1);
            assertThat(items.get(i).get("score").asDouble()).isLessThanOrEqualTo(items.get(i - 1).get("score").asDouble());
        }
    }

    @Test
    @Order(6)
    void theWholeRankedListExportsAsCsv() {
        Response csv = api.get("/api/v1/campaigns/upsell/customers?run=" + runId, Map.of("Accept", "text/csv"));
        assertThat(csv.status()).as(csv.toString()).isEqualTo(200);
        assertThat(csv.contentType()).startsWith("text/csv");
        String[] lines = csv.body().split("\r\n");
        assertThat(lines[0]).contains("rank").contains("customerId").contains("clv");
        assertThat((long) lines.length - 1).isEqualTo(runCustomers);
        assertThat(csv.body()).contains("E2E-DETRACTOR", "E2E-BREACHED", "E2E-N0");
    }

    static JsonNode findRanked(String kind, String customerId) {
        String cursor = null;
        do {
            Response page = api.get("/api/v1/campaigns/" + kind + "/customers?limit=1000&run=" + runId
                    + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).as(page.toString()).isEqualTo(200);
            for (JsonNode item : page.json().get("items")) {
                if (item.get("customerId").asString().equals(customerId)) {
                    return item;
                }
            }
            JsonNode next = page.json().get("nextCursor");
            cursor = next == null || next.isNull() ? null : next.asString();
        } while (cursor != null);
        throw new AssertionError(customerId + " is not in the " + kind + " ranking");
    }

    static List<String> reasons(JsonNode item) {
        return StreamSupport.stream(item.get("reasons").spliterator(), false).map(JsonNode::asString).toList();
    }

    static JsonNode awaitRun(String id, Duration timeout) throws InterruptedException {
        return awaitRunWith(api, id, timeout);
    }

    static JsonNode awaitRunWith(Api api, String id, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        JsonNode run;
        do {
            run = api.get("/api/v1/scoring-runs/" + id).json();
            if (!List.of("RUNNING", "PENDING").contains(run.get("status").asString())) {
                return run;
            }
            Thread.sleep(500);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("run " + id + " still " + run.get("status") + " after " + timeout + ": " + run);
    }
}
