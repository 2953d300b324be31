package io.loyalty.gateway.client;

import io.loyalty.gateway.auth.ApiKeyAuthenticator;
import io.loyalty.gateway.auth.ApiKeys;
import io.loyalty.gateway.auth.Scopes;
import io.loyalty.gateway.ratelimit.RateLimitPolicy;
import io.loyalty.gateway.web.Paging;
import io.loyalty.gateway.web.Problems;
import io.loyalty.gateway.web.Problems.FieldError;
import io.loyalty.gateway.web.Problems.ProblemException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * Clients and their API keys (scope {@code admin}). A key's secret appears once, in the response that
 * creates it; only its SHA-256 is stored.
 */
@RestController
@RequestMapping("/api/v1/admin/clients")
class AdminController {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_NAME = 100;

    private final ClientRepository clients;
    private final ApiKeyAuthenticator authenticator;

    AdminController(ClientRepository clients, ApiKeyAuthenticator authenticator) {
        this.clients = clients;
        this.authenticator = authenticator;
    }

    record NewClient(String name, List<String> scopes, RateLimitPolicy rateLimit) {
    }

    @PostMapping
    Mono<ResponseEntity<Map<String, Object>>> create(@RequestBody(required = false) String body) {
        NewClient request = parse(body);
        UUID id = UUID.randomUUID();
        return clients.insertIfAbsent(id, request.name(), request.scopes(), request.rateLimit()).map(stored -> {
            if (stored.id().equals(id)) {
                return ResponseEntity.status(HttpStatus.CREATED).body(view(stored));
            }
            boolean same = Set.copyOf(stored.scopes()).equals(Set.copyOf(request.scopes()))
                    && Objects.equals(stored.rateLimit(), request.rateLimit());
            if (!same) {
                throw new ProblemException(HttpStatus.CONFLICT, "conflict",
                        "A client named '" + request.name() + "' exists with different scopes or limits");
            }
            return ResponseEntity.ok(view(stored));
        });
    }

    @GetMapping
    Mono<Map<String, Object>> list(@RequestParam(required = false) String limit,
                                   @RequestParam(required = false) String cursor) {
        Paging paging = Paging.parse(limit, cursor);
        return clients.list(paging.after(), paging.limit() + 1).collectList()
                .map(rows -> paging.page(rows, ApiClient::id, AdminController::view));
    }

    @GetMapping("/{clientId}")
    Mono<Map<String, Object>> get(@PathVariable String clientId) {
        return existing(clientId).map(AdminController::view);
    }

    @PostMapping("/{clientId}/keys")
    Mono<ResponseEntity<Map<String, Object>>> createKey(@PathVariable String clientId) {
        return existing(clientId).flatMap(client -> {
            String secret = ApiKeys.generate();
            return clients.insertKey(client.id(), secret).map(key -> {
                Map<String, Object> body = keyView(key);
                body.put("key", secret);
                return ResponseEntity.status(HttpStatus.CREATED).body(body);
            });
        });
    }

    @GetMapping("/{clientId}/keys")
    Mono<Map<String, Object>> listKeys(@PathVariable String clientId, @RequestParam(required = false) String limit,
                                       @RequestParam(required = false) String cursor) {
        Paging paging = Paging.parse(limit, cursor);
        return existing(clientId).flatMap(client -> clients.listKeys(client.id(), paging.after(), paging.limit() + 1)
                .collectList().map(rows -> paging.page(rows, ApiKey::id, AdminController::keyView)));
    }

    /** Revoking twice is fine (204 again); a key that never existed for this client is 404. */
    @DeleteMapping("/{clientId}/keys/{keyId}")
    Mono<ResponseEntity<Void>> revoke(@PathVariable String clientId, @PathVariable String keyId) {
        UUID client = uuid(clientId, "client");
        UUID key = uuid(keyId, "key");
        return clients.revokeKey(client, key)
                .switchIfEmpty(clients.findKey(client, key))
                .switchIfEmpty(Mono.error(() -> new ProblemException(HttpStatus.NOT_FOUND, "not-found",
                        "Client " + clientId + " has no key " + keyId)))
                .doOnNext(revoked -> authenticator.evict(revoked.id()))
                .thenReturn(ResponseEntity.noContent().build());
    }

    private Mono<ApiClient> existing(String clientId) {
        return clients.findById(uuid(clientId, "client")).switchIfEmpty(Mono.error(() ->
                new ProblemException(HttpStatus.NOT_FOUND, "not-found", "No client " + clientId)));
    }

    private static UUID uuid(String value, String what) {
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(HttpStatus.NOT_FOUND, "not-found", "No " + what + " " + value);
        }
    }

    static NewClient parse(String body) {
        if (body == null || body.isBlank()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "bad-request", "A JSON body is required");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "bad-request", "The request body is not valid JSON");
        }
        if (root == null || !root.isObject()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "bad-request", "The request body must be a JSON object");
        }
        List<FieldError> errors = new ArrayList<>();
        JsonNode nameNode = root.get("name");
        String name = null;
        if (nameNode == null || nameNode.isNull()) {
            errors.add(new FieldError("name", "is required"));
        } else if (!nameNode.isString() || nameNode.stringValue().isBlank()) {
            errors.add(new FieldError("name", "must be a non-blank string"));
        } else if (nameNode.stringValue().trim().length() > MAX_NAME) {
            errors.add(new FieldError("name", "must be at most " + MAX_NAME + " characters"));
        } else {
            name = nameNode.stringValue().trim();
        }
        Set<String> scopes = new LinkedHashSet<>();
        JsonNode scopesNode = root.get("scopes");
        if (scopesNode == null || scopesNode.isNull()) {
            errors.add(new FieldError("scopes", "is required"));
        } else if (!scopesNode.isArray() || scopesNode.isEmpty()) {
            errors.add(new FieldError("scopes", "must be a non-empty array of " + Scopes.ALL));
        } else {
            for (int i = 0; i < scopesNode.size(); i++) {
                JsonNode scope = scopesNode.get(i);
                if (!scope.isString() || !Scopes.ALL.contains(scope.stringValue())) {
                    errors.add(new FieldError("scopes[" + i + "]", "must be one of " + Scopes.ALL));
                } else {
                    scopes.add(scope.stringValue());
                }
            }
        }
        RateLimitPolicy limit = null;
        JsonNode limitNode = root.get("rateLimit");
        if (limitNode != null && !limitNode.isNull()) {
            if (!limitNode.isObject()) {
                errors.add(new FieldError("rateLimit", "must be an object {requestsPerSecond, burst, dailyQuota?}"));
            } else {
                Double rps = null;
                JsonNode rpsNode = limitNode.get("requestsPerSecond");
                if (rpsNode == null || !rpsNode.isNumber() || !(rpsNode.doubleValue() > 0) || rpsNode.doubleValue() > 100_000) {
                    errors.add(new FieldError("rateLimit.requestsPerSecond", "must be a number > 0 and <= 100000"));
                } else {
                    rps = rpsNode.doubleValue();
                }
                Long burst = wholeNumber(limitNode.get("burst"), "rateLimit.burst", 1_000_000, true, errors);
                Long quota = wholeNumber(limitNode.get("dailyQuota"), "rateLimit.dailyQuota", 1_000_000_000_000L, false, errors);
                if (rps != null && burst != null) {
                    limit = new RateLimitPolicy(rps, burst, quota);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(HttpStatus.BAD_REQUEST, "validation", "The client is invalid", errors);
        }
        return new NewClient(name, List.copyOf(scopes), limit);
    }

    private static Long wholeNumber(JsonNode node, String field, long max, boolean required, List<FieldError> errors) {
        if (node == null || node.isNull()) {
            if (required) {
                errors.add(new FieldError(field, "is required"));
            }
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 1 || node.longValue() > max) {
            errors.add(new FieldError(field, "must be a whole number from 1 to " + max));
            return null;
        }
        return node.longValue();
    }

    static Map<String, Object> view(ApiClient client) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", client.id());
        body.put("name", client.name());
        body.put("scopes", client.scopes());
        body.put("rateLimit", client.rateLimit());
        body.put("createdAt", client.createdAt());
        return body;
    }

    static Map<String, Object> keyView(ApiKey key) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", key.id());
        body.put("clientId", key.clientId());
        body.put("prefix", key.prefix());
        body.put("createdAt", key.createdAt());
        body.put("revokedAt", key.revokedAt());
        body.put("active", key.revokedAt() == null);
        return body;
    }
}
