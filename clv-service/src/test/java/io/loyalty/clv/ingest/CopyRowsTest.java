package io.loyalty.clv.ingest;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import io.loyalty.clv.scoring.Copy;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The byte-level COPY writer against the StringBuilder path it replaced, and the id check against strip(). */
class CopyRowsTest {

    private static String written(CopyRows rows) {
        return new String(Arrays.copyOf(rows.bytes(), rows.length()), StandardCharsets.UTF_8);
    }

    @Test
    void textIsEscapedAndEncodedLikeCopyText() {
        Random random = new Random(7);
        List<String> samples = new java.util.ArrayList<>(List.of("", "plain", "a\\b", "\\N", "\\.", "tab\there",
                "line\nbreak\r", "Zoë Ünïcødé 東京 😀 \\t", "ö", "😀\\", "x😀\t\\", "\"quoted\", 'single';"));
        String alphabet = "ab\\\t\n\r\u0000\u007fé東😀\"',;. ";
        for (int k = 0; k < 20_000; k++) {
            StringBuilder s = new StringBuilder();
            for (int i = random.nextInt(20); i > 0; i--) {
                int at = random.nextInt(alphabet.length());
                char ch = alphabet.charAt(at);
                s.append(ch);
                if (Character.isHighSurrogate(ch)) {
                    s.append(alphabet.charAt(at + 1));
                }
            }
            samples.add(s.toString());
        }
        CopyRows rows = new CopyRows(1); // also grows from the smallest buffer
        StringBuilder expected = new StringBuilder();
        for (String value : samples) {
            rows.text(value).tab();
            Copy.text(expected, value).append('\t');
        }
        // bytes, as sent before: a lone surrogate becomes '?' in both
        assertThat(Arrays.copyOf(rows.bytes(), rows.length()))
                .isEqualTo(expected.toString().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void timestampsAreTheSameInstantToTheMicrosecond() {
        DateTimeFormatter pg = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss[.SSSSSS]x");
        Random random = new Random(11);
        long from = Instant.parse("1970-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("2100-01-01T00:00:00Z").getEpochSecond();
        for (int k = 0; k < 100_000; k++) {
            long second = from + (long) (random.nextDouble() * (to - from));
            int micros = switch (k % 3) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000_000);
                default -> random.nextInt(10) * 100_000;
            };
            Instant at = Instant.ofEpochSecond(second, micros * 1000L);
            String text = written(new CopyRows(8).timestamp(at));
            assertThat(OffsetDateTime.parse(text, pg).toInstant()).as(text).isEqualTo(at);
        }
        assertThat(written(new CopyRows(8).timestamp(Instant.parse("2024-02-29T23:59:59.999999Z"))))
                .isEqualTo("2024-02-29 23:59:59.999999+00");
        assertThat(written(new CopyRows(8).timestamp(Instant.parse("1970-01-01T00:00:00Z"))))
                .isEqualTo("1970-01-01 00:00:00+00");
        assertThat(written(new CopyRows(8).timestamp(Instant.parse("2024-01-06T00:30:00.5Z"))))
                .isEqualTo("2024-01-06 00:30:00.500000+00");
    }

    @Test
    void decimalsAreWrittenAsToPlainString() {
        List<BigDecimal> values = new java.util.ArrayList<>();
        for (String text : List.of("0", "0.0000", "0.0001", "12.5", "12.5000", "1000000", "1000000.0000", "1E+3",
                "1E+20", "-1.5", "-0.0001", "123456789012345678", "1234567890123456789", "99999999999999999999.5",
                "4611686018427387903", "4611686018427387904", "0.000000000000000001", "0.0000000000000000001",
                "9223372036854775807", "-9223372036854775808")) {
            values.add(new BigDecimal(text));
        }
        Random random = new Random(3);
        for (int k = 0; k < 100_000; k++) {
            values.add(BigDecimal.valueOf(random.nextLong(Long.MAX_VALUE) >> random.nextInt(63), random.nextInt(-2, 21)));
            values.add(BigDecimal.valueOf(random.nextInt(100_000_000), 4).multiply(BigDecimal.valueOf(1.2345))
                    .setScale(4, java.math.RoundingMode.HALF_EVEN));
        }
        for (BigDecimal value : values) {
            assertThat(written(new CopyRows(1).decimal(value))).as(value.toString()).isEqualTo(value.toPlainString());
        }
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
