package io.loyalty.clv.scoring;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

/**
 * The customer summary of a scoring run, with the literature's semantics: purchases grouped per customer
 * per UTC day; x = repeat purchase days; recency = last day - first day and T = calibrationEnd - first day
 * (dates, so T counts from the start of calibrationEnd's day), both in the run's unit; monetary value =
 * mean spend of the repeat days (the first day excluded); calibrationEnd inclusive; only purchases received
 * by the run's data cutoff. A churn event at or after the customer's last purchase (up to calibrationEnd)
 * marks them churned; a later purchase undoes it. With a holdout, holdout_actual = purchase days in
 * (calibrationEnd, holdoutEnd].
 *
 * <p>The purchases stream out of PostgreSQL with COPY, already in (customer, day) order from the index
 * {@code purchases_customer_day} (an index-only scan: no sort, no hash table), and are folded here one
 * customer at a time; each summary row goes straight back with COPY into the run's unlogged summary table,
 * and into the compressed rows the fits need (identical summaries counted once, with a weight). So the
 * database does what it is fast at (scanning an index, copying rows) while this JVM aggregates on the other
 * core, and nothing of the size of the purchases is ever held in memory. Disjoint customer-id ranges run
 * on separate connections at once.
 */
final class SummaryPass {

    /** Spend travels as integer 1/10000 units: amounts are numeric(19,4), so sums are exact. */
    private static final long UNITS = 10_000;

    /** The summary's outcome: customers summarised and the fits' compressed input. */
    record Result(long customers, FitRows bgnbd, FitRows gammaGamma) {
    }

    /** Parallel columns of distinct summaries with their weights (number of customers sharing them). */
    record FitRows(double[][] columns, double[] weight) {
        int size() {
            return weight.length;
        }

        double customers() {
            return Arrays.stream(weight).sum();
        }
    }

    private final JdbcConnections connections;
    private final long runId;
    private final ScoringRequest request;
    private final Instant cutoff;
    private final int calEnd;
    private final int lastDay;
    private final int unit;

    SummaryPass(JdbcConnections connections, long runId, ScoringRequest request, Instant cutoff) {
        this.connections = connections;
        this.runId = runId;
        this.request = request;
        this.cutoff = cutoff;
        this.calEnd = (int) request.calibrationEnd().toEpochDay();
        this.lastDay = (int) (request.holdoutEnd() == null ? request.calibrationEnd() : request.holdoutEnd()).toEpochDay();
        this.unit = request.timeUnit().days;
    }

    static String table(long runId) {
        return "scoring_summary_" + runId;
    }

    /** Creates the run's summary table and fills it, range by range on the given workers. */
    Result run(Connection c, ExecutorService workers, int parallelism) throws SQLException, InterruptedException {
        try (Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS " + table(runId));
            s.execute("CREATE UNLOGGED TABLE " + table(runId) + """
                     (
                        run_id         bigint           NOT NULL,
                        customer_id    text             NOT NULL,
                        x              integer          NOT NULL,
                        recency        double precision NOT NULL,
                        t              double precision NOT NULL,
                        monetary_value double precision NOT NULL,
                        churned_at     timestamptz,
                        holdout_actual integer)""");
        }
        List<Future<Range>> parts = new ArrayList<>();
        for (String[] bounds : customerRanges(c, parallelism)) {
            parts.add(workers.submit(() -> summarize(bounds[0], bounds[1])));
        }
        List<Range> ranges = new ArrayList<>();
        try {
            for (Future<Range> part : parts) {
                ranges.add(part.get());
            }
        } catch (ExecutionException e) {
            parts.forEach(part -> part.cancel(true));
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw new IllegalStateException("summary failed: " + e.getCause().getMessage(), e.getCause());
        }
        long customers = ranges.stream().mapToLong(r -> r.customers).sum();
        return new Result(customers, bgnbdRows(ranges), gammaGammaRows(ranges));
    }

    /** One range: COPY out, fold, COPY in; returns its customers and fit keys. */
    private Range summarize(String from, String to) throws SQLException {
        Range range = new Range();
        try (Connection in = connections.open(); Connection out = connections.open()) {
            Map<String, Long> churned = churned(in, from, to);
            try (Statement s = in.createStatement()) {
                // stream the index in (customer, day) order; never sort or hash millions of rows
                s.execute("SET enable_sort = off");
                s.execute("SET enable_hashagg = off");
                s.execute("SET jit = off");
            }
            CopyIn copyIn = out.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table(runId)
                    + " (run_id, customer_id, x, recency, t, monetary_value, churned_at, holdout_actual)"
                    + " FROM STDIN (FORMAT binary)");
            CopyOut copyOut = in.unwrap(PGConnection.class).getCopyAPI().copyOut(purchasesQuery(from, to));
            try {
                Folder folder = new Folder(range, churned, copyIn);
                byte[] row;
                while ((row = copyOut.readFromCopy()) != null) {
                    folder.accept(row);
                }
                folder.finish();
                copyIn.endCopy();
            } catch (SQLException | RuntimeException e) {
                if (copyOut.isActive()) {
                    copyOut.cancelCopy();
                }
                if (copyIn.isActive()) {
                    copyIn.cancelCopy();
                }
                throw e;
            }
        }
        return range;
    }

    /**
     * COPY takes no bind parameters: the statement carries dates and an instant formatted here and the
     * range bounds (customer ids read from pg_stats) as quoted literals.
     */
    private String purchasesQuery(String from, String to) {
        return "COPY (SELECT customer_id, day - DATE '1970-01-01', amount FROM purchases"
                + " WHERE day <= DATE '" + LocalDate.ofEpochDay(lastDay) + "'"
                + " AND received_at <= TIMESTAMPTZ '" + cutoff + "'"
                + (from == null ? "" : " AND customer_id >= " + literal(from))
                + (to == null ? "" : " AND customer_id < " + literal(to))
                + " ORDER BY customer_id, day) TO STDOUT";
    }

    private static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** Customers of the range churned at calibrationEnd: their latest churn event is at or after their last purchase. */
    private Map<String, Long> churned(Connection c, String from, String to) throws SQLException {
        String range = (from == null ? "" : " AND e.customer_id >= ?") + (to == null ? "" : " AND e.customer_id < ?");
        Map<String, Long> churned = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT ch.customer_id, ch.churned_at FROM (
                    SELECT e.customer_id, max(e.occurred_at) AS churned_at FROM churn_events e
                    WHERE e.occurred_at < ? AND e.received_at <= ?%s GROUP BY e.customer_id) ch
                WHERE ch.churned_at >= (SELECT max(p.occurred_at) FROM purchases p
                                        WHERE p.customer_id = ch.customer_id AND p.day <= ? AND p.received_at <= ?)"""
                .formatted(range))) {
            int i = 0;
            ps.setTimestamp(++i, Timestamp.from(request.calibrationEnd().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()));
            ps.setTimestamp(++i, Timestamp.from(cutoff));
            if (from != null) {
                ps.setString(++i, from);
            }
            if (to != null) {
                ps.setString(++i, to);
            }
            ps.setObject(++i, request.calibrationEnd());
            ps.setTimestamp(++i, Timestamp.from(cutoff));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    churned.put(rs.getString(1), BinaryCopy.epochMicros(rs.getObject(2, OffsetDateTime.class).toInstant()));
                }
            }
        }
        return churned;
    }

    /** Up to n [from, to) customer-id ranges of about equal purchase counts (null = open end). */
    private static List<String[]> customerRanges(Connection c, int n) throws SQLException {
        String[] bounds = null;
        if (n > 1) {
            // the planner's histogram of purchases.customer_id; none before the table was first analysed
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("""
                    SELECT histogram_bounds::text::text[] FROM pg_stats
                    WHERE schemaname = current_schema() AND tablename = 'purchases' AND attname = 'customer_id'""")) {
                if (rs.next() && rs.getArray(1) != null) {
                    bounds = (String[]) rs.getArray(1).getArray();
                }
            }
        }
        List<String[]> ranges = new ArrayList<>();
        String from = null;
        if (bounds != null && bounds.length > 2) {
            for (int i = 1; i < n; i++) {
                String split = bounds[(int) ((long) i * (bounds.length - 1) / n)];
                if (!split.equals(from)) {
                    ranges.add(new String[] {from, split});
                    from = split;
                }
            }
        }
        ranges.add(new String[] {from, null});
        return ranges;
    }

    /** What one range gives the fits: a key per customer, decoded and counted once all ranges are done. */
    private static final class Range {
        long customers;
        /** x, recency days and T days, 21 bits each. */
        final LongList bgnbdKeys = new LongList();
        /** x (21 bits) and repeat-day spend units (42 bits), for customers with x > 0 and spend > 0. */
        final LongList gammaGammaKeys = new LongList();
        /** The rare repeat spend beyond 42 bits of units (4.4e8 in money): x and spend, uncompressed. */
        final LongList bigSpenders = new LongList();
    }

    private FitRows bgnbdRows(List<Range> ranges) {
        long[] keys = concat(ranges.stream().map(r -> r.bgnbdKeys).toList());
        Arrays.sort(keys);
        Runs runs = Runs.of(keys);
        double[] x = new double[runs.size], tx = new double[runs.size], t = new double[runs.size];
        for (int i = 0; i < runs.size; i++) {
            long key = runs.keys[i];
            x[i] = key >>> 42;
            tx[i] = ((key >>> 21) & MASK_21) / (double) unit;
            t[i] = (key & MASK_21) / (double) unit;
        }
        return new FitRows(new double[][] {x, tx, t}, runs.counts);
    }

    private static FitRows gammaGammaRows(List<Range> ranges) {
        long[] keys = concat(ranges.stream().map(r -> r.gammaGammaKeys).toList());
        Arrays.sort(keys);
        Runs runs = Runs.of(keys);
        long[] big = concat(ranges.stream().map(r -> r.bigSpenders).toList());
        int n = runs.size + big.length / 2;
        double[] x = new double[n], m = new double[n], w = new double[n];
        for (int i = 0; i < runs.size; i++) {
            long key = runs.keys[i];
            x[i] = key >>> 42;
            m[i] = meanSpend(key & MASK_42, (long) x[i]);
            w[i] = runs.counts[i];
        }
        for (int i = 0, k = runs.size; i < big.length; i += 2, k++) {
            x[k] = big[i];
            m[k] = meanSpend(big[i + 1], big[i]);
            w[k] = 1;
        }
        return new FitRows(new double[][] {x, m}, w);
    }

    /** Both operands are exact doubles, so the one division rounds the true mean once. */
    static double meanSpend(long repeatUnits, long x) {
        return repeatUnits / (double) (UNITS * x);
    }

    private static final long MASK_21 = (1L << 21) - 1;
    private static final long MASK_42 = (1L << 42) - 1;

    private static long[] concat(List<LongList> lists) {
        long[] all = new long[lists.stream().mapToInt(l -> l.size).sum()];
        int at = 0;
        for (LongList l : lists) {
            System.arraycopy(l.values, 0, all, at, l.size);
            at += l.size;
        }
        return all;
    }

    /** Distinct values of a sorted array with their counts. */
    private record Runs(long[] keys, double[] counts, int size) {
        static Runs of(long[] sorted) {
            long[] keys = new long[sorted.length];
            double[] counts = new double[sorted.length];
            int size = 0;
            for (int i = 0; i < sorted.length; i++) {
                if (size > 0 && keys[size - 1] == sorted[i]) {
                    counts[size - 1]++;
                } else {
                    keys[size] = sorted[i];
                    counts[size++] = 1;
                }
            }
            return new Runs(Arrays.copyOf(keys, size), Arrays.copyOf(counts, size), size);
        }
    }

    private static final class LongList {
        long[] values = new long[1024];
        int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }
    }

    /**
     * Folds the COPY rows "customer\tday\tamount" (one customer's days in order) into summary rows, which it
     * COPYs out in chunks.
     */
    private final class Folder {
        private static final int FLUSH_BYTES = 1 << 20;

        private final Range range;
        private final Map<String, Long> churned;
        private final CopyIn copyIn;
        private final BinaryCopy.Writer out = new BinaryCopy.Writer(FLUSH_BYTES + 4096).header();

        private byte[] customer = new byte[0];
        private int customerLength = -1;
        private int firstDay;
        private int day;
        private int lastCalDay;
        private int calDays;
        private int holdoutDays;
        private long totalUnits;
        private long firstDayUnits;

        Folder(Range range, Map<String, Long> churned, CopyIn copyIn) {
            this.range = range;
            this.churned = churned;
            this.copyIn = copyIn;
        }

        void accept(byte[] row) throws SQLException {
            int tab1 = indexOf(row, 0);
            int tab2 = indexOf(row, tab1 + 1);
            int rowDay = parseInt(row, tab1 + 1, tab2);
            long units = parseUnits(row, tab2 + 1, row.length - 1);
            if (!sameCustomer(row, tab1)) {
                emit();
                customerLength = tab1;
                if (customer.length < tab1) {
                    customer = new byte[Math.max(tab1, 64)];
                }
                System.arraycopy(row, 0, customer, 0, tab1);
                firstDay = rowDay;
                day = rowDay - 1;
                lastCalDay = rowDay;
                calDays = 0;
                holdoutDays = 0;
                totalUnits = 0;
                firstDayUnits = 0;
            }
            if (rowDay <= calEnd) {
                if (rowDay != day) {
                    calDays++;
                    lastCalDay = rowDay;
                }
                totalUnits += units;
                if (rowDay == firstDay) {
                    firstDayUnits += units;
                }
            } else if (rowDay != day) {
                holdoutDays++;
            }
            day = rowDay;
        }

        void finish() throws SQLException {
            emit();
            out.trailer().flush(copyIn);
        }

        private void emit() throws SQLException {
            if (customerLength < 0 || firstDay > calEnd) {
                return; // nothing yet, or a customer whose first purchase is after calibrationEnd
            }
            // the id's bytes go back as they came unless COPY text escaped them; a String only when needed
            boolean escaped = indexOf(customer, customerLength, (byte) '\\') >= 0;
            String id = escaped || !churned.isEmpty() ? unescape(customer, customerLength) : null;
            int x = calDays - 1;
            long repeatUnits = totalUnits - firstDayUnits;
            int recencyDays = lastCalDay - firstDay;
            int ageDays = calEnd - firstDay;
            double monetary = x > 0 ? meanSpend(repeatUnits, x) : 0;
            Long churnedAt = id == null ? null : churned.get(id);
            out.row(8).int8(runId);
            if (escaped) {
                out.text(id);
            } else {
                out.bytes(customer, 0, customerLength);
            }
            out.int4(x).float8(recencyDays / (double) unit).float8(ageDays / (double) unit).float8(monetary);
            if (churnedAt == null) {
                out.nul();
            } else {
                out.timestamptz(churnedAt);
            }
            if (request.holdoutEnd() == null) {
                out.nul();
            } else {
                out.int4(holdoutDays);
            }
            range.customers++;
            range.bgnbdKeys.add(((long) x << 42) | ((long) recencyDays << 21) | ageDays);
            if (x > 0 && repeatUnits > 0) {
                if (repeatUnits <= MASK_42) {
                    range.gammaGammaKeys.add(((long) x << 42) | repeatUnits);
                } else {
                    range.bigSpenders.add(x);
                    range.bigSpenders.add(repeatUnits);
                }
            }
            if (out.length() >= FLUSH_BYTES) {
                out.flush(copyIn);
            }
        }

        private boolean sameCustomer(byte[] row, int length) {
            return length == customerLength && Arrays.equals(row, 0, length, customer, 0, length);
        }
    }

    private static int indexOf(byte[] row, int from) {
        for (int i = from; i < row.length; i++) {
            if (row[i] == '\t') {
                return i;
            }
        }
        throw new IllegalStateException("malformed COPY row");
    }

    /** The first position of b in bytes[0, length), or -1. */
    private static int indexOf(byte[] bytes, int length, byte b) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static int parseInt(byte[] row, int from, int to) {
        int value = 0;
        boolean negative = row[from] == '-';
        for (int i = negative ? from + 1 : from; i < to; i++) {
            value = value * 10 + (row[i] - '0');
        }
        return negative ? -value : value;
    }

    /** numeric(19,4) text ("24.9700") as 1/10000 units. */
    private static long parseUnits(byte[] row, int from, int to) {
        long whole = 0;
        long fraction = 0;
        int fractionDigits = 0;
        boolean inFraction = false;
        for (int i = from; i < to; i++) {
            byte b = row[i];
            if (b == '.') {
                inFraction = true;
            } else if (inFraction) {
                fraction = fraction * 10 + (b - '0');
                fractionDigits++;
            } else {
                whole = whole * 10 + (b - '0');
            }
        }
        for (; fractionDigits < 4; fractionDigits++) {
            fraction *= 10;
        }
        return whole * UNITS + fraction;
    }

    /** A COPY text field: backslash escapes (only \\ can occur in a validated id, but all are honoured). */
    private static String unescape(byte[] field, int length) {
        int backslash = -1;
        for (int i = 0; i < length; i++) {
            if (field[i] == '\\') {
                backslash = i;
                break;
            }
        }
        if (backslash < 0) {
            return new String(field, 0, length, StandardCharsets.UTF_8);
        }
        byte[] plain = new byte[length];
        int n = 0;
        for (int i = 0; i < length; i++) {
            byte b = field[i];
            if (b == '\\' && i + 1 < length) {
                byte next = field[++i];
                plain[n++] = switch (next) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case 'b' -> '\b';
                    case 'f' -> '\f';
                    case 'v' -> 0x0B;
                    default -> next;
                };
            } else {
                plain[n++] = b;
            }
        }
        return new String(plain, 0, n, StandardCharsets.UTF_8);
    }
}
