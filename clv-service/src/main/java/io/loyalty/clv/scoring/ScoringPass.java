package io.loyalty.clv.scoring;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.function.DoubleConsumer;

import io.loyalty.clv.model.BgNbdModel;
import io.loyalty.clv.model.CustomerValue;
import io.loyalty.clv.model.GammaGammaModel;
import io.loyalty.clv.model.GammaGammaParameters;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;

/**
 * Scores every customer of a run from its summary table, in one streaming pass: summary rows come out of
 * PostgreSQL by binary COPY (joined with the referral values and whatever a {@link RankingFeed} adds), each
 * customer's values go back by binary COPY into scoring_run_customers and, if there is a feed, to the campaign
 * rankings. Referral value (what a customer's referred customers are worth: the sum of their CLVs) needs the
 * referred customers' CLVs before their referrers are scored, so a first, small pass scores just the referred
 * customers into a per-run table of values per referrer.
 */
final class ScoringPass {

    private static final int SUMMARY_FIELDS = 8;
    private static final int CUSTOMER_FIELDS = 15;

    private final long runId;
    private final ScoringRequest request;
    private final Instant cutoff;
    private final BgNbdModel model;
    private final CustomerValue value;
    private final GammaGammaParameters gammaGamma;
    private final ScoringProperties properties;
    private final double holdoutLength;
    /** CustomerValue.score's layout, and the expected average value after it. */
    private static final int ALIVE = 0, EXPECTED = 1, CLV = 2, AVERAGE_VALUE = 3;
    private final double[] scored = new double[4];

    ScoringPass(long runId, ScoringRequest request, Instant cutoff, BgNbdModel model, GammaGammaParameters gammaGamma,
                ScoringProperties properties) {
        this.runId = runId;
        this.request = request;
        this.cutoff = cutoff;
        this.model = model;
        this.gammaGamma = gammaGamma;
        this.properties = properties;
        this.value = CustomerValue.of(model, request.horizonMonths(), request.monthlyDiscountRate(),
                request.timeUnit().perMonth());
        this.holdoutLength = request.holdoutEnd() == null ? 0
                : ChronoUnit.DAYS.between(request.calibrationEnd(), request.holdoutEnd()) / (double) request.timeUnit().days;
    }

    static String referralTable(long runId) {
        return "scoring_referrals_" + runId;
    }

    /**
     * Each referrer's referral value: the CLVs of the customers they referred (each counted once per referrer,
     * referrals that happened by the calibration end and were received by the cutoff), into the run's unlogged
     * referral table. Referred customers without purchases by the calibration end are not in the run and add
     * nothing.
     */
    void referralValues(Connection reader, Connection writer) throws SQLException {
        try (Statement s = writer.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + referralTable(runId));
            s.execute("CREATE UNLOGGED TABLE " + referralTable(runId)
                    + " (referrer_id text NOT NULL, value double precision NOT NULL)");
        }
        Instant calibrationEnds = request.calibrationEnd().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        String query = "COPY (SELECT r.referrer_id, v.x, v.recency, v.t, v.monetary_value, v.churned_at IS NOT NULL"
                + " FROM (SELECT DISTINCT referrer_id, referred_id FROM referrals"
                + " WHERE occurred_at < TIMESTAMPTZ '" + calibrationEnds + "' AND received_at <= TIMESTAMPTZ '" + cutoff + "') r"
                + " JOIN " + SummaryPass.table(runId) + " v ON v.customer_id = r.referred_id"
                + " ORDER BY r.referrer_id, r.referred_id) TO STDOUT (FORMAT binary)";
        CopyIn in = copies(writer).copyIn("COPY " + referralTable(runId) + " (referrer_id, value) FROM STDIN (FORMAT binary)");
        CopyOut out = null;
        try {
            out = copies(reader).copyOut(query);
            BinaryCopy.Reader rows = new BinaryCopy.Reader(out, 6);
            BinaryCopy.Writer values = new BinaryCopy.Writer(properties.copyBufferBytes() + 4096).header();
            String referrer = null;
            double sum = 0;
            while (rows.next()) {
                String id = rows.text(0);
                if (!id.equals(referrer)) {
                    if (referrer != null) {
                        values.row(2).text(referrer).float8(sum);
                    }
                    referrer = id;
                    sum = 0;
                }
                sum += score(rows.int4(1), rows.float8(2), rows.float8(3), rows.float8(4), rows.bool(5))[CLV];
                if (values.length() >= properties.copyBufferBytes()) {
                    values.flush(in);
                }
            }
            if (referrer != null) {
                values.row(2).text(referrer).float8(sum);
            }
            values.trailer().flush(in);
            in.endCopy();
        } catch (SQLException | RuntimeException e) {
            cancel(out, in);
            throw e;
        }
        // the pass joins it: unanalysed, it was planned as a thousand-odd rows and got a merge join (a sort of
        // every customer); analysed, it is a hash join whatever its size
        try (Statement s = writer.createStatement()) {
            s.execute("ANALYZE " + referralTable(runId));
        }
    }

    /**
     * The pass: every summary row scored and stored, and fed to the rankings if there is a feed. progress gets
     * the share of customers done, twenty times.
     */
    void score(Connection reader, Connection writer, long customers, RankingFeed feed, DoubleConsumer progress)
            throws SQLException {
        // one backend streams the read while this JVM scores on the other core: parallel workers (and, on a server
        // with it, JIT) only took CPU from both, and a parallel plan sorted the million rows for merge joins
        try (Statement s = reader.createStatement()) {
            s.execute("SET max_parallel_workers_per_gather = 0");
            s.execute("SET jit = off");
        }
        try {
            scoreAll(reader, writer, customers, feed, progress);
        } finally {
            try (Statement s = reader.createStatement()) {
                s.execute("RESET max_parallel_workers_per_gather");
                s.execute("RESET jit");
            }
        }
    }

    private void scoreAll(Connection reader, Connection writer, long customers, RankingFeed feed,
                          DoubleConsumer progress) throws SQLException {
        String query = "COPY (SELECT v.customer_id, v.x, v.recency, v.t, v.monetary_value, v.churned_at,"
                + " v.holdout_actual, coalesce(r.value, 0)" + (feed == null ? "" : feed.columns())
                + " FROM " + SummaryPass.table(runId) + " v"
                + " LEFT JOIN " + referralTable(runId) + " r ON r.referrer_id = v.customer_id"
                + (feed == null ? "" : " " + feed.joins()) + ") TO STDOUT (FORMAT binary)";
        CopyIn in = copies(writer).copyIn("""
                COPY scoring_run_customers (run_id, customer_id, frequency, recency, t, monetary_value,
                    expected_purchases, probability_alive, expected_average_value, clv, referral_value, churned_at,
                    holdout_predicted, holdout_baseline, holdout_actual) FROM STDIN (FORMAT binary)""");
        CopyOut out = null;
        try {
            out = copies(reader).copyOut(query);
            BinaryCopy.Reader rows = new BinaryCopy.Reader(out, SUMMARY_FIELDS + (feed == null ? 0 : feed.columnCount()));
            BinaryCopy.Writer values = new BinaryCopy.Writer(properties.copyBufferBytes() + 4096).header();
            long progressEvery = Math.max(1, customers / 20);
            long done = 0;
            while (rows.next()) {
                String customerId = rows.text(0);
                int x = rows.int4(1);
                double tx = rows.float8(2);
                double t = rows.float8(3);
                double m = rows.float8(4);
                boolean churned = !rows.isNull(5);
                double referral = rows.float8(7);
                double[] v = score(x, tx, t, m, churned);
                double alive = v[ALIVE];
                double expected = v[EXPECTED];
                double clv = v[CLV];
                values.row(CUSTOMER_FIELDS).int8(runId).text(customerId).int4(x).float8(tx).float8(t).float8(m)
                        .float8(expected).float8(alive).float8(v[AVERAGE_VALUE]).float8(clv).float8(referral)
                        .field(rows.buffer(), rows.offset(5));
                if (request.holdoutEnd() != null) {
                    values.float8(churned ? 0 : model.expectedPurchases(x, tx, t, holdoutLength))
                            .float8(t > 0 ? x / t * holdoutLength : 0)
                            .int4(rows.isNull(6) ? 0 : rows.int4(6));
                } else {
                    values.nul().nul().nul();
                }
                if (feed != null) {
                    feed.accept(customerId, x, clv, alive, expected, referral, rows, SUMMARY_FIELDS);
                }
                if (values.length() >= properties.copyBufferBytes()) {
                    values.flush(in);
                }
                if (++done % progressEvery == 0) {
                    progress.accept(done / (double) customers);
                }
            }
            values.trailer().flush(in);
            in.endCopy();
        } catch (SQLException | RuntimeException e) {
            cancel(out, in);
            throw e;
        }
    }

    /**
     * P(alive), expected purchases over the horizon, CLV and the expected average value, into a reused array (no
     * allocation per customer); a churned customer has P(alive), purchases and CLV 0.
     */
    private double[] score(int x, double tx, double t, double m, boolean churned) {
        double eav = GammaGammaModel.expectedAverageValue(gammaGamma, x, x > 0 ? m : 0);
        if (churned) {
            scored[ALIVE] = 0;
            scored[EXPECTED] = 0;
            scored[CLV] = 0;
        } else {
            value.score(x, tx, t, eav, scored);
        }
        scored[AVERAGE_VALUE] = eav;
        return scored;
    }

    /** Ends the copies a failure left open, so that their connections can be closed or used again. */
    private static void cancel(CopyOut out, CopyIn in) throws SQLException {
        if (out != null && out.isActive()) {
            out.cancelCopy();
        }
        if (in.isActive()) {
            in.cancelCopy();
        }
    }

    private static CopyManager copies(Connection c) throws SQLException {
        return c.unwrap(PGConnection.class).getCopyAPI();
    }
}
