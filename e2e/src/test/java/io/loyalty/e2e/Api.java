package io.loyalty.e2e;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** A partner app's view of the platform: HTTP through the gateway, nothing else. */
final class Api {

    static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String key;

    Api(String base, String key) {
        this.base = base;
        this.key = key;
    }

    Api withKey(String otherKey) {
        return new Api(base, otherKey);
    }

    record Response(int status, String contentType, String body, HttpResponse<String> raw) {

        JsonNode json() {
            return JSON.readTree(body);
        }

        boolean isProblem() {
            return contentType != null && contentType.startsWith("application/problem+json");
        }

        @Override
        public String toString() {
            return status + " " + contentType + " " + (body.length() > 500 ? body.substring(0, 500) + "..." : body);
        }
    }

    Response get(String path) {
        return send("GET", path, null, Map.of());
    }

    Response get(String path, Map<String, String> headers) {
        return send("GET", path, null, headers);
    }

    Response post(String path, Object body) {
        return send("POST", path, body, Map.of());
    }

    Response put(String path, Object body) {
        return send("PUT", path, body, Map.of());
    }

    /** Body: a String is sent as it is (for malformed JSON), anything else as JSON. */
    Response send(String method, String path, Object body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
        Map<String, String> all = new LinkedHashMap<>();
        if (key != null) {
            all.put("Authorization", "Bearer " + key);
        }
        all.put("Accept", "application/json");
        if (body != null) {
            all.put("Content-Type", "application/json");
        }
        all.putAll(headers);
        all.forEach((name, value) -> {
            if (value != null) {
                request.header(name, value);
            }
        });
        byte[] bytes = body == null ? null
                : body instanceof String s ? s.getBytes(java.nio.charset.StandardCharsets.UTF_8)
                : body instanceof byte[] b ? b : JSON.writeValueAsBytes(body);
        request.method(method, bytes == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                    response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
