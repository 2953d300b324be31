package io.loyalty.clv.campaign;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote or line break, quotes doubled.
 * Two writers with the same rules: {@link #rows(List)} over decoded records, and {@link #row(Out, Row)}, which
 * writes a row read in PostgreSQL's binary form (text still as its UTF-8 bytes) straight into bytes for the
 * streamed export ({@link CsvExport}). Quoting works on the UTF-8 bytes as it does on the characters: the four
 * bytes that call for it are ASCII and never occur inside a multi-byte sequence.
 */
final class Csv {

    static final String HEADER = "rank,customerId,score,clv,probabilityAlive,expectedPurchases,referralValue,"
            + "previousProbabilityAlive,npsScore,npsCategory,npsRespondedAt,openTickets,ticketsLast90Days,"
            + "slaBreachesLast90Days,reopensLast90Days,reasons\r\n";

    private Csv() {
    }

    static String rows(List<RankedCustomer> chunk) {
        StringBuilder out = new StringBuilder(chunk.size() * 200);
        for (RankedCustomer c : chunk) {
            RankedCustomer.Signals s = c.signals();
            out.append(c.rank()).append(',')
                    .append(field(c.customerId())).append(',')
                    .append(number(c.score())).append(',')
                    .append(number(c.clv())).append(',')
                    .append(number(c.probabilityAlive())).append(',')
                    .append(number(c.expectedPurchases())).append(',')
                    .append(number(c.referralValue())).append(',')
                    .append(c.previousProbabilityAlive() == null ? "" : number(c.previousProbabilityAlive())).append(',')
                    .append(text(s.npsScore())).append(',')
                    .append(text(s.npsCategory())).append(',')
                    .append(text(s.npsRespondedAt())).append(',')
                    .append(text(s.openTickets())).append(',')
                    .append(text(s.ticketsLast90Days())).append(',')
                    .append(text(s.slaBreachesLast90Days())).append(',')
                    .append(text(s.reopensLast90Days())).append(',')
                    .append(field(String.join("; ", c.reasons())))
                    .append("\r\n");
        }
        return out.toString();
    }

    static String field(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private static String text(Object value) {
        return value == null ? "" : field(value.toString());
    }

    static String number(double d) {
        if (!Double.isFinite(d)) {
            return "";
        }
        double abs = Math.abs(d);
        // Double.toString is plain (no exponent) in this range and much cheaper than BigDecimal
        return abs == 0 || (abs >= 1e-3 && abs < 1e7) ? Double.toString(d) : BigDecimal.valueOf(d).toPlainString();
    }
    // ---- the byte writer of the streamed export ----

    private static final byte[] QUOTE_ESCAPED = {'"', '"'};
    private static final byte[] HEADER_BYTES = HEADER.getBytes(StandardCharsets.US_ASCII);

    /**
     * One ranked row as read from PostgreSQL, reused from row to row: numbers decoded, text left as UTF-8 bytes
     * in {@code data} (offset and length; length -1 for NULL), the counts {@link #NULL} when unknown.
     */
    static final class Row {
        static final long NULL = Long.MIN_VALUE;

        byte[] data;
        long rank;
        int customerIdOffset;
        int customerIdLength;
        double score;
        double clv;
        double probabilityAlive;
        double expectedPurchases;
        double referralValue;
        boolean hasPreviousProbabilityAlive;
        double previousProbabilityAlive;
        long npsScore;
        int npsCategoryOffset;
        int npsCategoryLength;
        Instant npsRespondedAt;
        long openTickets;
        long ticketsLast90Days;
        long slaBreachesLast90Days;
        long reopensLast90Days;
        /** the reasons, worded from the fields above and joined with "; ", in UTF-8 */
        byte[] reasons;
    }

    /** CSV text as bytes, growing as needed; {@link #take} hands the bytes written so far over. */
    static final class Out {
        private byte[] bytes;
        private int size;

        Out(int capacity) {
            bytes = new byte[capacity];
        }

        int size() {
            return size;
        }

        /** The bytes written since the last take, without copying; writing continues in a new array. */
        ByteBuffer take(int nextCapacity) {
            ByteBuffer taken = ByteBuffer.wrap(bytes, 0, size);
            bytes = new byte[nextCapacity];
            size = 0;
            return taken;
        }

        private void room(int n) {
            if (size + n > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + n));
            }
        }

        void put(byte b) {
            room(1);
            bytes[size++] = b;
        }

        void put(byte[] src, int offset, int length) {
            room(length);
            System.arraycopy(src, offset, bytes, size, length);
            size += length;
        }

        /** Characters below 128 only (numbers, timestamps, the header). */
        void ascii(String s) {
            int n = s.length();
            room(n);
            for (int i = 0; i < n; i++) {
                bytes[size++] = (byte) s.charAt(i);
            }
        }

        /** Decimal digits, as Long.toString writes them. */
        void integer(long v) {
            room(20);
            if (v < 0) {
                if (v == Long.MIN_VALUE) {
                    ascii(Long.toString(v));
                    return;
                }
                bytes[size++] = '-';
                v = -v;
            }
            int end = size + digits(v);
            size = end;
            do {
                bytes[--end] = (byte) ('0' + v % 10);
                v /= 10;
            } while (v != 0);
        }

        private static int digits(long v) {
            int n = 1;
            for (long limit = 10; n < 19 && v >= limit; limit *= 10) {
                n++;
            }
            return n;
        }
    }

    static void header(Out out) {
        out.put(HEADER_BYTES, 0, HEADER_BYTES.length);
    }

    /** One row, the same text {@link #rows(List)} writes for the record the row holds. */
    static void row(Out out, Row r) {
        out.integer(r.rank);
        out.put((byte) ',');
        field(out, r.data, r.customerIdOffset, r.customerIdLength);
        out.put((byte) ',');
        out.ascii(number(r.score));
        out.put((byte) ',');
        out.ascii(number(r.clv));
        out.put((byte) ',');
        out.ascii(number(r.probabilityAlive));
        out.put((byte) ',');
        out.ascii(number(r.expectedPurchases));
        out.put((byte) ',');
        out.ascii(number(r.referralValue));
        out.put((byte) ',');
        if (r.hasPreviousProbabilityAlive) {
            out.ascii(number(r.previousProbabilityAlive));
        }
        out.put((byte) ',');
        count(out, r.npsScore);
        field(out, r.data, r.npsCategoryOffset, r.npsCategoryLength);
        out.put((byte) ',');
        if (r.npsRespondedAt != null) {
            out.ascii(r.npsRespondedAt.toString());
        }
        out.put((byte) ',');
        count(out, r.openTickets);
        count(out, r.ticketsLast90Days);
        count(out, r.slaBreachesLast90Days);
        count(out, r.reopensLast90Days);
        reasons(out, r);
        out.put((byte) '\r');
        out.put((byte) '\n');
    }

    /** A count and its comma; empty when unknown. */
    private static void count(Out out, long value) {
        if (value != Row.NULL) {
            out.integer(value);
        }
        out.put((byte) ',');
    }

    /** {@link #field(String)} over UTF-8 bytes; length -1 is NULL, written as an empty field. */
    static void field(Out out, byte[] utf8, int offset, int length) {
        if (length <= 0) {
            return;
        }
        if (!needsQuotes(utf8, offset, length)) {
            out.put(utf8, offset, length);
            return;
        }
        out.put((byte) '"');
        quoted(out, utf8, offset, length);
        out.put((byte) '"');
    }

    /** The reasons, already joined with "; ", as one field. */
    private static void reasons(Out out, Row r) {
        field(out, r.reasons, 0, r.reasons.length);
    }

    private static boolean needsQuotes(byte[] utf8, int offset, int length) {
        for (int i = offset, end = offset + length; i < end; i++) {
            byte b = utf8[i];
            if (b == ',' || b == '"' || b == '\n' || b == '\r') {
                return true;
            }
        }
        return false;
    }

    /** The bytes with every quote doubled. */
    private static void quoted(Out out, byte[] utf8, int offset, int length) {
        int from = offset;
        for (int i = offset, end = offset + length; i < end; i++) {
            if (utf8[i] == '"') {
                out.put(utf8, from, i - from);
                out.put(QUOTE_ESCAPED, 0, 2);
                from = i + 1;
            }
        }
        out.put(utf8, from, offset + length - from);
    }
}
