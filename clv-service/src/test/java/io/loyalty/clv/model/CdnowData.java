package io.loyalty.clv.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The CDNOW sample (2,357 customers, weeks) as used by Fader, Hardie &amp; Lee and the lifetimes library. */
final class CdnowData {

    /** Customer summaries as parallel arrays; weight 1 each. */
    record Summaries(double[] x, double[] tx, double[] T, double[] zbar, double[] weight) {
        int size() {
            return x.length;
        }

        /** The rows with x &gt; 0, for the Gamma-Gamma fit. */
        Summaries repeaters() {
            int n = 0;
            for (double v : x) {
                if (v > 0) {
                    n++;
                }
            }
            double[][] out = new double[5][n];
            int k = 0;
            for (int i = 0; i < x.length; i++) {
                if (x[i] > 0) {
                    out[0][k] = x[i];
                    out[1][k] = tx[i];
                    out[2][k] = T[i];
                    out[3][k] = zbar[i];
                    out[4][k] = weight[i];
                    k++;
                }
            }
            return new Summaries(out[0], out[1], out[2], out[3], out[4]);
        }
    }

    private CdnowData() {}

    /** cdnow_customers_summary_with_transactions.csv: ID,x,t_x,T,zbar with t_x, T and zbar rounded to cents. */
    static Summaries summaryCsv() {
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader in = open("/cdnow/cdnow_customers_summary_with_transactions.csv")) {
            in.readLine();
            String line;
            while ((line = in.readLine()) != null) {
                line = line.strip();
                if (line.isEmpty()) {
                    continue;
                }
                String[] f = line.split(",");
                rows.add(new double[] {Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[3]), Double.parseDouble(f[4])});
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return toSummaries(rows);
    }

    /**
     * Summaries computed from the raw transactions in CDNOW_sample.txt (master id, sample id, yyyymmdd,
     * CDs, dollars) with the literature's semantics: purchases grouped per customer per day, x = repeat
     * purchase days, tx and T in weeks to the calibration end 1997-09-30, zbar = mean spend of the repeat
     * days, unrounded.
     */
    static Summaries fromTransactions() {
        LocalDate end = LocalDate.of(1997, 9, 30);
        DateTimeFormatter fmt = DateTimeFormatter.BASIC_ISO_DATE;
        Map<String, TreeMap<LocalDate, Double>> byCustomer = new TreeMap<>();
        try (BufferedReader in = open("/cdnow/CDNOW_sample.txt")) {
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 5) {
                    continue;
                }
                LocalDate day = LocalDate.parse(f[2], fmt);
                if (day.isAfter(end)) {
                    continue;
                }
                byCustomer.computeIfAbsent(f[0], k -> new TreeMap<>())
                        .merge(day, Double.parseDouble(f[4]), Double::sum);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<double[]> rows = new ArrayList<>();
        for (TreeMap<LocalDate, Double> days : byCustomer.values()) {
            LocalDate first = days.firstKey();
            LocalDate last = days.lastKey();
            int x = days.size() - 1;
            double spend = 0;
            boolean firstDay = true;
            for (double v : days.values()) {
                if (!firstDay) {
                    spend += v;
                }
                firstDay = false;
            }
            rows.add(new double[] {x, x > 0 ? ChronoUnit.DAYS.between(first, last) / 7.0 : 0,
                ChronoUnit.DAYS.between(first, end) / 7.0, x > 0 ? spend / x : 0});
        }
        return toSummaries(rows);
    }

    private static Summaries toSummaries(List<double[]> rows) {
        int n = rows.size();
        double[][] c = new double[4][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 4; j++) {
                c[j][i] = rows.get(i)[j];
            }
        }
        double[] w = new double[n];
        Arrays.fill(w, 1);
        return new Summaries(c[0], c[1], c[2], c[3], w);
    }

    private static BufferedReader open(String resource) {
        InputStream s = CdnowData.class.getResourceAsStream(resource);
        if (s == null) {
            throw new IllegalStateException("missing test resource " + resource);
        }
        return new BufferedReader(new InputStreamReader(s, StandardCharsets.US_ASCII));
    }

    /** The value rounded half-up to the given decimals, as a published table prints it. */
    static double rounded(double v, int decimals) {
        return BigDecimal.valueOf(v).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
    }
}
