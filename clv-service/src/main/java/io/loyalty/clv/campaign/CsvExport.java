package io.loyalty.clv.campaign;

import io.loyalty.clv.scoring.BinaryCopy;
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
    /** The CSV's columns but the reasons, which are worded from them. */
    private static final int COLUMNS = 15;

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

    /** Reads COPY's binary rows ({@link BinaryCopy.Reader}) and writes them as CSV. */
    static final class Reader {
        private final String what;
        private final long startNanos = System.nanoTime();
        private final Connection connection;
        private final int bufferBytes;
        private final Csv.Out out;
        private final Csv.Row row = new Csv.Row();
        private final BinaryCopy.Reader in;
        private final CampaignKind kind;
        private final CampaignScoring scoring;
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
            this.bufferBytes = bufferBytes;
            this.out = new Csv.Out(bufferBytes + 1024);
            this.in = new BinaryCopy.Reader(copy, COLUMNS);
        }

        /** The next buffer of CSV bytes, or null when the ranking is through. */
        ByteBuffer next() throws SQLException {
            if (!started) {
                started = true;
                Csv.header(out);
            }
            // past the trailer the reader reads the stream to its end, where an error after the last row surfaces
            while (!done && out.size() < bufferBytes) {
                if (in.next()) {
                    decode();
                    Csv.row(out, row);
                    rows++;
                } else {
                    done = true;
                }
            }
            bytes += out.size();
            return out.size() == 0 ? null : out.take(bufferBytes + 1024);
        }

        /** The fields in the order of RankingQueries.select. */
        private void decode() {
            Csv.Row r = row;
            r.data = in.buffer();
            r.rank = integer(0);
            r.customerIdOffset = in.offset(1) + 4;
            r.customerIdLength = in.length(1);
            r.score = float8(2);
            r.clv = float8(3);
            r.probabilityAlive = float8(4);
            r.expectedPurchases = float8(5);
            r.referralValue = float8(6);
            r.hasPreviousProbabilityAlive = !in.isNull(7);
            r.previousProbabilityAlive = float8(7);
            r.npsScore = integer(8);
            r.npsCategoryOffset = in.offset(9) + 4;
            r.npsCategoryLength = in.length(9);
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
                            : new String(r.data, r.npsCategoryOffset, r.npsCategoryLength, StandardCharsets.UTF_8),
                    r.npsRespondedAt, nullable(r.openTickets), nullable(r.ticketsLast90Days),
                    nullable(r.slaBreachesLast90Days), nullable(r.reopensLast90Days));
            return scoring.reasons(kind, value, signals, r.hasPreviousProbabilityAlive ? r.previousProbabilityAlive : null);
        }

        private static Integer nullable(long count) {
            return count == Csv.Row.NULL ? null : Math.toIntExact(count);
        }

        /** int2, int4 or int8 field i; Row.NULL for NULL. */
        private long integer(int i) {
            int length = in.length(i);
            return switch (length) {
                case -1 -> Csv.Row.NULL;
                case 2 -> in.int2(i);
                case 4 -> in.int4(i);
                case 8 -> in.int8(i);
                default -> throw new IllegalStateException("integer field of " + length + " bytes");
            };
        }

        /** float8 field i; NaN (written empty) for NULL. */
        private double float8(int i) {
            int length = in.length(i);
            if (length == -1) {
                return Double.NaN;
            }
            if (length != 8) {
                throw new IllegalStateException("float8 field of " + length + " bytes");
            }
            return in.float8(i);
        }

        /** timestamptz field i; null for NULL. */
        private Instant timestamp(int i) {
            int length = in.length(i);
            if (length == -1) {
                return null;
            }
            if (length != 8) {
                throw new IllegalStateException("timestamptz field of " + length + " bytes");
            }
            return in.timestamptz(i);
        }
    }
}
