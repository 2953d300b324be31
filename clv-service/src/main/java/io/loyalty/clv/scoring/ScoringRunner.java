package io.loyalty.clv.scoring;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.loyalty.clv.model.BgNbdModel;
import io.loyalty.clv.model.BgNbdParameters;
import io.loyalty.clv.model.CustomerValue;
import io.loyalty.clv.model.GammaGammaModel;
import io.loyalty.clv.model.GammaGammaParameters;
import jakarta.annotation.PreDestroy;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Executes scoring runs one at a time on a dedicated thread: summary in SQL into an unlogged per-run table,
 * fits on rows compressed in SQL (GROUP BY), a streaming scoring pass (cursor with a fetch size) whose
 * results go to PostgreSQL through COPY, referral value, the holdout report, then the signals seam.
 * The heap holds the compressed fit rows and one fetch of summaries, never all customers.
 */
@Component
public class ScoringRunner {

    private static final Logger log = LoggerFactory.getLogger(ScoringRunner.class);

    private final JdbcConnections connections;
    private final ScoringProperties properties;
    private final ObjectProvider<RunSignals> signals;
    private final JsonMapper json;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "scoring-run");
        t.setDaemon(true);
        return t;
    });

    public ScoringRunner(JdbcConnections connections, ScoringProperties properties, ObjectProvider<RunSignals> signals,
                         JsonMapper json) {
        this.connections = connections;
        this.properties = properties;
        this.signals = signals;
        this.json = json;
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    public void submit(long runId, ScoringRequest request, Instant cutoff) {
        executor.execute(() -> run(runId, request, cutoff));
    }

    void run(long runId, ScoringRequest request, Instant cutoff) {
        long started = System.nanoTime();
        try (Connection c = connections.open()) {
            c.setAutoCommit(true);
            Map<String, Object> diagnostics = new LinkedHashMap<>();
            stage(c, runId, "SUMMARY", 0.02);
            long t0 = System.nanoTime();
            long customers = summarize(c, runId, request, cutoff);
            diagnostics.put("summarySeconds", seconds(t0));
            if (customers == 0) {
                throw new IllegalStateException("no purchases on or before calibrationEnd " + request.calibrationEnd());
            }
            stage(c, runId, "FIT", 0.35);
            t0 = System.nanoTime();
            Fit fit = fit(c, runId, diagnostics);
            diagnostics.put("fitSeconds", seconds(t0));
            stage(c, runId, "SCORING", 0.45);
            t0 = System.nanoTime();
            score(c, runId, request, fit, customers);
            diagnostics.put("scoringSeconds", seconds(t0));
            stage(c, runId, "REFERRALS", 0.92);
            referrals(c, runId, cutoff, request);
            Map<String, Object> validation = null;
            if (request.holdoutEnd() != null) {
                stage(c, runId, "VALIDATION", 0.95);
                validation = ValidationReport.build(c, runId, request);
            }
            dropSummary(c, runId);
            diagnostics.put("secondsBeforeSignals", seconds(started));
            stage(c, runId, "SIGNALS", 0.97);
            t0 = System.nanoTime();
            RunSignals.Outcome outcome = collectSignals(runId, cutoff);
            diagnostics.put("signalsSeconds", seconds(t0));
            diagnostics.put("totalSeconds", seconds(started));
            Map<String, Object> model = new LinkedHashMap<>();
            model.put("bgnbd", Map.of("r", fit.bgnbd.r(), "alpha", fit.bgnbd.alpha(), "a", fit.bgnbd.a(),
                    "b", fit.bgnbd.b(), "logLikelihood", fit.bgnbd.logLikelihood()));
            model.put("gammaGamma", Map.of("p", fit.gg.p(), "q", fit.gg.q(), "v", fit.gg.v(),
                    "logLikelihood", fit.gg.logLikelihood()));
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE scoring_runs SET status = 'SUCCEEDED', stage = 'DONE', progress = 1, finished_at = now(),
                        customers = ?, model = ?::jsonb, diagnostics = ?::jsonb, validation = ?::jsonb,
                        signals_complete = ?, signals_missing = ?
                    WHERE id = ?""")) {
                ps.setLong(1, customers);
                ps.setString(2, json.writeValueAsString(model));
                ps.setString(3, json.writeValueAsString(diagnostics));
                ps.setString(4, validation == null ? null : json.writeValueAsString(validation));
                ps.setBoolean(5, outcome.complete());
                ps.setArray(6, c.createArrayOf("text", outcome.missing().toArray()));
                ps.setLong(7, runId);
                ps.executeUpdate();
            }
            log.info("scoring run {} succeeded: {} customers in {} s", runId, customers, seconds(started));
        } catch (Exception | LinkageError | AssertionError e) {
            // anything short of an out-of-memory kills only this run, which must not stay RUNNING
            log.warn("scoring run {} failed", runId, e);
            fail(runId, e);
        }
    }

    private record Fit(BgNbdParameters bgnbd, GammaGammaParameters gg) {
    }

    private long summarize(Connection c, long runId, ScoringRequest request, Instant cutoff) throws SQLException {
        LocalDate calEnd = request.calibrationEnd();
        LocalDate holdEnd = request.holdoutEnd();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            // validated pattern, so the concatenation is safe; SET takes no bind parameters
            s.execute("SET LOCAL work_mem = '" + properties.summaryWorkMem() + "'");
            s.execute("DROP TABLE IF EXISTS " + SummarySql.table(runId));
            long rows = s.executeUpdate(SummarySql.create(runId, cutoff, calEnd, request.timeUnit().days, holdEnd));
            c.commit();
            return rows;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    private Fit fit(Connection c, long runId, Map<String, Object> diagnostics) throws SQLException {
        Columns bg = new Columns(4);
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT x, recency, t, count(*) FROM %s GROUP BY 1, 2, 3""".formatted(SummarySql.table(runId)))) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    bg.add(rs.getInt(1), rs.getDouble(2), rs.getDouble(3), rs.getLong(4));
                }
            }
        }
        Columns gg = new Columns(3);
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT x, monetary_value, count(*) FROM %s
                WHERE x > 0 AND monetary_value > 0 GROUP BY 1, 2""".formatted(SummarySql.table(runId)))) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    gg.add(rs.getInt(1), rs.getDouble(2), rs.getLong(3));
                }
            }
        }
        diagnostics.put("bgnbdDistinctRows", bg.size);
        diagnostics.put("gammaGammaDistinctRows", gg.size);
        diagnostics.put("gammaGammaCustomers", (long) gg.total(2));
        if (gg.size == 0) {
            throw new IllegalStateException("no customer with a repeat purchase of positive value: Gamma-Gamma cannot be fitted");
        }
        BgNbdParameters bgnbd = BgNbdModel.fit(bg.col(0), bg.col(1), bg.col(2), bg.col(3));
        GammaGammaParameters gamma = GammaGammaModel.fit(gg.col(0), gg.col(1), gg.col(2));
        return new Fit(bgnbd, gamma);
    }

    private void score(Connection c, long runId, ScoringRequest request, Fit fit, long customers)
            throws SQLException {
        BgNbdModel model = BgNbdModel.of(fit.bgnbd);
        CustomerValue value = CustomerValue.of(model, request.horizonMonths(), request.monthlyDiscountRate(),
                request.timeUnit().perMonth());
        double holdoutLength = request.holdoutEnd() == null ? 0
                : ChronoUnit.DAYS.between(request.calibrationEnd(), request.holdoutEnd()) / (double) request.timeUnit().days;
        long progressEvery = Math.max(1, customers / 20);
        try (Connection writer = connections.open()) {
            CopyIn copy = writer.unwrap(PGConnection.class).getCopyAPI().copyIn("""
                    COPY scoring_run_customers (run_id, customer_id, frequency, recency, t, monetary_value,
                        expected_purchases, probability_alive, expected_average_value, clv, churned_at,
                        holdout_predicted, holdout_baseline, holdout_actual) FROM STDIN""");
            try {
                c.setAutoCommit(false);
                StringBuilder out = new StringBuilder(1 << 20);
                int buffered = 0;
                long done = 0;
                try (PreparedStatement ps = c.prepareStatement("""
                        SELECT customer_id, x, recency, t, monetary_value, churned_at, holdout_actual
                        FROM %s""".formatted(SummarySql.table(runId)))) {
                    ps.setFetchSize(properties.fetchSize());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String customerId = rs.getString(1);
                            int x = rs.getInt(2);
                            double tx = rs.getDouble(3);
                            double t = rs.getDouble(4);
                            double m = rs.getDouble(5);
                            String churnedAt = rs.getString(6);
                            int actual = rs.getInt(7);
                            boolean hasActual = !rs.wasNull();
                            boolean churned = churnedAt != null;
                            double eav = GammaGammaModel.expectedAverageValue(fit.gg, x, x > 0 ? m : 0);
                            double alive = churned ? 0 : model.probabilityAlive(x, tx, t);
                            double expected = churned ? 0 : value.expectedPurchasesOverHorizon(x, tx, t);
                            double clv = churned ? 0 : value.discountedClv(x, tx, t, eav);
                            out.append(runId).append('\t');
                            Copy.text(out, customerId).append('\t')
                                    .append(x).append('\t').append(tx).append('\t').append(t).append('\t')
                                    .append(m).append('\t').append(expected).append('\t').append(alive).append('\t')
                                    .append(eav).append('\t').append(clv).append('\t')
                                    .append(churned ? churnedAt : "\\N").append('\t');
                            if (request.holdoutEnd() != null) {
                                double predicted = churned ? 0 : model.expectedPurchases(x, tx, t, holdoutLength);
                                double baseline = t > 0 ? x / t * holdoutLength : 0;
                                out.append(predicted).append('\t').append(baseline).append('\t')
                                        .append(hasActual ? Integer.toString(actual) : "0").append('\n');
                            } else {
                                out.append("\\N\t\\N\t\\N\n");
                            }
                            if (++buffered == properties.copyBufferRows()) {
                                flush(copy, out);
                                buffered = 0;
                            }
                            if (++done % progressEvery == 0) {
                                progress(runId, 0.45 + 0.45 * done / customers);
                            }
                        }
                    }
                }
                flush(copy, out);
                copy.endCopy();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static void flush(CopyIn copy, StringBuilder out) throws SQLException {
        if (!out.isEmpty()) {
            byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            out.setLength(0);
        }
    }

    private static void referrals(Connection c, long runId, Instant cutoff, ScoringRequest request) throws SQLException {
        // each referred customer counted once per referrer, referrals known by the calibration end
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE scoring_run_customers s SET referral_value = v.value
                FROM (SELECT r.referrer_id, sum(c.clv) AS value
                      FROM (SELECT DISTINCT referrer_id, referred_id FROM referrals
                            WHERE occurred_at < (?::date + 1)::timestamp AT TIME ZONE 'UTC' AND received_at <= ?) r
                      JOIN scoring_run_customers c ON c.run_id = ? AND c.customer_id = r.referred_id
                      GROUP BY r.referrer_id) v
                WHERE s.run_id = ? AND s.customer_id = v.referrer_id""")) {
            ps.setDate(1, Date.valueOf(request.calibrationEnd()));
            ps.setTimestamp(2, Timestamp.from(cutoff));
            ps.setLong(3, runId);
            ps.setLong(4, runId);
            ps.executeUpdate();
        }
    }

    private RunSignals.Outcome collectSignals(long runId, Instant cutoff) {
        RunSignals collector = signals.getIfAvailable();
        if (collector == null) {
            return new RunSignals.Outcome(false, List.of("survey", "ticket"));
        }
        try {
            RunSignals.Outcome outcome = collector.collect(runId, cutoff).block(Duration.ofHours(1));
            return outcome == null ? new RunSignals.Outcome(false, List.of("survey", "ticket")) : outcome;
        } catch (RuntimeException e) {
            log.warn("signals of run {} not collected", runId, e);
            return new RunSignals.Outcome(false, List.of("survey", "ticket"));
        }
    }

    private void stage(Connection c, long runId, String stage, double progress) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE scoring_runs SET stage = ?, progress = ? WHERE id = ?")) {
            ps.setString(1, stage);
            ps.setDouble(2, progress);
            ps.setLong(3, runId);
            ps.executeUpdate();
        }
    }

    /** Progress during the cursor pass goes over its own short connection: the reading one is mid-transaction. */
    private void progress(long runId, double progress) {
        try (Connection c = connections.open();
             PreparedStatement ps = c.prepareStatement("UPDATE scoring_runs SET progress = ? WHERE id = ?")) {
            ps.setDouble(1, progress);
            ps.setLong(2, runId);
            ps.executeUpdate();
        } catch (SQLException e) {
            log.debug("progress of run {} not recorded", runId, e);
        }
    }

    private void fail(long runId, Throwable cause) {
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        try (Connection c = connections.open()) {
            dropSummary(c, runId);
            execute(c, "DELETE FROM scoring_run_customers WHERE run_id = ?", runId);
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE scoring_runs SET status = 'FAILED', finished_at = now(), error = ? WHERE id = ?""")) {
                ps.setString(1, message.length() > 1000 ? message.substring(0, 1000) : message);
                ps.setLong(2, runId);
                ps.executeUpdate();
            }
        } catch (SQLException e) {
            log.error("could not record the failure of scoring run {}", runId, e);
        }
    }

    private static void dropSummary(Connection c, long runId) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + SummarySql.table(runId));
        }
    }

    private static void execute(Connection c, String sql, long runId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setLong(1, runId);
            ps.executeUpdate();
        }
    }

    private static double seconds(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 1e6) / 1e3;
    }

    /** Growable parallel double columns for the compressed fit rows. */
    private static final class Columns {
        private double[][] cols;
        private int size;

        Columns(int n) {
            cols = new double[n][1024];
        }

        void add(double... values) {
            if (size == cols[0].length) {
                for (int i = 0; i < cols.length; i++) {
                    cols[i] = java.util.Arrays.copyOf(cols[i], size * 2);
                }
            }
            for (int i = 0; i < values.length; i++) {
                cols[i][size] = values[i];
            }
            size++;
        }

        double[] col(int i) {
            return java.util.Arrays.copyOf(cols[i], size);
        }

        double total(int i) {
            double s = 0;
            for (int k = 0; k < size; k++) {
                s += cols[i][k];
            }
            return s;
        }
    }
}
