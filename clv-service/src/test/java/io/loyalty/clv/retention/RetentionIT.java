package io.loyalty.clv.retention;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.loyalty.clv.ClvApi;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;

import static io.loyalty.clv.ClvApi.purchase;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Cohorts and period rates on a hand-made set of customers in 2005 (no other test uses that year). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.grpc.server.port=0")
@AutoConfigureWebTestClient
class RetentionIT {

    @Autowired
    WebTestClient web;

    @Test
    void cohortsAndRatesOnAHandMadeCase() {
        ClvApi api = new ClvApi(web);
        String id = UUID.randomUUID().toString();
        // January cohort: A (Jan, Feb, Mar), B (Jan, Mar), C (Jan only, twice), D (Jan 31 23:30 at -02:00 = Feb 1 UTC)
        // February cohort: D (Feb, Mar)
        api.purchases(List.of(
                purchase(id + "1", id + "A", "2005-01-05T10:00:00Z", 1),
                purchase(id + "2", id + "A", "2005-02-05T10:00:00Z", 1),
                purchase(id + "3", id + "A", "2005-03-05T10:00:00Z", 1),
                purchase(id + "4", id + "B", "2005-01-06T10:00:00Z", 1),
                purchase(id + "5", id + "B", "2005-03-06T10:00:00Z", 1),
                purchase(id + "6", id + "C", "2005-01-07T10:00:00Z", 1),
                purchase(id + "7", id + "C", "2005-01-08T10:00:00Z", 1),
                purchase(id + "8", id + "D", "2005-01-31T23:30:00-02:00", 1),
                purchase(id + "9", id + "D", "2005-03-01T10:00:00Z", 1)));
        api.post("/api/v1/churn-events/batch", Map.of("events", List.of(
                Map.of("eventId", id + "e", "customerId", id + "C", "occurredAt", "2005-02-10T00:00:00Z"))), 200);

        JsonNode report = api.get("/api/v1/retention/cohorts?from=2005-01-01&to=2005-03-31&period=month", 200);
        JsonNode cohorts = report.get("cohorts");
        assertThat(cohorts).hasSize(2);
        JsonNode jan = cohorts.get(0);
        assertThat(jan.get("cohortStart").stringValue()).isEqualTo("2005-01-01");
        assertThat(jan.get("customers").longValue()).isEqualTo(3);
        assertThat(shares(jan)).containsExactly(1.0, 1 / 3.0, 2 / 3.0);
        JsonNode feb = cohorts.get(1);
        assertThat(feb.get("cohortStart").stringValue()).isEqualTo("2005-02-01");
        assertThat(feb.get("customers").longValue()).isEqualTo(1);
        assertThat(shares(feb)).containsExactly(1.0, 1.0);

        JsonNode periods = report.get("periods");
        assertThat(periods).hasSize(3);
        assertThat(periods.get(0).get("activeLastPeriod").longValue()).isZero();   // nobody bought in Dec 2004
        assertThat(periods.get(0).get("retentionRate").isNull()).isTrue();
        // February: of A, B, C (January buyers) only A bought again
        assertThat(periods.get(1).get("activeLastPeriod").longValue()).isEqualTo(3);
        assertThat(periods.get(1).get("retained").longValue()).isEqualTo(1);
        assertThat(periods.get(1).get("retentionRate").doubleValue()).isCloseTo(1 / 3.0, within(1e-12));
        assertThat(periods.get(1).get("churnRate").doubleValue()).isCloseTo(2 / 3.0, within(1e-12));
        assertThat(periods.get(1).get("churnEvents").longValue()).isEqualTo(1);
        // March: of A and D (February buyers) both bought
        assertThat(periods.get(2).get("activeLastPeriod").longValue()).isEqualTo(2);
        assertThat(periods.get(2).get("retentionRate").doubleValue()).isEqualTo(1.0);

        api.get("/api/v1/retention/cohorts?from=2005-03-01&to=2005-01-01", 400);
        api.get("/api/v1/retention/cohorts?from=2005-13-01", 400);
        api.get("/api/v1/retention/cohorts?period=week", 400);
        api.get("/api/v1/retention/cohorts?from=1990-01-01&to=2005-01-01", 400);
    }

    private static List<Double> shares(JsonNode cohort) {
        return java.util.stream.StreamSupport.stream(cohort.get("retained").spliterator(), false)
                .map(JsonNode::doubleValue).toList();
    }
}
