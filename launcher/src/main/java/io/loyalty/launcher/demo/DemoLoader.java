package io.loyalty.launcher.demo;

import io.loyalty.launcher.demo.DemoDataSet.Customer;
import io.loyalty.launcher.demo.DemoDataSet.Priority;
import io.loyalty.launcher.demo.DemoDataSet.Ticket;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Function;

/**
 * Sends a {@link DemoDataSet} through the gateway's public API, exactly as a partner app would: batches
 * where the API has them, a bounded number of requests in flight elsewhere. Every write carries its
 * natural id, so a retried or repeated load changes nothing.
 */
public final class DemoLoader {

    private static final int IN_FLIGHT = 16;

    private final URI gateway;
    private final String apiKey;
    private final String currency;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final JsonMapper json = JsonMapper.builder().build();
    private final Semaphore inFlight = new Semaphore(IN_FLIGHT);

    public DemoLoader(URI gateway, String apiKey, String currency) {
        this.gateway = gateway;
        this.apiKey = apiKey;
        this.currency = currency;
    }

    public void load(DemoDataSet data) throws IOException, InterruptedException {
        slaPolicies();
        Map<String, String> ticketIds = tickets(data.customers());
        responses(data, ticketIds);
        purchases(data.customers());
        batches("/api/v1/referrals/batch", "referrals", data.referrals(), 5000, r -> Map.of(
                "referralId", r.referralId(), "referrerId", r.referrerId(), "referredId", r.referredId(),
                "occurredAt", r.occurredAt().toString()));
        List<Customer> churned = data.customers().stream().filter(c -> c.churnedAt() != null).toList();
        batches("/api/v1/churn-events/batch", "events", churned, 5000, c -> Map.of(
                "eventId", "churn-" + c.id(), "customerId", c.id(), "occurredAt", c.churnedAt().toString(),
                "reason", "subscription cancelled"));
        say("%d customers, %d referrals, %d explicit churn events loaded", data.customers().size(),
                data.referrals().size(), churned.size());
    }

    /** Starts a scoring run and waits for it, so the rankings exist when the platform is handed over. */
    public JsonNode score(Duration timeout) throws IOException, InterruptedException {
        JsonNode run = send("POST", "/api/v1/scoring-runs", Map.of(
                "horizonMonths", 12, "monthlyDiscountRate", 0.01, "timeUnit", "WEEK"));
        String id = run.get("id").asString();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            run = send("GET", "/api/v1/scoring-runs/" + id, null);
            String status = run.get("status").asString();
            if (!"RUNNING".equals(status) && !"PENDING".equals(status)) {
                return run;
            }
            Thread.sleep(500);
        }
        throw new IOException("scoring run " + id + " did not finish within " + timeout);
    }

    private void slaPolicies() throws IOException, InterruptedException {
        // targets in minutes: first response, resolution
        Map<Priority, int[]> targets = Map.of(Priority.URGENT, new int[] {30, 240}, Priority.HIGH, new int[] {60, 480},
                Priority.NORMAL, new int[] {240, 1440}, Priority.LOW, new int[] {480, 4320});
        for (Priority priority : Priority.values()) {
            int[] t = targets.get(priority);
            send("PUT", "/api/v1/sla-policies/" + priority, Map.of("firstResponseMinutes", t[0], "resolutionMinutes", t[1]));
        }
    }

    /**
     * Tickets one by one (there is no ticket batch; their events need the ticket's id), many in flight,
     * then every lifecycle event through the events batch, in each ticket's order.
     */
    private Map<String, String> tickets(List<Customer> customers) throws IOException, InterruptedException {
        Map<String, String> ids = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (Customer customer : customers) {
            for (Ticket ticket : customer.tickets()) {
                inFlight.acquire();
                pending.add(CompletableFuture.runAsync(() -> {
                    try {
                        JsonNode created = send("POST", "/api/v1/tickets", Map.of(
                                "externalId", ticket.externalId(), "customerId", customer.id(),
                                "subject", ticket.subject(), "priority", ticket.priority().name(),
                                "channel", ticket.channel(), "openedAt", ticket.openedAt().toString()));
                        ids.put(ticket.externalId(), created.get("id").asString());
                    } catch (IOException e) {
                        throw new IllegalStateException(e.getMessage(), e);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    } finally {
                        inFlight.release();
                    }
                }));
            }
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
        List<Map<String, Object>> events = new ArrayList<>();
        for (Customer customer : customers) {
            for (Ticket ticket : customer.tickets()) {
                for (DemoDataSet.Event event : ticket.events()) {
                    events.add(Map.of("ticketId", ids.get(ticket.externalId()), "eventId", event.eventId(),
                            "type", event.type().name(), "at", event.at().toString()));
                }
            }
        }
        batches("/api/v1/ticket-events/batch", "events", events, 1000, Function.identity());
        say("%d tickets with %d lifecycle events loaded", ids.size(), events.size());
        return ids;
    }

    private void responses(DemoDataSet data, Map<String, String> ticketIds) throws IOException, InterruptedException {
        String nps = createSurvey("Relationship NPS", "NPS", "How likely are you to recommend us to a friend?", null);
        String csat = createSurvey("Support CSAT", "CSAT", "How satisfied are you with the help you got?", null);
        List<Customer> npsRespondents = data.customers().stream().filter(c -> c.npsScore() != null).toList();
        batches("/api/v1/surveys/" + nps + "/responses/batch", "responses", npsRespondents, 1000, c -> Map.of(
                "responseId", "nps-" + c.id(), "customerId", c.id(), "score", c.npsScore(),
                "channel", "EMAIL", "respondedAt", c.npsAt().toString()));
        // CSAT is asked after a solved ticket; one answer per customer, about their latest rated ticket
        List<Map<String, Object>> csatAnswers = new ArrayList<>();
        for (Customer customer : data.customers()) {
            customer.tickets().stream().filter(t -> t.csatScore() != null).reduce((a, b) -> b).ifPresent(t -> {
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("responseId", "csat-" + t.externalId());
                answer.put("customerId", customer.id());
                answer.put("score", t.csatScore());
                answer.put("channel", t.channel());
                answer.put("respondedAt", t.csatAt().toString());
                answer.put("ticketId", ticketIds.get(t.externalId()));
                csatAnswers.add(answer);
            });
        }
        batches("/api/v1/surveys/" + csat + "/responses/batch", "responses", csatAnswers, 1000, Function.identity());
        say("%d NPS and %d CSAT responses loaded", npsRespondents.size(), csatAnswers.size());
    }

    private void purchases(List<Customer> customers) throws IOException, InterruptedException {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Customer customer : customers) {
            for (DemoDataSet.Purchase p : customer.purchases()) {
                rows.add(Map.of("orderId", p.orderId(), "customerId", customer.id(),
                        "occurredAt", p.occurredAt().toString(), "amount", p.amount(), "currency", currency));
            }
        }
        batches("/api/v1/purchases/batch", "purchases", rows, 5000, Function.identity());
        say("%d purchases loaded", rows.size());
    }

    private String createSurvey(String name, String kind, String question, Integer scale)
            throws IOException, InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("kind", kind);
        body.put("question", question);
        if (scale != null) {
            body.put("scale", scale);
        }
        return send("POST", "/api/v1/surveys", body).get("id").asString();
    }

    private <T> void batches(String path, String field, List<T> items, int size, Function<T, ?> toJson)
            throws IOException, InterruptedException {
        for (int from = 0; from < items.size(); from += size) {
            List<Object> chunk = items.subList(from, Math.min(items.size(), from + size)).stream()
                    .map(item -> (Object) toJson.apply(item)).toList();
            send("POST", path, Map.of(field, chunk));
        }
    }

    private JsonNode send(String method, String path, Object body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.resolve(path))
                .timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + apiKey)
                .header("Accept", "application/json");
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
        }
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status / 100 == 2) {
                return response.body().isEmpty() ? json.createObjectNode() : json.readTree(response.body());
            }
            // rate limits and brief outages: wait and retry, the natural ids make it safe
            if ((status == 429 || status == 503) && attempt < 20) {
                long wait = response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(1L);
                Thread.sleep(Math.min(5000, Math.max(200, wait * 1000)));
                continue;
            }
            throw new IOException(method + " " + path + " answered " + status + ": " + response.body());
        }
    }

    static void say(String format, Object... args) {
        System.out.println("[demo] " + String.format(format, args));
    }
}
