package io.loyalty.clv.campaign;

import io.loyalty.clv.scoring.JdbcConnections;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;
import org.postgresql.core.BaseConnection;
import org.postgresql.core.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The whole ranking as CSV, streamed: one {@code COPY (SELECT ...) TO STDOUT (FORMAT binary)} per export on a
 * JDBC connection of its own, each row turned into CSV bytes by {@link Csv#row} without decoding it into objects.
 * The read blocks, so it runs on a pool of its own ({@code loyalty.campaign.csv-export.max-concurrent} threads),
 * one buffer of about {@code buffer-bytes} per request from the response: a client that reads slowly stops the
 * reads, and PostgreSQL waits on its socket. The connection is closed when the export ends, fails or is cancelled
 * (the client went away); a COPY cut off that way ends with its backend.
 */
@Component
public class CsvExport implements DisposableBean {

    /** How the export's sessions show in pg_stat_activity. */
    static final String APPLICATION_NAME = "clv-csv-export";

    private static final Logger log = LoggerFactory.getLogger(CsvExport.class);
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    /** The CSV's columns but the reasons, which are worded from them. */
    private static final int COLUMNS = 15;
    /** 2000-01-01T00:00:00Z, PostgreSQL's timestamp epoch, in Unix seconds */
    private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;

    private final JdbcConnections connections;
    private final CampaignScoring scoring;
    private final CampaignProperties.Export settings;
    private final Scheduler scheduler;
    private final AtomicInteger active = new AtomicInteger();

    public CsvExport(JdbcConnections connections, CampaignProperties properties, ObjectProvider<MeterRegistry> meters) {
        this.connections = connections;
        this.scoring = new CampaignScoring(properties.upsell(), properties.retention());
        this.settings = properties.csvExport();
        this.scheduler = Schedulers.newBoundedElastic(settings.maxConcurrent(), 16 * settings.maxConcurrent(),
                "csv-export", 60, true);
        meters.ifAvailable(registry -> Gauge.builder("loyalty.campaign.csv.exports.active", active, AtomicInteger::get)
                .description("CSV exports of a ranking streaming now (each holds a JDBC connection)")
                .register(registry));
    }

    /** Exports streaming now. */
    int active() {
        return active.get();
    }

    /**
     * The ranking's CSV (header first), in buffers from {@code buffers}. Nothing is read until the body is
     * subscribed; more than maxConcurrent exports at a time are refused with a 503 problem, before any byte.
     */
    public Flux<DataBuffer> csv(CampaignKind kind, long runId, RankingFilter filter, DataBufferFactory buffers) {
        return Flux.<DataBuffer, Reader>generate(() -> open(kind, runId, filter), (reader, sink) -> {
                    ByteBuffer next;
                    try {
                        next = reader.next();
                    } catch (SQLException e) {
                        throw new IllegalStateException("CSV export of run " + runId + " failed: " + e.getMessage(), e);
                    }
                    if (next == null) {
                        sink.complete();
                    } else {
                        sink.next(buffers.wrap(next));
                    }
                    return reader;
                }, this::release)
                .subscribeOn(scheduler);
    }

    private Reader open(CampaignKind kind, long runId, RankingFilter filter) throws SQLException {
        if (active.incrementAndGet() > settings.maxConcurrent()) {
            active.decrementAndGet();
            throw new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, "Too many exports",
                    settings.maxConcurrent() + " CSV exports are streaming already; try again when one is done",
                    List.of());
        }
        Connection connection = null;
        try {
            connection = connections.open();
            connection.setClientInfo("ApplicationName", APPLICATION_NAME);
            Double correlation = correlation(connection, kind, runId);
            if (correlation != null && Math.abs(correlation) < settings.sortBelowCorrelation()) {
                // rows far apart on the heap for this order: one sort of a sequential scan beats a random heap
                // fetch per row (with the default shared_buffers, a read from the OS for most of them)
                try (Statement statement = connection.createStatement()) {
                    statement.execute("SET enable_indexscan = off");
                }
            }
            boolean standardStrings = connection.unwrap(BaseConnection.class).getStandardConformingStrings();
            String sql = "COPY (" + RankingQueries.select(kind) + " WHERE run_id = " + runId
                    + filter.whereLiterals(value -> literal(value, standardStrings)) + " ORDER BY " + kind.rankColumn
                    + ") TO STDOUT (FORMAT binary)";
            CopyOut copy = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(sql);
            return new Reader(kind.label() + " run " + runId + filter.whereLiterals(String::valueOf), connection, copy,
                    settings.bufferBytes(), kind, scoring);
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            active.decrementAndGet();
            throw e;
        }
    }

    /**
     * How closely the run's partition (named as {@link CampaignRankings} names it) is stored in this ranking's order,
     * from -1 to 1, as its last ANALYZE saw it; null when it has no statistics.
     */
    private static Double correlation(Connection connection, CampaignKind kind, long runId) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT correlation FROM pg_stats WHERE schemaname = "
                + "current_schema() AND tablename = ? AND attname = ? AND NOT inherited")) {
            ps.setString(1, "campaign_run_customer_" + runId);
            ps.setString(2, kind.rankColumn);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    double correlation = rs.getDouble(1);
                    return rs.wasNull() ? null : correlation;
                }
                return null;
            }
        }
    }

    /** A filter value as a SQL literal: minClv (a double, exact: Double.toString round-trips) or npsCategory. */
    private static String literal(Object value, boolean standardConformingStrings) {
        if (value instanceof Double d) {
            return "'" + d + "'::float8";
        }
        try {
            return Utils.escapeLiteral(new StringBuilder("'"), (String) value, standardConformingStrings).append('\'')
                    .toString();
        } catch (SQLException e) {
            throw new IllegalArgumentException("not a value for a SQL literal", e);
        }
    }

    /** Ends an export; off the calling thread, which may be an event loop (a client that went away). */
    private void release(Reader reader) {
        try {
            scheduler.schedule(() -> close(reader));
        } catch (RejectedExecutionException e) {
            close(reader);
        }
    }

    private void close(Reader reader) {
        if (reader.open) {
            reader.open = false;
            // a COPY still running is not cancelled (that would read out the rest): closing the connection ends it
            closeQuietly(reader.connection);
            active.decrementAndGet();
            log.info("CSV export of {}: {} rows, {} bytes in {} ms{}", reader.what, reader.rows, reader.bytes,
                    (System.nanoTime() - reader.startNanos) / 1_000_000, reader.done ? "" : ", cut off");
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException | RuntimeException e) {
                log.debug("closing a CSV export's connection: {}", e.toString());
            }
        }
    }

    @Override
    public void destroy() {
        scheduler.dispose();
    }

    /**
     * Reads COPY's binary rows (a header, then per row a 16-bit field count and each field as a 32-bit length,
     * -1 for NULL, and its bytes; a count of -1 ends) and writes them as CSV. A row usually arrives as one
     * CopyData message; the reader does not rely on it.
     */
    static final class Reader {
        private final String what;
        private final long startNanos = System.nanoTime();
        private final Connection connection;
        private final CopyOut copy;
        private final int bufferBytes;
        private final Csv.Out out;
        private final Csv.Row row = new Csv.Row();
        /** Where each field of the current row starts in data: its 32-bit length, then its bytes. */
        private final int[] fieldAt = new int[COLUMNS];
        private final CampaignKind kind;
        private final CampaignScoring scoring;
        private byte[] data = new byte[0];
        private int start;
        private int limit;
        private boolean started;
        private volatile boolean done;
        private volatile long rows;
        private volatile long bytes;
        volatile boolean open = true;

        Reader(String what, Connection connection, CopyOut copy, int bufferBytes, CampaignKind kind,
               CampaignScoring scoring) {
            this.what = what;
            this.kind = kind;
            this.scoring = scoring;
            this.connection = connection;
            this.copy = copy;
            this.bufferBytes = bufferBytes;
            this.out = new Csv.Out(bufferBytes + 1024);
        }

        /** The next buffer of CSV bytes, or null when the ranking is through. */
        ByteBuffer next() throws SQLException {
            if (!started) {
                started = true;
                readHeader();
                Csv.header(out);
            }
            while (!done && out.size() < bufferBytes) {
                if (!readRow()) {
                    done = true;
                    // the command's completion: an error after the last row surfaces here
                    while (copy.readFromCopy() != null) {
                        // nothing follows the trailer
                    }
                }
            }
            bytes += out.size();
            return out.size() == 0 ? null : out.take(bufferBytes + 1024);
        }

        private void readHeader() throws SQLException {
            if (!have(SIGNATURE.length + 8)
                    || !Arrays.equals(data, start, start + SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
                throw new IllegalStateException("COPY did not start with the binary signature");
            }
            int extension = int32(start + SIGNATURE.length + 4);
            int headerLength = SIGNATURE.length + 8 + extension;
            if (extension < 0 || !have(headerLength)) {
                throw new IllegalStateException("COPY binary header is cut off");
            }
            start += headerLength;
        }

        /** Reads one row into {@link #row} and writes it; false at the trailer. */
        private boolean readRow() throws SQLException {
            if (!have(2)) {
                throw new IllegalStateException("COPY ended without its trailer");
            }
            short fields = int16(start);
            if (fields == -1) {
                start += 2;
                return false;
            }
            if (fields != COLUMNS) {
                throw new IllegalStateException("COPY row with " + fields + " fields, expected " + COLUMNS);
            }
            // the whole row first, so every offset points into one array; each field's (length, bytes) position
            int length = 2;
            for (int i = 0; i < COLUMNS; i++) {
                if (!have(length + 4)) {
                    throw new IllegalStateException("COPY row cut off");
                }
                fieldAt[i] = length;
                length += 4 + Math.max(int32(start + length), 0);
            }
            if (!have(length)) {
                throw new IllegalStateException("COPY row cut off");
            }
            for (int i = 0; i < COLUMNS; i++) {
                fieldAt[i] += start;
            }
            decode();
            start += length;
            Csv.row(out, row);
            rows++;
            return true;
        }

        /** The fields in the order of RankingQueries.select. */
        private void decode() {
            Csv.Row r = row;
            r.data = data;
            r.rank = integer(0);
            r.customerIdOffset = fieldAt[1] + 4;
            r.customerIdLength = int32(fieldAt[1]);
            r.score = float8(2);
            r.clv = float8(3);
            r.probabilityAlive = float8(4);
            r.expectedPurchases = float8(5);
            r.referralValue = float8(6);
            r.hasPreviousProbabilityAlive = int32(fieldAt[7]) >= 0;
            r.previousProbabilityAlive = float8(7);
            r.npsScore = integer(8);
            r.npsCategoryOffset = fieldAt[9] + 4;
            r.npsCategoryLength = int32(fieldAt[9]);
            r.npsRespondedAt = timestamp(10);
            r.openTickets = integer(11);
            r.ticketsLast90Days = integer(12);
            r.slaBreachesLast90Days = integer(13);
            r.reopensLast90Days = integer(14);
            r.reasons = String.join("; ", reasons(r)).getBytes(StandardCharsets.UTF_8);
        }

        /** The row's reasons, worded from its fields as the pages word them (RankingQueries.customer). */
        private List<String> reasons(Csv.Row r) {
            // frequency (0 here) is not an input of the reasons
            CustomerValueRow value = new CustomerValueRow(null, 0, r.clv, r.probabilityAlive, r.expectedPurchases,
                    r.referralValue);
            CustomerSignals signals = new CustomerSignals(nullable(r.npsScore),
                    r.npsCategoryLength < 0 ? null
                            : new String(data, r.npsCategoryOffset, r.npsCategoryLength, StandardCharsets.UTF_8),
                    r.npsRespondedAt, nullable(r.openTickets), nullable(r.ticketsLast90Days),
                    nullable(r.slaBreachesLast90Days), nullable(r.reopensLast90Days));
            return scoring.reasons(kind, value, signals, r.hasPreviousProbabilityAlive ? r.previousProbabilityAlive : null);
        }

        private static Integer nullable(long count) {
            return count == Csv.Row.NULL ? null : Math.toIntExact(count);
        }

        /** int2, int4 or int8 field i; Row.NULL for NULL. */
        private long integer(int i) {
            int p = fieldAt[i];
            int length = int32(p);
            return switch (length) {
                case -1 -> Csv.Row.NULL;
                case 2 -> int16(p + 4);
                case 4 -> int32(p + 4);
                case 8 -> int64(p + 4);
                default -> throw new IllegalStateException("integer field of " + length + " bytes");
            };
        }

        /** float8 field i; NaN (written empty) for NULL. */
        private double float8(int i) {
            int p = fieldAt[i];
            int length = int32(p);
            if (length == -1) {
                return Double.NaN;
            }
            if (length != 8) {
                throw new IllegalStateException("float8 field of " + length + " bytes");
            }
            return Double.longBitsToDouble(int64(p + 4));
        }

        /** timestamptz field i (microseconds since 2000-01-01 UTC); null for NULL. */
        private Instant timestamp(int i) {
            int p = fieldAt[i];
            int length = int32(p);
            if (length == -1) {
                return null;
            }
            if (length != 8) {
                throw new IllegalStateException("timestamptz field of " + length + " bytes");
            }
            long micros = int64(p + 4);
            return Instant.ofEpochSecond(POSTGRES_EPOCH_SECONDS + Math.floorDiv(micros, 1_000_000L),
                    Math.floorMod(micros, 1_000_000L) * 1000);
        }

        /** Makes bytes [start, start + need) available in data; false if the COPY ended first. */
        private boolean have(int need) throws SQLException {
            while (limit - start < need) {
                byte[] message = copy.readFromCopy();
                if (message == null) {
                    return false;
                }
                if (start == limit) {
                    data = message;
                } else {
                    byte[] joined = new byte[limit - start + message.length];
                    System.arraycopy(data, start, joined, 0, limit - start);
                    System.arraycopy(message, 0, joined, limit - start, message.length);
                    data = joined;
                }
                limit = data.length;
                start = 0;
            }
            return true;
        }

        private short int16(int p) {
            return (short) (((data[p] & 0xff) << 8) | (data[p + 1] & 0xff));
        }

        private int int32(int p) {
            return ((data[p] & 0xff) << 24) | ((data[p + 1] & 0xff) << 16) | ((data[p + 2] & 0xff) << 8)
                    | (data[p + 3] & 0xff);
        }

        private long int64(int p) {
            return ((long) int32(p) << 32) | (int32(p + 4) & 0xffffffffL);
        }
    }
}
