package io.loyalty.gateway;

import io.loyalty.gateway.support.GatewayIT;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/** Every public path the services serve reaches its service through the gateway, path and query intact. */
class RoutingIT extends GatewayIT {

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
            "POST, /api/v1/surveys, survey",
            "GET, /api/v1/surveys/s1, survey",
            "POST, /api/v1/surveys/s1/responses, survey",
            "POST, /api/v1/surveys/s1/responses/batch, survey",
            "GET, /api/v1/surveys/s1/responses?limit=10, survey",
            "GET, /api/v1/surveys/s1/responses/r1, survey",
            "GET, /api/v1/surveys/s1/results?interval=week, survey",
            "GET, /api/v1/customers/c1/satisfaction, survey",
            "DELETE, /api/v1/customers/c1/responses, survey",
            "POST, /api/v1/tickets, ticket",
            "GET, /api/v1/tickets?customerId=c1, ticket",
            "GET, /api/v1/tickets/t1, ticket",
            "POST, /api/v1/tickets/t1/events, ticket",
            "POST, /api/v1/ticket-events/batch, ticket",
            "GET, /api/v1/tickets/stats?from=2026-01-01, ticket",
            "GET, /api/v1/sla-policies, ticket",
            "PUT, /api/v1/sla-policies/HIGH, ticket",
            "GET, /api/v1/customers/c1/service-stats, ticket",
            "POST, /api/v1/purchases/batch, clv",
            "POST, /api/v1/referrals/batch, clv",
            "POST, /api/v1/churn-events/batch, clv",
            "GET, /api/v1/retention/cohorts?period=month, clv",
            "POST, /api/v1/scoring-runs, clv",
            "GET, /api/v1/scoring-runs/7, clv",
            "GET, /api/v1/scoring-runs/7/service-impact, clv",
            "GET, /api/v1/customers/c1/value?run=7, clv",
            "GET, /api/v1/campaigns/upsell/customers?limit=5, clv",
            "GET, /api/v1/campaigns/retention/customers, clv",
            "POST, /api/v1/campaigns, clv",
            "GET, /api/v1/campaigns/3, clv",
            "GET, /api/v1/campaigns/3/members, clv",
            "GET, /api/v1/campaigns/3/report, clv"
    })
    void reachesItsService(String method, String pathAndQuery, String service) {
        WebTestClient.RequestBodySpec request = web.method(HttpMethod.valueOf(method)).uri(pathAndQuery)
                .header("Authorization", "Bearer " + ADMIN_KEY);
        WebTestClient.RequestHeadersSpec<?> sent = method.equals("GET") || method.equals("DELETE") ? request
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue("{}");
        sent.exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.service").isEqualTo(service)
                .jsonPath("$.method").isEqualTo(method)
                .jsonPath("$.uri").isEqualTo(pathAndQuery);
    }
}
