package io.loyalty.gateway;

import com.nimbusds.jwt.JWTClaimsSet;
import io.loyalty.gateway.support.GatewayIT;
import io.loyalty.gateway.support.TestIssuer;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AuthIT extends GatewayIT {

    private static final String TICKET_PATH = "/api/v1/tickets/t-1";

    @Test
    void missingCredentialIs401Problem() {
        web.get().uri("/api/v1/tickets/never-forwarded").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals("WWW-Authenticate", "Bearer realm=\"loyalty\"")
                .expectBody()
                .jsonPath("$.status").isEqualTo(401)
                .jsonPath("$.title").isEqualTo("Unauthorized")
                .jsonPath("$.type").isEqualTo("https://loyalty.io/problems/unauthorized")
                .jsonPath("$.detail").isNotEmpty();
        assertThat(TICKET.received()).noneMatch(r -> r.path().equals("/api/v1/tickets/never-forwarded"));
    }

    @Test
    void malformedAuthorizationHeadersAre401() {
        for (String header : List.of("Basic dXNlcjpwYXNz", "Bearer", "Bearer    ", "Token abc", ADMIN_KEY,
                "Bearer a b", "Bearer \u00e9t\u00e9")) {
            web.get().uri(TICKET_PATH).header("Authorization", header).exchange()
                    .expectStatus().isUnauthorized()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.status").isEqualTo(401);
        }
    }

    @Test
    void unknownKeyIs401() {
        get(TICKET_PATH, "lk_thisKeyWasNeverIssued0000000000000000000000").exchange()
                .expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.detail").isEqualTo("The API key is unknown or has been revoked");
        // right prefix, wrong secret
        get(TICKET_PATH, ADMIN_KEY.substring(0, 20) + "x").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void adminKeyFromConfigurationHasEveryScope() {
        get("/api/v1/tickets/admin-check", ADMIN_KEY).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.service").isEqualTo("ticket");
        // the service learns who called, never the credential
        var received = TICKET.received().stream().filter(r -> r.path().equals("/api/v1/tickets/admin-check")).findFirst().orElseThrow();
        assertThat(received.headers()).doesNotContainKey("authorization");
        assertThat(received.headers().get("x-loyalty-client-id")).isNotBlank();
        web.get().uri("/api/v1/tickets/admin-check").header("Authorization", "Bearer " + ADMIN_KEY)
                .header("X-Loyalty-Client-Id", "spoofed").exchange().expectStatus().isOk();
        assertThat(TICKET.last().headers().get("x-loyalty-client-id")).isNotEqualTo("spoofed");
        get("/api/v1/admin/clients", ADMIN_KEY).exchange().expectStatus().isOk();
    }

    @Test
    void keyWithoutTheRouteScopeIs403AndKeyWithItPasses() {
        String clientId = createClient(unique("reader"), List.of("tickets:read"), null);
        String key = (String) createKey(clientId).get("key");

        get(TICKET_PATH, key).exchange().expectStatus().isOk();
        web.post().uri("/api/v1/tickets").header("Authorization", "Bearer " + key)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(403)
                .jsonPath("$.detail").isEqualTo("This request needs the scope 'tickets:write'");
        get("/api/v1/campaigns/upsell/customers", key).exchange().expectStatus().isForbidden();
        get("/api/v1/admin/clients", key).exchange().expectStatus().isForbidden();
        // paths no rule names need admin: deny by default
        get("/actuator/gateway/routes", key).exchange().expectStatus().isForbidden();
    }

    @Test
    void probesMetricsAndDocsNeedNoCredentials() {
        web.get().uri("/actuator/health/liveness").exchange().expectStatus().isOk();
        web.get().uri("/actuator/health/readiness").exchange().expectStatus().isOk();
        web.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).value(body -> assertThat(body).contains("jvm_memory_used_bytes"));
        web.get().uri("/api-docs/survey").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.info.title").isEqualTo("survey");
        web.get().uri("/api-docs/clv").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.info.title").isEqualTo("clv");
        // the service sees the gateway's host, so the servers it lists in its document are the gateway
        assertThat(CLV.last().path()).isEqualTo("/v3/api-docs");
        assertThat(CLV.last().headers().get("host")).isEqualTo("127.0.0.1:" + port);
        web.get().uri("/v3/api-docs/swagger-config").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.urls[?(@.name == 'ticket')].url").isEqualTo("/api-docs/ticket");
        web.get().uri("/v3/api-docs").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.paths['/api/v1/admin/clients']").exists();
    }

    @Test
    void healthShowsEachDownstream() {
        web.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.components.downstream.components.survey").exists()
                .jsonPath("$.components.downstream.components.ticket").exists()
                .jsonPath("$.components.downstream.components.clv").exists();
    }

    @Test
    void validJwtWithScopeIsForwardedAndMissingScopeIs403() {
        String token = ISSUER.token("partner-app", "tickets:read surveys:read");
        get(TICKET_PATH, token).exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.service").isEqualTo("ticket");
        get("/api/v1/campaigns/retention/customers", token).exchange().expectStatus().isForbidden();

        String scp = ISSUER.token(TestIssuer.claims("other-app", TestIssuer.ISSUER, TestIssuer.AUDIENCE,
                Instant.now().plusSeconds(60)).claim("scp", List.of("campaigns:read")).build());
        get("/api/v1/campaigns/retention/customers", scp).exchange().expectStatus().isOk();
        get(TICKET_PATH, scp).exchange().expectStatus().isForbidden();
    }

    @Test
    void usageOfAJwtClientIsItsOwn() {
        String token = ISSUER.token("usage-app-" + System.nanoTime(), "tickets:read");
        get(TICKET_PATH, token).exchange().expectStatus().isOk();
        get("/api/v1/usage", token).exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.authMethod").isEqualTo("jwt")
                .jsonPath("$.totals.allowed").isEqualTo(2);
    }

    @Test
    void badJwtsAre401() {
        Instant later = Instant.now().plusSeconds(300);
        Map<String, String> tokens = Map.of(
                "forged signature", ISSUER.forged("partner-app", "tickets:read"),
                "wrong issuer", ISSUER.token(TestIssuer.claims("partner-app", "https://evil.example/", TestIssuer.AUDIENCE, later)
                        .claim("scope", "tickets:read").build()),
                "wrong audience", ISSUER.token(TestIssuer.claims("partner-app", TestIssuer.ISSUER, "another-api", later)
                        .claim("scope", "tickets:read").build()),
                "expired", ISSUER.token(TestIssuer.claims("partner-app", TestIssuer.ISSUER, TestIssuer.AUDIENCE,
                        Instant.now().minusSeconds(3600)).claim("scope", "tickets:read").build()),
                "no client", ISSUER.token(new JWTClaimsSet.Builder().issuer(TestIssuer.ISSUER)
                        .audience(TestIssuer.AUDIENCE).expirationTime(java.util.Date.from(later))
                        .claim("scope", "tickets:read").build()),
                "not a jwt", "aaaa.bbbb.cccc");
        tokens.forEach((what, token) -> get(TICKET_PATH, token).exchange()
                .expectStatus().value(status -> assertThat(status).as(what).isEqualTo(HttpStatus.UNAUTHORIZED.value()))
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void corsPreflightIsAnsweredWithoutCredentials() {
        web.options().uri(TICKET_PATH)
                .header("Origin", "https://app.example.com")
                .header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "Authorization")
                .exchange().expectStatus().isOk()
                .expectHeader().valueEquals("Access-Control-Allow-Origin", "https://app.example.com");
        web.options().uri(TICKET_PATH)
                .header("Origin", "https://evil.example.com")
                .header("Access-Control-Request-Method", "GET")
                .exchange().expectStatus().isForbidden();
    }

    @Test
    void unroutedPathsAndWrongMethodsAreProblems() {
        get("/api/v1/nothing-here", ADMIN_KEY).exchange().expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(404);
        web.put().uri("/api/v1/usage").header("Authorization", "Bearer " + ADMIN_KEY).exchange()
                .expectStatus().isEqualTo(HttpStatus.METHOD_NOT_ALLOWED)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        // the circuit breakers' fallback is not a public endpoint
        String key = (String) createKey(createClient(unique("fallback"), List.of("surveys:read"), null)).get("key");
        get("/fallback/survey", key).exchange().expectStatus().isForbidden();
    }

    @Test
    void issuerKeyRotationIsPickedUpAndTheOldKeyStillVerifiesUntilDropped() throws InterruptedException {
        String before = ISSUER.token("rotating-app", "tickets:read");
        get(TICKET_PATH, before).exchange().expectStatus().isOk();
        ISSUER.rotate();
        Thread.sleep(600); // past jwks-min-refresh-interval, so an unknown key id may refetch
        int fetches = ISSUER.jwksFetches();
        get(TICKET_PATH, ISSUER.token("rotating-app", "tickets:read")).exchange().expectStatus().isOk();
        assertThat(ISSUER.jwksFetches()).isEqualTo(fetches + 1);
        get(TICKET_PATH, before).exchange().expectStatus().isOk();
        assertThat(ISSUER.jwksFetches()).isEqualTo(fetches + 1);
    }
}
