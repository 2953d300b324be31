package io.loyalty.survey.results;

import io.loyalty.survey.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ResultsIT extends IntegrationTest {

    private static Map<String, Object> response(String customer, int score, String day, String channel) {
        Map<String, Object> r = new HashMap<>();
        r.put("responseId", unique("r"));
        r.put("customerId", customer);
        r.put("score", score);
        r.put("respondedAt", day + "T12:00:00Z");
        r.put("channel", channel);
        return r;
    }

    private void ingest(String survey, List<Map<String, Object>> items) {
        postJson("/api/v1/surveys/" + survey + "/responses/batch", Map.of("responses", items))
                .expectStatus().isOk().expectBody().jsonPath("$.accepted").isEqualTo(items.size());
    }

    private Map<?, ?> results(String survey, String query) {
        return web.get().uri("/api/v1/surveys/" + survey + "/results" + query).exchange()
                .expectStatus().isOk()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    private static double d(Object o) {
        return ((Number) o).doubleValue();
    }

    @Test
    void npsResultsFromRollupsMatchHandComputation() {
        String survey = createSurvey("NPS");
        List<Map<String, Object>> items = new ArrayList<>();
        // 2026-03-02 (Monday), EMAIL: 10, 9, 9, 7, 3 ; 2026-03-03, WEB: 10, 8, 6 ; 2026-04-01, EMAIL: 0, 10
        int[] march2 = {10, 9, 9, 7, 3};
        for (int s : march2) {
            items.add(response(unique("c"), s, "2026-03-02", "EMAIL"));
        }
        for (int s : new int[]{10, 8, 6}) {
            items.add(response(unique("c"), s, "2026-03-03", "WEB"));
        }
        for (int s : new int[]{0, 10}) {
            items.add(response(unique("c"), s, "2026-04-01", "EMAIL"));
        }
        ingest(survey, items);

        // all 10: promoters 5 (10,9,9,10,10), passives 2 (7,8), detractors 3 (3,6,0): NPS 20
        // s mean 0.2; sum (s - 0.2)^2 = 5*0.64 + 2*0.04 + 3*1.44 = 7.6; Var = 7.6/9; MoE = 196*sqrt(7.6/90)
        Map<?, ?> all = results(survey, "");
        assertThat(all.get("kind")).isEqualTo("NPS");
        assertThat(all.get("responses")).isEqualTo(10);
        Map<?, ?> nps = (Map<?, ?>) all.get("nps");
        assertThat(d(nps.get("score"))).isCloseTo(20.0, within(1e-9));
        assertThat(nps.get("promoters")).isEqualTo(5);
        assertThat(nps.get("passives")).isEqualTo(2);
        assertThat(nps.get("detractors")).isEqualTo(3);
        assertThat(d(nps.get("marginOfError95"))).isCloseTo(196 * Math.sqrt(7.6 / 90), within(1e-9));
        assertThat(all.containsKey("csat")).isFalse();

        // daily series from the first to the last day with data, empty days included
        List<?> daily = (List<?>) all.get("series");
        assertThat(daily).hasSize(31); // 2026-03-02 .. 2026-04-01
        Map<?, ?> first = (Map<?, ?>) daily.get(0);
        assertThat(first.get("periodStart")).isEqualTo("2026-03-02");
        assertThat(first.get("responses")).isEqualTo(5);
        assertThat(d(first.get("score"))).isCloseTo(40.0, within(1e-9)); // 3 promoters, 1 detractor of 5
        assertThat((Map<String, Object>) daily.get(2)).containsEntry("score", null).containsEntry("marginOfError95", null)
                .containsEntry("responses", 0).doesNotContainKey("ciLow95");

        // monthly: March 8 answers (P 4, Pa 2, D 2 -> 25), April 2 (P 1, D 1 -> 0)
        List<?> monthly = (List<?>) results(survey, "?interval=month").get("series");
        assertThat(monthly).hasSize(2);
        assertThat(d(((Map<?, ?>) monthly.get(0)).get("score"))).isCloseTo(25.0, within(1e-9));
        assertThat(((Map<?, ?>) monthly.get(1)).get("periodStart")).isEqualTo("2026-04-01");
        assertThat(d(((Map<?, ?>) monthly.get(1)).get("score"))).isCloseTo(0.0, within(1e-9));

        // weekly: both March days fall in the week of Monday 2026-03-02
        List<?> weekly = (List<?>) results(survey, "?interval=week&from=2026-03-01&to=2026-03-08").get("series");
        assertThat(weekly.stream().map(p -> (Object) ((Map<?, ?>) p).get("periodStart")).toList()).containsExactly("2026-02-23", "2026-03-02");
        assertThat(((Map<?, ?>) weekly.get(1)).get("responses")).isEqualTo(8);

        // channel filter and date range
        Map<?, ?> web3 = results(survey, "?channel=web");
        assertThat(web3.get("responses")).isEqualTo(3);
        assertThat(d(((Map<?, ?>) web3.get("nps")).get("score"))).isCloseTo(0.0, within(1e-9));
        Map<?, ?> april = results(survey, "?from=2026-04-01&to=2026-04-30&channel=EMAIL");
        assertThat(april.get("responses")).isEqualTo(2);
        assertThat((List<?>) april.get("series")).hasSize(30);
        Map<?, ?> none = results(survey, "?from=2025-01-01&to=2025-01-31&interval=month");
        assertThat(none.get("responses")).isEqualTo(0);
        assertThat(((Map<?, ?>) none.get("nps")).get("score")).isNull();
        assertThat(((Map<?, ?>) none.get("nps")).get("marginOfError95")).isNull();
    }

    @Test
    void csatAndCesResults() {
        String csat = createSurvey("CSAT");
        List<Map<String, Object>> items = new ArrayList<>();
        int[] scores = {5, 5, 4, 4, 4, 5, 3, 2, 5, 4}; // 8 of 10 satisfied
        for (int s : scores) {
            items.add(response(unique("c"), s, "2026-05-10", "APP"));
        }
        ingest(csat, items);
        Map<?, ?> c = (Map<?, ?>) results(csat, "").get("csat");
        assertThat(d(c.get("score"))).isCloseTo(80.0, within(1e-9));
        assertThat(c.get("satisfied")).isEqualTo(8);
        assertThat(d(c.get("ciLow95"))).isCloseTo(49.01568467207233, within(1e-9));
        assertThat(d(c.get("ciHigh95"))).isCloseTo(94.33190520193067, within(1e-9));

        String ces = createSurvey("CES");
        List<Map<String, Object>> answers = new ArrayList<>();
        for (int s : new int[]{5, 6, 7, 4, 5}) {
            answers.add(response(unique("c"), s, "2026-05-10", "APP"));
        }
        ingest(ces, answers);
        Map<?, ?> all = results(ces, "");
        Map<?, ?> e = (Map<?, ?>) all.get("ces");
        assertThat(d(e.get("mean"))).isCloseTo(5.4, within(1e-9));
        assertThat(d(e.get("ciLow95"))).isCloseTo(3.9842852230177286, within(1e-7));
        assertThat(d(e.get("ciHigh95"))).isCloseTo(6.815714776982272, within(1e-7));
        assertThat((List<?>) all.get("distribution")).hasSize(7);
    }

    @Test
    void badQueriesAre400Problems() {
        String survey = createSurvey("NPS");
        for (String q : new String[]{"?from=2026-13-01", "?to=yesterday", "?from=2026-03-01T00:00:00Z",
                "?from=2026-03-02&to=2026-03-01", "?interval=year", "?channel=no%20spaces",
                "?from=0001-01-01&to=9999-12-31&interval=day", "?from=-999999999-01-01"}) {
            web.get().uri("/api/v1/surveys/" + survey + "/results" + q).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
        web.get().uri("/api/v1/surveys/00000000-0000-0000-0000-000000000000/results").exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void privacyDeleteKeepsRollupsExactlyEqualToTheResponses() {
        String a = createSurvey("NPS");
        String b = createSurvey("CSAT");
        String leaving = unique("leaving");
        List<Map<String, Object>> inA = new ArrayList<>();
        List<Map<String, Object>> inB = new ArrayList<>();
        inA.add(response(leaving, 0, "2026-06-01", "EMAIL"));
        inB.add(response(leaving, 1, "2026-06-02", "WEB"));
        for (int i = 0; i < 20; i++) {
            inA.add(response(unique("stay"), i % 11, "2026-06-0" + (1 + i % 3), i % 2 == 0 ? "EMAIL" : "WEB"));
            inB.add(response(unique("stay"), 1 + i % 5, "2026-06-0" + (1 + i % 3), "WEB"));
        }
        ingest(a, inA);
        ingest(b, inB);
        long detractorsBefore = ((Number) ((Map<?, ?>) results(a, "").get("nps")).get("detractors")).longValue();

        web.delete().uri("/api/v1/customers/{id}/responses", leaving).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.deletedResponses").isEqualTo(2).jsonPath("$.customerId").isEqualTo(leaving);
        web.delete().uri("/api/v1/customers/{id}/responses", leaving).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.deletedResponses").isEqualTo(0);

        Map<?, ?> after = results(a, "");
        assertThat(after.get("responses")).isEqualTo(20);
        assertThat(((Number) ((Map<?, ?>) after.get("nps")).get("detractors")).longValue()).isEqualTo(detractorsBefore - 1);
        assertThat(results(b, "").get("responses")).isEqualTo(20);
        web.get().uri("/api/v1/customers/{id}/satisfaction", leaving).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.nps").doesNotExist().jsonPath("$.csat").doesNotExist();

        // every rollup row equals a recount of the raw responses, and no row is left for a count of zero
        for (String survey : List.of(a, b)) {
            long mismatches = scalar("""
                    SELECT count(*) FROM (
                        SELECT day, channel, score, responses FROM survey_rollup WHERE survey_id = '%1$s'
                        EXCEPT
                        SELECT (responded_at AT TIME ZONE 'UTC')::date, channel, score, count(*)
                        FROM survey_response WHERE survey_id = '%1$s' GROUP BY 1, 2, 3
                    ) x""".formatted(survey));
            long missing = scalar("""
                    SELECT count(*) FROM (
                        SELECT (responded_at AT TIME ZONE 'UTC')::date, channel, score, count(*)
                        FROM survey_response WHERE survey_id = '%1$s' GROUP BY 1, 2, 3
                        EXCEPT
                        SELECT day, channel, score, responses FROM survey_rollup WHERE survey_id = '%1$s'
                    ) x""".formatted(survey));
            assertThat(mismatches).as("rollup rows without matching responses").isZero();
            assertThat(missing).as("responses without a matching rollup row").isZero();
        }
    }

    @Test
    void daysAreUtcDaysWhateverTheOffsetTheClientSent() {
        String survey = createSurvey("NPS");
        Map<String, Object> late = response(unique("c"), 10, "2026-03-02", "EMAIL");
        late.put("respondedAt", "2026-03-02T00:30:00+01:00"); // 2026-03-01T23:30Z
        Map<String, Object> early = response(unique("c"), 0, "2026-03-02", "EMAIL");
        early.put("respondedAt", "2026-03-01T23:30:00-01:00"); // 2026-03-02T00:30Z
        ingest(survey, List.of(late, early));
        List<?> series = (List<?>) results(survey, "").get("series");
        assertThat(series).hasSize(2);
        assertThat(((Map<?, ?>) series.get(0)).get("periodStart")).isEqualTo("2026-03-01");
        assertThat(d(((Map<?, ?>) series.get(0)).get("score"))).isEqualTo(100.0);
        assertThat(d(((Map<?, ?>) series.get(1)).get("score"))).isEqualTo(-100.0);
        assertThat(results(survey, "?from=2026-03-02&to=2026-03-02").get("responses")).isEqualTo(1);
    }
}
