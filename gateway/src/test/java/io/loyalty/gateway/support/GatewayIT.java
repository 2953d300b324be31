package io.loyalty.gateway.support;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * One gateway for every integration test class (one Spring context): real PostgreSQL (test-support),
 * real Redis ({@link TestRedis}), real downstream HTTP servers and a real JWKS endpoint. The survey
 * route has a 1 s timeout and a small circuit breaker so resilience is quick to show.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
public abstract class GatewayIT {

    public static final String ADMIN_KEY = "lk_admin_integration_test_" + UUID.randomUUID().toString().replace("-", "");
    public static final String REDIS_PREFIX = "loyalty:gateway:it:" + UUID.randomUUID() + ":";
    public static final Duration SURVEY_TIMEOUT = Duration.ofMillis(1000);
    public static final Duration BREAKER_WAIT = Duration.ofSeconds(2);

    public static final Backend SURVEY = new Backend("survey").start();
    public static final Backend TICKET = new Backend("ticket").start();
    public static final Backend CLV = new Backend("clv").start();
    public static final TestIssuer ISSUER = new TestIssuer();

    @LocalServerPort
    protected int port;

    protected WebTestClient web;

    @DynamicPropertySource
    static void gateway(DynamicPropertyRegistry registry) {
        registry.add("loyalty.gateway.services.survey.uri", SURVEY::uri);
        registry.add("loyalty.gateway.services.ticket.uri", TICKET::uri);
        registry.add("loyalty.gateway.services.clv.uri", CLV::uri);
        registry.add("loyalty.gateway.auth.admin-api-key", () -> ADMIN_KEY);
        registry.add("loyalty.gateway.auth.jwt.enabled", () -> "true");
        registry.add("loyalty.gateway.auth.jwt.issuer", () -> TestIssuer.ISSUER);
        registry.add("loyalty.gateway.auth.jwt.audiences", () -> TestIssuer.AUDIENCE);
        registry.add("loyalty.gateway.auth.jwt.jwks-uri", ISSUER::jwksUri);
        registry.add("loyalty.gateway.auth.jwt.jwks-min-refresh-interval", () -> "500ms");
        registry.add("loyalty.gateway.rate-limit.redis-url", TestRedis::url);
        registry.add("loyalty.gateway.rate-limit.key-prefix", () -> REDIS_PREFIX);
        // generous defaults: only the clients a test creates with their own limits get throttled
        registry.add("loyalty.gateway.rate-limit.default-requests-per-second", () -> "1000");
        registry.add("loyalty.gateway.rate-limit.default-burst", () -> "1000");
        registry.add("SURVEY_RESPONSE_TIMEOUT_MS", () -> Long.toString(SURVEY_TIMEOUT.toMillis()));
        registry.add("TICKET_RESPONSE_TIMEOUT_MS", () -> "5000");
        registry.add("CLV_RESPONSE_TIMEOUT_MS", () -> "5000");
        registry.add("loyalty.gateway.resilience.circuit-breakers.survey.failure-rate-threshold", () -> "50");
        registry.add("loyalty.gateway.resilience.circuit-breakers.survey.sliding-window-size", () -> "4");
        registry.add("loyalty.gateway.resilience.circuit-breakers.survey.minimum-number-of-calls", () -> "4");
        registry.add("loyalty.gateway.resilience.circuit-breakers.survey.wait-duration-in-open-state",
                () -> BREAKER_WAIT.toMillis() + "ms");
        registry.add("loyalty.gateway.resilience.circuit-breakers.survey.permitted-calls-in-half-open-state", () -> "1");
        registry.add("loyalty.gateway.resilience.max-body-size", () -> "64KB");
        registry.add("loyalty.gateway.cors.allowed-origins", () -> "https://app.example.com");
    }

    @BeforeEach
    void client() {
        web = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(20)).build();
    }

    protected WebTestClient.RequestHeadersSpec<?> get(String path, String credential) {
        WebTestClient.RequestHeadersSpec<?> spec = web.get().uri(path);
        return credential == null ? spec : spec.header("Authorization", "Bearer " + credential);
    }

    /** Creates a client through the admin API and returns its id. */
    @SuppressWarnings("unchecked")
    protected String createClient(String name, List<String> scopes, Map<String, Object> rateLimit) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("name", name);
        body.put("scopes", scopes);
        if (rateLimit != null) {
            body.put("rateLimit", rateLimit);
        }
        Map<String, Object> created = web.post().uri("/api/v1/admin/clients")
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
        return (String) created.get("id");
    }

    /** Issues a key for the client; returns {id, key}. */
    @SuppressWarnings("unchecked")
    protected Map<String, Object> createKey(String clientId) {
        return web.post().uri("/api/v1/admin/clients/{id}/keys", clientId)
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .exchange().expectStatus().isCreated()
                .expectBody(Map.class).returnResult().getResponseBody();
    }

    protected static String unique(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected static void eventually(Duration within, BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("Not within " + within + ": " + what);
    }
}
