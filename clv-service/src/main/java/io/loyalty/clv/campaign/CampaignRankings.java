package io.loyalty.clv.campaign;

import io.loyalty.clv.scoring.Copy;
import io.loyalty.clv.scoring.JdbcConnections;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Builds the upsell and retention rankings of a scoring run from its stored customer values: one streaming
 * pass reads the values joined (in SQL) with the run's signals and the previous ranked run's P(alive),
 * scores every customer and COPYs the scored rows into an unlogged per-run stage table; one statement then
 * numbers both rankings with row_number() into a new table, which is indexed and attached as the run's
 * partition of campaign_run_customer, where pages are range scans on (run_id, rank). Plain JDBC, like the
 * scoring run that calls it: a cursor and COPY.
 */
@Service
public class CampaignRankings {

    private static final Logger log = LoggerFactory.getLogger(CampaignRankings.class);

    private static final String COLUMNS = """
            run_id, customer_id, frequency, clv, probability_alive, expected_purchases, referral_value,
            previous_probability_alive, nps_score, nps_category, nps_at, open_tickets, tickets_last_90_days,
            sla_breaches_last_90_days, reopens_last_90_days, upsell_score, upsell_reasons, retention_score,
            retention_reasons""";

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
        String stage = "campaign_stage_" + runId;
        String partition = "campaign_run_customer_" + runId;
        try (Connection c = connections.open()) {
            execute(c, "DROP TABLE IF EXISTS " + stage + ", " + partition + "_new");
            // the columns only: no key or index to maintain while a million rows stream in
            execute(c, "CREATE UNLOGGED TABLE " + stage + " (LIKE campaign_scored_stage)");
            try {
                long t0 = System.nanoTime();
                long previousRun = previousRun(c, runId);
                long staged = stage(c, runId, previousRun, stage);
                long t1 = System.nanoTime();
                // numbered into a table of its own, indexed once it is full, then attached as the run's partition
                execute(c, "CREATE TABLE " + partition + "_new (LIKE campaign_run_customer INCLUDING DEFAULTS INCLUDING CONSTRAINTS)");
                execute(c, "INSERT INTO " + partition + "_new (" + COLUMNS + ", upsell_rank, retention_rank) SELECT "
                        + COLUMNS + """
                        , row_number() OVER (ORDER BY upsell_score DESC, customer_id),
                          row_number() OVER (ORDER BY retention_score DESC, customer_id)
                        FROM\s""" + stage);
                execute(c, "ALTER TABLE " + partition + "_new ADD PRIMARY KEY (run_id, customer_id)");
                execute(c, "CREATE UNIQUE INDEX ON " + partition + "_new (run_id, upsell_rank)");
                execute(c, "CREATE UNIQUE INDEX ON " + partition + "_new (run_id, retention_rank)");
                long t2 = System.nanoTime();
                c.setAutoCommit(false);
                try (PreparedStatement clearRun = c.prepareStatement("DELETE FROM campaign_run WHERE run_id = ?");
                     PreparedStatement run = c.prepareStatement(
                             "INSERT INTO campaign_run (run_id, customers, previous_run_id) VALUES (?, ?, ?)")) {
                    // a rerun replaces the run's rankings in one step
                    execute(c, "DROP TABLE IF EXISTS " + partition);
                    execute(c, "ALTER TABLE " + partition + "_new RENAME TO " + partition);
                    execute(c, "ALTER TABLE campaign_run_customer ATTACH PARTITION " + partition
                            + " FOR VALUES IN (" + runId + ")");
                    clearRun.setLong(1, runId);
                    clearRun.executeUpdate();
                    run.setLong(1, runId);
                    run.setLong(2, staged);
                    run.setObject(3, previousRun < 0 ? null : previousRun, java.sql.Types.BIGINT);
                    run.executeUpdate();
                    c.commit();
                } catch (SQLException | RuntimeException e) {
                    c.rollback();
                    throw e;
                } finally {
                    c.setAutoCommit(true);
                }
                long t3 = System.nanoTime();
                if (properties.vacuumAfterRanking()) {
                    execute(c, "VACUUM (ANALYZE) " + partition);
                }
                log.info("run {}: {} customers scored in {} ms, numbered and indexed in {} ms, attached in {} ms,"
                        + " vacuumed in {} ms", runId, staged, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000,
                        (t3 - t2) / 1_000_000, (System.nanoTime() - t3) / 1_000_000);
                return staged;
            } finally {
                execute(c, "DROP TABLE IF EXISTS " + stage + ", " + partition + "_new");
            }
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

    /** The streaming pass: values joined with signals in, scored rows out through COPY. */
    private long stage(Connection c, long runId, long previousRun, String stage) throws SQLException {
        try (Connection writer = connections.open()) {
            CopyIn copy = writer.unwrap(PGConnection.class).getCopyAPI()
                    .copyIn("COPY " + stage + " (" + COLUMNS + ") FROM STDIN");
            long rows = 0;
            try {
                c.setAutoCommit(false);
                StringBuilder out = new StringBuilder(1 << 20);
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
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            append(out, runId, rs);
                            if (++rows % properties.chunkSize() == 0) {
                                Copy.flush(copy, out);
                            }
                        }
                    }
                }
                Copy.flush(copy, out);
                copy.endCopy();
                c.commit();
                return rows;
            } catch (SQLException | RuntimeException e) {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private void append(StringBuilder out, long runId, ResultSet rs) throws SQLException {
        CustomerValueRow v = new CustomerValueRow(rs.getString(1), rs.getInt(2), sane(rs.getDouble(3)),
                sane(rs.getDouble(4)), sane(rs.getDouble(5)), sane(rs.getDouble(6)));
        OffsetDateTime npsAt = rs.getObject(9, OffsetDateTime.class);
        CustomerSignals s = new CustomerSignals(integer(rs, 7), rs.getString(8), npsAt == null ? null : npsAt.toInstant(),
                integer(rs, 10), integer(rs, 11), integer(rs, 12), integer(rs, 13));
        double previous = rs.getDouble(14);
        Double previousAlive = rs.wasNull() ? null : previous;
        CampaignScoring.Scored up = scoring.upsell(v, s);
        CampaignScoring.Scored keep = scoring.retention(v, s, previousAlive);
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
        out.append(up.score()).append('\t');
        Copy.text(out, Reasons.arrayLiteral(up.reasons())).append('\t');
        out.append(keep.score()).append('\t');
        Copy.text(out, Reasons.arrayLiteral(keep.reasons())).append('\n');
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
