package io.loyalty.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The CronJob's script (k8s/base/run-scoring.sh) run with sh and curl against a stand-in clv-service on
 * loopback: the Job must succeed exactly when the scoring run does.
 */
class ScoringRunScriptTest {

    private record Reply(int status, String body) {
    }

    private HttpServer server;
    private final Deque<Reply> postReplies = new ArrayDeque<>();
    private final Deque<Reply> getReplies = new ArrayDeque<>();
    private final List<String> requests = new ArrayList<>();
    private final List<String> postedBodies = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/scoring-runs", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
        Reply reply;
        if (exchange.getRequestMethod().equals("POST")) {
            postedBodies.add(body);
            reply = postReplies.isEmpty() ? new Reply(500, "{}") : postReplies.poll();
        } else {
            reply = getReplies.isEmpty() ? new Reply(500, "{}") : getReplies.poll();
        }
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", reply.status() >= 400 ? "application/problem+json" : "application/json");
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private String configuredRequest() {
        JsonNode config = Manifests.named(Manifests.parse(readBase("scoring-cronjob.yaml")), "ConfigMap", "scoring-run").path("data");
        return config.path("SCORING_REQUEST").asText();
    }

    private static String readBase(String file) {
        try {
            return java.nio.file.Files.readString(Manifests.k8sDir().resolve("base").resolve(file));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private int runScript() throws Exception {
        Path script = Manifests.k8sDir().resolve("base/run-scoring.sh");
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", script.toString()).redirectErrorStream(true);
        builder.environment().put("CLV_SERVICE_URI", "http://127.0.0.1:" + server.getAddress().getPort());
        builder.environment().put("SCORING_REQUEST", configuredRequest());
        builder.environment().put("POLL_INTERVAL_SECONDS", "0");
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as(new String(output, StandardCharsets.UTF_8)).isTrue();
        return process.exitValue();
    }

    @Test
    void succeedsWhenTheRunSucceedsAfterPostingTheConfiguredRequest() throws Exception {
        postReplies.add(new Reply(202, "{\"id\":\"3f1c2a9e-7d4b-4e55-9a36-0c8f5e2b7d10\",\"status\":\"RUNNING\"}"));
        getReplies.add(new Reply(200, "{\"id\":\"3f1c2a9e-7d4b-4e55-9a36-0c8f5e2b7d10\",\"status\":\"RUNNING\",\"progress\":0.4}"));
        getReplies.add(new Reply(200, "{\"id\":\"3f1c2a9e-7d4b-4e55-9a36-0c8f5e2b7d10\",\"status\":\"SUCCEEDED\",\"progress\":1.0,"
                + "\"model\":{\"bgnbd\":{\"r\":0.24}},\"signals\":{\"complete\":true,\"missing\":[]}}"));

        assertThat(runScript()).isZero();
        assertThat(requests).containsExactly("POST /api/v1/scoring-runs",
                "GET /api/v1/scoring-runs/3f1c2a9e-7d4b-4e55-9a36-0c8f5e2b7d10",
                "GET /api/v1/scoring-runs/3f1c2a9e-7d4b-4e55-9a36-0c8f5e2b7d10");
        assertThat(Manifests.YAML.readTree(postedBodies.get(0)))
                .isEqualTo(Manifests.YAML.readTree("{\"horizonMonths\":12,\"monthlyDiscountRate\":0.01,\"timeUnit\":\"WEEK\"}"));
    }

    @Test
    void failsWhenTheRunFails() throws Exception {
        postReplies.add(new Reply(202, "{\"id\":\"run-7\",\"status\":\"RUNNING\"}"));
        getReplies.add(new Reply(200, "{\"id\":\"run-7\",\"status\":\"FAILED\",\"progress\":0.2}"));

        assertThat(runScript()).isNotZero();
        assertThat(requests).hasSize(2);
    }

    @Test
    void failsAtOnceWhenTheRunIsRefused() throws Exception {
        postReplies.add(new Reply(400, "{\"type\":\"about:blank\",\"title\":\"Bad Request\",\"status\":400,\"detail\":\"horizonMonths\"}"));

        assertThat(runScript()).isNotZero();
        assertThat(requests).containsExactly("POST /api/v1/scoring-runs");
    }

    @Test
    void keepsPollingThroughATransientStatusError() throws Exception {
        postReplies.add(new Reply(202, "{\"id\":\"run-9\",\"status\":\"RUNNING\"}"));
        getReplies.add(new Reply(503, "{\"status\":503}"));
        getReplies.add(new Reply(200, "{\"id\":\"run-9\",\"status\":\"SUCCEEDED\"}"));

        assertThat(runScript()).isZero();
        assertThat(requests).hasSize(3);
    }

    @Test
    void failsWhenTheAnswerHasNoRunId() throws Exception {
        postReplies.add(new Reply(202, "{\"status\":\"RUNNING\"}"));

        assertThat(runScript()).isNotZero();
        assertThat(requests).hasSize(1);
    }
}
