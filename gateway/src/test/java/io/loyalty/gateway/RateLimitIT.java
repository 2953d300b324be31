package io.loyalty.gateway;

import io.loyalty.gateway.support.GatewayIT;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Token buckets in real Redis, per client across all of its keys. */
class RateLimitIT extends GatewayIT {

    private static final String PATH = "/api/v1/customers/c-1/value";

    @Test
    void limitIsSharedByAClientsKeysAnd429CarriesTheHeaders() {
        // 3 tokens, refilled at one per 100 s: the fourth request within the test is over the limit
        String clientId = createClient(unique("limited"), List.of("clv:read"),
                Map.of("requestsPerSecond", 0.01, "burst", 3));
        String first = (String) createKey(clientId).get("key");
        String second = (String) createKey(clientId).get("key");

        get(PATH, first).exchange().expectStatus().isOk()
                .expectHeader().valueEquals("RateLimit-Limit", "3")
                .expectHeader().valueEquals("RateLimit-Remaining", "2")
                .expectHeader().valueEquals("RateLimit-Policy", "3;w=300");
        get(PATH, second).exchange().expectStatus().isOk()
                .expectHeader().valueEquals("RateLimit-Remaining", "1");
        get(PATH, first).exchange().expectStatus().isOk()
                .expectHeader().valueEquals("RateLimit-Remaining", "0")
                .expectHeader().value("RateLimit-Reset", reset -> assertThat(Long.parseLong(reset)).isBetween(290L, 300L));
        int forwarded = CLV.received().size();
        get(PATH, second).exchange()
                .expectStatus().isEqualTo(429)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals("RateLimit-Limit", "3")
                .expectHeader().valueEquals("RateLimit-Remaining", "0")
                // one token takes 100 s to come back; a few ms may have passed since the last one was taken
                .expectHeader().value("Retry-After", retry -> assertThat(Long.parseLong(retry)).isBetween(99L, 100L))
                .expectBody()
                .jsonPath("$.status").isEqualTo(429)
                .jsonPath("$.type").isEqualTo("https://loyalty.io/problems/rate-limited");
        assertThat(CLV.received()).hasSize(forwarded);

        // usage is per client: both keys' requests, and its own only (the usage call is itself rejected)
        get("/api/v1/usage", first).exchange().expectStatus().isEqualTo(429);
    }

    @Test
    void usageShowsTheCallersOwnConsumption() {
        String clientId = createClient(unique("metered"), List.of("clv:read"),
                Map.of("requestsPerSecond", 100, "burst", 50, "dailyQuota", 1000));
        String key = (String) createKey(clientId).get("key");
        String otherKey = (String) createKey(createClient(unique("noise"), List.of("clv:read"), null)).get("key");
        for (int i = 0; i < 4; i++) {
            get(PATH, key).exchange().expectStatus().isOk();
        }
        get(PATH, otherKey).exchange().expectStatus().isOk();

        get("/api/v1/usage?days=3", key).exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.clientId").isEqualTo(clientId)
                .jsonPath("$.authMethod").isEqualTo("api-key")
                .jsonPath("$.rateLimit.requestsPerSecond").isEqualTo(100.0)
                .jsonPath("$.rateLimit.burst").isEqualTo(50)
                .jsonPath("$.rateLimit.dailyQuota").isEqualTo(1000)
                .jsonPath("$.current.store").isEqualTo("redis")
                .jsonPath("$.current.allowedToday").isEqualTo(5)
                .jsonPath("$.current.quotaRemainingToday").isEqualTo(995)
                .jsonPath("$.days.length()").isEqualTo(3)
                .jsonPath("$.days[0].allowed").isEqualTo(5)
                .jsonPath("$.days[0].rejected").isEqualTo(0)
                .jsonPath("$.days[1].allowed").isEqualTo(0)
                .jsonPath("$.totals.allowed").isEqualTo(5);
        for (String query : List.of("days=0", "days=32", "days=x")) {
            get("/api/v1/usage?" + query, key).exchange().expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.errors[0].field").isEqualTo("days");
        }
    }

    @Test
    void dailyQuotaRejectsUntilMidnightUtc() {
        String clientId = createClient(unique("quota"), List.of("clv:read"),
                Map.of("requestsPerSecond", 100, "burst", 100, "dailyQuota", 2));
        String key = (String) createKey(clientId).get("key");
        get(PATH, key).exchange().expectStatus().isOk();
        get(PATH, key).exchange().expectStatus().isOk();
        get(PATH, key).exchange().expectStatus().isEqualTo(429)
                .expectHeader().value("Retry-After", retry -> assertThat(Long.parseLong(retry)).isBetween(1L, 86_400L))
                .expectBody().jsonPath("$.type").isEqualTo("https://loyalty.io/problems/quota-exceeded");
    }
}
