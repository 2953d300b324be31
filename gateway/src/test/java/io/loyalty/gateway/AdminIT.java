package io.loyalty.gateway;

import io.loyalty.gateway.support.GatewayIT;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class AdminIT extends GatewayIT {

    private static final String PATH = "/api/v1/tickets/rotation";

    @Test
    void createClientReturnsItAndReplayIsIdempotent() {
        String name = unique("partner");
        String body = "{\"name\":\"" + name + "\",\"scopes\":[\"tickets:read\",\"clv:read\"],"
                + "\"rateLimit\":{\"requestsPerSecond\":5,\"burst\":10}}";
        web.post().uri("/api/v1/admin/clients").header("Authorization", "Bearer " + ADMIN_KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isCreated()
                .expectBody()
                .jsonPath("$.name").isEqualTo(name)
                .jsonPath("$.scopes.length()").isEqualTo(2)
                .jsonPath("$.rateLimit.requestsPerSecond").isEqualTo(5.0)
                .jsonPath("$.rateLimit.burst").isEqualTo(10)
                .jsonPath("$.id").isNotEmpty();
        Map<?, ?> created = web.get().uri("/api/v1/admin/clients?limit=1000").header("Authorization", "Bearer " + ADMIN_KEY)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        List<?> items = (List<?>) created.get("items");
        Map<?, ?> mine = items.stream().map(Map.class::cast).filter(m -> name.equals(m.get("name"))).findFirst().orElseThrow();

        web.post().uri("/api/v1/admin/clients").header("Authorization", "Bearer " + ADMIN_KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.id").isEqualTo(mine.get("id"));
        web.post().uri("/api/v1/admin/clients").header("Authorization", "Bearer " + ADMIN_KEY)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"name\":\"" + name + "\",\"scopes\":[\"admin\"]}").exchange()
                .expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        web.get().uri("/api/v1/admin/clients/{id}", mine.get("id")).header("Authorization", "Bearer " + ADMIN_KEY)
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.name").isEqualTo(name);
    }

    @Test
    void invalidClientsAre400WithFieldErrorsAndNothingIsStored() {
        Map<String, List<String>> cases = Map.of(
                "{\"scopes\":[\"tickets:read\"]}", List.of("name"),
                "{\"name\":\"  \",\"scopes\":[\"tickets:read\"]}", List.of("name"),
                "{\"name\":\"x\",\"scopes\":[]}", List.of("scopes"),
                "{\"name\":\"x\",\"scopes\":[\"tickets:read\",\"root\",7]}", List.of("scopes[1]", "scopes[2]"),
                "{\"name\":\"x\",\"scopes\":\"admin\"}", List.of("scopes"),
                "{\"name\":\"x\",\"scopes\":[\"admin\"],\"rateLimit\":{\"requestsPerSecond\":0,\"burst\":1.5}}",
                List.of("rateLimit.requestsPerSecond", "rateLimit.burst"),
                "{\"name\":\"x\",\"scopes\":[\"admin\"],\"rateLimit\":{\"requestsPerSecond\":\"fast\",\"burst\":99999999999999999999999}}",
                List.of("rateLimit.requestsPerSecond", "rateLimit.burst"),
                "{\"name\":\"x\",\"scopes\":[\"admin\"],\"rateLimit\":{\"requestsPerSecond\":1,\"burst\":1,\"dailyQuota\":-3}}",
                List.of("rateLimit.dailyQuota"),
                "{\"name\":\"x\",\"scopes\":[\"admin\"],\"rateLimit\":5}", List.of("rateLimit"));
        cases.forEach((body, fields) -> web.post().uri("/api/v1/admin/clients").header("Authorization", "Bearer " + ADMIN_KEY)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(400)
                .jsonPath("$.errors[*].field").value(found -> assertThat(((List<?>) found).stream().map(String::valueOf).toList())
                        .as(body).containsExactlyInAnyOrderElementsOf(fields)));
        for (String body : List.of("{", "[]", "\"name\"", "", "{\"name\":\"x\",\"scopes\":[\"admin\"]")) {
            web.post().uri("/api/v1/admin/clients").header("Authorization", "Bearer " + ADMIN_KEY)
                    .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
        web.get().uri("/api/v1/admin/clients?limit=1000").header("Authorization", "Bearer " + ADMIN_KEY).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.items[?(@.name == 'x')]").isEmpty();
    }

    @Test
    void listsArePagedWithAnOpaqueCursor() {
        for (int i = 0; i < 3; i++) {
            createClient(unique("paged"), List.of("clv:read"), null);
        }
        Map<?, ?> first = web.get().uri("/api/v1/admin/clients?limit=2").header("Authorization", "Bearer " + ADMIN_KEY)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        assertThat((List<?>) first.get("items")).hasSize(2);
        assertThat(first.get("nextCursor")).isNotNull();
        Map<?, ?> second = web.get().uri("/api/v1/admin/clients?limit=2&cursor={c}", first.get("nextCursor"))
                .header("Authorization", "Bearer " + ADMIN_KEY)
                .exchange().expectStatus().isOk().expectBody(Map.class).returnResult().getResponseBody();
        List<Object> firstItems = List.copyOf((List<?>) first.get("items"));
        List<Object> secondItems = List.copyOf((List<?>) second.get("items"));
        assertThat(secondItems).isNotEmpty().doesNotContainAnyElementsOf(firstItems);
        for (String query : List.of("limit=0", "limit=1001", "limit=abc", "cursor=%25%25", "cursor=bm90LWEtdXVpZA")) {
            web.get().uri("/api/v1/admin/clients?" + query).header("Authorization", "Bearer " + ADMIN_KEY).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        }
    }

    @Test
    void keysAreShownOnceAndListedWithoutSecrets() {
        String clientId = createClient(unique("keys"), List.of("tickets:read"), null);
        Map<String, Object> key = createKey(clientId);
        assertThat((String) key.get("key")).startsWith("lk_").hasSizeGreaterThan(40);
        assertThat(key.get("id")).isNotNull();
        String listing = web.get().uri("/api/v1/admin/clients/{id}/keys", clientId)
                .header("Authorization", "Bearer " + ADMIN_KEY).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(listing).contains((String) key.get("id")).doesNotContain((String) key.get("key"))
                .doesNotContain("hash").contains("\"nextCursor\":null");
    }

    @Test
    void unknownClientsAndKeysAre404() {
        web.post().uri("/api/v1/admin/clients/{id}/keys", "6f1f3f0e-1111-4222-8333-944444444444")
                .header("Authorization", "Bearer " + ADMIN_KEY).exchange()
                .expectStatus().isNotFound().expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        web.get().uri("/api/v1/admin/clients/not-a-uuid").header("Authorization", "Bearer " + ADMIN_KEY).exchange()
                .expectStatus().isNotFound();
        String clientId = createClient(unique("nokey"), List.of("tickets:read"), null);
        web.delete().uri("/api/v1/admin/clients/{c}/keys/{k}", clientId, "6f1f3f0e-1111-4222-8333-944444444444")
                .header("Authorization", "Bearer " + ADMIN_KEY).exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void rotationNewKeyWorksRevokedKeyIs401() {
        String clientId = createClient(unique("rotating"), List.of("tickets:read"), null);
        Map<String, Object> old = createKey(clientId);
        get(PATH, (String) old.get("key")).exchange().expectStatus().isOk();

        Map<String, Object> fresh = createKey(clientId);
        get(PATH, (String) fresh.get("key")).exchange().expectStatus().isOk();
        get(PATH, (String) old.get("key")).exchange().expectStatus().isOk();

        web.delete().uri("/api/v1/admin/clients/{c}/keys/{k}", clientId, old.get("id"))
                .header("Authorization", "Bearer " + ADMIN_KEY).exchange().expectStatus().isNoContent();
        get(PATH, (String) old.get("key")).exchange().expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON);
        get(PATH, (String) fresh.get("key")).exchange().expectStatus().isOk();
        // revoking again changes nothing
        web.delete().uri("/api/v1/admin/clients/{c}/keys/{k}", clientId, old.get("id"))
                .header("Authorization", "Bearer " + ADMIN_KEY).exchange().expectStatus().isNoContent();
        web.get().uri("/api/v1/admin/clients/{id}/keys", clientId).header("Authorization", "Bearer " + ADMIN_KEY)
                .exchange().expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items[?(@.id == '" + old.get("id") + "')].active").isEqualTo(false)
                .jsonPath("$.items[?(@.id == '" + fresh.get("id") + "')].active").isEqualTo(true);
        // a key of another client cannot be revoked through this client
        String other = createClient(unique("other"), List.of("tickets:read"), null);
        web.delete().uri("/api/v1/admin/clients/{c}/keys/{k}", other, fresh.get("id"))
                .header("Authorization", "Bearer " + ADMIN_KEY).exchange().expectStatus().isNotFound();
        get(PATH, (String) fresh.get("key")).exchange().expectStatus().isOk();
    }
}
