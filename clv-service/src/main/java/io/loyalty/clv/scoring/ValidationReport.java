package io.loyalty.clv.scoring;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Holdout report: predicted (BG/NBD conditional expectation over the holdout length) vs actual repeat
 * purchase days in (calibrationEnd, holdoutEnd], overall and by decile of predicted purchases, with the
 * mean absolute error per customer, beside a naive baseline: each customer's calibration repeat rate
 * x / T extrapolated over the holdout (0 when T = 0).
 */
final class ValidationReport {

    static final String BASELINE = "calibration repeat rate x / T times the holdout length";

    private ValidationReport() {
    }

    static Map<String, Object> build(Connection c, long runId, ScoringRequest request) throws SQLException {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("calibrationEnd", request.calibrationEnd().toString());
        report.put("holdoutEnd", request.holdoutEnd().toString());
        report.put("baseline", BASELINE);
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT count(*), sum(holdout_predicted), sum(holdout_actual), sum(holdout_baseline),
                       avg(abs(holdout_predicted - holdout_actual)), avg(abs(holdout_baseline - holdout_actual))
                FROM scoring_run_customers WHERE run_id = ?""")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                report.put("customers", rs.getLong(1));
                report.put("predictedPurchases", rs.getDouble(2));
                report.put("actualPurchases", rs.getLong(3));
                report.put("baselinePurchases", rs.getDouble(4));
                report.put("mae", rs.getDouble(5));
                report.put("baselineMae", rs.getDouble(6));
            }
        }
        List<Map<String, Object>> deciles = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT decile, count(*), sum(holdout_predicted), sum(holdout_actual), sum(holdout_baseline),
                       avg(abs(holdout_predicted - holdout_actual)), avg(abs(holdout_baseline - holdout_actual)),
                       min(holdout_predicted), max(holdout_predicted)
                FROM (SELECT holdout_predicted, holdout_actual, holdout_baseline,
                             ntile(10) OVER (ORDER BY holdout_predicted, customer_id) AS decile
                      FROM scoring_run_customers WHERE run_id = ?) d
                GROUP BY decile ORDER BY decile""")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> d = new LinkedHashMap<>();
                    d.put("decile", rs.getInt(1));
                    d.put("customers", rs.getLong(2));
                    d.put("predictedPurchases", rs.getDouble(3));
                    d.put("actualPurchases", rs.getLong(4));
                    d.put("baselinePurchases", rs.getDouble(5));
                    d.put("mae", rs.getDouble(6));
                    d.put("baselineMae", rs.getDouble(7));
                    d.put("minPredicted", rs.getDouble(8));
                    d.put("maxPredicted", rs.getDouble(9));
                    deciles.add(d);
                }
            }
        }
        report.put("deciles", deciles);
        return report;
    }
}
