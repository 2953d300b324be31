package io.loyalty.clv.ingest;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The hand-written fast path never disagrees with the formatter it short-cuts. */
class TimestampsTest {

    /** The formatter's answer: the Instant, or null when it rejects the text. */
    private static Instant formatter(String text) {
        try {
            return Timestamps.formatter(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Same Instant or same rejection through parse(); and the fast path itself never answers differently. */
    private static void agrees(String text) {
        Instant expected = formatter(text);
        Instant fast = Timestamps.fast(text);
        if (fast != null) {
            assertThat(fast).as(text).isEqualTo(expected);
        }
        if (expected == null) {
            assertThatThrownBy(() -> Timestamps.parse(text)).as(text).isInstanceOf(DateTimeParseException.class);
        } else {
            assertThat(Timestamps.parse(text)).as(text).isEqualTo(expected);
        }
    }

    @Test
    void theCommonShapesTakeTheFastPath() {
        for (String text : List.of("2024-01-01T10:00:00Z", "2024-01-05T10:15:30+05:30", "2024-01-05T23:30:00-08:00",
                "2024-01-05T10:15:30.123456789Z", "2024-02-29T23:59:59.999999Z", "2024-01-06T00:00:00.5-00:30",
                "1970-01-01T00:00:00Z", "2024-12-31T23:59:59.1+17:59", "2024-12-31T23:59:59.12-00:00")) {
            assertThat(Timestamps.fast(text)).as(text).isNotNull().isEqualTo(formatter(text));
        }
        assertThat(Timestamps.fast("2024-01-05T10:15:30.123456789Z")).isEqualTo(Instant.parse("2024-01-05T10:15:30.123456Z"));
        assertThat(Timestamps.fast("2024-01-05T10:15:30+05:30")).isEqualTo(Instant.parse("2024-01-05T04:45:30Z"));
    }

    @Test
    void edgesAndGarbageAgree() {
        List<String> cases = new ArrayList<>(List.of(
                "", "Z", "2024-01-01", "2024-01-01T10:00:00", "2024-01-01T10:00Z", "2024-01-01T10:00+01:00",
                "2024-01-01t10:00:00Z", "2024-01-01T10:00:00z", "2024-01-01 10:00:00Z", "2024-01-01T10:00:00.Z",
                "2024-01-01T10:00:00.1234567890Z", "2024-01-01T10:00:00.123456789012Z", "2024-01-01T10:00:00,5Z",
                "2023-02-29T00:00:00Z", "2024-02-30T00:00:00Z", "2100-02-29T00:00:00Z", "2000-02-29T00:00:00Z",
                "1900-02-29T00:00:00Z", "2024-04-31T00:00:00Z", "2024-13-01T00:00:00Z", "2024-00-01T00:00:00Z",
                "2024-01-00T00:00:00Z", "2024-01-32T00:00:00Z", "2024-01-01T24:00:00Z", "2024-01-01T23:60:00Z",
                "2024-01-01T23:59:60Z", "2024-01-01T10:00:00+18:00", "2024-01-01T10:00:00-18:00",
                "2024-01-01T10:00:00+18:01", "2024-01-01T10:00:00+19:00", "2024-01-01T10:00:00+01:60",
                "2024-01-01T10:00:00+0100", "2024-01-01T10:00:00+01", "2024-01-01T10:00:00+01:00:30",
                "2024-01-01T10:00:00+01:00:60", "2024-01-01T10:00:00+01:00Z", "2024-01-01T10:00:00Z ",
                " 2024-01-01T10:00:00Z", "2024-01-01T10:00:00ZZ", "+2024-01-01T10:00:00Z", "-2024-01-01T10:00:00Z",
                "+12024-01-01T10:00:00Z", "12024-01-01T10:00:00Z", "0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z",
                "9999-12-31T23:59:59.999999999-17:59", "9999-12-31T23:59:59.999999999+17:59",
                "2024-1-01T10:00:00Z", "2024-01-1T10:00:00Z", "2024-01-01T1:00:00Z", "2024-01-01T10:0:00Z",
                "2024-01-01T10:00:0Z", "2024-01-01T10:00:00.5+05:30[Asia/Kolkata]", "2024-01-01T10:00:00+05:30x",
                "2024-01-01T10:00:00.000000000Z", "2024-01-01T10:00:00.0000001Z", "2024-01-01T10:00:00.9999999Z",
                "2024-01-01T10:00:00-00:00", "2024-01-01T10:00:00+00:00", "2024-01-01T10:00:00-00:01",
                "2024-01-01T1a:00:00Z", "2024-01-01T10:00:00.1a3Z", "2024-01-01T10:00:00+0a:00",
                "٢٠٢٤-01-01T10:00:00Z", "2024-01-01T10:00:00.١Z", "1969-12-31T23:59:59.999999999Z",
                "1970-01-01T00:00:00+01:00", "2024-01-01T10:00:00\u0000", "2024-01-01T10:00:00.+01:00"));
        for (String text : cases) {
            agrees(text);
        }
    }

    @Test
    void randomTimestampsAgree() {
        Random random = new Random(20261203);
        for (int k = 0; k < 200_000; k++) {
            StringBuilder s = new StringBuilder();
            s.append(pad(random.nextInt(10_000), 4)).append('-').append(pad(random.nextInt(14), 2)).append('-')
                    .append(pad(random.nextInt(33), 2)).append('T').append(pad(random.nextInt(26), 2)).append(':')
                    .append(pad(random.nextInt(62), 2)).append(':').append(pad(random.nextInt(62), 2));
            int digits = random.nextInt(12);
            if (digits > 0 || random.nextInt(4) == 0) {
                s.append('.');
                for (int d = 0; d < digits; d++) {
                    s.append((char) ('0' + random.nextInt(10)));
                }
            }
            switch (random.nextInt(4)) {
                case 0 -> s.append('Z');
                case 1 -> s.append(random.nextBoolean() ? '+' : '-').append(pad(random.nextInt(20), 2)).append(':')
                        .append(pad(random.nextInt(62), 2));
                case 2 -> s.append(random.nextBoolean() ? '+' : '-').append(pad(random.nextInt(19), 2)).append(':')
                        .append(pad(random.nextInt(60), 2)).append(':').append(pad(random.nextInt(61), 2));
                default -> s.append("+05:30");
            }
            String text = s.toString();
            agrees(text);
            // one character changed, dropped or doubled: mostly invalid, sometimes still a timestamp
            int at = random.nextInt(text.length());
            agrees(text.substring(0, at) + "0123456789+-:.TZtz x".charAt(random.nextInt(20)) + text.substring(at + 1));
            agrees(text.substring(0, at) + text.substring(at + 1));
            agrees(text.substring(0, at) + text.charAt(at) + text.substring(at));
        }
    }

    @Test
    void everyDayOfFourCenturiesAgrees() {
        // every calendar day 1900..2300 (leap rules of 1900, 2000, 2100), plus day 29..31 of each month
        for (int year = 1900; year <= 2300; year++) {
            for (int month = 1; month <= 12; month++) {
                for (int day = 1; day <= 31; day++) {
                    agrees(pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T12:34:56.789-03:00");
                }
            }
        }
    }

    private static String pad(int value, int width) {
        String text = Integer.toString(value);
        return "0".repeat(Math.max(0, width - text.length())) + text;
    }
}
