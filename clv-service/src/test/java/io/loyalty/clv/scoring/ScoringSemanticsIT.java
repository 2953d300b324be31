package io.loyalty.clv.scoring;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.loyalty.clv.ClvApi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import static io.loyalty.clv.ClvApi.purchase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Summary semantics on hand-made customers (UTC day grouping, calibrationEnd inclusive, DAY and WEEK),
 * churn, referral value and the scoring API's errors. The CDNOW sample is loaded too so the fits have
 * a population; the hand-made customers live in 2021 with ids of their own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.grpc.server.port=0")
@AutoConfigureWebTestClient
class ScoringSemanticsIT {

    @Autowired
    Environment environment;
    @Autowired
    WebTestClient web;
    @Autowired
    io.loyalty.clv.campaign.CampaignRankings rankings;
    JdbcTemplate jdbc;
    ClvApi api;
    String id;

    @BeforeEach
    void setUp() {
        jdbc = new JdbcTemplate(new SingleConnectionDataSource(environment.getProperty("spring.flyway.url"),
                environment.getProperty("spring.flyway.user"), environment.getProperty("spring.flyway.password"), true));
        api = new ClvApi(web);
        api.loadCdnow();
        id = UUID.randomUUID().toString();
    }

    private String c(String name) {
        return id + "-" + name;
    }

    private JsonNode value(String customer, long run) {
        return api.get("/api/v1/customers/" + customer + "/value?run=" + run, 200);
    }

    @Test
    void summaryChurnAndReferralValue() throws Exception {
        api.purchases(List.of(
                purchase(c("h1"), c("H"), "2021-01-01T10:00:00Z", 10),
                purchase(c("h2"), c("H"), "2021-01-01T15:00:00Z", 5),
                purchase(c("h3"), c("H"), "2021-01-08T12:00:00Z", 20),
                purchase(c("h4"), c("H"), "2021-01-08T23:30:00-02:00", 6), // 2021-01-09 in UTC
                purchase(c("h5"), c("H"), "2021-01-15T09:00:00Z", 30),
                purchase(c("h6"), c("H"), "2021-01-15T23:59:59Z", 10),      // calibrationEnd is inclusive
                purchase(c("h7"), c("H"), "2021-01-16T00:00:00Z", 100),     // after it
                purchase(c("s1"), c("S"), "2021-01-10T08:00:00Z", 50),
                purchase(c("k1"), c("K"), "2021-01-01T08:00:00Z", 20),
                purchase(c("k2"), c("K"), "2021-01-05T08:00:00Z", 20),
                purchase(c("k21"), c("K2"), "2021-01-01T08:00:00Z", 20),
                purchase(c("k22"), c("K2"), "2021-01-05T08:00:00Z", 20),
                purchase(c("k31"), c("K3"), "2021-01-01T08:00:00Z", 20),
                purchase(c("k32"), c("K3"), "2021-01-05T08:00:00Z", 20),
                purchase(c("r1"), c("R"), "2021-01-01T08:00:00Z", 20),
                purchase(c("r2"), c("R"), "2021-01-03T08:00:00Z", 20),
                purchase(c("a1"), c("A"), "2021-01-02T08:00:00Z", 30),
                purchase(c("a2"), c("A"), "2021-01-09T08:00:00Z", 30),
                purchase(c("b1"), c("B"), "2021-01-04T08:00:00Z", 40),
                purchase(c("b2"), c("B"), "2021-01-12T08:00:00Z", 40),
                // ids that COPY text escapes (a backslash) or that are not ASCII: K's and B's purchases again
                purchase(c("x1"), c("K\\4-ü"), "2021-01-01T08:00:00Z", 20),
                purchase(c("x2"), c("K\\4-ü"), "2021-01-05T08:00:00Z", 20),
                purchase(c("x3"), c("B\\2-客"), "2021-01-04T08:00:00Z", 40),
                purchase(c("x4"), c("B\\2-客"), "2021-01-12T08:00:00Z", 40)));
        api.post("/api/v1/churn-events/batch", Map.of("events", List.of(
                Map.of("eventId", c("e1"), "customerId", c("K"), "occurredAt", "2021-01-10T00:00:00Z", "reason", "closed"),
                Map.of("eventId", c("e2"), "customerId", c("K2"), "occurredAt", "2021-01-03T00:00:00Z"),
                Map.of("eventId", c("e3"), "customerId", c("K3"), "occurredAt", "2021-01-20T00:00:00Z"),
                Map.of("eventId", c("e4"), "customerId", c("K\\4-ü"), "occurredAt", "2021-01-10T00:00:00Z"))), 200);
        api.post("/api/v1/referrals/batch", Map.of("referrals", List.of(
                Map.of("referralId", c("f1"), "referrerId", c("R"), "referredId", c("A"), "occurredAt", "2021-01-02T00:00:00Z"),
                Map.of("referralId", c("f2"), "referrerId", c("R"), "referredId", c("A"), "occurredAt", "2021-01-02T01:00:00Z"),
                Map.of("referralId", c("f3"), "referrerId", c("R"), "referredId", c("B"), "occurredAt", "2021-01-04T00:00:00Z"),
                Map.of("referralId", c("f4"), "referrerId", c("R"), "referredId", c("S"), "occurredAt", "2021-01-20T00:00:00Z"))), 200);

        long dayRun = api.score(Map.of("calibrationEnd", "2021-01-15", "timeUnit", "DAY")).get("id").longValue();
        JsonNode h = value(c("H"), dayRun);
        assertThat(h.get("frequency").intValue()).isEqualTo(3);       // days 01-08, 01-09, 01-15
        assertThat(h.get("recency").doubleValue()).isEqualTo(14.0);
        assertThat(h.get("T").doubleValue()).isEqualTo(14.0);
        assertThat(h.get("monetaryValue").doubleValue()).isCloseTo((20 + 6 + 40) / 3.0, within(1e-9));
        JsonNode s = value(c("S"), dayRun);
        assertThat(s.get("frequency").intValue()).isZero();
        assertThat(s.get("recency").doubleValue()).isZero();
        assertThat(s.get("T").doubleValue()).isEqualTo(5.0);
        assertThat(s.get("monetaryValue").doubleValue()).isZero();
        assertThat(s.get("expectedAverageValue").doubleValue()).isPositive();

        JsonNode churned = value(c("K"), dayRun);
        assertThat(churned.get("probabilityAlive").doubleValue()).isZero();
        assertThat(churned.get("expectedPurchases").doubleValue()).isZero();
        assertThat(churned.get("clv").doubleValue()).isZero();
        assertThat(churned.get("churned").booleanValue()).isTrue();
        JsonNode boughtAgain = value(c("K2"), dayRun);
        JsonNode churnsLater = value(c("K3"), dayRun);
        for (JsonNode alive : List.of(boughtAgain, churnsLater)) {
            assertThat(alive.get("churned").booleanValue()).isFalse();
            assertThat(alive.get("probabilityAlive").doubleValue()).isPositive();
            assertThat(alive.get("clv").doubleValue()).isPositive();
        }
        // K2 and K3 have identical purchases, so identical values
        assertThat(boughtAgain.get("clv").doubleValue()).isEqualTo(churnsLater.get("clv").doubleValue());

        String stored = "SELECT customer_id, frequency, recency, t, monetary_value, clv, churned_at FROM scoring_run_customers"
                + " WHERE run_id = ? AND customer_id = ?";
        Map<String, Object> escapedChurned = jdbc.queryForMap(stored, dayRun, c("K\\4-ü"));
        Map<String, Object> original = jdbc.queryForMap(stored, dayRun, c("K"));
        assertThat(escapedChurned.get("churned_at")).isNotNull().isEqualTo(original.get("churned_at"));
        assertThat(escapedChurned.get("clv")).isEqualTo(0.0);
        Map<String, Object> escaped = jdbc.queryForMap(stored, dayRun, c("B\\2-客"));
        original = jdbc.queryForMap(stored, dayRun, c("B"));
        escaped.remove("customer_id");
        original.remove("customer_id");
        assertThat(escaped).isEqualTo(original);

        double referred = value(c("A"), dayRun).get("clv").doubleValue() + value(c("B"), dayRun).get("clv").doubleValue();
        assertThat(value(c("R"), dayRun).get("referralValue").doubleValue()).isCloseTo(referred, within(1e-9));
        assertThat(value(c("A"), dayRun).get("referralValue").doubleValue()).isZero();

        // the run's rankings, fed by its scoring pass, are the ones a rerank from its stored values builds
        String ranked = """
                SELECT customer_id, frequency, clv, probability_alive, expected_purchases, referral_value,
                       previous_probability_alive, nps_score, nps_category, nps_at, open_tickets, tickets_last_90_days,
                       sla_breaches_last_90_days, reopens_last_90_days, upsell_score, retention_score, upsell_rank,
                       retention_rank
                FROM campaign_run_customer WHERE run_id = ? ORDER BY upsell_rank""";
        List<Map<String, Object>> fed = jdbc.queryForList(ranked, dayRun);
        assertThat(fed).hasSize(jdbc.queryForObject("SELECT count(*) FROM scoring_run_customers WHERE run_id = ?",
                Integer.class, dayRun));
        Map<String, Object> referrer = fed.stream().filter(row -> row.get("customer_id").equals(c("R"))).findFirst()
                .orElseThrow();
        assertThat((double) referrer.get("referral_value")).isEqualTo(value(c("R"), dayRun).get("referralValue").doubleValue());
        assertThat((double) referrer.get("upsell_score")).isPositive();
        assertThat(rankings.rank(dayRun)).isEqualTo(fed.size());
        assertThat(jdbc.queryForList(ranked, dayRun)).isEqualTo(fed);

        long weekRun = api.score(Map.of("calibrationEnd", "2021-01-15", "timeUnit", "WEEK")).get("id").longValue();
        JsonNode hw = value(c("H"), weekRun);
        assertThat(hw.get("recency").doubleValue()).isEqualTo(2.0);
        assertThat(hw.get("T").doubleValue()).isEqualTo(2.0);
        assertThat(value(c("S"), weekRun).get("T").doubleValue()).isCloseTo(5 / 7.0, within(1e-12));

        // the first run stays pinned; without ?run= the latest succeeded run answers
        assertThat(value(c("H"), dayRun).get("recency").doubleValue()).isEqualTo(14.0);
        JsonNode latest = api.get("/api/v1/customers/" + c("H") + "/value", 200);
        assertThat(latest.get("runId").longValue()).isGreaterThanOrEqualTo(weekRun);
        // purchases after the calibration end make no customer in that run
        api.purchases(List.of(purchase(c("n1"), c("N"), "2021-02-01T00:00:00Z", 5)));
        api.get("/api/v1/customers/" + c("N") + "/value?run=" + weekRun, 404);
    }

    /**
     * Once purchases are analysed the summary is split into customer-id ranges summarised on separate
     * connections; every customer's summary and values must be what the single statement gave.
     */
    @Test
    void aSummaryOverSeveralRangesEqualsTheSingleOne() {
        String single = "scoring_summary_single_" + id.replace("-", "");
        Map<String, Object> request = Map.of("calibrationEnd", "1997-09-30", "holdoutEnd", "1998-06-30", "timeUnit", "WEEK");
        // no statistics, and no autovacuum to gather them meanwhile: one range
        jdbc.execute("ALTER TABLE purchases SET (autovacuum_enabled = false)");
        long oneRange;
        try {
            jdbc.execute("DELETE FROM pg_statistic WHERE starelid = 'purchases'::regclass");
            oneRange = api.score(request).get("id").longValue();
        } finally {
            jdbc.execute("ALTER TABLE purchases RESET (autovacuum_enabled)");
        }
        jdbc.execute("ANALYZE purchases");
        Integer bounds = jdbc.queryForObject("SELECT array_length(histogram_bounds::text::text[], 1) FROM pg_stats "
                + "WHERE tablename = 'purchases' AND attname = 'customer_id'", Integer.class);
        assertThat(bounds).as("histogram to split on").isGreaterThan(2);
        long ranges = api.score(request).get("id").longValue();
        // the summary is exact; the values depend on a fit whose sums may add the rows in another order
        Long differing = jdbc.queryForObject("""
                SELECT count(*) FROM scoring_run_customers a FULL JOIN scoring_run_customers b
                    ON b.run_id = ? AND b.customer_id = a.customer_id
                WHERE a.run_id = ? AND (b.customer_id IS NULL
                   OR (a.frequency, a.recency, a.t, a.monetary_value, a.churned_at, a.holdout_actual)
                      IS DISTINCT FROM (b.frequency, b.recency, b.t, b.monetary_value, b.churned_at, b.holdout_actual)
                   OR abs(a.clv - b.clv) > 1e-9 * (1 + abs(a.clv))
                   OR abs(a.probability_alive - b.probability_alive) > 1e-9
                   OR abs(a.expected_purchases - b.expected_purchases) > 1e-9 * (1 + a.expected_purchases))""",
                Long.class, ranges, oneRange);
        assertThat(differing).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM scoring_run_customers WHERE run_id = ?", Long.class, oneRange))
                .isEqualTo(jdbc.queryForObject("SELECT count(*) FROM scoring_run_customers WHERE run_id = ?", Long.class, ranges));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM scoring_run_customers WHERE run_id = ?", Long.class, ranges))
                .isGreaterThanOrEqualTo(2357);
    }

    @Test
    void badScoringRequestsAreProblems() {
        for (Map<String, Object> bad : List.of(
                Map.<String, Object>of("timeUnit", "MONTH"),
                Map.<String, Object>of("horizonMonths", 0),
                Map.<String, Object>of("horizonMonths", 12.5),
                Map.<String, Object>of("monthlyDiscountRate", -0.1),
                Map.<String, Object>of("calibrationEnd", "2021-13-01"),
                Map.<String, Object>of("calibrationEnd", "2999-01-01"),
                Map.<String, Object>of("calibrationEnd", "2021-01-15", "holdoutEnd", "2021-01-15"))) {
            JsonNode problem = api.post("/api/v1/scoring-runs", bad, 400);
            assertThat(problem.get("errors").get(0).get("field").stringValue()).isIn(bad.keySet().toArray());
        }
        web.post().uri("/api/v1/scoring-runs").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"timeUnit\":")
                .exchange().expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        api.get("/api/v1/scoring-runs/abc", 400);
        api.get("/api/v1/scoring-runs/99999999", 404);
        api.get("/api/v1/customers/x/value?run=abc", 400);
        api.get("/api/v1/customers/x/value?run=99999999", 404);
    }

    @Test
    void aRunWithoutDataFailsAndSaysWhy() throws InterruptedException {
        long runId = api.post("/api/v1/scoring-runs", Map.of("calibrationEnd", "1970-01-02"), 202).get("id").longValue();
        JsonNode run = null;
        for (int i = 0; i < 600; i++) {
            run = api.get("/api/v1/scoring-runs/" + runId, 200);
            if (!run.get("status").stringValue().equals("RUNNING")) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(run.get("status").stringValue()).isEqualTo("FAILED");
        assertThat(run.get("error").stringValue()).contains("no purchases");
        api.get("/api/v1/customers/x/value?run=" + runId, 409);
    }
}
