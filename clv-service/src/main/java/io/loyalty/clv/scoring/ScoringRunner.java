package io.loyalty.clv.scoring;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.loyalty.clv.model.BgNbdModel;
import io.loyalty.clv.model.BgNbdParameters;
import io.loyalty.clv.model.GammaGammaModel;
import io.loyalty.clv.model.GammaGammaParameters;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Executes scoring runs one at a time on a dedicated thread: the signal collection starts at once and runs
 * beside the rest; the summary ({@link SummaryPass}) into an unlogged per-run table, which also yields the
 * fits' compressed rows; the fits; the referral values; then, once the signals are in, the streaming scoring
 * pass ({@link ScoringPass}: binary COPY out and in), which also feeds the campaign rankings; the holdout report;
 * and the rankings' sorts and write. The heap holds the compressed fit rows and a buffer of rows, never all
 * customers (the rankings keep an id and two scores per customer, see CampaignRankings).
 */
@Component
public class ScoringRunner {

    private static final Logger log = LoggerFactory.getLogger(ScoringRunner.class);
    private static final RunSignals.Outcome NOT_COLLECTED = new RunSignals.Outcome(false, List.of("survey", "ticket"));

    private final JdbcConnections connections;
    private final ScoringProperties properties;
    private final ObjectProvider<RunSignals> signals;
    private final JsonMapper json;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "scoring-run");
        t.setDaemon(true);
        return t;
    });
    /** The summary's customer-id ranges, each on connections of its own. */
    private final ExecutorService summaryWorkers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "scoring-summary");
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
        summaryWorkers.shutdownNow();
    }

    public void submit(long runId, ScoringRequest request, Instant cutoff) {
        executor.execute(() -> run(runId, request, cutoff));
    }

    void run(long runId, ScoringRequest request, Instant cutoff) {
        long started = System.nanoTime();
        RunSignals seam = signals.getIfAvailable();
        // the signal services are read while the run summarises and fits: the collection waits on the
        // network and on two other services, the summary on this database
        CompletableFuture<RunSignals.Outcome> collected = seam == null
                ? CompletableFuture.completedFuture(NOT_COLLECTED)
                : seam.collect(runId, cutoff).onErrorResume(e -> {
                    log.warn("signals of run {} not collected", runId, e);
                    return Mono.just(NOT_COLLECTED);
                }).defaultIfEmpty(NOT_COLLECTED).toFuture();
        try (Connection c = connections.open()) {
            c.setAutoCommit(true);
            Map<String, Object> diagnostics = new LinkedHashMap<>();
            stage(c, runId, "SUMMARY", 0.02);
            long t0 = System.nanoTime();
            SummaryPass.Result summary = new SummaryPass(connections, runId, request, cutoff)
                    .run(c, summaryWorkers, properties.summaryParallelism());
            long customers = summary.customers();
            diagnostics.put("summarySeconds", seconds(t0));
            if (customers == 0) {
                throw new IllegalStateException("no purchases on or before calibrationEnd " + request.calibrationEnd());
            }
            stage(c, runId, "FIT", 0.35);
            t0 = System.nanoTime();
            Fit fit = fit(summary, diagnostics);
            diagnostics.put("fitSeconds", seconds(t0));
            stage(c, runId, "REFERRALS", 0.42);
            ScoringPass pass = new ScoringPass(runId, request, cutoff, BgNbdModel.of(fit.bgnbd), fit.gg, properties);
            t0 = System.nanoTime();
            try (Connection writer = connections.open()) {
                pass.referralValues(c, writer);
            }
            diagnostics.put("referralSeconds", seconds(t0));
            // the rankings are fed by the scoring pass, so they need the signals before it starts; the collection
            // has run beside the summary and the fits and is normally done by now
            stage(c, runId, "SIGNALS", 0.44);
            t0 = System.nanoTime();
            RunSignals.Outcome outcome = collected.get(1, TimeUnit.HOURS);
            diagnostics.put("signalsWaitSeconds", seconds(t0));
            try (RankingFeed feed = seam == null ? null : feed(seam, runId)) {
                stage(c, runId, "SCORING", 0.45);
                t0 = System.nanoTime();
                try (Connection writer = connections.open()) {
                    pass.score(c, writer, customers, feed, done -> progress(runId, 0.45 + 0.45 * done));
                }
                diagnostics.put("scoringSeconds", seconds(t0));
                Map<String, Object> validation = null;
                if (request.holdoutEnd() != null) {
                    stage(c, runId, "VALIDATION", 0.92);
                    validation = ValidationReport.build(c, runId, request);
                }
                dropWorkTables(c, runId);
                diagnostics.put("secondsBeforeRanking", seconds(started));
                if (feed != null) {
                    stage(c, runId, "RANKING", 0.95);
                    t0 = System.nanoTime();
                    rank(feed, runId);
                    diagnostics.put("rankingSeconds", seconds(t0));
                }
                succeed(c, runId, customers, fit, diagnostics, validation, outcome, started);
            }
        } catch (Exception | LinkageError | AssertionError e) {
            // anything short of an out-of-memory kills only this run, which must not stay RUNNING
            log.warn("scoring run {} failed", runId, e);
            collected.cancel(true);
            fail(runId, e instanceof ExecutionException ee && ee.getCause() != null ? ee.getCause() : e);
        }
    }

    private void succeed(Connection c, long runId, long customers, Fit fit, Map<String, Object> diagnostics,
                         Map<String, Object> validation, RunSignals.Outcome outcome, long started) throws SQLException {
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
    }

    private record Fit(BgNbdParameters bgnbd, GammaGammaParameters gg) {
    }

    private static Fit fit(SummaryPass.Result summary, Map<String, Object> diagnostics) {
        SummaryPass.FitRows bg = summary.bgnbd();
        SummaryPass.FitRows gg = summary.gammaGamma();
        diagnostics.put("bgnbdDistinctRows", bg.size());
        diagnostics.put("gammaGammaDistinctRows", gg.size());
        diagnostics.put("gammaGammaCustomers", (long) gg.customers());
        if (gg.size() == 0) {
            throw new IllegalStateException("no customer with a repeat purchase of positive value: Gamma-Gamma cannot be fitted");
        }
        BgNbdParameters bgnbd = BgNbdModel.fit(bg.columns()[0], bg.columns()[1], bg.columns()[2], bg.weight());
        GammaGammaParameters gamma = GammaGammaModel.fit(gg.columns()[0], gg.columns()[1], gg.weight());
        return new Fit(bgnbd, gamma);
    }

    /** A feed that cannot be opened leaves the run without campaign lists; it never fails the run. */
    private static RankingFeed feed(RunSignals seam, long runId) {
        try {
            return seam.rankingFeed(runId);
        } catch (SQLException | RuntimeException e) {
            log.error("run {}: campaign rankings not started", runId, e);
            return null;
        }
    }

    /** A ranking failure leaves the run without campaign lists; it never fails the run. */
    private static void rank(RankingFeed feed, long runId) {
        try {
            log.info("run {}: {} customers ranked for campaigns", runId, feed.finish());
        } catch (SQLException | RuntimeException e) {
            log.error("run {}: campaign rankings failed", runId, e);
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
            dropWorkTables(c, runId);
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

    private static void dropWorkTables(Connection c, long runId) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + SummaryPass.table(runId) + ", " + ScoringPass.referralTable(runId));
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
}
