package io.loyalty.clv.campaign;

import static org.assertj.core.api.Assertions.assertThat;

import io.loyalty.clv.scoring.JdbcConnections;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The CSV export (one binary COPY per export, {@link CsvExport}) against today's formatter ({@link Csv#rows} over
 * the rows {@link RankingQueries#chunks} reads): byte for byte, on a ranking of edge values, with and without
 * filters, read in index order and sorted by PostgreSQL; and what happens to its JDBC connection when the client
 * goes away mid-export. Small buffers, so even the small ranking spans many of them; two exports at a time, so the
 * third is refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "spring.grpc.server.port=0", "loyalty.campaign.csv-export.buffer-bytes=4096",
        "loyalty.campaign.csv-export.max-concurrent=2"})
@AutoConfigureWebTestClient
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CsvExportIT {

    static final MediaType TEXT_CSV = MediaType.parseMediaType("text/csv");
    static final int BULK = 2000;
    static final int LARGE = 300_000;

    @Autowired
    WebTestClient web;
    @Autowired
    JdbcConnections connections;
    @Autowired
    RankingQueries queries;
    @Autowired
    CsvExport export;
    @Autowired
    DatabaseClient db;
    @LocalServerPort
    int port;

    long edgeRun;
    long largeRun;

    /** One row of campaign_run_customer; nulls where the column allows them. */
    record Row(String customerId, double clv, double probabilityAlive, double expectedPurchases, double referralValue,
               Double previousProbabilityAlive, Integer npsScore, String npsCategory, Instant npsAt,
               Integer openTickets, Integer ticketsLast90Days, Integer slaBreachesLast90Days,
               Integer reopensLast90Days, double upsellScore, double retentionScore) {
    }

    @BeforeAll
    void rankings() throws SQLException {
        web = web.mutate().responseTimeout(Duration.ofSeconds(60)).build();
        // below CampaignApiIT's runs, and removed afterwards: "the latest run" stays what other tests expect
        edgeRun = 2_000_000_000L + ThreadLocalRandom.current().nextLong(400_000_000L) * 2;
        largeRun = edgeRun + 1;
        List<Row> rows = new ArrayList<>(edgeRows());
        rows.addAll(randomRows(new Random(42), BULK));
        try (Connection c = connections.open()) {
            partition(c, edgeRun);
            insert(c, edgeRun, rows);
            partition(c, largeRun);
            try (Statement s = c.createStatement()) {
                s.execute("""
                        INSERT INTO campaign_run_customer (run_id, customer_id, frequency, clv, probability_alive,
                            expected_purchases, referral_value, nps_score, nps_category, upsell_score, retention_score,
                            upsell_rank, retention_rank)
                        SELECT %d, 'L' || lpad(g::text, 7, '0'), 1, g * 0.37, 0.5, 1.25, g %% 3,
                            CASE WHEN g %% 5 = 0 THEN 2 END, CASE WHEN g %% 5 = 0 THEN 'DETRACTOR' END, %d - g,
                            g * 1.5, g, %d - g
                        FROM generate_series(1, %d) g""".formatted(largeRun, LARGE + 1, LARGE + 1, LARGE));
                s.execute("INSERT INTO campaign_run (run_id, customers) VALUES (" + edgeRun + ", " + rows.size() + "), ("
                        + largeRun + ", " + LARGE + ")");
                s.execute("ANALYZE campaign_run_customer");
            }
        }
    }

    @AfterAll
    void dropRankings() throws SQLException {
        try (Connection c = connections.open(); Statement s = c.createStatement()) {
            // an export a failed test left behind would hold its lock on the partition
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                    + CsvExport.APPLICATION_NAME + "'");
            s.execute("SET lock_timeout = '10s'");
            s.execute("DELETE FROM campaign_run WHERE run_id IN (" + edgeRun + ", " + largeRun + ")");
            s.execute("DROP TABLE IF EXISTS campaign_run_customer_" + edgeRun + ", campaign_run_customer_" + largeRun);
        }
    }

    static void partition(Connection c, long run) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE campaign_run_customer_" + run + " PARTITION OF campaign_run_customer FOR VALUES IN ("
                    + run + ")");
        }
    }

    /** Ranked in list order for upsell and in a shuffled order for retention. */
    static void insert(Connection c, long run, List<Row> rows) throws SQLException {
        List<Integer> retentionRanks = new ArrayList<>();
        for (int i = 1; i <= rows.size(); i++) {
            retentionRanks.add(i);
        }
        Collections.shuffle(retentionRanks, new Random(7));
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO campaign_run_customer (run_id, customer_id, frequency, clv, probability_alive,
                    expected_purchases, referral_value, previous_probability_alive, nps_score, nps_category, nps_at,
                    open_tickets, tickets_last_90_days, sla_breaches_last_90_days, reopens_last_90_days,
                    upsell_score, retention_score, upsell_rank, retention_rank)
                VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                ps.setLong(1, run);
                ps.setString(2, r.customerId());
                ps.setDouble(3, r.clv());
                ps.setDouble(4, r.probabilityAlive());
                ps.setDouble(5, r.expectedPurchases());
                ps.setDouble(6, r.referralValue());
                ps.setObject(7, r.previousProbabilityAlive(), Types.DOUBLE);
                ps.setObject(8, r.npsScore(), Types.SMALLINT);
                ps.setString(9, r.npsCategory());
                ps.setObject(10, r.npsAt() == null ? null : r.npsAt().atOffset(java.time.ZoneOffset.UTC),
                        Types.TIMESTAMP_WITH_TIMEZONE);
                ps.setObject(11, r.openTickets(), Types.INTEGER);
                ps.setObject(12, r.ticketsLast90Days(), Types.INTEGER);
                ps.setObject(13, r.slaBreachesLast90Days(), Types.INTEGER);
                ps.setObject(14, r.reopensLast90Days(), Types.INTEGER);
                ps.setDouble(15, r.upsellScore());
                ps.setDouble(16, r.retentionScore());
                ps.setInt(17, i + 1);
                ps.setInt(18, retentionRanks.get(i));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Values that stress each formatting rule: nulls, quoting, number ranges, odd timestamps. */
    static List<Row> edgeRows() {
        Instant micros = Instant.parse("2026-10-02T15:30:00.123456Z");
        return List.of(
                new Row("C,1", 3.2e9, 1.5e-7, 0.0, -0.0, null, null, null, null, null, null, null, null,
                        1.5e-7, 3.2e9),
                new Row("quote\"d", 1e-3, 0.001, 1e7, 9_999_999.999, 0.82, 10, "PROMOTER", micros, 0, 0, 0, 0,
                        0.0, 1e-3),
                new Row("new\nline", Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE,
                        Double.NaN, 3, "DETRACTOR", Instant.parse("1969-12-31T23:59:59.5Z"), 1, 3, 2, 1,
                        Double.MAX_VALUE, -Double.MAX_VALUE),
                new Row("unicod\u00e9 \ud83d\ude00", -2.5e-5, 0.999999999999, 1e-300, 1e300, 1e-3, 0, "PASSIVE",
                        Instant.parse("1999-12-31T23:59:59.999999Z"), Integer.MAX_VALUE, -1, Integer.MIN_VALUE, 7,
                        9.999999999999999e6, 1e7 - 1e-9),
                new Row(" spaces ", 62.0, 0.31, 1.2, 0.0, 0.82, 9, "PROMOTER", Instant.parse("2999-01-01T00:00:00Z"),
                        null, 3, null, 1, 123.456, 1e-4),
                new Row("", 100, 0.8, 2.5, 20, null, null, "DETRACTOR", Instant.parse("2026-10-02T00:00:00Z"), 2, null,
                        null, null, 1e-3 - 1e-19, 9999999.999999998));
    }

    static final String[] CATEGORIES = {"PROMOTER", "PASSIVE", "DETRACTOR", null};

    static List<Row> randomRows(Random random, int n) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean nps = random.nextInt(10) < 3;
            boolean stats = random.nextInt(10) < 4;
            rows.add(new Row("R" + i + (i % 7 == 0 ? ",\"x\"" : ""), number(random), number(random), number(random),
                    number(random), random.nextBoolean() ? null : number(random), nps ? random.nextInt(11) : null,
                    nps ? CATEGORIES[random.nextInt(3)] : CATEGORIES[3],
                    nps ? Instant.ofEpochSecond(random.nextLong(4_102_444_800L) - 2_208_988_800L,
                            random.nextInt(1_000_000) * 1000L) : null,
                    stats ? random.nextInt(3) : null, stats ? random.nextInt(5) : null, stats ? random.nextInt(3) : null,
                    stats ? random.nextInt(2) : null, number(random), number(random)));
        }
        return rows;
    }

    /** Across the ranges the formatter treats differently: below 1e-3, [1e-3, 1e7), from 1e7; both signs. */
    static double number(Random random) {
        double magnitude = Math.pow(10, random.nextInt(31) - 15);
        double value = random.nextDouble() * magnitude * (random.nextInt(5) == 0 ? -1 : 1);
        return switch (random.nextInt(40)) {
            case 0 -> 0.0;
            case 1 -> 1e-3;
            case 2 -> 1e7;
            case 3 -> Math.nextDown(1e7);
            case 4 -> Math.nextDown(1e-3);
            default -> random.nextInt(3) == 0 ? Math.round(value * 100) / 100.0 : value;
        };
    }

    /** Today's export: the header, then Csv.rows over the keyset chunks of the ranking. */
    byte[] today(CampaignKind kind, long run, RankingFilter filter) {
        StringBuilder out = new StringBuilder(Csv.HEADER);
        queries.chunks(kind, run, filter, 1000).toIterable().forEach(chunk -> out.append(Csv.rows(chunk)));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The export's body as it streams (not through a codec, which would stop at its in-memory limit). */
    byte[] exported(String kind, long run, String query) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        web.get().uri("/api/v1/campaigns/" + kind + "/customers?run=" + run + query).accept(TEXT_CSV).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(TEXT_CSV)
                .expectHeader().valueEquals("Content-Disposition",
                        "attachment; filename=\"" + kind + "-run-" + run + ".csv\"")
                .returnResult(DataBuffer.class).getResponseBody()
                .doOnNext(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    out.writeBytes(bytes);
                })
                .blockLast(Duration.ofSeconds(120));
        return out.toByteArray();
    }

    static RankingFilter filter(String minClv, String npsCategory, String openTickets) {
        List<ApiProblem.FieldError> errors = new ArrayList<>();
        RankingFilter filter = RankingFilter.parse("", minClv, npsCategory, openTickets, errors);
        assertThat(errors).isEmpty();
        return filter;
    }

    @Test
    void theExportIsByteForByteTodaysCsvOfTheSameRows() {
        // both plans: retention ranks lie shuffled on disk (PostgreSQL sorts a sequential scan), upsell ranks in order
        assertThat(Math.abs(correlation(edgeRun, "retention_rank"))).isLessThan(0.5);
        assertThat(correlation(edgeRun, "upsell_rank")).isGreaterThan(0.99);
        for (CampaignKind kind : CampaignKind.values()) {
            byte[] expected = today(kind, edgeRun, RankingFilter.NONE);
            byte[] actual = exported(kind.label(), edgeRun, "");
            assertThat(new String(actual, StandardCharsets.UTF_8)).isEqualTo(new String(expected, StandardCharsets.UTF_8));
            assertThat(actual).isEqualTo(expected);
            // the header and every row, many buffers of 4 KB
            assertThat(new String(actual, StandardCharsets.UTF_8).split("\r\n(?=\\d+,)", -1)).hasSize(BULK + 6 + 1);
        }
        // the first edge rows as the rules say, written out by hand (upsell ranks them first, in order)
        assertThat(new String(exported("upsell", edgeRun, ""), StandardCharsets.UTF_8)).startsWith(Csv.HEADER
                + line("1", "\"C,1\"", "0.00000015", "3200000000", "0.00000015", "0.0", "-0.0", "", "", "", "", "", "",
                        "", "", "\"expected 0.0 purchases, CLV 3200000000.00, probability alive 0.00\"")
                + line("2", "\"quote\"\"d\"", "0.0", "0.001", "0.001", "10000000", "9999999.999", "0.82", "10",
                        "PROMOTER", "2026-10-02T15:30:00.123456Z", "0", "0", "0", "0",
                        "\"promoter (NPS 10) on 2026-10-02; referrer: referrals worth 10000000.00; expected 10000000.0"
                                + " purchases, CLV 0.00, probability alive 0.00\"")
                + ROW_3);
    }

    /** Double.MAX_VALUE, NaN, +-infinity (empty) and Double.MIN_VALUE, a timestamp before 1970, reasons worded from such values */
    static final String ROW_3 = line("3", "\"new\nline\"", "17976931348623157" + "0".repeat(292), "", "", "",
            "0." + "0".repeat(323) + "49", "", "3", "DETRACTOR", "1969-12-31T23:59:59.500Z", "1", "3", "2", "1",
            "referrer: referrals worth 0.00; held back: detractor (NPS 3) on 1969-12-31; held back: 1 open ticket");

    static String line(String... fields) {
        assertThat(fields).hasSize(16);
        return String.join(",", fields) + "\r\n";
    }

    @Test
    void filteredExportsAreTodaysFilteredCsv() {
        String[][] filters = {
                {"0.5", null, null}, {"1e15", null, null}, {"0", null, null},
                {null, "PROMOTER", null}, {null, "detractor", null}, {null, "NONE", null},
                {null, null, "true"}, {null, null, "false"},
                {"1", "DETRACTOR", "true"}, {"0.001", "NONE", "false"}, {"1e15", "PROMOTER", null}};
        for (String[] f : filters) {
            String query = (f[0] == null ? "" : "&minClv=" + f[0]) + (f[1] == null ? "" : "&npsCategory=" + f[1])
                    + (f[2] == null ? "" : "&openTickets=" + f[2]);
            for (CampaignKind kind : CampaignKind.values()) {
                byte[] expected = today(kind, edgeRun, filter(f[0], f[1], f[2]));
                byte[] actual = exported(kind.label(), edgeRun, query);
                assertThat(new String(actual, StandardCharsets.UTF_8)).as(kind + query)
                        .isEqualTo(new String(expected, StandardCharsets.UTF_8));
                assertThat(actual).as(kind + query).isEqualTo(expected);
            }
        }
        // the filters do filter: a share of the list; and PostgreSQL's NaN, above every number, passes minClv
        assertThat(new String(exported("upsell", edgeRun, "&npsCategory=PROMOTER"), StandardCharsets.UTF_8)
                .split("\r\n(?=\\d+,)")).hasSizeBetween(3, BULK / 2);
        assertThat(new String(exported("upsell", edgeRun, "&minClv=1e15"), StandardCharsets.UTF_8))
                .isEqualTo(Csv.HEADER + ROW_3);
        assertThat(new String(exported("retention", edgeRun, "&minClv=1e15&npsCategory=PROMOTER"),
                StandardCharsets.UTF_8)).isEqualTo(Csv.HEADER);
    }

    @Test
    void aLargeExportIsTodaysCsvToo() {
        byte[] expected = today(CampaignKind.RETENTION, largeRun, RankingFilter.NONE);
        byte[] actual = exported("retention", largeRun, "");
        assertThat(actual.length).isEqualTo(expected.length);
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void aClientThatGoesAwayMidExportReleasesTheConnection() throws Exception {
        assertThat(exportSessions()).isZero();
        try (Socket client = startExport("retention", largeRun)) {
            String head = readAtLeast(client.getInputStream(), 8192);
            assertThat(head).startsWith("HTTP/1.1 200").contains("rank,customerId,");
            // still streaming: the rest waits on the client, which reads no more
            assertThat(export.active()).isEqualTo(1);
            assertThat(exportSessions()).isEqualTo(1);
        }
        // closed with megabytes unread: the server sees a reset, cancels, and closes the COPY's connection
        await(() -> exportSessions() == 0 && export.active() == 0, Duration.ofSeconds(20));
        // and the next export runs to the end
        assertThat(exported("retention", largeRun, "").length).isEqualTo(
                today(CampaignKind.RETENTION, largeRun, RankingFilter.NONE).length);
        await(() -> exportSessions() == 0 && export.active() == 0, Duration.ofSeconds(20));
    }

    @Test
    void moreExportsThanAllowedAtATimeAreRefusedWithAProblem() throws Exception {
        try (Socket first = startExport("upsell", largeRun); Socket second = startExport("retention", largeRun)) {
            readAtLeast(first.getInputStream(), 8192);
            readAtLeast(second.getInputStream(), 8192);
            assertThat(export.active()).isEqualTo(2);
            web.get().uri("/api/v1/campaigns/upsell/customers?run=" + edgeRun).accept(TEXT_CSV).exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.status").isEqualTo(503).jsonPath("$.detail").isNotEmpty();
        }
        await(() -> exportSessions() == 0 && export.active() == 0, Duration.ofSeconds(20));
        assertThat(exported("upsell", edgeRun, "")).isEqualTo(today(CampaignKind.UPSELL, edgeRun, RankingFilter.NONE));
    }

    double correlation(long run, String column) {
        return db.sql("SELECT correlation FROM pg_stats WHERE tablename = $1 AND attname = $2 AND NOT inherited")
                .bind(0, "campaign_run_customer_" + run).bind(1, column).map(row -> row.get(0, Double.class)).one()
                .block();
    }

    long exportSessions() {
        return db.sql("SELECT count(*) AS n FROM pg_stat_activity WHERE application_name = $1")
                .bind(0, CsvExport.APPLICATION_NAME).map(row -> row.get("n", Long.class)).one().block();
    }

    /** A bare HTTP/1.1 client, so the test decides exactly how much it reads and when it hangs up. */
    Socket startExport(String kind, long run) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(30_000);
        socket.setReceiveBufferSize(16 * 1024);
        OutputStream out = socket.getOutputStream();
        out.write(("GET /api/v1/campaigns/" + kind + "/customers?run=" + run + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nAccept: text/csv\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return socket;
    }

    static String readAtLeast(InputStream in, int bytes) throws IOException {
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        while (read.size() < bytes) {
            int n = in.read(buffer);
            if (n < 0) {
                break;
            }
            read.write(buffer, 0, n);
        }
        return read.toString(StandardCharsets.UTF_8);
    }

    static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited %s", timeout).isLessThan(deadline);
            Thread.sleep(100);
        }
    }
}
