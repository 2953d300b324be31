package io.loyalty.bench;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/** Ranked campaign lists: pages at a fixed rate (open loop), and the whole list as CSV. */
final class RankedPages {

    private static final Pattern NEXT_CURSOR = Pattern.compile("\"nextCursor\"\\s*:\\s*\"([^\"]+)\"");

    private RankedPages() {
    }

    /**
     * Open-loop load: requests leave on a fixed schedule whatever the answers do, and latency is measured
     * from the scheduled instant, so a slow answer cannot hide the queueing it causes.
     */
    static void run(Map<String, String> options) throws Exception {
        URI base = URI.create(Bench.option(options, "url", "http://127.0.0.1:8080"));
        String key = options.get("api-key");
        String kind = Bench.option(options, "kind", "upsell");
        int rate = Integer.parseInt(Bench.option(options, "rate", "200"));
        int seconds = Integer.parseInt(Bench.option(options, "seconds", "30"));
        int limit = Integer.parseInt(Bench.option(options, "limit", "100"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        // walk the first pages once to have real cursors to ask for
        List<String> paths = new ArrayList<>();
        String path = "/api/v1/campaigns/" + kind + "/customers?limit=" + limit;
        for (int i = 0; i < 50 && path != null; i++) {
            paths.add(path);
            HttpResponse<String> page = http.send(request(base, path, key, "application/json"), HttpResponse.BodyHandlers.ofString());
            Matcher next = NEXT_CURSOR.matcher(page.body());
            path = next.find() ? "/api/v1/campaigns/" + kind + "/customers?limit=" + limit + "&cursor=" + next.group(1) : null;
        }
        int warmup = Integer.parseInt(Bench.option(options, "warmup-seconds", "30"));
        ConnectionProvider connections = ConnectionProvider.builder("bench-pages").maxConnections(512)
                .pendingAcquireMaxCount(-1).build();
        LoopResources loop = LoopResources.create("bench-pages", 1, true);
        Result result;
        try {
            reactor.netty.http.client.HttpClient pages = pageClient(connections, loop, base, key);
            if (warmup > 0) {
                // the same load first, not counted: what a long-running platform serves is JIT-compiled code
                // (and the measured part starts on the warm-up's keep-alive connections)
                openLoop(pages, paths, rate, warmup);
            }
            result = openLoop(pages, paths, rate, seconds);
        } finally {
            connections.disposeLater().block();
            loop.disposeLater().block();
        }
        long[] latencies = result.latencies();
        System.out.printf("ranked %s pages (limit %d) at %d req/s for %d s (after %d s of warm-up) via %s: p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms, errors %d%n",
                kind, limit, rate, seconds, warmup, base, ms(latencies, 0.50), ms(latencies, 0.90), ms(latencies, 0.99),
                latencies[latencies.length - 1] / 1e6, result.errors());
    }

    private record Result(long[] latencies, int errors) {
    }

    /**
     * The load generator shares the two cores with what it measures, so it must cost little: a Reactor
     * Netty client on one event loop (the JDK client took ~2 ms of CPU per page and added stalls of its own,
     * up to 0.7 s, to the figures it reported).
     */
    private static reactor.netty.http.client.HttpClient pageClient(ConnectionProvider connections, LoopResources loop,
                                                                   URI base, String key) {
        return reactor.netty.http.client.HttpClient.create(connections)
                .runOn(loop)
                .baseUrl(base.toString())
                .responseTimeout(Duration.ofSeconds(300))
                .headers(h -> {
                    h.set("Accept", "application/json");
                    if (key != null) {
                        h.set("Authorization", "Bearer " + key);
                    }
                });
    }

    private static Result openLoop(reactor.netty.http.client.HttpClient http, List<String> paths, int rate, int seconds)
            throws InterruptedException {
        int total = rate * seconds;
        long[] latencies = new long[total];
        AtomicInteger errors = new AtomicInteger();
        CountDownLatch answered = new CountDownLatch(total);
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime() + 100_000_000L;
        long interval = 1_000_000_000L / rate;
        AtomicInteger next = new AtomicInteger();
        clock.scheduleAtFixedRate(() -> {
            int i = next.getAndIncrement();
            if (i >= total) {
                throw new IllegalStateException("done"); // cancels the schedule
            }
            long intended = start + i * interval;
            http.get().uri(paths.get(i % paths.size()))
                    .responseSingle((response, body) -> body.asByteArray().thenReturn(response.status().code())
                            .defaultIfEmpty(response.status().code()))
                    .onErrorReturn(-1)
                    .subscribe(status -> {
                        latencies[i] = System.nanoTime() - intended;
                        if (status != 200) {
                            errors.incrementAndGet();
                        }
                        answered.countDown();
                    });
        }, start - System.nanoTime(), interval, TimeUnit.NANOSECONDS);
        answered.await();
        clock.shutdown();
        Arrays.sort(latencies);
        return new Result(latencies, errors.get());
    }

    static void csv(Map<String, String> options) throws Exception {
        URI base = URI.create(Bench.option(options, "url", "http://127.0.0.1:8080"));
        String kind = Bench.option(options, "kind", "upsell");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long started = System.nanoTime();
        HttpResponse<InputStream> response = http.send(request(base, "/api/v1/campaigns/" + kind + "/customers",
                options.get("api-key"), "text/csv"), HttpResponse.BodyHandlers.ofInputStream());
        long rows = 0;
        long bytes = 0;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                rows++;
                bytes += line.length() + 2;
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("CSV export of %s via %s: status %d, %d data rows, %.1f MB in %.2f s%n", kind, base,
                response.statusCode(), Math.max(0, rows - 1), bytes / 1e6, seconds);
    }

    private static HttpRequest request(URI base, String path, String key, String accept) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(300))
                .header("Accept", accept);
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return request.build();
    }

    private static double ms(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)] / 1e6;
    }
}
