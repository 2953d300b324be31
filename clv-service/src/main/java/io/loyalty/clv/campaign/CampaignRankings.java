package io.loyalty.clv.campaign;

import io.loyalty.clv.scoring.BinaryCopy;
import io.loyalty.clv.scoring.JdbcConnections;
import io.loyalty.clv.scoring.RankingFeed;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Builds the upsell and retention rankings of a scoring run. The run's scoring pass feeds every customer's values
 * as it computes them ({@link #feed}), its read joined (in SQL) with the run's signals and the previous ranked
 * run's P(alive); a rerun of the rankings reads the stored values the same way ({@link #rank}). Each customer is
 * scored and its row (the inputs of its scores; the reasons are worded when a row is read, see
 * {@link RankingQueries}) goes as binary COPY to a spill file on local disk, and only the customer's id, two scores
 * and the row's offset in the file stay in memory. Primitive sorts of those give both ranks ({@link RankOrder});
 * the spill file's rows then go once, in upsell order with both ranks appended, by COPY into a new table created
 * in the same transaction (so the rows are written frozen: the first export does not set a million hint bits),
 * which gets its two rank indexes on two connections at once and is attached as the run's partition of
 * campaign_run_customer, where pages are range scans on (run_id, rank).
 */
@Service
public class CampaignRankings {

    private static final Logger log = LoggerFactory.getLogger(CampaignRankings.class);

    /** The binary COPY header (what BinaryCopy.Writer#header writes). */
    private static final byte[] BINARY_HEADER = new BinaryCopy.Writer(32).header().toByteArray();

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
     * The rankings of a run whose scoring pass is about to start (its signals collected, see SignalCollector): the
     * pass feeds every customer's values, {@link RankingFeed#finish} ranks them and stores the rankings, replacing
     * any the run had. Close the feed in every case.
     */
    public RankingFeed feed(long runId) throws SQLException {
        long previousRun;
        try (Connection c = connections.open()) {
            previousRun = previousRun(c, runId);
        }
        try {
            return new Build(runId, previousRun,
                    Files.createTempFile(spillDirectory(), "campaign-run-" + runId + "-", ".copy"));
        } catch (IOException e) {
            throw new UncheckedIOException("the ranking's spill file failed", e);
        }
    }

    /**
     * Ranks a run from its stored customer values and signals, replacing any rankings it had; the scoring run
     * itself ranks through {@link #feed}. Returns the number of customers ranked.
     */
    public long rank(long runId) throws SQLException {
        try (RankingFeed feed = feed(runId); Connection c = connections.open()) {
            CopyOut out = c.unwrap(PGConnection.class).getCopyAPI().copyOut("""
                    COPY (SELECT v.customer_id, v.frequency, v.clv, v.probability_alive, v.expected_purchases,
                                 v.referral_value %s
                          FROM scoring_run_customers v %s WHERE v.run_id = %d) TO STDOUT (FORMAT binary)"""
                    .formatted(feed.columns(), feed.joins(), runId));
            try {
                BinaryCopy.Reader rows = new BinaryCopy.Reader(out, 6 + feed.columnCount());
                while (rows.next()) {
                    feed.accept(rows.text(0), rows.int4(1), rows.float8(2), rows.float8(3), rows.float8(4),
                            rows.float8(5), rows, 6);
                }
            } catch (SQLException | RuntimeException e) {
                if (out.isActive()) {
                    out.cancelCopy();
                }
                throw e;
            }
            return feed.finish();
        }
    }

    /**
     * One run's rankings as they are built: each fed customer is scored and its row (binary COPY, without its
     * two ranks) goes to the spill file; what stays in memory per customer is its id, two scores and where its row
     * lies in the file.
     */
    private final class Build implements RankingFeed {
        private static final int FIELDS = 19;

        private final long runId;
        private final long previousRun;
        private final Path spill;
        private final OutputStream out;
        private final BinaryCopy.Writer row = new BinaryCopy.Writer(512);
        private final Scores scores = new Scores();
        private Exception failed;

        Build(long runId, long previousRun, Path spill) throws IOException {
            this.runId = runId;
            this.previousRun = previousRun;
            this.spill = spill;
            this.out = new BufferedOutputStream(Files.newOutputStream(spill), 1 << 16);
        }

        @Override
        public String columns() {
            return ", sat.nps_score, sat.nps_category, sat.nps_at, svc.open_tickets, svc.tickets_last_90_days,"
                    + " svc.sla_breaches_last_90_days, svc.reopens_last_90_days, "
                    + (previousRun < 0 ? "NULL::double precision" : "prev.probability_alive");
        }

        @Override
        public int columnCount() {
            return 8;
        }

        @Override
        public String joins() {
            return "LEFT JOIN signal_satisfaction sat ON sat.run_id = " + runId + " AND sat.customer_id = v.customer_id"
                    + " LEFT JOIN signal_service_stats svc ON svc.run_id = " + runId + " AND svc.customer_id = v.customer_id"
                    + (previousRun < 0 ? "" : " LEFT JOIN campaign_run_customer prev ON prev.run_id = " + previousRun
                            + " AND prev.customer_id = v.customer_id");
        }

        @Override
        public void accept(String customerId, int frequency, double clv, double probabilityAlive,
                           double expectedPurchases, double referralValue, BinaryCopy.Reader in, int first) {
            if (failed != null) {
                return;
            }
            try {
                CustomerValueRow v = new CustomerValueRow(customerId, frequency, sane(clv), sane(probabilityAlive),
                        sane(expectedPurchases), sane(referralValue));
                CustomerSignals s = signals(in, first);
                Double previous = in.isNull(first + 7) ? null : in.float8(first + 7);
                double up = scoring.upsellScore(v, s);
                double keep = scoring.retentionScore(v, s, previous);
                row.clear();
                row.row(FIELDS).int8(runId).text(customerId).int4(frequency).float8(v.clv())
                        .float8(v.probabilityAlive()).float8(v.expectedPurchases()).float8(v.referralValue());
                // the signals go through as the database sent them, the previous P(alive) first as the table has it
                for (int i = 0; i < 8; i++) {
                    row.field(in.buffer(), in.offset(first + (i + 7) % 8));
                }
                row.float8(up).float8(keep);
                out.write(row.buffer(), 0, row.length());
                scores.add(customerId, up, keep, row.length());
            } catch (IOException | RuntimeException e) {
                // the rankings are lost, not the scoring pass that feeds them: finish reports it
                failed = e;
            }
        }

        @Override
        public long finish() throws SQLException {
            try {
                out.close();
            } catch (IOException e) {
                failed = failed == null ? e : failed;
            }
            if (failed != null) {
                throw new IllegalStateException("the rankings could not take every customer", failed);
            }
            try {
                return store(runId, previousRun, scores, spill);
            } catch (IOException e) {
                throw new UncheckedIOException("the ranking's spill file failed", e);
            }
        }

        @Override
        public void close() {
            try {
                out.close();
            } catch (IOException e) {
                log.debug("spill file of run {} not closed", runId, e);
            }
            try {
                Files.deleteIfExists(spill);
            } catch (IOException e) {
                log.warn("spill file {} not deleted", spill, e);
            }
        }
    }

    /** The signals of one fed customer: none (a shared instance) when the customer has neither kind. */
    private static CustomerSignals signals(BinaryCopy.Reader in, int first) {
        boolean satisfaction = !in.isNull(first) || !in.isNull(first + 1) || !in.isNull(first + 2);
        boolean service = !in.isNull(first + 3);
        if (!satisfaction && !service) {
            return CustomerSignals.NONE;
        }
        return new CustomerSignals(in.isNull(first) ? null : in.int2(first), in.text(first + 1),
                in.isNull(first + 2) ? null : in.timestamptz(first + 2), integer(in, first + 3),
                integer(in, first + 4), integer(in, first + 5), integer(in, first + 6));
    }

    private static Integer integer(BinaryCopy.Reader in, int field) {
        return in.isNull(field) ? null : in.int4(field);
    }

    /** Sorts, writes, indexes and attaches the rows the spill file holds. */
    private long store(long runId, long previousRun, Scores scores, Path spill) throws SQLException, IOException {
        String partition = "campaign_run_customer_" + runId;
        try (Connection c = connections.open(); Connection writer = connections.open()) {
            execute(c, "DROP TABLE IF EXISTS " + partition + "_new");
            try {
                long t0 = System.nanoTime();
                scores.byId = RankOrder.byId(scores.ids);
                long tIds = System.nanoTime();
                // the two rankings sort at once, one on this thread and one on the common pool
                CompletableFuture<int[]> retentionRanks = CompletableFuture.supplyAsync(
                        () -> RankOrder.rankOfRow(RankOrder.ranked(scores.retention, scores.size, scores.byId)));
                int[] upsellOrder = RankOrder.ranked(scores.upsell, scores.size, scores.byId);
                int[] retention = retentionRanks.join();
                long t1 = System.nanoTime();
                write(writer, partition + "_new", spill, scores.offsets, upsellOrder, retention);
                long t2 = System.nanoTime();
                // the two rank indexes are built at once on two connections, not one after the other, so each without
                // parallel workers, and each with the memory to sort in memory (the default 64 MB sorts 1M on disk)
                for (Connection builder : List.of(c, writer)) {
                    execute(builder, "SET maintenance_work_mem = '" + properties.indexBuildMemory().toKilobytes() + "kB'");
                    execute(builder, "SET max_parallel_maintenance_workers = 0");
                }
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
                long t3 = System.nanoTime();
                attach(c, runId, previousRun, scores.size, partition);
                long t4 = System.nanoTime();
                if (properties.analyzeAfterRanking()) {
                    execute(c, "ANALYZE " + partition);
                }
                log.info("run {}: {} customers ranked in {} ms ({} ms of it ordering the ids), written in {} ms,"
                        + " indexed in {} ms, attached in {} ms, analyzed in {} ms", runId, scores.size,
                        (t1 - t0) / 1_000_000, (tIds - t0) / 1_000_000,
                        (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000,
                        (System.nanoTime() - t4) / 1_000_000);
                return scores.size;
            } finally {
                execute(c, "DROP TABLE IF EXISTS " + partition + "_new");
            }
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
                    .copyIn("COPY " + table + " (" + COLUMNS + ") FROM STDIN WITH (FORMAT binary, FREEZE)");
            int rows = upsellOrder.length;
            MappedByteBuffer mapped = offsets[rows] < Integer.MAX_VALUE
                    ? file.map(FileChannel.MapMode.READ_ONLY, 0, offsets[rows]) : null;
            ByteBuffer out = ByteBuffer.allocate(1 << 20);
            out.put(BINARY_HEADER);
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
                out.putInt(4).putInt(k + 1).putInt(4).putInt(retentionRank[row]);
            }
            out.putShort((short) -1);
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

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static double sane(double d) {
        return Double.isFinite(d) ? d : 0;
    }
}
