package io.loyalty.clv.campaign;

import io.loyalty.clv.scoring.Copy;
import io.loyalty.clv.scoring.JdbcConnections;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Builds the upsell and retention rankings of a scoring run from its stored customer values. One streaming pass
 * reads the values joined (in SQL) with the run's signals and the previous ranked run's P(alive) and scores every
 * customer. Each row (the inputs of its scores; the reasons are worded when a row is read, see
 * {@link RankingQueries}) goes as COPY text to a spill file on local disk, and only the customer's id, two scores
 * and the row's offset in the file stay in memory. Primitive sorts of those give both ranks ({@link RankOrder});
 * the spill file's rows then go once, in upsell order with both ranks appended, by COPY into a new table created
 * in the same transaction (so the rows are written frozen: the first export does not set a million hint bits),
 * which gets its two rank indexes on two connections at once and is attached as the run's partition of
 * campaign_run_customer, where pages are range scans on (run_id, rank). Plain JDBC, like the scoring run that
 * calls it: a cursor and COPY.
 */
@Service
public class CampaignRankings {

    private static final Logger log = LoggerFactory.getLogger(CampaignRankings.class);

    private static final String COLUMNS = """
            run_id, customer_id, frequency, clv, probability_alive, expected_purchases, referral_value,
            previous_probability_alive, nps_score, nps_category, nps_at, open_tickets, tickets_last_90_days,
            sla_breaches_last_90_days, reopens_last_90_days, upsell_score, retention_score, upsell_rank,
            retention_rank""";

    private final JdbcConnections connections;
    private final CampaignProperties properties;
    private final CampaignScoring scoring;

    public CampaignRankings(JdbcConnections connections, CampaignProperties properties) {
        this.connections = connections;
        this.properties = properties;
        this.scoring = new CampaignScoring(properties.upsell(), properties.retention());
    }

    /**
     * Ranks a run's customers; call once the run's values are in scoring_run_customers and its signals
     * are collected (see SignalCollector). Rerunning for the same run replaces its rankings. Returns the
     * number of customers ranked.
     */
    public long rank(long runId) throws SQLException {
        try {
            return rank(runId, Files.createTempFile(spillDirectory(), "campaign-run-" + runId + "-", ".copy"));
        } catch (IOException e) {
            throw new UncheckedIOException("the ranking's spill file failed", e);
        }
    }

    private long rank(long runId, Path spill) throws SQLException, IOException {
        String partition = "campaign_run_customer_" + runId;
        try (Connection c = connections.open(); Connection writer = connections.open()) {
            execute(c, "DROP TABLE IF EXISTS " + partition + "_new");
            try {
                long t0 = System.nanoTime();
                long previousRun = previousRun(c, runId);
                Scores scores = score(runId, previousRun, spill);
                long t1 = System.nanoTime();
                // the two rankings sort at once, one on this thread and one on the common pool
                CompletableFuture<int[]> retentionRanks = CompletableFuture.supplyAsync(
                        () -> RankOrder.rankOfRow(RankOrder.ranked(scores.retention, scores.size, scores.byId)));
                int[] upsellOrder = RankOrder.ranked(scores.upsell, scores.size, scores.byId);
                int[] retention = retentionRanks.join();
                long t2 = System.nanoTime();
                write(writer, partition + "_new", spill, scores.offsets, upsellOrder, retention);
                long t3 = System.nanoTime();
                // the two rank indexes are built at once on two connections, not one after the other
                FutureTask<Void> retentionIndex = new FutureTask<>(() -> {
                    execute(writer, "CREATE UNIQUE INDEX ON " + partition + "_new (run_id, retention_rank)");
                    return null;
                });
                new Thread(retentionIndex, "campaign-retention-index").start();
                try {
                    execute(c, "CREATE UNIQUE INDEX ON " + partition + "_new (run_id, upsell_rank)");
                } finally {
                    await(retentionIndex);
                }
                long t4 = System.nanoTime();
                attach(c, runId, previousRun, scores.size, partition);
                long t5 = System.nanoTime();
                if (properties.analyzeAfterRanking()) {
                    execute(c, "ANALYZE " + partition);
                }
                log.info("run {}: {} customers scored in {} ms, ranked in {} ms, written in {} ms, indexed in {} ms,"
                        + " attached in {} ms, analyzed in {} ms", runId, scores.size, (t1 - t0) / 1_000_000,
                        (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000, (t5 - t4) / 1_000_000,
                        (System.nanoTime() - t5) / 1_000_000);
                return scores.size;
            } finally {
                execute(c, "DROP TABLE IF EXISTS " + partition + "_new");
            }
        } finally {
            Files.deleteIfExists(spill);
        }
    }

    private Path spillDirectory() throws IOException {
        Path directory = Path.of(properties.spillDirectory() == null || properties.spillDirectory().isBlank()
                ? System.getProperty("java.io.tmpdir") : properties.spillDirectory());
        return Files.createDirectories(directory);
    }

    /** A rerun replaces the run's rankings in one step. */
    private static void attach(Connection c, long runId, long previousRun, long customers, String partition)
            throws SQLException {
        c.setAutoCommit(false);
        try (PreparedStatement clearRun = c.prepareStatement("DELETE FROM campaign_run WHERE run_id = ?");
             PreparedStatement run = c.prepareStatement(
                     "INSERT INTO campaign_run (run_id, customers, previous_run_id) VALUES (?, ?, ?)")) {
            execute(c, "DROP TABLE IF EXISTS " + partition);
            execute(c, "ALTER TABLE " + partition + "_new RENAME TO " + partition);
            execute(c, "ALTER TABLE campaign_run_customer ATTACH PARTITION " + partition + " FOR VALUES IN (" + runId + ")");
            clearRun.setLong(1, runId);
            clearRun.executeUpdate();
            run.setLong(1, runId);
            run.setLong(2, customers);
            run.setObject(3, previousRun < 0 ? null : previousRun, java.sql.Types.BIGINT);
            run.executeUpdate();
            c.commit();
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private static long previousRun(Connection c, long runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT max(run_id) FROM campaign_run WHERE run_id < ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                long id = rs.getLong(1);
                return rs.wasNull() ? -1 : id;
            }
        }
    }

    /** What the pass keeps per customer: the id and the two scores, in the order the rows came. */
    private static final class Scores {
        final List<String> ids = new ArrayList<>();
        double[] upsell = new double[1 << 16];
        double[] retention = new double[1 << 16];
        /** Where each row's line starts in the spill file; offsets[size] is the file's length. */
        long[] offsets = new long[(1 << 16) + 1];
        int size;
        int[] byId;

        void add(String id, double up, double keep, int lineBytes) {
            if (size == upsell.length) {
                upsell = Arrays.copyOf(upsell, size * 2);
                retention = Arrays.copyOf(retention, size * 2);
                offsets = Arrays.copyOf(offsets, size * 2 + 1);
            }
            ids.add(id);
            upsell[size] = up;
            retention[size] = keep;
            offsets[size + 1] = offsets[size] + lineBytes;
            size++;
        }
    }

    /** The streaming pass: values joined with signals in; scored rows out to the spill file, a line each. */
    private Scores score(long runId, long previousRun, Path spill) throws SQLException, IOException {
        Scores scores = new Scores();
        try (Connection c = connections.open();
             OutputStream out = new BufferedOutputStream(Files.newOutputStream(spill), 1 << 16)) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("""
                     SELECT v.customer_id, v.frequency, v.clv, v.probability_alive, v.expected_purchases,
                            v.referral_value, s.nps_score, s.nps_category, s.nps_at, t.open_tickets,
                            t.tickets_last_90_days, t.sla_breaches_last_90_days, t.reopens_last_90_days,
                            p.probability_alive AS previous
                     FROM scoring_run_customers v
                     LEFT JOIN signal_satisfaction s ON s.run_id = v.run_id AND s.customer_id = v.customer_id
                     LEFT JOIN signal_service_stats t ON t.run_id = v.run_id AND t.customer_id = v.customer_id
                     LEFT JOIN campaign_run_customer p ON p.run_id = ? AND p.customer_id = v.customer_id
                     WHERE v.run_id = ?""")) {
                ps.setFetchSize(properties.chunkSize());
                ps.setLong(1, previousRun);
                ps.setLong(2, runId);
                StringBuilder line = new StringBuilder(256);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        line.setLength(0);
                        Scored scored = append(line, runId, rs);
                        byte[] bytes = line.toString().getBytes(StandardCharsets.UTF_8);
                        out.write(bytes);
                        scores.add(scored.customerId, scored.upsell, scored.retention, bytes.length);
                    }
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
        scores.byId = RankOrder.byId(scores.ids);
        return scores;
    }

    private record Scored(String customerId, double upsell, double retention) {
    }

    /** One scored row as COPY text without its two ranks and newline, which the write appends. */
    private Scored append(StringBuilder out, long runId, ResultSet rs) throws SQLException {
        CustomerValueRow v = new CustomerValueRow(rs.getString(1), rs.getInt(2), sane(rs.getDouble(3)),
                sane(rs.getDouble(4)), sane(rs.getDouble(5)), sane(rs.getDouble(6)));
        OffsetDateTime npsAt = rs.getObject(9, OffsetDateTime.class);
        CustomerSignals s = new CustomerSignals(integer(rs, 7), rs.getString(8), npsAt == null ? null : npsAt.toInstant(),
                integer(rs, 10), integer(rs, 11), integer(rs, 12), integer(rs, 13));
        double previous = rs.getDouble(14);
        Double previousAlive = rs.wasNull() ? null : previous;
        double up = scoring.upsellScore(v, s);
        double keep = scoring.retentionScore(v, s, previousAlive);
        out.append(runId).append('\t');
        Copy.text(out, v.customerId()).append('\t').append(v.frequency()).append('\t')
                .append(v.clv()).append('\t').append(v.probabilityAlive()).append('\t')
                .append(v.expectedPurchases()).append('\t').append(v.referralValue()).append('\t');
        field(out, previousAlive).append('\t');
        field(out, s.npsScore()).append('\t');
        field(out, s.npsCategory()).append('\t');
        Instant at = s.npsRespondedAt();
        field(out, at).append('\t');
        field(out, s.openTickets()).append('\t');
        field(out, s.ticketsLast90Days()).append('\t');
        field(out, s.slaBreachesLast90Days()).append('\t');
        field(out, s.reopensLast90Days()).append('\t');
        out.append(up).append('\t').append(keep);
        return new Scored(v.customerId(), up, keep);
    }

    /**
     * The spill file's rows in upsell order, each with its two ranks, by COPY into a new table created in the same
     * transaction (FREEZE needs that). Upsell order on disk makes the upsell index's build a presorted one and its
     * pages and export read the table in order; the file is read where each row lies (mapped, or by positional
     * reads past 2 GB).
     */
    private void write(Connection writer, String table, Path spill, long[] offsets, int[] upsellOrder,
                       int[] retentionRank) throws SQLException, IOException {
        writer.setAutoCommit(false);
        CopyIn copy = null;
        try (FileChannel file = FileChannel.open(spill, StandardOpenOption.READ)) {
            execute(writer, "CREATE TABLE " + table + " (LIKE campaign_run_customer INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
            copy = writer.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + table + " (" + COLUMNS + ") FROM STDIN WITH (FREEZE)");
            int rows = upsellOrder.length;
            MappedByteBuffer mapped = offsets[rows] < Integer.MAX_VALUE
                    ? file.map(FileChannel.MapMode.READ_ONLY, 0, offsets[rows]) : null;
            ByteBuffer out = ByteBuffer.allocate(1 << 20);
            for (int k = 0; k < rows; k++) {
                int row = upsellOrder[k];
                int length = (int) (offsets[row + 1] - offsets[row]);
                if (out.remaining() < length + 24) {
                    flush(copy, out);
                    if (out.remaining() < length + 24) {
                        out = ByteBuffer.allocate(length + 24);
                    }
                }
                if (mapped != null) {
                    out.put(out.position(), mapped, (int) offsets[row], length).position(out.position() + length);
                } else {
                    ByteBuffer line = out.slice(out.position(), length);
                    for (long at = offsets[row]; line.hasRemaining(); ) {
                        at += file.read(line, at);
                    }
                    out.position(out.position() + length);
                }
                digits(out.put((byte) '\t'), k + 1);
                digits(out.put((byte) '\t'), retentionRank[row]).put((byte) '\n');
            }
            flush(copy, out);
            copy.endCopy();
            writer.commit();
        } catch (SQLException | IOException | RuntimeException e) {
            if (copy != null && copy.isActive()) {
                copy.cancelCopy();
            }
            writer.rollback();
            throw e;
        } finally {
            writer.setAutoCommit(true);
        }
    }

    private static void flush(CopyIn copy, ByteBuffer out) throws SQLException {
        if (out.position() > 0) {
            copy.writeToCopy(out.array(), 0, out.position());
            out.clear();
        }
    }

    /** A positive int in decimal ASCII. */
    private static ByteBuffer digits(ByteBuffer out, int value) {
        int start = out.position();
        do {
            out.put((byte) ('0' + value % 10));
            value /= 10;
        } while (value > 0);
        for (int i = start, j = out.position() - 1; i < j; i++, j--) {
            byte t = out.get(i);
            out.put(i, out.get(j));
            out.put(j, t);
        }
        return out;
    }

    private static void await(FutureTask<Void> task) throws SQLException {
        try {
            task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while a rank index was built", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getCause());
        }
    }

    private static StringBuilder field(StringBuilder out, Object value) {
        return value == null ? out.append("\\N") : Copy.text(out, value.toString());
    }

    private static Integer integer(ResultSet rs, int column) throws SQLException {
        int value = rs.getInt(column);
        return rs.wasNull() ? null : value;
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static double sane(double d) {
        return Double.isFinite(d) ? d : 0;
    }
}
