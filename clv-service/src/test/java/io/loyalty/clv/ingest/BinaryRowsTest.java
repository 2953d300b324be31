package io.loyalty.clv.ingest;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The binary COPY writer, read back as PostgreSQL reads it: text as String.getBytes(UTF_8) (what the text rows
 * sent), timestamps as microseconds since 2000, numerics as the value and dscale numeric_in gives toPlainString.
 */
class BinaryRowsTest {

    private static final Instant POSTGRES_EPOCH = Instant.parse("2000-01-01T00:00:00Z");

    /** The written bytes after the 19-byte header. */
    private static ByteBuffer fields(BinaryRows rows) {
        return ByteBuffer.wrap(Arrays.copyOf(rows.bytes(), rows.length())).position(19);
    }

    private static byte[] field(ByteBuffer in) {
        byte[] value = new byte[in.getInt()];
        in.get(value);
        return value;
    }

    /** A binary numeric as numeric_recv reads it: the value at its dscale. */
    private static BigDecimal numeric(byte[] field) {
        ByteBuffer in = ByteBuffer.wrap(field);
        int ndigits = in.getShort();
        int weight = in.getShort();
        int sign = in.getShort();
        int dscale = in.getShort();
        assertThat(field).hasSize(8 + 2 * ndigits);
        assertThat(sign).isIn(0x0000, 0x4000);
        assertThat(dscale).isNotNegative();
        BigInteger digits = BigInteger.ZERO;
        List<Integer> groups = new ArrayList<>();
        for (int i = 0; i < ndigits; i++) {
            int group = in.getShort();
            assertThat(group).isBetween(0, 9999);
            groups.add(group);
            digits = digits.multiply(BigInteger.valueOf(10_000)).add(BigInteger.valueOf(group));
        }
        if (ndigits == 0) {
            assertThat(weight).as("zero").isZero();
            assertThat(sign).as("zero").isZero();
        } else {
            assertThat(groups.get(0)).as("no leading zero group").isNotZero();
            assertThat(groups.get(ndigits - 1)).as("no trailing zero group").isNotZero();
        }
        // digits * 10000^(weight - ndigits + 1)
        BigDecimal value = new BigDecimal(digits).scaleByPowerOfTen(4 * (weight - ndigits + 1));
        return (sign == 0x4000 ? value.negate() : value).setScale(dscale);
    }

    @Test
    void headerRowsAndTrailerAreTheBinaryCopyFormat() {
        BinaryRows rows = new BinaryRows(1); // also grows from the smallest buffer
        rows.row(6).text("o1").text("c").timestamp(POSTGRES_EPOCH).numeric(new BigDecimal("12.5")).text("USD")
                .numeric(BigDecimal.ZERO).end();
        byte[] expected = ByteBuffer.allocate(200)
                .put("PGCOPY\n".getBytes(StandardCharsets.US_ASCII)).put((byte) 0xFF).put((byte) '\r')
                .put((byte) '\n').put((byte) 0).putInt(0).putInt(0)
                .putShort((short) 6)
                .putInt(2).put((byte) 'o').put((byte) '1')
                .putInt(1).put((byte) 'c')
                .putInt(8).putLong(0)
                .putInt(12).putShort((short) 2).putShort((short) 0).putShort((short) 0).putShort((short) 1)
                .putShort((short) 12).putShort((short) 5000)
                .putInt(3).put("USD".getBytes(StandardCharsets.US_ASCII))
                .putInt(8).putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                .putShort((short) -1)
                .flip().array();
        assertThat(Arrays.copyOf(rows.bytes(), rows.length()))
                .isEqualTo(Arrays.copyOf(expected, 19 + 2 + 6 + 5 + 12 + 16 + 7 + 12 + 2));
    }

    @Test
    void textIsItsUtf8Bytes() {
        Random random = new Random(7);
        List<String> samples = new ArrayList<>(List.of("", "plain", "a\\b", "\\N", "\\.", "tab\there",
                "line\nbreak\r", "Zoë Ünïcødé 東京 😀 \\t", "ö", "😀\\", "x😀\t\\", "\"quoted\", 'single';",
                "\u07ff\u0800\uffff", "lone \ud800 high", "lone \udc00 low", "\udc00\ud800", "end \ud83d"));
        String alphabet = "ab\\\t\n\r\u0000\u007f\u0080é\u07ff\u0800東\uffff😀\ud800\udfff\"',;. ";
        for (int k = 0; k < 20_000; k++) {
            StringBuilder s = new StringBuilder();
            for (int i = random.nextInt(20); i > 0; i--) {
                s.append(alphabet.charAt(random.nextInt(alphabet.length()))); // lone and paired surrogates both
            }
            samples.add(s.toString());
        }
        BinaryRows rows = new BinaryRows(1);
        for (String value : samples) {
            rows.text(value);
        }
        ByteBuffer in = fields(rows);
        for (String value : samples) {
            // as sent before: a lone surrogate becomes '?'
            assertThat(field(in)).as(value).isEqualTo(value.getBytes(StandardCharsets.UTF_8));
        }
        assertThat(in.hasRemaining()).isFalse();
    }

    @Test
    void timestampsAreMicrosecondsSince2000() {
        List<Instant> samples = new ArrayList<>(List.of(POSTGRES_EPOCH, Instant.parse("1970-01-01T00:00:00Z"),
                Instant.parse("1999-12-31T23:59:59.999999Z"), Instant.parse("1969-12-31T23:59:59.999999Z"),
                Instant.parse("2024-02-29T23:59:59.999999Z"), Instant.parse("2038-01-19T03:14:08Z"),
                Instant.parse("9999-12-31T23:59:59.999999Z"), Instant.parse("0001-01-01T00:00:00Z"),
                Instant.parse("+200000-12-31T23:59:59.999999Z")));
        Random random = new Random(11);
        long from = Instant.parse("1900-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("2200-01-01T00:00:00Z").getEpochSecond();
        for (int k = 0; k < 100_000; k++) {
            long second = from + (long) (random.nextDouble() * (to - from));
            samples.add(Instant.ofEpochSecond(second, random.nextInt(1_000_000) * 1000L));
        }
        BinaryRows rows = new BinaryRows(1);
        for (Instant at : samples) {
            rows.timestamp(at);
        }
        ByteBuffer in = fields(rows);
        for (Instant at : samples) {
            assertThat(in.getInt()).isEqualTo(8);
            long micros = in.getLong();
            Duration since = Duration.between(POSTGRES_EPOCH, at); // MICROS.between overflows beyond 292 years
            assertThat(micros).as(at.toString()).isEqualTo(since.getSeconds() * 1_000_000 + since.getNano() / 1000);
            assertThat(POSTGRES_EPOCH.plus(micros, ChronoUnit.MICROS)).isEqualTo(at);
        }
    }

    @Test
    void numericsAreWhatNumericInReadsFromToPlainString() {
        List<BigDecimal> values = new ArrayList<>();
        for (String text : List.of("0", "0.0", "0.0000", "0.0001", "0.001", "12.5", "12.5000", "1000000",
                "1000000.0000", "99999.9999", "10000", "10000.0001", "9999.9999", "1E+3", "1E+20", "-1.5", "-0.0001",
                "12345678901234.5678", "99999999999999.9999", "123456789012345.6789", "999999999999999.9999",
                "1234567890123456789", "99999999999999999999.5", "4611686018427387903", "0.000000000000000001",
                "1.23456", "-9223372036854775808", "0.00012345", "1234500.0000")) {
            values.add(new BigDecimal(text));
        }
        Random random = new Random(3);
        for (int k = 0; k < 100_000; k++) {
            values.add(BigDecimal.valueOf(random.nextLong(Long.MAX_VALUE) >> random.nextInt(63), random.nextInt(-2, 9)));
            values.add(BigDecimal.valueOf(random.nextLong(100_000_000_000L), random.nextInt(5)));
            values.add(BigDecimal.valueOf(random.nextInt(100_000_000), 4).multiply(new BigDecimal("1.2345"))
                    .setScale(4, java.math.RoundingMode.HALF_EVEN));
        }
        BinaryRows rows = new BinaryRows(1);
        for (BigDecimal value : values) {
            rows.numeric(value);
        }
        ByteBuffer in = fields(rows);
        for (BigDecimal value : values) {
            // equals, not compareTo: the same digits at the same dscale
            assertThat(numeric(field(in))).as(value.toPlainString()).isEqualTo(new BigDecimal(value.toPlainString()));
        }
        assertThat(in.hasRemaining()).isFalse();
    }

    @Test
    void cleanIdsAreWhatStripAndIsoControlAccepted() {
        for (char ch = 0; ch < Character.MAX_VALUE; ch++) {
            for (String text : List.of(ch + "a", "a" + ch, "a" + ch + "b", String.valueOf(ch), ch + "😀", "😀" + ch)) {
                boolean before = text.strip().equals(text) && text.chars().noneMatch(Character::isISOControl);
                assertThat(Fields.clean(text)).as("U+%04X in %s", (int) ch, text).isEqualTo(before);
            }
        }
    }
}
