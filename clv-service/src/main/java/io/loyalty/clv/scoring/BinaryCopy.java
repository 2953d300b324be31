package io.loyalty.clv.scoring;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;

import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyOut;

/**
 * PostgreSQL's binary COPY format, out and in. The scoring run moves millions of doubles through COPY: as text,
 * each one cost a Double.toString on this side and a float8in on the server's (on JDK 17, ~0.15 us each, about a
 * second per million rows of eight values); as binary they are eight bytes copied. Values keep their exact bits.
 */
public final class BinaryCopy {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xFF, '\r', '\n', 0};
    /** Microseconds from 1970-01-01 to 2000-01-01, PostgreSQL's timestamp epoch. */
    private static final long EPOCH_2000_MICROS = 946_684_800_000_000L;

    private BinaryCopy() {
    }

    /** Rows encoded into a growing byte array, sent to a CopyIn in chunks. */
    public static final class Writer {
        private byte[] bytes;
        private int length;

        public Writer(int capacity) {
            bytes = new byte[Math.max(64, capacity)];
        }

        /** The signature, no flags, no header extension: once, before the first row. */
        public Writer header() {
            room(SIGNATURE.length + 8);
            System.arraycopy(SIGNATURE, 0, bytes, length, SIGNATURE.length);
            length += SIGNATURE.length;
            return putInt(0).putInt(0);
        }

        /** The end-of-data marker: once, after the last row. */
        public Writer trailer() {
            return putShort(-1);
        }

        public Writer row(int fields) {
            return putShort(fields);
        }

        public Writer nul() {
            return putInt(-1);
        }

        public Writer int4(int value) {
            return putInt(4).putInt(value);
        }

        public Writer int8(long value) {
            return putInt(8).putLong(value);
        }

        public Writer float8(double value) {
            return putInt(8).putLong(Double.doubleToRawLongBits(value));
        }

        /**
         * numeric: {@code count} base-10000 digits from {@code digits[from]}, most significant first, with no zero digit
         * at either end (zero has none), {@code weight} the power of 10000 of the first.
         */
        public Writer numeric(short[] digits, int from, int count, int weight, boolean negative, int dscale) {
            putInt(8 + 2 * count).putShort(count).putShort(weight).putShort(negative ? 0x4000 : 0).putShort(dscale);
            for (int i = from; i < from + count; i++) {
                putShort(digits[i]);
            }
            return this;
        }

        /** text/varchar: UTF-8, no escaping; ASCII is copied char by char without an intermediate array. */
        public Writer text(String value) {
            int n = value.length();
            room(4 + n);
            int start = length + 4;
            for (int i = 0; i < n; i++) {
                char ch = value.charAt(i);
                if (ch >= 0x80) {
                    byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
                    return bytes(utf8, 0, utf8.length);
                }
                bytes[start + i] = (byte) ch;
            }
            putInt(n);
            length += n;
            return this;
        }

        /** timestamptz from microseconds since 1970-01-01T00:00Z. */
        public Writer timestamptz(long epochMicros) {
            return int8(epochMicros - EPOCH_2000_MICROS);
        }

        /** A field exactly as a Reader returned it (its length word first): a value passed through unchanged. */
        public Writer field(byte[] source, int offset) {
            int n = readInt(source, offset);
            int total = n < 0 ? 4 : 4 + n;
            room(total);
            System.arraycopy(source, offset, bytes, length, total);
            length += total;
            return this;
        }

        public Writer bytes(byte[] value, int offset, int n) {
            putInt(n);
            room(n);
            System.arraycopy(value, offset, bytes, length, n);
            length += n;
            return this;
        }

        public int length() {
            return length;
        }

        /** Sends what is buffered and empties the buffer. */
        public void flush(CopyIn copy) throws SQLException {
            if (length > 0) {
                copy.writeToCopy(bytes, 0, length);
                length = 0;
            }
        }

        /** The buffered bytes (valid up to {@link #length()}); for callers that keep rows themselves. */
        public byte[] buffer() {
            return bytes;
        }

        public byte[] toByteArray() {
            return Arrays.copyOf(bytes, length);
        }

        public void clear() {
            length = 0;
        }

        private Writer putShort(int value) {
            room(2);
            bytes[length++] = (byte) (value >>> 8);
            bytes[length++] = (byte) value;
            return this;
        }

        private Writer putInt(int value) {
            room(4);
            bytes[length++] = (byte) (value >>> 24);
            bytes[length++] = (byte) (value >>> 16);
            bytes[length++] = (byte) (value >>> 8);
            bytes[length++] = (byte) value;
            return this;
        }

        private Writer putLong(long value) {
            room(8);
            for (int shift = 56; shift >= 0; shift -= 8) {
                bytes[length++] = (byte) (value >>> shift);
            }
            return this;
        }

        private void room(int more) {
            if (length + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }

    /**
     * Rows of a {@code COPY ... TO STDOUT (FORMAT binary)}, one at a time. The server sends a row per message (the
     * header rides in the first), but nothing here depends on that: bytes are carried over between messages.
     */
    public static final class Reader {
        private final CopyOut copy;
        private byte[] buffer = new byte[1 << 16];
        private int position;
        private int limit;
        private boolean headerRead;
        private final int[] offsets;

        public Reader(CopyOut copy, int fields) {
            this.copy = copy;
            this.offsets = new int[fields];
        }

        /** Moves to the next row; false after the last. Field offsets stay valid until the next call. */
        public boolean next() throws SQLException {
            if (!headerRead) {
                require(SIGNATURE.length + 8);
                if (!Arrays.equals(buffer, position, position + SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
                    throw new SQLException("not a binary COPY stream");
                }
                int extension = readInt(buffer, position + SIGNATURE.length + 4);
                require(SIGNATURE.length + 8 + extension);
                position += SIGNATURE.length + 8 + extension;
                headerRead = true;
            }
            require(2);
            int count = (short) ((buffer[position] & 0xFF) << 8 | buffer[position + 1] & 0xFF);
            if (count == -1) {
                // the operation ends (and the connection is free again) when the stream has been read to its end
                while (copy.readFromCopy() != null) {
                    // nothing follows the trailer
                }
                return false;
            }
            if (count != offsets.length) {
                throw new SQLException("binary COPY row of " + count + " fields, expected " + offsets.length);
            }
            // offsets relative to the row's start while reading may move the row in the buffer
            int at = 2;
            for (int i = 0; i < count; i++) {
                require(at + 4);
                offsets[i] = at;
                at += 4 + Math.max(0, readInt(buffer, position + at));
            }
            require(at);
            for (int i = 0; i < count; i++) {
                offsets[i] += position;
            }
            position += at;
            return true;
        }

        /** The current row's backing array; {@link #offset(int)} points at a field's length word in it. */
        public byte[] buffer() {
            return buffer;
        }

        public int offset(int field) {
            return offsets[field];
        }

        public boolean isNull(int field) {
            return readInt(buffer, offsets[field]) < 0;
        }

        /** The field's length in bytes, -1 for NULL. */
        public int length(int field) {
            return readInt(buffer, offsets[field]);
        }

        public int int4(int field) {
            return readInt(buffer, offsets[field] + 4);
        }

        public int int2(int field) {
            int at = offsets[field] + 4;
            return (short) ((buffer[at] & 0xFF) << 8 | buffer[at + 1] & 0xFF);
        }

        public boolean bool(int field) {
            return buffer[offsets[field] + 4] != 0;
        }

        public long int8(int field) {
            return readLong(buffer, offsets[field] + 4);
        }

        public double float8(int field) {
            return Double.longBitsToDouble(readLong(buffer, offsets[field] + 4));
        }

        public String text(int field) {
            int at = offsets[field];
            int n = readInt(buffer, at);
            return n < 0 ? null : new String(buffer, at + 4, n, StandardCharsets.UTF_8);
        }

        /** timestamptz as microseconds since 1970-01-01T00:00Z. */
        public long timestamptzMicros(int field) {
            return int8(field) + EPOCH_2000_MICROS;
        }

        public Instant timestamptz(int field) {
            long micros = timestamptzMicros(field);
            return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000L);
        }

        /** At least {@code bytes} unread bytes in the buffer from position on, which may move them to its start. */
        private void require(int bytes) throws SQLException {
            while (limit - position < bytes) {
                int kept = limit - position;
                System.arraycopy(buffer, position, buffer, 0, kept);
                position = 0;
                limit = kept;
                byte[] more = copy.readFromCopy();
                if (more == null) {
                    throw new SQLException("binary COPY stream ended inside a row");
                }
                if (limit + more.length > buffer.length) {
                    buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, limit + more.length));
                }
                System.arraycopy(more, 0, buffer, limit, more.length);
                limit += more.length;
            }
        }
    }

    static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | b[at + 3] & 0xFF;
    }

    static long readLong(byte[] b, int at) {
        return (long) readInt(b, at) << 32 | readInt(b, at + 4) & 0xFFFFFFFFL;
    }

    /** Microseconds since 1970-01-01T00:00Z of an instant (sub-microsecond digits dropped, toward the past). */
    public static long epochMicros(Instant at) {
        return Math.addExact(Math.multiplyExact(at.getEpochSecond(), 1_000_000L), at.getNano() / 1000);
    }
}
