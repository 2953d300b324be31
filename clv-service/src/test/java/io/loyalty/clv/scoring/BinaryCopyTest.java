package io.loyalty.clv.scoring;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.postgresql.copy.CopyOut;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The binary COPY writer and reader agree, whatever sizes the stream arrives in (round trips with PostgreSQL are in the ITs). */
class BinaryCopyTest {

    private static final String[] IDS = {"C1", "", "kunde-ä-ß", "客户-42", "tab\tnew\nline\\", "x".repeat(5000)};
    private static final Instant[] TIMES = {Instant.parse("2000-01-01T00:00:00Z"), Instant.parse("1970-01-01T00:00:00Z"),
        Instant.parse("1999-12-31T23:59:59.999999Z"), Instant.parse("2262-04-11T23:47:16.854775Z")};

    @Test
    void rowsWrittenAreReadBackInEveryChunking() throws SQLException {
        BinaryCopy.Writer out = new BinaryCopy.Writer(64).header();
        int rows = 3000;
        for (int i = 0; i < rows; i++) {
            out.row(6).text(IDS[i % IDS.length]).int4(i - 1000).float8(value(i))
                    .timestamptz(BinaryCopy.epochMicros(TIMES[i % TIMES.length]));
            if (i % 3 == 0) {
                out.nul();
            } else {
                out.int8(Long.MIN_VALUE + i);
            }
            out.bytes(new byte[] {(byte) (i % 2)}, 0, 1);
        }
        byte[] stream = out.trailer().toByteArray();
        for (int seed = 0; seed < 20; seed++) {
            BinaryCopy.Reader in = new BinaryCopy.Reader(new Chunks(stream, new Random(seed), seed == 0 ? 1 : 1 + seed * 97), 6);
            for (int i = 0; i < rows; i++) {
                assertThat(in.next()).isTrue();
                assertThat(in.text(0)).isEqualTo(IDS[i % IDS.length]);
                assertThat(in.int4(1)).isEqualTo(i - 1000);
                assertThat(Double.doubleToRawLongBits(in.float8(2))).isEqualTo(Double.doubleToRawLongBits(value(i)));
                assertThat(in.timestamptz(3)).isEqualTo(TIMES[i % TIMES.length]);
                assertThat(in.isNull(4)).isEqualTo(i % 3 == 0);
                if (i % 3 != 0) {
                    assertThat(in.int8(4)).isEqualTo(Long.MIN_VALUE + i);
                }
                assertThat(in.bool(5)).isEqualTo(i % 2 == 1);
            }
            assertThat(in.next()).isFalse();
        }
    }

    @Test
    void aFieldPassesThroughUnchanged() throws SQLException {
        byte[] stream = new BinaryCopy.Writer(64).header().row(2).text("é").nul().trailer().toByteArray();
        BinaryCopy.Reader in = new BinaryCopy.Reader(new Chunks(stream, new Random(1), 5), 2);
        assertThat(in.next()).isTrue();
        byte[] copied = new BinaryCopy.Writer(64).field(in.buffer(), in.offset(0)).field(in.buffer(), in.offset(1))
                .toByteArray();
        assertThat(copied).isEqualTo(new BinaryCopy.Writer(64).text("é").nul().toByteArray());
    }

    @Test
    void aRowOfAnotherWidthOrACutStreamIsAnError() {
        byte[] stream = new BinaryCopy.Writer(64).header().row(2).int4(1).int4(2).trailer().toByteArray();
        assertThatThrownBy(() -> new BinaryCopy.Reader(new Chunks(stream, new Random(1), 7), 3).next())
                .isInstanceOf(SQLException.class).hasMessageContaining("2 fields, expected 3");
        byte[] cut = Arrays.copyOf(stream, stream.length - 5);
        assertThatThrownBy(() -> new BinaryCopy.Reader(new Chunks(cut, new Random(1), 7), 2).next())
                .isInstanceOf(SQLException.class).hasMessageContaining("ended inside a row");
    }

    private static double value(int i) {
        return switch (i % 5) {
            case 0 -> -0.0;
            case 1 -> Double.NaN;
            case 2 -> Double.MIN_VALUE;
            case 3 -> 1e308 / (i + 1);
            default -> i / 7.0;
        };
    }

    /** A CopyOut handing out the stream in random pieces of 1 to maxChunk bytes. */
    private static final class Chunks implements CopyOut {
        private final byte[] stream;
        private final Random random;
        private final int maxChunk;
        private int at;

        Chunks(byte[] stream, Random random, int maxChunk) {
            this.stream = stream;
            this.random = random;
            this.maxChunk = maxChunk;
        }

        @Override
        public byte[] readFromCopy() {
            if (at == stream.length) {
                return null;
            }
            int n = Math.min(stream.length - at, 1 + random.nextInt(maxChunk));
            byte[] chunk = Arrays.copyOfRange(stream, at, at + n);
            at += n;
            return chunk;
        }

        @Override
        public byte[] readFromCopy(boolean block) {
            return readFromCopy();
        }

        @Override
        public int getFieldCount() {
            return 0;
        }

        @Override
        public int getFormat() {
            return 1;
        }

        @Override
        public int getFieldFormat(int field) {
            return 1;
        }

        @Override
        public boolean isActive() {
            return at < stream.length;
        }

        @Override
        public void cancelCopy() {
            at = stream.length;
        }

        @Override
        public long getHandledRowCount() {
            return 0;
        }
    }
}
