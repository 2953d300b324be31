package io.loyalty.e2e;

import io.loyalty.e2e.Api.Response;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hundreds of malformed requests across every public endpoint, through the gateway. Each must get a 4xx
 * application/problem+json, none a 5xx, and afterwards every table of every service must hold exactly
 * the rows it held before.
 */
class BadInputIT {

    static Platform platform;
    static Api api;
    static String surveyId;
    static String ticketId;

    record Case(String name, String method, String path, Object body, Map<String, String> headers, Api as) {
    }

    @BeforeAll
    static void setUp() {
        platform = Platform.shared();
        api = platform.api;
        surveyId = api.post("/api/v1/surveys", Map.of("name", "bad-input target", "kind", "CSAT",
                "question", "How was it?")).json().get("id").asString();
        ticketId = api.post("/api/v1/tickets", Map.of("externalId", "bad-input-target", "customerId", "BI-1",
                "subject", "target", "priority", "LOW", "channel", "WEB")).json().get("id").asString();
    }

    @Test
    void everyMalformedRequestIsA4xxProblemAndChangesNothing() throws Exception {
        List<Case> cases = cases();
        Map<String, String> before = platform.tableFingerprints();
        int tried = 0;
        int fiveHundreds = 0;
        List<String> failures = new ArrayList<>();
        for (Case c : cases) {
            Response response = c.as().send(c.method(), c.path(), c.body(), c.headers());
            tried++;
            if (response.status() >= 500) {
                fiveHundreds++;
            }
            String problem = check(response);
            if (problem != null) {
                failures.add(c.name() + " " + c.method() + " " + c.path() + " -> " + problem + ": " + response);
            }
        }
        Map<String, String> after = platform.tableFingerprints();
        System.out.printf("bad-input suite: requests tried %d, 4xx problem+json %d, 5xx seen %d, tables checked %d%n",
                tried, tried - failures.size(), fiveHundreds, after.size());
        assertThat(cases).hasSizeGreaterThanOrEqualTo(200);
        assertThat(failures).as("requests not answered with a 4xx problem").isEmpty();
        assertThat(fiveHundreds).isZero();
        assertThat(after).as("every table's content after the bad requests").isEqualTo(before);
    }

    private static String check(Response response) {
        if (response.status() < 400 || response.status() >= 500) {
            return "status " + response.status();
        }
        if (!response.isProblem()) {
            return "content type " + response.contentType();
        }
        JsonNode body;
        try {
            body = response.json();
        } catch (RuntimeException e) {
            return "unparseable problem body";
        }
        if (body.get("status") == null || body.get("status").asInt() != response.status() || body.get("title") == null) {
            return "problem without matching status/title";
        }
        return null;
    }

    static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        Api anonymous = api.withKey(null);
        Api wrongKey = api.withKey("lk_not_a_key_" + "x".repeat(20));
        Map<String, Map<String, Object>> validBodies = new LinkedHashMap<>();
        validBodies.put("POST /api/v1/surveys", Map.of("name", "n", "kind", "NPS", "question", "q"));
        validBodies.put("POST /api/v1/surveys/" + surveyId + "/responses",
                Map.of("responseId", "bi-r", "customerId", "BI-2", "score", 4));
        validBodies.put("POST /api/v1/surveys/" + surveyId + "/responses/batch",
                Map.of("responses", List.of(Map.of("responseId", "bi-rb", "customerId", "BI-3", "score", 5))));
        validBodies.put("POST /api/v1/tickets", Map.of("externalId", "bi-t", "customerId", "BI-4", "subject", "s",
                "priority", "HIGH", "channel", "CHAT"));
        validBodies.put("POST /api/v1/tickets/" + ticketId + "/events",
                Map.of("eventId", "bi-e", "type", "AGENT_REPLY", "at", "2026-01-01T10:00:00Z"));
        validBodies.put("PUT /api/v1/sla-policies/URGENT", Map.of("firstResponseMinutes", 15, "resolutionMinutes", 120));
        validBodies.put("POST /api/v1/purchases/batch", Map.of("purchases", List.of(Map.of("orderId", "bi-o",
                "customerId", "BI-5", "occurredAt", "2026-01-01T10:00:00Z", "amount", 10.5, "currency", "USD"))));
        validBodies.put("POST /api/v1/referrals/batch", Map.of("referrals", List.of(Map.of("referralId", "bi-ref",
                "referrerId", "BI-6", "referredId", "BI-7", "occurredAt", "2026-01-01T10:00:00Z"))));
        validBodies.put("POST /api/v1/churn-events/batch", Map.of("events", List.of(Map.of("eventId", "bi-ch",
                "customerId", "BI-8", "occurredAt", "2026-01-01T10:00:00Z"))));
        validBodies.put("POST /api/v1/scoring-runs", Map.of("horizonMonths", 12, "monthlyDiscountRate", 0.01, "timeUnit", "WEEK"));
        validBodies.put("POST /api/v1/admin/clients", Map.of("name", "bi-client", "scopes", List.of("clv:read")));

        // broken bodies, for every write endpoint
        List<Object> broken = List.of("", "{", "[]", "null", "123", "\"text\"", "{\"a\":", "{]", "{'single':'quotes'}",
                "{\"name\": tru}", new byte[] {(byte) 0xC3, (byte) 0x28, '{', '}'}, "{".repeat(2000) + "}".repeat(2000));
        for (String endpoint : validBodies.keySet()) {
            String[] mp = endpoint.split(" ", 2);
            for (int i = 0; i < broken.size(); i++) {
                cases.add(new Case("broken body #" + i, mp[0], mp[1], broken.get(i), Map.of(), api));
            }
            // credentials: missing, wrong
            cases.add(new Case("no credentials", mp[0], mp[1], validBodies.get(endpoint), Map.of(), anonymous));
            cases.add(new Case("wrong key", mp[0], mp[1], validBodies.get(endpoint), Map.of(), wrongKey));
            cases.add(new Case("malformed authorization", mp[0], mp[1], validBodies.get(endpoint),
                    Map.of("Authorization", "Basic Zm9vOmJhcg=="), api));
            // every field in turn: missing, wrong type, absurd value
            Map<String, Object> valid = validBodies.get(endpoint);
            for (String field : valid.keySet()) {
                if (!endpoint.endsWith("/scoring-runs")) { // its fields have documented defaults
                    Map<String, Object> missing = new LinkedHashMap<>(valid);
                    missing.remove(field);
                    cases.add(new Case("missing " + field, mp[0], mp[1], missing, Map.of(), api));
                }
                Map<String, Object> wrongType = new LinkedHashMap<>(valid);
                wrongType.put(field, valid.get(field) instanceof String ? (Object) Map.of("nested", true) : "not-a-number");
                cases.add(new Case("wrong type " + field, mp[0], mp[1], wrongType, Map.of(), api));
            }
            Map<String, Object> oversize = new LinkedHashMap<>(valid);
            oversize.put(valid.keySet().iterator().next(), "x".repeat(2_000_000));
            cases.add(new Case("oversize body", mp[0], mp[1], oversize, Map.of(), api));
        }
        // field values that are well-formed JSON but wrong
        String responses = "/api/v1/surveys/" + surveyId + "/responses";
        // raw JSON values: out of the 1-5 scale, overflowing, quoted, fractional
        for (String score : List.of("0", "6", "-1", "11", "1e309", "\"5\"", "4.5", "9223372036854775808", "null")) {
            cases.add(new Case("csat score " + score, "POST", responses,
                    "{\"responseId\":\"bi-s\",\"customerId\":\"BI-9\",\"score\":" + score + "}", Map.of(), api));
        }
        for (String at : List.of("yesterday", "2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "2026-01-01", "99999-01-01T00:00:00Z")) {
            cases.add(new Case("respondedAt " + at, "POST", responses,
                    Map.of("responseId", "bi-d", "customerId", "BI-9", "score", 3, "respondedAt", at), Map.of(), api));
        }
        cases.add(new Case("oversize comment", "POST", responses,
                Map.of("responseId", "bi-c", "customerId", "BI-9", "score", 3, "comment", "c".repeat(100_000)), Map.of(), api));
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            tooMany.add(Map.of("responseId", "bi-many-" + i, "customerId", "BI-M" + i, "score", 3));
        }
        cases.add(new Case("1001 responses", "POST", responses + "/batch", Map.of("responses", tooMany), Map.of(), api));
        List<Map<String, Object>> oneBad = new ArrayList<>(tooMany.subList(0, 10));
        oneBad.add(Map.of("responseId", "bi-bad", "customerId", "BI-X", "score", 9));
        cases.add(new Case("batch with one bad item", "POST", responses + "/batch", Map.of("responses", oneBad), Map.of(), api));
        cases.add(new Case("survey kind", "POST", "/api/v1/surveys", Map.of("name", "n", "kind", "PNS", "question", "q"), Map.of(), api));
        cases.add(new Case("CES scale 6", "POST", "/api/v1/surveys", Map.of("name", "n", "kind", "CES", "question", "q", "scale", 6), Map.of(), api));
        cases.add(new Case("unknown survey", "POST", "/api/v1/surveys/00000000-0000-0000-0000-000000000000/responses",
                Map.of("responseId", "bi-u", "customerId", "BI-9", "score", 3), Map.of(), api));
        for (String priority : List.of("CRITICAL", "high", "1")) {
            cases.add(new Case("ticket priority " + priority, "POST", "/api/v1/tickets", Map.of("externalId", "bi-p",
                    "customerId", "BI-4", "subject", "s", "priority", priority, "channel", "CHAT"), Map.of(), api));
            cases.add(new Case("sla priority " + priority, "PUT", "/api/v1/sla-policies/" + priority,
                    Map.of("firstResponseMinutes", 15, "resolutionMinutes", 120), Map.of(), api));
        }
        cases.add(new Case("negative SLA", "PUT", "/api/v1/sla-policies/LOW", Map.of("firstResponseMinutes", -5, "resolutionMinutes", 120), Map.of(), api));
        cases.add(new Case("event type", "POST", "/api/v1/tickets/" + ticketId + "/events",
                Map.of("eventId", "bi-x", "type", "ESCALATED", "at", "2026-01-01T10:00:00Z"), Map.of(), api));
        cases.add(new Case("reopen a NEW ticket", "POST", "/api/v1/tickets/" + ticketId + "/events",
                Map.of("eventId", "bi-reopen", "type", "REOPENED", "at", "2026-01-01T10:00:00Z"), Map.of(), api));
        cases.add(new Case("events of an unknown ticket", "POST", "/api/v1/tickets/does-not-exist/events",
                Map.of("eventId", "bi-y", "type", "AGENT_REPLY", "at", "2026-01-01T10:00:00Z"), Map.of(), api));
        String purchases = "/api/v1/purchases/batch";
        for (String amount : List.of("-1", "-0.01", "1e12", "\"ten\"", "1e309", "null")) {
            cases.add(new Case("amount " + amount, "POST", purchases, "{\"purchases\":[{\"orderId\":\"bi-a\",\"customerId\":\"BI-5\","
                    + "\"occurredAt\":\"2026-01-01T10:00:00Z\",\"amount\":" + amount + ",\"currency\":\"USD\"}]}", Map.of(), api));
        }
        for (String currency : List.of("XXY", "usd", "", "DOLLARS")) {
            cases.add(new Case("currency " + currency, "POST", purchases, Map.of("purchases", List.of(Map.of("orderId", "bi-cur",
                    "customerId", "BI-5", "occurredAt", "2026-01-01T10:00:00Z", "amount", 3, "currency", currency))), Map.of(), api));
        }
        cases.add(new Case("future purchase", "POST", purchases, Map.of("purchases", List.of(Map.of("orderId", "bi-f",
                "customerId", "BI-5", "occurredAt", "2099-01-01T10:00:00Z", "amount", 3, "currency", "USD"))), Map.of(), api));
        cases.add(new Case("self referral", "POST", "/api/v1/referrals/batch", Map.of("referrals", List.of(Map.of(
                "referralId", "bi-self", "referrerId", "BI-6", "referredId", "BI-6", "occurredAt", "2026-01-01T10:00:00Z"))), Map.of(), api));
        cases.add(new Case("time unit", "POST", "/api/v1/scoring-runs", Map.of("horizonMonths", 12, "monthlyDiscountRate", 0.01, "timeUnit", "YEAR"), Map.of(), api));
        cases.add(new Case("negative horizon", "POST", "/api/v1/scoring-runs", Map.of("horizonMonths", -12, "monthlyDiscountRate", 0.01, "timeUnit", "DAY"), Map.of(), api));
        cases.add(new Case("holdout before calibration", "POST", "/api/v1/scoring-runs", Map.of("horizonMonths", 12,
                "monthlyDiscountRate", 0.01, "timeUnit", "DAY", "calibrationEnd", "2026-06-01", "holdoutEnd", "2026-01-01"), Map.of(), api));
        cases.add(new Case("unknown scope", "POST", "/api/v1/admin/clients", Map.of("name", "x", "scopes", List.of("root")), Map.of(), api));

        // reads with bad parameters and unknown ids
        List<String> badReads = List.of(
                "/api/v1/surveys/does-not-exist", "/api/v1/surveys/" + surveyId + "/results?from=notadate",
                "/api/v1/surveys/" + surveyId + "/results?interval=year", "/api/v1/surveys/" + surveyId + "/results?from=2026-05-01&to=2026-01-01",
                "/api/v1/surveys/" + surveyId + "/responses?limit=0", "/api/v1/surveys/" + surveyId + "/responses?limit=1001",
                "/api/v1/surveys/" + surveyId + "/responses?limit=abc", "/api/v1/surveys/" + surveyId + "/responses?cursor=%25%25%25garbage",
                "/api/v1/surveys/" + surveyId + "/responses?cursor=eyJub3QiOiJhIGN1cnNvciJ9",
                "/api/v1/tickets/does-not-exist", "/api/v1/tickets?status=FLYING", "/api/v1/tickets?limit=-1",
                "/api/v1/tickets?cursor=!!!", "/api/v1/tickets/stats?from=x", "/api/v1/tickets/stats?from=2026-05-01&to=2026-01-01",
                "/api/v1/scoring-runs/does-not-exist", "/api/v1/customers/BI-1/value?run=does-not-exist",
                "/api/v1/campaigns/upsale/customers", "/api/v1/campaigns/upsell/customers?limit=5000",
                "/api/v1/campaigns/upsell/customers?cursor=garbage", "/api/v1/campaigns/upsell/customers?run=does-not-exist",
                "/api/v1/campaigns/retention/customers?minClv=lots", "/api/v1/campaigns/retention/customers?npsCategory=HAPPY",
                "/api/v1/retention/cohorts?from=2026-13-01", "/api/v1/retention/cohorts?period=fortnight",
                "/api/v1/admin/clients/does-not-exist/keys/also-not");
        for (String path : badReads) {
            cases.add(new Case("bad read", "GET", path, null, Map.of(), api));
            cases.add(new Case("read without credentials", "GET", path, null, Map.of(), anonymous));
        }
        cases.add(new Case("delete unknown key", "DELETE", "/api/v1/admin/clients/does-not-exist/keys/also-not", null, Map.of(), api));
        return cases;
    }
}
