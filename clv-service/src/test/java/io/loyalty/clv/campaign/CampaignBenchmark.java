package io.loyalty.clv.campaign;

import io.loyalty.clv.ClvServiceApplication;
import io.loyalty.clv.signals.SignalStore;
import io.loyalty.proto.survey.v1.CustomerSatisfaction;
import io.loyalty.proto.survey.v1.NpsCategory;
import io.loyalty.proto.survey.v1.NpsSignal;
import io.loyalty.proto.ticket.v1.CustomerServiceStats;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Flux;

/**
 * Not a test: ranks N synthetic customers (30% with NPS, 20% with ticket stats), then measures ranked
 * pages at a fixed request rate (open loop, random depths) and the whole list as CSV (the first export
 * after the start, before any other request, then two more once warm), directly against the service on a
 * database of its own (test-support). Usage, from the repository root:
 * <pre>
 * ./mvnw -q -o -pl clv-service test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -Xmx1g -cp clv-service/target/test-classes:clv-service/target/classes:$(cat clv-service/target/cp.txt) \
 *     io.loyalty.clv.campaign.CampaignBenchmark 1000000 200 15
 * </pre>
 * Arguments: customers (1,000,000), page requests per second (200), seconds of paging (15), then any
 * Spring properties ({@code --loyalty.campaign.csv-export.buffer-bytes=131072}).
 */
public final class CampaignBenchmark {

    public static void main(String[] args) throws Exception {
        int customers = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        List<String> springArgs = new ArrayList<>(List.of("--server.port=0", "--spring.grpc.server.port=0",
                "--logging.level.root=WARN"));
        // further arguments are Spring properties, e.g. --loyalty.campaign.csv-export.buffer-bytes=131072
        springArgs.addAll(Arrays.asList(args).subList(Math.min(3, args.length), args.length));
        ConfigurableApplicationContext app = SpringApplication.run(ClvServiceApplication.class,
                springArgs.toArray(String[]::new));
        try {
            int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
            String base = "http://127.0.0.1:" + port;
            long run = 1_000_000 + new Random().nextInt(1_000_000);
            seedSignals(app.getBean(SignalStore.class), run, customers);

            storeValues(app.getBean(io.loyalty.clv.scoring.JdbcConnections.class), run, customers);
            long t0 = System.nanoTime();
            long ranked = app.getBean(CampaignRankings.class).rank(run);
            double rankSeconds = (System.nanoTime() - t0) / 1e9;
            System.out.printf("ranked %d customers (both rankings) in %.1f s = %.0f customers/s%n", ranked, rankSeconds,
                    ranked / rankSeconds);

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            // the first request of the export path after the start, as after a deployment: nothing compiled yet
            csv(http, base, run, "first export after the start");
            System.out.print("warm-up (JIT, pools), not counted: ");
            pages(http, base, run, customers, rate, 5);
            pages(http, base, run, customers, rate, seconds);
            // R2DBC keyset chunks read and decoded, no CSV, no HTTP: the export's read until it moved to one COPY
            // (CsvExport); the JSON pages use the same query, one page at a time
            long r0 = System.nanoTime();
            Integer read = app.getBean(RankingQueries.class).chunks(CampaignKind.RETENTION, run, RankingFilter.NONE,
                    app.getBean(CampaignProperties.class).csvChunkRows()).map(List::size).reduce(0, Integer::sum).block();
            System.out.printf("read alone (R2DBC keyset chunks): %d ranked rows from the database in %.1f s%n", read, (System.nanoTime() - r0) / 1e9);
            csv(http, base, run, "warm export 1");
            csv(http, base, run, "warm export 2");
        } finally {
            app.close();
        }
    }

    /** The run's customer values as a scoring run stores them, by COPY. */
    static void storeValues(io.loyalty.clv.scoring.JdbcConnections connections, long run, int customers) throws Exception {
        Random random = new Random(42);
        try (java.sql.Connection c = connections.open()) {
            org.postgresql.copy.CopyIn copy = c.unwrap(org.postgresql.PGConnection.class).getCopyAPI().copyIn("""
                    COPY scoring_run_customers (run_id, customer_id, frequency, recency, t, monetary_value,
                        expected_purchases, probability_alive, expected_average_value, clv, referral_value) FROM STDIN""");
            StringBuilder out = new StringBuilder();
            for (int i = 1; i <= customers; i++) {
                double alive = random.nextDouble();
                double clv = Math.abs(random.nextGaussian() * 200) * alive;
                out.append(run).append('\t').append(id(i)).append('\t').append(random.nextInt(10)).append("\t0\t0\t0\t")
                        .append(random.nextDouble() * 5).append('\t').append(alive).append("\t0\t").append(clv)
                        .append('\t').append(i % 50 == 0 ? 40 : 0).append('\n');
                if (out.length() > 1 << 20 || i == customers) {
                    byte[] bytes = out.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    out.setLength(0);
                }
            }
            copy.endCopy();
        }
    }

    static String id(int i) {
        return "B%08d".formatted(i);
    }

    static void seedSignals(SignalStore store, long run, int customers) {
        long t0 = System.nanoTime();
        Random random = new Random(7);
        Flux.range(1, customers).buffer(5000).concatMap(chunk -> {
            List<CustomerSatisfaction> s = new ArrayList<>();
            List<CustomerServiceStats> t = new ArrayList<>();
            for (int i : chunk) {
                if (i % 10 < 3) {
                    int score = random.nextInt(11);
                    s.add(CustomerSatisfaction.newBuilder().setCustomerId(id(i)).setNps(NpsSignal.newBuilder().setScore(score)
                            .setCategory(score >= 9 ? NpsCategory.PROMOTER : score >= 7 ? NpsCategory.PASSIVE : NpsCategory.DETRACTOR))
                            .build());
                }
                if (i % 10 >= 8) {
                    t.add(CustomerServiceStats.newBuilder().setCustomerId(id(i)).setOpenTickets(random.nextInt(2))
                            .setTicketsLast90Days(random.nextInt(4)).setSlaBreachesLast90Days(random.nextInt(3))
                            .setReopensLast90Days(random.nextInt(2)).build());
                }
            }
            return store.insertSatisfaction(run, s).then(store.insertServiceStats(run, t));
        }, 1).blockLast();
        System.out.printf("stored signals of %d customers in %.1f s%n", customers, (System.nanoTime() - t0) / 1e9);
    }

    static void pages(HttpClient http, String base, long run, int customers, int rate, int seconds) throws Exception {
        ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
        AtomicLong failures = new AtomicLong();
        List<CompletableFuture<?>> inFlight = new ArrayList<>();
        ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor();
        Random random = new Random(1);
        long intervalNanos = 1_000_000_000L / rate;
        int total = rate * seconds;
        for (int i = 0; i < total; i++) {
            String kind = i % 2 == 0 ? "upsell" : "retention";
            long after = random.nextInt(Math.max(1, customers - 100));
            String uri = base + "/api/v1/campaigns/" + kind + "/customers?limit=100&run=" + run
                    + (after == 0 ? "" : "&cursor=" + RankingQueries.Cursor.encode(run, CampaignKind.valueOf(kind.toUpperCase()), after));
            CompletableFuture<Void> done = new CompletableFuture<>();
            inFlight.add(done);
            clock.schedule(() -> {
                long start = System.nanoTime();
                http.sendAsync(HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.discarding())
                        .whenComplete((r, e) -> {
                            if (e != null || r.statusCode() != 200) {
                                failures.incrementAndGet();
                            } else {
                                latencies.add(System.nanoTime() - start);
                            }
                            done.complete(null);
                        });
            }, i * intervalNanos, TimeUnit.NANOSECONDS);
        }
        CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(seconds + 60L, TimeUnit.SECONDS);
        clock.shutdown();
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("pages: %d requests at %d/s over %d s (limit=100, random depth), %d failed; "
                        + "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n", total, rate, seconds, failures.get(),
                pct(sorted, 0.50), pct(sorted, 0.90), pct(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
    }

    static double pct(long[] sorted, double p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)] / 1e6;
    }

    static void csv(HttpClient http, String base, long run, String label) throws Exception {
        long heapBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        AtomicLong peak = new AtomicLong(heapBefore);
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(
                ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max), 0, 50, TimeUnit.MILLISECONDS);
        long t0 = System.nanoTime();
        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(
                        base + "/api/v1/campaigns/retention/customers?run=" + run)).header("Accept", "text/csv").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long bytes = 0;
        long lines = 0;
        byte[] buffer = new byte[64 * 1024];
        // a checksum of the body, so two builds' exports of the same ranking can be compared byte for byte
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        try (InputStream in = response.body()) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                bytes += n;
                crc.update(buffer, 0, n);
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n') {
                        lines++;
                    }
                }
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        sampler.shutdown();
        System.out.printf("csv (%s): status %d, %d rows + header, %.1f MB in %.2f s (%.0f rows/s); JVM heap used %d MB before, "
                        + "peak %d MB while streaming (client and server share this JVM); CRC32C %08x%n", label, response.statusCode(),
                lines - 1, bytes / 1e6, secs, (lines - 1) / secs, heapBefore >> 20, peak.get() >> 20, crc.getValue());
        System.out.println("args: " + Arrays.toString(new Object[] {run}));
    }
}
