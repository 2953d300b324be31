package io.loyalty.clv;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/** Test helpers that drive the service only through its HTTP API. */
public final class ClvApi {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final WebTestClient web;

    public ClvApi(WebTestClient web) {
        this.web = web.mutate().responseTimeout(Duration.ofSeconds(60)).build();
    }

    public static Map<String, Object> purchase(String orderId, String customerId, String occurredAt, Object amount) {
        return Map.of("orderId", orderId, "customerId", customerId, "occurredAt", occurredAt, "amount", amount,
                "currency", "USD");
    }

    public JsonNode post(String path, Object body, int expectedStatus) {
        byte[] response = web.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isEqualTo(expectedStatus)
                .expectBody().returnResult().getResponseBody();
        return response == null ? null : JSON.readTree(response);
    }

    public JsonNode get(String path, int expectedStatus) {
        byte[] response = web.get().uri(path).exchange().expectStatus().isEqualTo(expectedStatus)
                .expectBody().returnResult().getResponseBody();
        return response == null ? null : JSON.readTree(response);
    }

    public JsonNode purchases(List<Map<String, Object>> purchases) {
        return post("/api/v1/purchases/batch", Map.of("purchases", purchases), 200);
    }

    /** Starts a run and polls it until it leaves RUNNING; the run must succeed. */
    public JsonNode score(Map<String, Object> request) {
        JsonNode created = post("/api/v1/scoring-runs", request, 202);
        assertThat(created.get("status").stringValue()).isEqualTo("RUNNING");
        long id = created.get("id").longValue();
        Instant deadline = Instant.now().plusSeconds(120);
        while (Instant.now().isBefore(deadline)) {
            JsonNode run = get("/api/v1/scoring-runs/" + id, 200);
            String status = run.get("status").stringValue();
            if (!status.equals("RUNNING")) {
                assertThat(status).as("run %s: %s", id, run).isEqualTo("SUCCEEDED");
                return run;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("scoring run " + id + " did not finish in 120 s");
    }

    /** One CDNOW_sample.txt line: master id, sample id, yyyymmdd, CDs, dollars. */
    public record CdnowLine(String customerId, String date, String dollars) {
    }

    public static List<CdnowLine> cdnowLines() {
        List<CdnowLine> lines = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(
                ClvApi.class.getResourceAsStream("/cdnow-sample/CDNOW_sample.txt"), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 5) {
                    lines.add(new CdnowLine(f[0], f[2], f[4]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    /** Loads the CDNOW sample through the purchases API (idempotent: later calls only count duplicates). */
    public void loadCdnow() {
        List<CdnowLine> lines = cdnowLines();
        List<Map<String, Object>> batch = new ArrayList<>();
        long accepted = 0;
        long duplicates = 0;
        for (int i = 0; i < lines.size(); i++) {
            CdnowLine l = lines.get(i);
            String d = l.date();
            batch.add(Map.of("orderId", "cdnow-" + (i + 1), "customerId", l.customerId(),
                    "occurredAt", d.substring(0, 4) + "-" + d.substring(4, 6) + "-" + d.substring(6) + "T12:00:00Z",
                    "amount", new java.math.BigDecimal(l.dollars()), "currency", "USD"));
            if (batch.size() == 5000 || i == lines.size() - 1) {
                JsonNode result = purchases(batch);
                accepted += result.get("accepted").longValue();
                duplicates += result.get("duplicates").longValue();
                batch = new ArrayList<>();
            }
        }
        assertThat(accepted + duplicates).isEqualTo(lines.size());
    }
}
