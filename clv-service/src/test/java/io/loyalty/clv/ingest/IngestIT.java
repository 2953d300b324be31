package io.loyalty.clv.ingest;

import java.io.ByteArrayInputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.loyalty.clv.ClvApi;
import io.loyalty.clv.ingest.Records.Purchase;
import io.loyalty.clv.scoring.JdbcConnections;
import org.junit.jupiter.api.BeforeEach;
import org.postgresql.PGConnection;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ResolvableType;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import tools.jackson.databind.JsonNode;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

import static io.loyalty.clv.ClvApi.purchase;
import static org.assertj.core.api.Assertions.assertThat;

/** Validation (all-or-nothing, problem+json with item paths) and idempotency of the batch endpoints. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.grpc.server.port=0")
@AutoConfigureWebTestClient
class IngestIT {

    @Autowired
    WebTestClient web;
    @Autowired
    DatabaseClient db;
    @Autowired
    Validation validation;
    @Autowired
    IngestRepository repository;
    @Autowired
    JdbcConnections jdbc;
    @Autowired
    JsonMapper json;
    ClvApi api;
    String id;

    @BeforeEach
    void setUp() {
        api = new ClvApi(web);
        id = UUID.randomUUID().toString();
    }

    private Map<String, Object> with(Map<String, Object> item, String key, Object value) {
        Map<String, Object> copy = new HashMap<>(item);
        if (value == null) {
            copy.remove(key);
        } else {
            copy.put(key, value);
        }
        return copy;
    }

    /** The batch fails with 400 naming purchases[1].field; the valid item 0 was not stored either. */
    private void rejected(Map<String, Object> bad, String field) {
        Map<String, Object> good = purchase(id + "-good", id + "-c", "2024-01-01T10:00:00Z", 10);
        JsonNode problem = api.post("/api/v1/purchases/batch", Map.of("purchases", List.of(good, bad)), 400);
        assertThat(problem.get("status").intValue()).isEqualTo(400);
        assertThat(problem.get("title").stringValue()).isNotBlank();
        assertThat(problem.get("type").stringValue()).isNotBlank();
        assertThat(problem.get("errors").get(0).get("field").stringValue()).isEqualTo("purchases[1]." + field);
        JsonNode replay = api.purchases(List.of(good));
        assertThat(replay.get("accepted").intValue()).as("nothing stored from the rejected batch").isEqualTo(1);
        id = UUID.randomUUID().toString();
    }

    @Test
    void invalidPurchasesAreRejectedWithTheirPathAndNothingIsStored() {
        Map<String, Object> p = purchase(id + "-bad", id + "-c", "2024-01-01T10:00:00Z", 10);
        rejected(with(p, "amount", -1), "amount");
        rejected(with(p, "amount", 1_000_000.01), "amount");
        rejected(with(p, "amount", new java.math.BigDecimal("1e400")), "amount");
        rejected(with(p, "amount", "12.50"), "amount");
        rejected(with(p, "amount", 1.23456), "amount");
        rejected(with(p, "amount", null), "amount");
        rejected(with(p, "currency", "XYZ"), "currency");
        rejected(with(p, "currency", "usd"), "currency");
        rejected(with(p, "currency", "EUR"), "currency"); // a real code, but no configured rate
        rejected(with(p, "occurredAt", "2999-01-01T00:00:00Z"), "occurredAt");
        rejected(with(p, "occurredAt", "2024-01-01"), "occurredAt");
        rejected(with(p, "occurredAt", "2024-01-01T10:00:00"), "occurredAt");
        rejected(with(p, "occurredAt", 12345), "occurredAt");
        rejected(with(p, "orderId", ""), "orderId");
        rejected(with(p, "orderId", 42), "orderId");
        rejected(with(p, "customerId", "x".repeat(129)), "customerId");
        rejected(with(p, "customerId", null), "customerId");
    }

    @Test
    void malformedBodiesAreProblems() {
        for (String body : List.of("{", "[]", "{\"purchases\": {}}", "{\"purchases\": []}", "{\"purchases\": [1]}",
                "null", "{\"purchases\": [{\"orderId\": \"a\", \"amount\": 1e99999}]}")) {
            web.post().uri("/api/v1/purchases/batch").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                    .exchange().expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.status").isEqualTo(400);
        }
        List<Map<String, Object>> tooMany = new ArrayList<>();
        for (int i = 0; i < 5001; i++) {
            tooMany.add(purchase(id + "-" + i, id, "2024-01-01T10:00:00Z", 1));
        }
        JsonNode problem = api.post("/api/v1/purchases/batch", Map.of("purchases", tooMany), 400);
        assertThat(problem.get("errors").get(0).get("field").stringValue()).isEqualTo("purchases");
    }

    @Test
    void replaysAreDuplicatesAndAChangedBodyIsAConflictThatStoresNothing() {
        Map<String, Object> a = purchase(id + "-a", id + "-c", "2024-01-01T10:00:00Z", 12.5);
        Map<String, Object> b = purchase(id + "-b", id + "-c", "2024-01-02T10:00:00Z", 7);
        JsonNode first = api.purchases(List.of(a, b, a));
        assertThat(first.get("accepted").intValue()).isEqualTo(2);
        assertThat(first.get("duplicates").intValue()).isEqualTo(1);
        // 12.50 is the same amount as 12.5
        JsonNode replay = api.purchases(List.of(with(a, "amount", new java.math.BigDecimal("12.50")), b));
        assertThat(replay.get("accepted").intValue()).isZero();
        assertThat(replay.get("duplicates").intValue()).isEqualTo(2);

        Map<String, Object> fresh = purchase(id + "-fresh", id + "-c", "2024-01-03T10:00:00Z", 1);
        JsonNode conflict = api.post("/api/v1/purchases/batch",
                Map.of("purchases", List.of(fresh, with(b, "amount", 8))), 409);
        assertThat(conflict.get("errors").get(0).get("field").stringValue()).isEqualTo("purchases[1].orderId");
        JsonNode inBatch = api.post("/api/v1/purchases/batch",
                Map.of("purchases", List.of(fresh, with(fresh, "amount", 2))), 409);
        assertThat(inBatch.get("errors").get(0).get("field").stringValue()).isEqualTo("purchases[1].orderId");
        assertThat(api.purchases(List.of(fresh)).get("accepted").intValue())
                .as("the conflicting batches stored nothing").isEqualTo(1);
    }

    @Test
    void referralsAndChurnEventsAreValidatedAndIdempotent() {
        Map<String, Object> r = Map.of("referralId", id + "-r", "referrerId", id + "-x", "referredId", id + "-y",
                "occurredAt", "2024-01-01T00:00:00Z");
        JsonNode self = api.post("/api/v1/referrals/batch",
                Map.of("referrals", List.of(r, with(r, "referredId", id + "-x"))), 400);
        assertThat(self.get("errors").get(0).get("field").stringValue()).isEqualTo("referrals[1].referredId");
        assertThat(api.post("/api/v1/referrals/batch", Map.of("referrals", List.of(r)), 200).get("accepted").intValue())
                .isEqualTo(1);
        assertThat(api.post("/api/v1/referrals/batch", Map.of("referrals", List.of(r)), 200).get("duplicates").intValue())
                .isEqualTo(1);
        api.post("/api/v1/referrals/batch", Map.of("referrals", List.of(with(r, "referredId", id + "-z"))), 409);

        Map<String, Object> e = Map.of("eventId", id + "-e", "customerId", id + "-x",
                "occurredAt", "2024-01-01T00:00:00Z", "reason", "account closed");
        JsonNode future = api.post("/api/v1/churn-events/batch",
                Map.of("events", List.of(with(e, "occurredAt", "2999-01-01T00:00:00Z"))), 400);
        assertThat(future.get("errors").get(0).get("field").stringValue()).isEqualTo("events[0].occurredAt");
        assertThat(api.post("/api/v1/churn-events/batch", Map.of("events", List.of(e)), 200).get("accepted").intValue())
                .isEqualTo(1);
        assertThat(api.post("/api/v1/churn-events/batch", Map.of("events", List.of(e)), 200).get("duplicates").intValue())
                .isEqualTo(1);
        api.post("/api/v1/churn-events/batch", Map.of("events", List.of(with(e, "reason", "other"))), 409);
    }

    /** A purchase as stored, read back from PostgreSQL. */
    record Row(String customerId, Instant occurredAt, BigDecimal originalAmount, String currency, BigDecimal amount) {
    }

    private Map<String, Row> stored(List<String> orderIds) {
        return db.sql("SELECT order_id, customer_id, occurred_at, original_amount, currency, amount FROM purchases "
                        + "WHERE order_id = ANY($1)")
                .bind(0, orderIds.toArray(String[]::new))
                .map(r -> Map.entry(r.get("order_id", String.class), new Row(r.get("customer_id", String.class),
                        r.get("occurred_at", Instant.class), r.get("original_amount", BigDecimal.class),
                        r.get("currency", String.class), r.get("amount", BigDecimal.class))))
                .all().collectMap(Map.Entry::getKey, Map.Entry::getValue).block();
    }

    /** Each row's version (xmin) and received_at: any write to a row, even of equal values, changes them. */
    private Map<String, String> versions(List<String> orderIds) {
        return db.sql("SELECT order_id, xmin::text || ' ' || received_at::text AS v FROM purchases "
                        + "WHERE order_id = ANY($1)")
                .bind(0, orderIds.toArray(String[]::new))
                .map(r -> Map.entry(r.get("order_id", String.class), r.get("v", String.class)))
                .all().collectMap(Map.Entry::getKey, Map.Entry::getValue).block();
    }

    private static Map<String, Object> purchaseIn(String orderId, String customerId, String occurredAt, Object amount,
                                                  String currency) {
        return Map.of("orderId", orderId, "customerId", customerId, "occurredAt", occurredAt, "amount", amount,
                "currency", currency);
    }

    private static List<String> orderIds(List<Map<String, Object>> purchases) {
        return purchases.stream().map(p -> (String) p.get("orderId")).toList();
    }

    /**
     * Ids with what the COPY text format gives meaning to (backslashes, its NULL marker \N, its end marker \.),
     * what CSV and SQL quote (quotes, commas, semicolons) and non-ASCII text; tabs and newlines are not valid ids.
     * Timestamps with offsets and beyond microseconds, amounts at the limits, one converted currency (GBP at 1.2345).
     * All in 2024: the scoring tests share the database and count the customers of earlier years.
     */
    private List<Map<String, Object>> oddBatch(String prefix) {
        return List.of(
                purchaseIn(prefix + "-o1", prefix + "-c \"quoted\", 'single', comma, semi;colon",
                        "2024-01-05T10:15:30+05:30", new BigDecimal("12.5"), "USD"),
                purchaseIn(prefix + "-o\\2", prefix + "-c\\back\\\\slash\\", "2024-01-05T23:30:00-08:00", 0, "USD"),
                purchaseIn(prefix + "-o,\"3\"", "\\N", "2024-01-05T10:15:30.123456789Z", 1_000_000, "USD"),
                purchaseIn(prefix + "-o4", "\\.", "2024-02-29T23:59:59.999999Z", new BigDecimal("0.0001"), "USD"),
                purchaseIn(prefix + "-ö5😀", prefix + "-Zoë Ünïcødé 東京 😀 \\t", "2024-01-06T00:00:00.5-00:30",
                        new BigDecimal("10.0001"), "GBP"));
    }

    private Map<String, Row> expectedOddRows(String prefix) {
        return Map.of(
                prefix + "-o1", new Row(prefix + "-c \"quoted\", 'single', comma, semi;colon",
                        Instant.parse("2024-01-05T04:45:30Z"), new BigDecimal("12.5000"), "USD",
                        new BigDecimal("12.5000")),
                prefix + "-o\\2", new Row(prefix + "-c\\back\\\\slash\\", Instant.parse("2024-01-06T07:30:00Z"),
                        new BigDecimal("0.0000"), "USD", new BigDecimal("0.0000")),
                prefix + "-o,\"3\"", new Row("\\N", Instant.parse("2024-01-05T10:15:30.123456Z"),
                        new BigDecimal("1000000.0000"), "USD", new BigDecimal("1000000.0000")),
                prefix + "-o4", new Row("\\.", Instant.parse("2024-02-29T23:59:59.999999Z"), new BigDecimal("0.0001"),
                        "USD", new BigDecimal("0.0001")),
                // 10.0001 * 1.2345 = 12.34512345, stored to 4 places
                prefix + "-ö5😀", new Row(prefix + "-Zoë Ünïcødé 東京 😀 \\t", Instant.parse("2024-01-06T00:30:00.5Z"),
                        new BigDecimal("10.0001"), "GBP", new BigDecimal("12.3451")));
    }

    @Test
    void aFreshBatchIsStoredExactly() {
        List<Map<String, Object>> batch = oddBatch(id);
        JsonNode result = api.purchases(batch);
        assertThat(result.get("accepted").intValue()).isEqualTo(5);
        assertThat(result.get("duplicates").intValue()).isZero();
        assertThat(stored(orderIds(batch))).isEqualTo(expectedOddRows(id));
    }

    @Test
    void aReplayIsAllDuplicatesAndChangesNothing() {
        List<Map<String, Object>> batch = oddBatch(id);
        api.purchases(batch);
        Map<String, Row> rows = stored(orderIds(batch));
        Map<String, String> versions = versions(orderIds(batch));

        // the odd ids and amounts compare equal to what was stored: duplicates, not a 409
        JsonNode replay = api.purchases(batch);
        assertThat(replay.get("accepted").intValue()).isZero();
        assertThat(replay.get("duplicates").intValue()).isEqualTo(5);
        assertThat(stored(orderIds(batch))).isEqualTo(rows).isEqualTo(expectedOddRows(id));
        assertThat(versions(orderIds(batch))).as("no row was written again").isEqualTo(versions);
    }

    @Test
    void aBatchMixingNewAndStoredOrderIdsStoresTheNewOnesAndCountsTheRest() {
        String stored = id + "-stored";
        String fresh = id + "-fresh";
        List<Map<String, Object>> first = oddBatch(stored);
        api.purchases(first);
        Map<String, String> versions = versions(orderIds(first));

        List<Map<String, Object>> mixed = new ArrayList<>();
        List<Map<String, Object>> fresh5 = oddBatch(fresh);
        for (int i = 0; i < 5; i++) {
            mixed.add(fresh5.get(i));
            mixed.add(first.get(i));
        }
        mixed.add(fresh5.get(0)); // a repeat inside the batch counts as a duplicate as well
        JsonNode result = api.purchases(mixed);
        assertThat(result.get("accepted").intValue()).isEqualTo(5);
        assertThat(result.get("duplicates").intValue()).isEqualTo(6);
        assertThat(stored(orderIds(fresh5))).isEqualTo(expectedOddRows(fresh));
        assertThat(stored(orderIds(first))).isEqualTo(expectedOddRows(stored));
        assertThat(versions(orderIds(first))).isEqualTo(versions);
    }

    @Test
    void aStoredOrderIdWithADifferentBodyIsAConflictAndNothingOfTheBatchIsStored() {
        List<Map<String, Object>> first = oddBatch(id);
        api.purchases(first);
        Map<String, String> versions = versions(orderIds(first));

        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            batch.add(ClvApi.purchase(id + "-new-" + i, id + "-c", "2024-01-07T10:00:00Z", i));
        }
        // the same orderId, a customerId differing only in an escaped character
        batch.set(37, with(first.get(1), "customerId", id + "-c\\back\\slash\\"));
        JsonNode conflict = api.post("/api/v1/purchases/batch", Map.of("purchases", batch), 409);
        assertThat(conflict.get("errors")).hasSize(1);
        assertThat(conflict.get("errors").get(0).get("field").stringValue()).isEqualTo("purchases[37].orderId");
        assertThat(stored(orderIds(batch))).as("nothing from the conflicting batch")
                .containsOnlyKeys((String) first.get(1).get("orderId"));
        assertThat(stored(orderIds(first))).isEqualTo(expectedOddRows(id));
        assertThat(versions(orderIds(first))).isEqualTo(versions);
    }

    @Test
    void concurrentIdenticalBatchesStoreEachPurchaseOnce() throws Exception {
        int n = 5000;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 3; round++) {
                String prefix = id + "-r" + round;
                List<Map<String, Object>> batch = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    batch.add(ClvApi.purchase(prefix + "-" + i, id + "-c" + (i % 10), "2024-01-08T10:00:00Z", i % 100));
                }
                CyclicBarrier start = new CyclicBarrier(2);
                List<CompletableFuture<JsonNode>> calls = new ArrayList<>();
                for (int c = 0; c < 2; c++) {
                    calls.add(CompletableFuture.supplyAsync(() -> {
                        try {
                            start.await();
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        return api.purchases(batch);
                    }, pool));
                }
                JsonNode a = calls.get(0).get();
                JsonNode b = calls.get(1).get();
                assertThat(a.get("accepted").intValue() + b.get("accepted").intValue()).as("round %d", round)
                        .isEqualTo(n);
                assertThat(a.get("duplicates").intValue() + b.get("duplicates").intValue()).as("round %d", round)
                        .isEqualTo(n);
                Map<String, Row> rows = stored(orderIds(batch));
                assertThat(rows).hasSize(n);
                assertThat(rows.get(prefix + "-4321")).isEqualTo(new Row(id + "-c1", Instant.parse("2024-01-08T10:00:00Z"),
                        new BigDecimal("21.0000"), "USD", new BigDecimal("21.0000")));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A purchase as the COPY text rows sent it before the binary format: escaped text, toPlainString, UTC. */
    private static String textRow(Purchase p) {
        DateTimeFormatter utc = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS'+00'").withZone(ZoneOffset.UTC);
        StringBuilder row = new StringBuilder();
        copyText(row, p.orderId()).append('\t');
        copyText(row, p.customerId()).append('\t').append(utc.format(p.occurredAt())).append('\t')
                .append(p.amount().toPlainString()).append('\t');
        return copyText(row, p.currency()).append('\t').append(p.reportingAmount().toPlainString()).append('\n')
                .toString();
    }

    /** Each stored column of the given purchases: the bytes its send function gives (dscale too) and its text. */
    private static Map<String, String> columns(Connection c, String table, List<String> orderIds) throws Exception {
        Map<String, String> rows = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("""
                SELECT order_id, concat_ws(' | ', encode(textsend(customer_id), 'hex'),
                       encode(timestamptz_send(occurred_at), 'hex'), encode(numeric_send(original_amount), 'hex'),
                       encode(bpcharsend(currency), 'hex'), encode(numeric_send(amount), 'hex'), day, occurred_at,
                       original_amount, currency, amount, customer_id)
                FROM\s""" + table + " WHERE order_id = ANY(?)")) {
            s.setArray(1, c.createArrayOf("text", orderIds.toArray()));
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    rows.put(r.getString(1), r.getString(2));
                }
            }
        }
        return rows;
    }

    /**
     * The binary COPY stores what the text rows stored: edge amounts and instants (before 2000: negative
     * microseconds) and non-ASCII ids, through the API and, for values validation never lets through, through the
     * repository, against the same purchases sent as COPY text rows into a twin table.
     */
    @Test
    void theBinaryCopyStoresWhatTheTextRowsStored() throws Exception {
        Instant nearlyLatest = Instant.now().plus(4, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MICROS);
        List<Map<String, Object>> batch = List.of(
                purchaseIn(id + "-b1-ö", id + "-東京 😀", "1970-01-01T00:00:00Z", 0, "USD"),
                purchaseIn(id + "-b2", id + "-c", "1999-12-31T23:59:59.999999Z", new BigDecimal("0.0001"), "USD"),
                purchaseIn(id + "-b3", id + "-c", "1985-06-15T12:34:56.5+02:00", new BigDecimal("12.5"), "USD"),
                purchaseIn(id + "-b4", id + "-c", "2000-01-01T00:00:00Z", 1_000_000, "USD"),
                purchaseIn(id + "-b5", id + "-c", "2000-01-01T00:00:00.000001Z", new BigDecimal("99999.9999"), "USD"),
                purchaseIn(id + "-b6", id + "-c", "2024-02-29T23:59:59.999999Z", 1_000_000, "GBP"),
                purchaseIn(id + "-b7", id + "-c", nearlyLatest.toString(), new BigDecimal("0.0001"), "GBP"),
                purchaseIn(id + "-b8", id + "-c", "2024-01-01T00:00:00Z", new BigDecimal("10.0001"), "GBP"));
        List<Purchase> sent = new ArrayList<>(validation.purchases(json.readTree(
                json.writeValueAsBytes(Map.of("purchases", batch)))));
        // values the API rejects, stored as the repository is asked: wide numerics, scales other than 0..4, a
        // negative original amount, instants far from now, characters the text format escapes, a lone surrogate
        List<Purchase> direct = List.of(
                new Purchase(id + "-d1", id + "-a\tb\nc\\d\\N", Instant.parse("0001-01-01T00:00:00Z"),
                        new BigDecimal("999999999999999.9999"), "USD", new BigDecimal("999999999999999.9999")),
                new Purchase(id + "-d2", id + "-x\ud800y", Instant.parse("1900-01-01T00:00:00.000001Z"),
                        new BigDecimal("12345678901234.5678"), "USD", new BigDecimal("123456789012345.6789")),
                new Purchase(id + "-d3", id + "-c", Instant.parse("1969-12-31T23:59:59.999999Z"),
                        new BigDecimal("1E+3"), "USD", new BigDecimal("1.23456")),
                new Purchase(id + "-d4", id + "-c", Instant.parse("9999-12-31T23:59:59.999999Z"),
                        new BigDecimal("0.00005"), "USD", new BigDecimal("0.00004")),
                new Purchase(id + "-d5", id + "-c", Instant.parse("2024-01-01T00:00:00Z"), new BigDecimal("-1.5"),
                        "GBP", new BigDecimal("0.000")));
        List<Purchase> all = new ArrayList<>(sent);
        all.addAll(direct);
        List<String> ids = all.stream().map(Purchase::orderId).toList();
        try (Connection c = jdbc.open()) {
            c.createStatement().execute("CREATE TABLE IF NOT EXISTS purchases_text_twin (LIKE purchases INCLUDING ALL)");
            try {
                assertThat(api.purchases(batch).get("accepted").intValue()).isEqualTo(batch.size());
                assertThat(repository.purchases(direct, "purchases", 0).block())
                        .isEqualTo(new Records.BatchResult(direct.size(), 0));
                StringBuilder text = new StringBuilder();
                all.forEach(p -> text.append(textRow(p)));
                c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY purchases_text_twin (order_id, customer_id, "
                                + "occurred_at, original_amount, currency, amount) FROM STDIN",
                        new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8)));

                Map<String, String> binary = columns(c, "purchases", ids);
                assertThat(binary).hasSize(all.size()).isEqualTo(columns(c, "purchases_text_twin", ids));
                Map<String, String> amounts = new HashMap<>();
                try (PreparedStatement s = c.prepareStatement("SELECT order_id, original_amount::text || ' ' || "
                        + "amount::text FROM purchases WHERE order_id = ANY(?)")) {
                    s.setArray(1, c.createArrayOf("text", ids.toArray()));
                    try (ResultSet r = s.executeQuery()) {
                        while (r.next()) {
                            amounts.put(r.getString(1).substring(id.length()), r.getString(2));
                        }
                    }
                }
                assertThat(amounts).containsEntry("-b1-ö", "0.0000 0.0000").containsEntry("-b2", "0.0001 0.0001")
                        .containsEntry("-b3", "12.5000 12.5000").containsEntry("-b4", "1000000.0000 1000000.0000")
                        .containsEntry("-b5", "99999.9999 99999.9999").containsEntry("-b6", "1000000.0000 1234500.0000")
                        .containsEntry("-b7", "0.0001 0.0001").containsEntry("-b8", "10.0001 12.3451")
                        .containsEntry("-d1", "999999999999999.9999 999999999999999.9999")
                        .containsEntry("-d3", "1000.0000 1.2346").containsEntry("-d4", "0.0001 0.0000")
                        .containsEntry("-d5", "-1.5000 0.0000");
                // a replay compares the binary-stored rows with the sent values as text: all duplicates
                JsonNode replay = api.purchases(batch);
                assertThat(replay.get("accepted").intValue()).isZero();
                assertThat(replay.get("duplicates").intValue()).isEqualTo(batch.size());
            } finally {
                // other tests count purchases by date: these years must not stay
                try (PreparedStatement s = c.prepareStatement("DELETE FROM purchases WHERE order_id = ANY(?)")) {
                    s.setArray(1, c.createArrayOf("text", ids.toArray()));
                    s.execute();
                }
                c.createStatement().execute("DROP TABLE purchases_text_twin");
            }
        }
    }

    /** Status, content type and body as sent, for the exact answer to a raw request body. */
    private String answer(MediaType contentType, byte[] body) {
        var result = web.post().uri("/api/v1/purchases/batch").contentType(contentType).bodyValue(body).exchange()
                .expectBody().returnResult();
        byte[] response = result.getResponseBody();
        return result.getStatus().value() + " " + result.getResponseHeaders().getContentType() + " "
                + (response == null ? "" : new String(response, StandardCharsets.UTF_8));
    }

    private static String malformed(String detail) {
        return "400 application/problem+json {\"detail\":\"" + detail + "\",\"instance\":\"/api/v1/purchases/batch\","
                + "\"status\":400,\"title\":\"Malformed request\",\"type\":\"urn:loyalty:problem:invalid-request\"}";
    }

    /**
     * The exact answers (recorded from the JsonNode-bound endpoint) to bodies that are not JSON, not one JSON
     * value, empty, in another encoding, or too large: the body reading may change, these may not.
     */
    @Test
    void rawBodiesGetTheAnswersTheyGotBefore() {
        String location = " (start marker at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` "
                + "disabled); byte offset: #UNKNOWN])";
        String notAnObject = "400 application/problem+json {\"detail\":\"1 invalid field: $\",\"instance\":"
                + "\"/api/v1/purchases/batch\",\"status\":400,\"title\":\"Invalid request\",\"type\":"
                + "\"urn:loyalty:problem:invalid-request\",\"errors\":[{\"field\":\"$\",\"message\":"
                + "\"the body must be a JSON object with a \\\"purchases\\\" array\"}]}";
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("", malformed("No request body"));
        cases.put("   ", malformed("Failed to read HTTP message: No content to map due to end-of-input"));
        cases.put("{", malformed("Failed to read HTTP message: Unexpected end-of-input: expected close marker for "
                + "Object" + location));
        cases.put("{\"purchases\": [", malformed("Failed to read HTTP message: Unexpected end-of-input: expected "
                + "close marker for Array" + location));
        cases.put("{\"purchases\": [{]}", malformed("Failed to read HTTP message: Unexpected close marker ']': "
                + "expected '}' (for Object starting at [Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION`"
                + " disabled); byte offset: #UNKNOWN])"));
        cases.put("{}{}", malformed("Failed to read HTTP message: Trailing token (`JsonToken.START_OBJECT`) found "
                + "after value (bound as `tools.jackson.databind.JsonNode`): not allowed as per "
                + "`DeserializationFeature.FAIL_ON_TRAILING_TOKENS`"));
        cases.put("{\"purchases\": []} ]", malformed("Failed to read HTTP message: Unexpected close marker ']': "
                + "no open Array to close"));
        cases.put("{\"purchases\": [{\"amount\": NaN}]}", malformed("Failed to read HTTP message: Non-standard "
                + "token 'NaN': enable `JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS` to allow"));
        cases.put("{\"purchases\": [{\"amount\": 01}]}", malformed("Failed to read HTTP message: Invalid numeric "
                + "value: Leading zeroes not allowed"));
        cases.put("{\"purchases\": [{\"orderId\": \"\\x\"}]}", malformed("Failed to read HTTP message: "
                + "Unrecognized character escape 'x' (code 120)"));
        cases.put("{\"purchases\": [{\"orderId\": \"a\u0001\"}]}", malformed("Failed to read HTTP message: "
                + "Illegal unquoted character ((CTRL-CHAR, code 1)): has to be escaped using backslash to be included "
                + "in string value"));
        cases.put("{\"purchases\": [{\"orderId\": \"a\",}]}", malformed("Failed to read HTTP message: Unexpected "
                + "character ('}' (code 125)): was expecting double-quote to start property name"));
        cases.put("{\"purchases\":[1]} // c", malformed("Failed to read HTTP message: Unexpected character ('/' "
                + "(code 47)): maybe a (non-standard) comment? (not recognized as one since Feature 'ALLOW_COMMENTS' "
                + "not enabled for parser)"));
        cases.put("[]", notAnObject);
        cases.put("null", notAnObject);
        cases.put("\"x\"", notAnObject);
        cases.put("\uFEFF{\"purchases\": 1}", "400 application/problem+json {\"detail\":\"1 invalid field: "
                + "purchases\",\"instance\":\"/api/v1/purchases/batch\",\"status\":400,\"title\":\"Invalid "
                + "request\",\"type\":\"urn:loyalty:problem:invalid-request\",\"errors\":[{\"field\":\"purchases\","
                + "\"message\":\"is required and must be an array\"}]}");
        for (MediaType type : List.of(MediaType.APPLICATION_JSON, MediaType.parseMediaType("application/json;charset=ISO-8859-1"))) {
            cases.forEach((body, expected) -> assertThat(answer(type, body.getBytes(StandardCharsets.UTF_8)))
                    .as("%s %s", type, body).isEqualTo(expected));
            // a truncated UTF-8 sequence
            assertThat(answer(type, new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xC3, '"', '}'}))
                    .isEqualTo(malformed("Failed to read HTTP message: Invalid UTF-8 middle byte 0x22"));
            // beyond spring.http.codecs.max-in-memory-size (8 MB)
            byte[] large = ("{\"purchases\": [" + "1,".repeat(4_300_000) + "1]}").getBytes(StandardCharsets.UTF_8);
            assertThat(answer(type, large)).isEqualTo("413 application/problem+json {\"instance\":"
                    + "\"/api/v1/purchases/batch\",\"status\":413,\"title\":\"Content Too Large\"}");
        }
    }

    /**
     * Bodies the validation accepts though they are not the contract's plain shape: UTF-16 (Jackson detects it
     * whatever the declared charset), a repeated key (the last one counts), fields nobody reads, 1e1 and 12.50.
     */
    @Test
    void unusualValidBodiesAreReadAsBefore() {
        String item = "{\"orderId\": \"%s\", \"customerId\": \"%s-ö\", \"occurredAt\": \"2024-01-09T10:00:00Z\", "
                + "\"amount\": %s, \"currency\": \"USD\"%s}";
        String body = "{\"note\": {\"x\": [1, 2.5, null]}, \"purchases\": ["
                + item.formatted(id + "-u1", id, "1e1", "") + ", "
                + item.formatted(id + "-u2", id, "12.50", ", \"amount\": 3, \"extra\": [true]") + ", "
                + item.formatted(id + "-u3", id, "-0", ", \"orderId\": \"" + id + "-u4\"") + "], \"more\": null}";
        assertThat(answer(MediaType.APPLICATION_JSON, body.getBytes(StandardCharsets.UTF_16BE)))
                .isEqualTo("200 application/json {\"accepted\":3,\"duplicates\":0}");
        assertThat(stored(List.of(id + "-u1", id + "-u2", id + "-u3", id + "-u4"))).isEqualTo(Map.of(
                id + "-u1", new Row(id + "-ö", Instant.parse("2024-01-09T10:00:00Z"), new BigDecimal("10.0000"), "USD",
                        new BigDecimal("10.0000")),
                id + "-u2", new Row(id + "-ö", Instant.parse("2024-01-09T10:00:00Z"), new BigDecimal("3.0000"), "USD",
                        new BigDecimal("3.0000")),
                id + "-u4", new Row(id + "-ö", Instant.parse("2024-01-09T10:00:00Z"), new BigDecimal("0.0000"), "USD",
                        new BigDecimal("0.0000"))));
        assertThat(answer(MediaType.parseMediaType("application/json;charset=ISO-8859-1"),
                body.getBytes(StandardCharsets.UTF_8))).isEqualTo("200 application/json {\"accepted\":0,\"duplicates\":3}");
    }

    @Test
    void theApiDocsShowTheJsonBodyTheEndpointTakes() {
        JsonNode docs = api.get("/v3/api-docs", 200);
        assertThat(docs.at("/paths/~1api~1v1~1purchases~1batch/post/requestBody/content/application~1json/schema/$ref")
                .stringValue()).isEqualTo("#/components/schemas/JsonNode");
        assertThat(docs.at("/components/schemas").propertyNames()).doesNotContain("Body");
    }

    /** The application's codecs do let a plain valid batch skip the tree (else it would silently cost as before). */
    @Test
    void aPlainValidBatchIsParsedWithoutTheTree(@Autowired ServerCodecConfigurer codecs) {
        byte[] body = json.writeValueAsBytes(Map.of("purchases", oddBatch(id)));
        PurchaseBodyReader reader = codecs.getReaders().stream().filter(PurchaseBodyReader.class::isInstance)
                .map(PurchaseBodyReader.class::cast).findFirst().orElseThrow();
        MockServerHttpRequest request = MockServerHttpRequest.post("/api/v1/purchases/batch")
                .contentType(MediaType.APPLICATION_JSON).body(Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)));
        PurchaseBodyReader.Body read = reader.readMono(ResolvableType.forClass(PurchaseBodyReader.Body.class), request,
                Map.of()).block();
        assertThat(read.tree()).isNull();
        assertThat(read.purchases()).isEqualTo(validation.purchases(json.readTree(body)));
    }

    /** A value in COPY's text format, as the purchases went in before the binary format. */
    private static StringBuilder copyText(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
        return out;
    }
}
