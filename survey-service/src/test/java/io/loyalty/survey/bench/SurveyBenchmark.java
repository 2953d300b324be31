package io.loyalty.survey.bench;

import io.loyalty.survey.SurveyServiceApplication;
import io.loyalty.survey.results.Interval;
import io.loyalty.survey.results.ResultsService;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Not a test: measures (1) ingestion throughput through POST .../responses/batch and (2) results latency
 * with a survey of many responses. Starts the real service on random ports against the database the test
 * classpath provides (a fresh embedded PostgreSQL, or LOYALTY_TEST_DATABASE_URL). Run with
 * {@code survey-service/bench/run-benchmark.sh [key=value ...]}; keys: batches (measured batches, default 200),
 * warmup (default 20), concurrency (in-flight requests, default 4), responses (rows for the latency part,
 * default 10000000), queries (timed requests per results query, default 50). batches=0 or responses=0 skips
 * that part.
 */
public final class SurveyBenchmark {

    private static final int BATCH = 1000;

    public static void main(String[] args) throws Exception {
        int batches = intArg(args, "batches", 200);
        int warmup = intArg(args, "warmup", 20);
        int concurrency = intArg(args, "concurrency", 4);
        long responses = intArg(args, "responses", 10_000_000);
        int queries = intArg(args, "queries", 50);

        ConfigurableApplicationContext app = new SpringApplicationBuilder(SurveyServiceApplication.class)
                .properties("server.port=0", "spring.grpc.server.port=0", "logging.level.root=WARN",
                        "logging.level.io.loyalty=INFO")
                .run();
        try {
            String base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
            DatabaseClient db = app.getBean(DatabaseClient.class);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10)).build();
            System.out.println("load average at start: " + loadAverage());
            System.out.println("database: " + one(db, "SELECT version()"));
            System.out.println("settings: fsync=" + one(db, "SHOW fsync") + ", synchronous_commit="
                    + one(db, "SHOW synchronous_commit") + ", shared_buffers=" + one(db, "SHOW shared_buffers"));
            if (batches > 0) {
                ingestion(http, base, db, batches, warmup, concurrency);
            }
            if (responses > 0) {
                latency(http, base, db, app.getBean(ResultsService.class), responses, queries);
            }
            System.out.println("load average at end: " + loadAverage());
        } finally {
            app.close();
        }
    }

    /** Pre-serialised batches of 1000 distinct customers, posted by `concurrency` threads. */
    private static void ingestion(HttpClient http, String base, DatabaseClient db, int batches, int warmup,
                                  int concurrency) throws Exception {
        String survey = createSurvey(http, base, "NPS");
        String uri = base + "/api/v1/surveys/" + survey + "/responses/batch";
        List<byte[]> bodies = new ArrayList<>(warmup + batches);
        String[] channels = {"EMAIL", "WEB", "SMS", "APP"};
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        for (int b = 0; b < warmup + batches; b++) {
            StringBuilder json = new StringBuilder(BATCH * 190).append("{\"responses\":[");
            for (int i = 0; i < BATCH; i++) {
                long n = (long) b * BATCH + i;
                if (i > 0) {
                    json.append(',');
                }
                json.append("{\"responseId\":\"bench-").append(n)
                        .append("\",\"customerId\":\"customer-").append(n)
                        .append("\",\"score\":").append(n * 7 % 11)
                        .append(",\"channel\":\"").append(channels[(int) (n % 4)])
                        .append("\",\"respondedAt\":\"").append(start.plusSeconds(n * 37 % 31_536_000)).append('"');
                if (n % 5 == 0) {
                    json.append(",\"comment\":\"Quick and friendly support, thank you\"");
                }
                json.append('}');
            }
            bodies.add(json.append("]}").toString().getBytes(StandardCharsets.UTF_8));
        }
        post(http, uri, bodies.subList(0, warmup), concurrency);
        long t0 = System.nanoTime();
        post(http, uri, bodies.subList(warmup, warmup + batches), concurrency);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long stored = Long.parseLong(one(db, "SELECT count(*) FROM survey_response WHERE survey_id = '" + survey + "'"));
        long rolled = Long.parseLong(one(db, "SELECT sum(responses) FROM survey_rollup WHERE survey_id = '" + survey + "'"));
        System.out.printf(Locale.ROOT, "ingestion: %d batches x %d responses, %d concurrent requests: %.2f s, %.0f responses/s%n",
                batches, BATCH, concurrency, seconds, batches * (double) BATCH / seconds);
        System.out.printf(Locale.ROOT, "ingestion check: %d rows stored, rollups sum to %d (expected %d)%n",
                stored, rolled, (long) (warmup + batches) * BATCH);
    }

    private static void post(HttpClient http, String uri, List<byte[]> bodies, int concurrency) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            workers.add(pool.submit(() -> {
                for (int i; (i = next.getAndIncrement()) < bodies.size(); ) {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(uri))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bodies.get(i))).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200 || !response.body().contains("\"accepted\":1000")) {
                        throw new IllegalStateException("batch " + i + ": " + response.statusCode() + " " + response.body());
                    }
                }
                return null;
            }));
        }
        for (Future<?> w : workers) {
            w.get();
        }
        pool.shutdown();
    }

    /**
     * Loads the responses with one INSERT ... SELECT (through every index of the real schema) and builds
     * their rollups with one GROUP BY, as ingestion would have; then times results requests over HTTP.
     */
    private static void latency(HttpClient http, String base, DatabaseClient db, ResultsService service,
                                long responses, int queries) throws Exception {
        String survey = createSurvey(http, base, "NPS");
        long t0 = System.nanoTime();
        // secondary indexes are rebuilt after the load (a sorted build beats 10M single inserts); their
        // definitions are read from the catalogue so the benchmark always runs the real schema
        List<String> indexes = db.sql("""
                        SELECT indexdef FROM pg_indexes
                        WHERE tablename = 'survey_response' AND indexname <> 'survey_response_pkey'""")
                .map(row -> row.get(0, String.class)).all().collectList().block();
        for (String definition : indexes) {
            db.sql("DROP INDEX " + definition.replaceFirst("^CREATE (UNIQUE )?INDEX (\\S+) ON .*$", "$2")).then().block();
        }
        db.sql("""
                INSERT INTO survey_response (response_id, survey_id, customer_id, kind, scale_max, score, channel,
                                             responded_at, received_at)
                SELECT 'load-' || g, '%1$s', 'load-customer-' || g, 'NPS', 10, (g * 7919) %% 11,
                       (ARRAY['EMAIL', 'WEB', 'SMS', 'APP'])[1 + g %% 4],
                       timestamptz '2025-01-01 00:00:00+00' + ((g * 7919) %% 31536000) * interval '1 second', now()
                FROM generate_series(1::bigint, %2$d) g""".formatted(survey, responses)).then().block();
        for (String definition : indexes) {
            // no bind parameters: sent as one simple query, so the SET applies to this connection's build
            db.sql("SET maintenance_work_mem = '512MB'; " + definition).then().block();
        }
        db.sql("""
                INSERT INTO survey_rollup (survey_id, day, channel, score, responses)
                SELECT survey_id, (responded_at AT TIME ZONE 'UTC')::date, channel, score, count(*)
                FROM survey_response WHERE survey_id = '%s' GROUP BY 1, 2, 3, 4""".formatted(survey)).then().block();
        db.sql("ANALYZE survey_response").then().block();
        db.sql("ANALYZE survey_rollup").then().block();
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "latency setup: %s responses loaded with SQL in %.1f s; %s rollup rows; survey_response holds %s rows (%s)%n",
                responses, loadSeconds,
                one(db, "SELECT count(*) FROM survey_rollup WHERE survey_id = '" + survey + "'"),
                one(db, "SELECT count(*) FROM survey_response"),
                one(db, "SELECT pg_size_pretty(pg_total_relation_size('survey_response'))"));

        String results = base + "/api/v1/surveys/" + survey + "/results";
        String[] variants = {"", "?interval=week", "?interval=month", "?channel=WEB&interval=week",
                "?from=2025-03-01&to=2025-05-31&interval=day"};
        for (String q : variants) {
            HttpResponse<String> check = get(http, results + q);
            if (check.statusCode() != 200) {
                throw new IllegalStateException(q + ": " + check.statusCode() + " " + check.body());
            }
            for (int i = 0; i < 20; i++) {
                get(http, results + q); // warm-up
            }
            double[] ms = new double[queries];
            for (int i = 0; i < queries; i++) {
                long s = System.nanoTime();
                get(http, results + q);
                ms[i] = (System.nanoTime() - s) / 1e6;
            }
            Arrays.sort(ms);
            System.out.printf(Locale.ROOT, "results%-45s p50 %6.1f ms  p95 %6.1f ms  max %6.1f ms  (%d requests; responses=%s)%n",
                    q.isEmpty() ? " (all, daily series)" : " " + q, ms[queries / 2],
                    ms[(int) Math.ceil(queries * 0.95) - 1], ms[queries - 1], queries, field(check.body(), "responses"));
        }
        // where the time goes for the heaviest variant: the rollup query inside PostgreSQL, and the service
        // call without HTTP
        String plan = db.sql("""
                        EXPLAIN (ANALYZE, FORMAT TEXT)
                        SELECT date_trunc('day', day::timestamp)::date AS period, score, sum(responses)::bigint AS n
                        FROM survey_rollup WHERE survey_id = '%s' GROUP BY 1, 2 HAVING sum(responses) > 0""".formatted(survey))
                .map(row -> row.get(0, String.class)).all().collectList().block().stream()
                .filter(line -> line.contains("Execution Time")).findFirst().orElse("?").trim();
        double[] inProcess = new double[queries];
        for (int i = 0; i < queries + 20; i++) {
            long s = System.nanoTime();
            service.results(survey, null, null, Interval.DAY, null).block();
            if (i >= 20) {
                inProcess[i - 20] = (System.nanoTime() - s) / 1e6;
            }
        }
        Arrays.sort(inProcess);
        System.out.printf(Locale.ROOT, "daily series breakdown: rollup query in PostgreSQL %s; ResultsService without HTTP p50 %.1f ms, p95 %.1f ms%n",
                plan, inProcess[queries / 2], inProcess[(int) Math.ceil(queries * 0.95) - 1]);
    }

    /** Other builds share this machine; the figures mean little without it. */
    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    private static HttpResponse<String> get(HttpClient http, String uri) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(uri)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String createSurvey(HttpClient http, String base, String kind) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/surveys"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"benchmark\",\"kind\":\"" + kind + "\",\"question\":\"Recommend us?\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 201) {
            throw new IllegalStateException(response.statusCode() + " " + response.body());
        }
        return field(response.body(), "id");
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"?([^\",}]+)").matcher(json);
        return m.find() ? m.group(1) : "?";
    }

    private static String one(DatabaseClient db, String sql) {
        return String.valueOf(db.sql(sql).map(row -> row.get(0)).one().block());
    }

    private static int intArg(String[] args, String key, int fallback) {
        for (String arg : args) {
            if (arg.startsWith(key + "=")) {
                return Integer.parseInt(arg.substring(key.length() + 1));
            }
        }
        return fallback;
    }
}
