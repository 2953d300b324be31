package io.loyalty.clv.campaign;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.Timestamp;
import io.loyalty.clv.signals.SignalStore;
import io.loyalty.proto.survey.v1.CustomerSatisfaction;
import io.loyalty.proto.survey.v1.NpsCategory;
import io.loyalty.proto.survey.v1.NpsSignal;
import io.loyalty.proto.ticket.v1.CustomerServiceStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Rankings of a hand-made run (43 customers, two runs so the decline shows), read through the API:
 * reasons, paging, filters, CSV, bad input, snapshots with control groups, uplift and service impact.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.grpc.server.port=0")
@AutoConfigureWebTestClient
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CampaignApiIT {

    static final Instant OCT_2 = Instant.parse("2026-10-02T15:30:00Z");
    static final int CUSTOMERS = 43;
    static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebTestClient web;
    @Autowired
    DatabaseClient db;
    @Autowired
    SignalStore signals;
    @Autowired
    CampaignRankings rankings;
    @Autowired
    CampaignSnapshots snapshots;
    @Autowired
    RankingQueries queries;
    @Autowired
    CampaignProperties properties;

    long previousRun;
    long run;

    static List<CustomerValueRow> values(double alivenessOfB) {
        List<CustomerValueRow> rows = new ArrayList<>();
        rows.add(new CustomerValueRow("IT-A", 4, 100, 0.8, 2.5, 0));
        rows.add(new CustomerValueRow("IT-B", 2, 62, alivenessOfB, 1.2, 0));
        rows.add(new CustomerValueRow("IT-C", 6, 50, 1.0, 3.0, 20));
        for (int i = 1; i <= 40; i++) {
            rows.add(new CustomerValueRow("IT-F%02d".formatted(i), i % 2, i, 0.5, 1, 0));
        }
        return rows;
    }

    static NpsSignal nps(int score, NpsCategory category) {
        return NpsSignal.newBuilder().setScore(score).setCategory(category)
                .setRespondedAt(Timestamp.newBuilder().setSeconds(OCT_2.getEpochSecond())).build();
    }

    @BeforeAll
    void rankTwoRuns() throws java.sql.SQLException {
        // two cores shared by several builds: the default 5 s would fail on scheduling stalls, not on us
        web = web.mutate().responseTimeout(Duration.ofSeconds(30)).build();
        previousRun = 3_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L) * 2;
        run = previousRun + 1;
        List<CustomerSatisfaction> satisfaction = new ArrayList<>();
        satisfaction.add(CustomerSatisfaction.newBuilder().setCustomerId("IT-A").setNps(nps(10, NpsCategory.PROMOTER)).build());
        satisfaction.add(CustomerSatisfaction.newBuilder().setCustomerId("IT-B").setNps(nps(3, NpsCategory.DETRACTOR)).build());
        List<CustomerServiceStats> stats = new ArrayList<>();
        stats.add(CustomerServiceStats.newBuilder().setCustomerId("IT-A").build());
        stats.add(CustomerServiceStats.newBuilder().setCustomerId("IT-B").setOpenTickets(1).setTicketsLast90Days(3)
                .setSlaBreachesLast90Days(2).setReopensLast90Days(1).build());
        for (int i = 2; i <= 40; i += 2) {
            satisfaction.add(CustomerSatisfaction.newBuilder().setCustomerId("IT-F%02d".formatted(i))
                    .setNps(nps(8, NpsCategory.PASSIVE)).build());
        }
        for (int i = 5; i <= 40; i += 5) {
            stats.add(CustomerServiceStats.newBuilder().setCustomerId("IT-F%02d".formatted(i)).setOpenTickets(1)
                    .setTicketsLast90Days(1).build());
        }
        signals.insertSatisfaction(run, satisfaction).block();
        signals.insertServiceStats(run, stats).block();
        store(previousRun, values(0.82));
        store(run, values(0.31));
        assertThat(rankings.rank(previousRun)).isEqualTo(CUSTOMERS);
        assertThat(rankings.rank(run)).isEqualTo(CUSTOMERS);
    }

    /** The values as a scoring run stores them (the columns the rankings do not read are zero). */
    void store(long runId, List<CustomerValueRow> values) {
        for (CustomerValueRow v : values) {
            db.sql("""
                    INSERT INTO scoring_run_customers (run_id, customer_id, frequency, recency, t, monetary_value,
                        expected_purchases, probability_alive, expected_average_value, clv, referral_value)
                    VALUES ($1, $2, $3, 0, 0, 0, $4, $5, 0, $6, $7)""")
                    .bind(0, runId).bind(1, v.customerId()).bind(2, v.frequency()).bind(3, v.expectedPurchases())
                    .bind(4, v.probabilityAlive()).bind(5, v.clv()).bind(6, v.referralValue()).then().block();
        }
    }

    JsonNode get(String uri) {
        byte[] body = web.get().uri(uri).exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().returnResult().getResponseBody();
        return JSON.readTree(body);
    }

    JsonNode problem(String uri, int status) {
        byte[] body = web.get().uri(uri).exchange().expectStatus().isEqualTo(status)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().returnResult().getResponseBody();
        JsonNode problem = JSON.readTree(body);
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("title").asString()).isNotBlank();
        assertThat(problem.get("detail").asString()).isNotBlank();
        assertThat(problem.get("type").asString()).isNotBlank();
        return problem;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asString()));
        return out;
    }

    JsonNode find(String kind, String customerId) {
        for (JsonNode item : get("/api/v1/campaigns/" + kind + "/customers?limit=1000&run=" + run).get("items")) {
            if (item.get("customerId").asString().equals(customerId)) {
                return item;
            }
        }
        throw new AssertionError(customerId + " not ranked");
    }

    @Test
    void theTopOfTheUpsellListIsThePromoterThenTheReferrer() {
        JsonNode page = get("/api/v1/campaigns/upsell/customers?limit=2&run=" + run);
        assertThat(page.get("runId").asLong()).isEqualTo(run);
        JsonNode first = page.get("items").get(0);
        assertThat(first.get("rank").asInt()).isEqualTo(1);
        assertThat(first.get("customerId").asString()).isEqualTo("IT-A");
        assertThat(first.get("score").asDouble()).isCloseTo(100.0, within(1e-9));
        assertThat(first.get("clv").asDouble()).isEqualTo(100.0);
        assertThat(first.get("probabilityAlive").asDouble()).isEqualTo(0.8);
        assertThat(first.get("expectedPurchases").asDouble()).isEqualTo(2.5);
        assertThat(first.get("signals").get("npsCategory").asString()).isEqualTo("PROMOTER");
        assertThat(texts(first.get("reasons"))).containsExactly("promoter (NPS 10) on 2026-10-02",
                "expected 2.5 purchases, CLV 100.00, probability alive 0.80");
        JsonNode second = page.get("items").get(1);
        assertThat(second.get("customerId").asString()).isEqualTo("IT-C");
        assertThat(second.get("referralValue").asDouble()).isEqualTo(20.0);
        assertThat(second.get("score").asDouble()).isCloseTo(80.5, within(1e-9));
        assertThat(page.get("nextCursor").isNull()).isFalse();
    }

    @Test
    void theDetractorWhoIsFadingTopsRetentionWithItsReasons() {
        JsonNode b = find("retention", "IT-B");
        assertThat(b.get("rank").asInt()).isEqualTo(1);
        assertThat(b.get("score").asDouble()).isCloseTo(200 * 0.69 * 2.66, within(1e-6));
        assertThat(b.get("previousProbabilityAlive").asDouble()).isEqualTo(0.82);
        assertThat(b.get("signals").get("slaBreachesLast90Days").asInt()).isEqualTo(2);
        assertThat(b.get("signals").get("openTickets").asInt()).isEqualTo(1);
        assertThat(b.get("signals").get("npsScore").asInt()).isEqualTo(3);
        assertThat(texts(b.get("reasons"))).containsExactly("detractor (NPS 3) on 2026-10-02",
                "probability alive 0.31, down from 0.82 in the previous run", "2 SLA breaches in 90 days");
        JsonNode c = find("retention", "IT-C");
        assertThat(c.get("rank").asInt()).isEqualTo(CUSTOMERS);
        assertThat(c.get("signals").get("npsCategory").isNull()).isTrue();
    }

    @Test
    void cursorPagesWalkTheWholeRankingOnceInOrder() {
        for (String kind : List.of("upsell", "retention")) {
            List<Integer> ranks = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            double lastScore = Double.MAX_VALUE;
            String cursor = null;
            int pages = 0;
            do {
                JsonNode page = get("/api/v1/campaigns/" + kind + "/customers?limit=10&run=" + run
                        + (cursor == null ? "" : "&cursor=" + cursor));
                pages++;
                for (JsonNode item : page.get("items")) {
                    ranks.add(item.get("rank").asInt());
                    assertThat(seen.add(item.get("customerId").asString())).isTrue();
                    assertThat(item.get("score").asDouble()).isLessThanOrEqualTo(lastScore);
                    lastScore = item.get("score").asDouble();
                }
                cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
            } while (cursor != null);
            assertThat(pages).isEqualTo(5);
            assertThat(ranks).hasSize(CUSTOMERS).isSorted().first().isEqualTo(1);
            assertThat(ranks.get(CUSTOMERS - 1)).isEqualTo(CUSTOMERS);
        }
    }

    @Test
    void filtersNarrowTheListAndKeepRankOrder() {
        assertThat(ids("npsCategory=DETRACTOR")).containsExactly("IT-B");
        assertThat(ids("npsCategory=promoter")).containsExactly("IT-A");
        assertThat(ids("npsCategory=NONE")).hasSize(21).contains("IT-C", "IT-F01").doesNotContain("IT-F02");
        assertThat(ids("npsCategory=PASSIVE")).hasSize(20);
        assertThat(ids("openTickets=true")).hasSize(9).contains("IT-B", "IT-F05", "IT-F40");
        assertThat(ids("openTickets=false")).hasSize(CUSTOMERS - 9).doesNotContain("IT-B");
        assertThat(ids("minClv=50")).containsExactly("IT-A", "IT-C", "IT-B");
        assertThat(ids("minClv=50&openTickets=false")).containsExactly("IT-A", "IT-C");
        // nothing matching is an empty page of an existing run, not a 404
        JsonNode none = get("/api/v1/campaigns/upsell/customers?minClv=1000000&run=" + run);
        assertThat(none.get("items")).isEmpty();
        assertThat(none.get("nextCursor").isNull()).isTrue();
        // a filtered list pages like the full one
        JsonNode page = get("/api/v1/campaigns/upsell/customers?limit=4&npsCategory=NONE&run=" + run);
        JsonNode next = get("/api/v1/campaigns/upsell/customers?limit=4&npsCategory=NONE&run=" + run + "&cursor="
                + page.get("nextCursor").asString());
        assertThat(next.get("items").get(0).get("rank").asInt())
                .isGreaterThan(page.get("items").get(3).get("rank").asInt());
        assertThat(next.get("items").get(0).get("signals").get("npsCategory").isNull()).isTrue();
    }

    List<String> ids(String query) {
        List<String> out = new ArrayList<>();
        get("/api/v1/campaigns/upsell/customers?limit=1000&run=" + run + "&" + query).get("items")
                .forEach(i -> out.add(i.get("customerId").asString()));
        return out;
    }

    @Test
    void theWholeListStreamsAsRfc4180Csv() {
        String csv = web.get().uri("/api/v1/campaigns/retention/customers?run=" + run).accept(MediaType.parseMediaType("text/csv"))
                .exchange().expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.parseMediaType("text/csv"))
                .expectBody(String.class).returnResult().getResponseBody();
        String[] lines = csv.split("\r\n", -1);
        assertThat(lines).hasSize(CUSTOMERS + 2);
        assertThat(lines[CUSTOMERS + 1]).isEmpty();
        assertThat(lines[0]).startsWith("rank,customerId,score,clv,probabilityAlive,expectedPurchases,referralValue,");
        // reasons holding commas are quoted
        assertThat(lines[1]).startsWith("1,IT-B,").endsWith(",62.0,0.31,1.2,0.0,0.82,3,DETRACTOR,2026-10-02T15:30:00Z,1,3,2,1,"
                + "\"detractor (NPS 3) on 2026-10-02; probability alive 0.31, down from 0.82 in the previous run; "
                + "2 SLA breaches in 90 days\"");
        assertThat(lines[CUSTOMERS]).isEqualTo(CUSTOMERS + ",IT-C,0.0,50.0,1.0,3.0,20.0,1.0,,,,,,,,"
                + "\"value at risk 0.00 (worth 70.00 if kept, probability alive 1.00)\"");
        for (int i = 1; i <= CUSTOMERS; i++) {
            assertThat(lines[i]).startsWith(i + ",");
        }
        String filtered = web.get().uri("/api/v1/campaigns/upsell/customers?npsCategory=DETRACTOR&run=" + run)
                .header("Accept", "text/csv").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(filtered.split("\r\n")).hasSize(2);
        assertThat(filtered.split("\r\n")[1]).startsWith("37,IT-B,");
    }

    @Test
    void csvChunksCoverEveryRowExactlyOnce() {
        List<List<RankedCustomer>> chunks = queries.chunks(CampaignKind.UPSELL, run, RankingFilter.NONE, 10)
                .collectList().block();
        assertThat(chunks).extracting(List::size).containsExactly(10, 10, 10, 10, 3);
        assertThat(chunks.stream().flatMap(List::stream).map(RankedCustomer::rank).toList()).isSorted()
                .doesNotHaveDuplicates().hasSize(CUSTOMERS);
    }

    @Test
    void badQueriesAreProblemsNotErrors() {
        String base = "/api/v1/campaigns/upsell/customers?run=" + run;
        assertThat(problem("/api/v1/campaigns/upsale/customers", 400).get("detail").asString()).contains("upsell or retention");
        for (String q : List.of("&limit=0", "&limit=1001", "&limit=abc", "&limit=99999999999999999999", "&cursor=garbage",
                "&cursor=%25%25%25", "&minClv=lots", "&minClv=-1", "&minClv=1e400", "&npsCategory=HAPPY",
                "&openTickets=maybe")) {
            JsonNode p = problem(base + q, 400);
            assertThat(p.get("errors")).as(q).isNotNull();
        }
        JsonNode both = problem(base + "&limit=0&npsCategory=HAPPY", 400);
        assertThat(both.get("errors")).hasSize(2);
        problem("/api/v1/campaigns/upsell/customers?run=does-not-exist", 400);
        problem("/api/v1/campaigns/upsell/customers?run=-4", 400);
        problem("/api/v1/campaigns/upsell/customers?run=9", 404);
        // a cursor of one list is refused by another
        String retentionCursor = get("/api/v1/campaigns/retention/customers?limit=1&run=" + run).get("nextCursor").asString();
        problem(base + "&cursor=" + retentionCursor, 400);
        problem("/api/v1/campaigns/retention/customers?run=" + previousRun + "&cursor=" + retentionCursor, 400);
        // CSV requests get the same problems
        web.get().uri("/api/v1/campaigns/upsell/customers?run=9").header("Accept", "text/csv").exchange()
                .expectStatus().isNotFound().expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        web.get().uri("/api/v1/campaigns/upsell/customers?minClv=x").header("Accept", "text/csv").exchange()
                .expectStatus().isBadRequest();
    }

    String post(Object body, int status) {
        return web.post().uri("/api/v1/campaigns").contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isEqualTo(status).expectBody(String.class).returnResult().getResponseBody();
    }

    JsonNode members(String campaignId) {
        return get("/api/v1/campaigns/" + campaignId + "/members?limit=1000").get("items");
    }

    static Set<String> control(JsonNode members) {
        Set<String> out = new HashSet<>();
        members.forEach(m -> {
            if (m.get("control").asBoolean()) {
                out.add(m.get("customerId").asString());
            }
        });
        return out;
    }

    @Test
    void aSnapshotFreezesTheListWithAReproducibleControlGroup() {
        String id = "it-" + run;
        Map<String, Object> body = Map.of("campaignId", id, "kind", "upsell", "run", run, "size", 40,
                "controlPercent", 25, "seed", 7);
        JsonNode created = JSON.readTree(post(body, 201));
        assertThat(created.get("id").asString()).isEqualTo(id);
        assertThat(created.get("runId").asLong()).isEqualTo(run);
        assertThat(created.get("members").asInt()).isEqualTo(40);
        assertThat(created.get("control").asInt()).isEqualTo(10);
        assertThat(created.get("treated").asInt()).isEqualTo(30);
        assertThat(created.get("seed").asLong()).isEqualTo(7);
        // replay: same answer, nothing changes; same id with another body: conflict
        assertThat(JSON.readTree(post(body, 200))).isEqualTo(created);
        assertThat(JSON.readTree(post(Map.of("campaignId", id, "kind", "upsell", "run", run, "size", 41,
                "controlPercent", 25, "seed", 7), 409)).get("status").asInt()).isEqualTo(409);
        assertThat(get("/api/v1/campaigns/" + id)).isEqualTo(created);

        JsonNode members = members(id);
        assertThat(members).hasSize(40);
        assertThat(members.get(0).get("customerId").asString()).isEqualTo("IT-A");
        Set<String> control = control(members);
        assertThat(control).hasSize(10);

        // the same seed over the same list holds out the same customers; another seed others
        post(Map.of("campaignId", id + "-again", "kind", "upsell", "run", run, "size", 40, "controlPercent", 25, "seed", 7), 201);
        assertThat(control(members(id + "-again"))).isEqualTo(control);
        post(Map.of("campaignId", id + "-other", "kind", "upsell", "run", run, "size", 40, "controlPercent", 25, "seed", 8), 201);
        assertThat(control(members(id + "-other"))).hasSize(10).isNotEqualTo(control);

        // filters and size apply before the split; no control group when none is asked for
        JsonNode small = JSON.readTree(post(Map.of("campaignId", id + "-small", "kind", "retention", "run", run, "size", 5,
                "filters", Map.of("npsCategory", "NONE")), 201));
        assertThat(small.get("members").asInt()).isEqualTo(5);
        assertThat(small.get("control").asInt()).isZero();
        assertThat(small.get("filters").get("npsCategory").asString()).isEqualTo("NONE");

        // member pages
        JsonNode page = get("/api/v1/campaigns/" + id + "/members?limit=15");
        assertThat(page.get("items")).hasSize(15);
        JsonNode rest = get("/api/v1/campaigns/" + id + "/members?limit=100&cursor=" + page.get("nextCursor").asString());
        assertThat(rest.get("items")).hasSize(25);
        assertThat(rest.get("nextCursor").isNull()).isTrue();
    }

    @Test
    void badSnapshotRequestsAreProblems() {
        for (Object body : List.of(Map.of("kind", "upsale", "size", 5), Map.of("kind", "upsell", "size", 0),
                Map.of("kind", "upsell"), Map.of("kind", "upsell", "size", 5, "controlPercent", 100),
                Map.of("kind", "upsell", "size", 5, "filters", Map.of("npsCategory", "HAPPY")),
                Map.of("kind", "upsell", "size", 5, "campaignId", "has space"),
                Map.of("kind", "upsell", "size", "many"), Map.of("kind", "upsell", "size", 1e30),
                Map.of("kind", "upsell", "size", 5, "run", -1), "{not json", "[]")) {
            String answer = body instanceof String s
                    ? web.post().uri("/api/v1/campaigns").contentType(MediaType.APPLICATION_JSON).bodyValue(s).exchange()
                    .expectStatus().isBadRequest().expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody(String.class).returnResult().getResponseBody()
                    : post(body, 400);
            assertThat(JSON.readTree(answer).get("errors")).as(body.toString()).isNotEmpty();
            assertThat(answer).doesNotContain("Exception").doesNotContain("java.");
        }
        post(Map.of("kind", "upsell", "size", 5, "run", 9), 404);
        problem("/api/v1/campaigns/does-not-exist", 404);
        problem("/api/v1/campaigns/does-not-exist/report", 404);
        problem("/api/v1/campaigns/does-not-exist/members", 404);
    }

    @Test
    void upliftComparesTreatedAndControlAfterTheSnapshot() {
        db.sql("""
                CREATE TABLE IF NOT EXISTS campaign_it_purchases (customer_id text NOT NULL,
                    occurred_at timestamptz NOT NULL, amount numeric NOT NULL)""").then().block();
        CampaignProperties.Purchases table = new CampaignProperties.Purchases("campaign_it_purchases", "customer_id",
                "occurred_at", "amount");
        CampaignReports reports = new CampaignReports(db, snapshots, queries, signals,
                new CampaignProperties(properties.csvChunkRows(), properties.maxCampaignSize(), true, "",
                        properties.upsell(), properties.retention(), table));
        String id = "it-uplift-" + run;
        JsonNode campaign = JSON.readTree(post(Map.of("campaignId", id, "kind", "upsell", "run", run, "size", 40,
                "controlPercent", 25, "seed", 11), 201));
        Instant at = Instant.parse(campaign.get("createdAt").asString());
        List<String> treated = new ArrayList<>();
        List<String> control = new ArrayList<>();
        members(id).forEach(m -> (m.get("control").asBoolean() ? control : treated).add(m.get("customerId").asString()));
        // 9 of 30 treated buy once for 10; 1 of 10 control buys for 10; purchases before or after the window do not count
        List<String> rows = new ArrayList<>();
        treated.subList(0, 9).forEach(c -> rows.add("('" + c + "', '" + at.plusSeconds(3600) + "', 10)"));
        rows.add("('" + control.get(0) + "', '" + at.plusSeconds(7200) + "', 10)");
        rows.add("('" + control.get(1) + "', '" + at.minusSeconds(3600) + "', 500)");
        rows.add("('" + control.get(2) + "', '" + at.plus(Duration.ofDays(5)) + "', 500)");
        db.sql("INSERT INTO campaign_it_purchases VALUES " + String.join(", ", rows)).then().block();

        CampaignReports.UpliftReport report = reports.uplift(id, at.plus(Duration.ofDays(2))).block();

        assertThat(report.treated().customers()).isEqualTo(30);
        assertThat(report.treated().repeatPurchasers()).isEqualTo(9);
        assertThat(report.control().customers()).isEqualTo(10);
        assertThat(report.control().repeatPurchasers()).isEqualTo(1);
        assertThat(report.treated().spendPerCustomer().estimate()).isCloseTo(3.0, within(1e-9));
        assertThat(report.control().spendPerCustomer().estimate()).isCloseTo(1.0, within(1e-9));
        // 0.3 - 0.1 +- 1.959964 x sqrt(0.3 x 0.7 / 30 + 0.1 x 0.9 / 10) = 0.2 +- 0.247918
        Intervals.Estimate rate = report.uplift().repeatPurchaseRate();
        assertThat(rate.estimate()).isCloseTo(0.2, within(1e-9));
        assertThat(rate.ciLow95()).isCloseTo(-0.047918, within(1e-6));
        assertThat(rate.ciHigh95()).isCloseTo(0.447918, within(1e-6));
        // spend variances 630/29 and 90/9: 2 +- 1.959964 x sqrt(630/29/30 + 10/10) = 2 +- 2.573557
        Intervals.Estimate spend = report.uplift().spendPerCustomer();
        assertThat(spend.estimate()).isCloseTo(2.0, within(1e-9));
        assertThat(spend.ciLow95()).isCloseTo(2 - 1.959963984540054 * Math.sqrt(630.0 / 29 / 30 + 1), within(1e-9));
        assertThat(spend.ciHigh95()).isCloseTo(4.573557, within(1e-5));

        problem("/api/v1/campaigns/" + id + "/report?to=yesterday", 400);
        problem("/api/v1/campaigns/" + id + "/report?to=2020-01-01T00:00:00Z", 400);
    }

    @Test
    void serviceImpactSplitsRepeatRateAndClvByNpsAndBreaches() {
        JsonNode impact = get("/api/v1/scoring-runs/" + run + "/service-impact");
        assertThat(impact.get("runId").asLong()).isEqualTo(run);
        JsonNode nps = impact.get("byNpsCategory");
        assertThat(nps).extracting(n -> n.get("segment").asString()).containsExactly("PROMOTER", "PASSIVE", "DETRACTOR", "NONE");
        JsonNode passive = nps.get(1);
        assertThat(passive.get("customers").asInt()).isEqualTo(20);
        assertThat(passive.get("repeatPurchaseRate").get("estimate").asDouble()).isZero();
        assertThat(passive.get("repeatPurchaseRate").get("ciHigh95").asDouble()).isCloseTo(3.841459 / 23.841459, within(1e-6));
        // CLV 2, 4, ..., 40: mean 21, sd 2 sqrt(35)
        assertThat(passive.get("clv").get("estimate").asDouble()).isCloseTo(21, within(1e-9));
        assertThat(passive.get("clv").get("ciLow95").asDouble())
                .isCloseTo(21 - 1.959963984540054 * 2 * Math.sqrt(35) / Math.sqrt(20), within(1e-6));
        JsonNode none = nps.get(3);
        assertThat(none.get("customers").asInt()).isEqualTo(21);
        assertThat(none.get("repeatPurchaseRate").get("estimate").asDouble()).isEqualTo(1.0);
        JsonNode promoter = nps.get(0);
        assertThat(promoter.get("customers").asInt()).isEqualTo(1);
        assertThat(promoter.get("clv").get("ciLow95").isNull()).isTrue();

        JsonNode breaches = impact.get("bySlaBreaches");
        assertThat(breaches).extracting(n -> n.get("segment").asString() + "=" + n.get("customers").asInt())
                .containsExactly("0=9", "2+=1", "unknown=33");

        problem("/api/v1/scoring-runs/abc/service-impact", 400);
        problem("/api/v1/scoring-runs/7/service-impact", 404);
    }
}
