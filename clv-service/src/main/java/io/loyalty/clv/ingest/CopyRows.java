package io.loyalty.clv.ingest;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;

import io.loyalty.clv.scoring.Copy;

/**
 * PostgreSQL COPY text rows written straight into UTF-8 bytes. Building a StringBuilder, then a String, then its
 * bytes, with Instant.toString (a DateTimeFormatter) per row, was a quarter of the request threads' CPU; ids and
 * timestamps are ASCII nearly always, so they are written byte by byte here. Escaping is Copy.text's.
 */
final class CopyRows {

    private static final long[] POWERS_OF_TEN = new long[19];

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10;
        }
    }

    private byte[] bytes;
    private int length;

    CopyRows(int expectedBytes) {
        bytes = new byte[Math.max(64, expectedBytes)];
    }

    byte[] bytes() {
        return bytes;
    }

    int length() {
        return length;
    }

    private void room(int more) {
        if (length + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
        }
    }

    CopyRows tab() {
        room(1);
        bytes[length++] = '\t';
        return this;
    }

    CopyRows newline() {
        room(1);
        bytes[length++] = '\n';
        return this;
    }

    /** A text value escaped as Copy.text does: backslash, tab, newline and carriage return. */
    CopyRows text(String value) {
        int n = value.length();
        room(n * 2);
        for (int i = 0; i < n; i++) {
            char ch = value.charAt(i);
            if (ch >= 0x80) {
                // non-ASCII: the escaped rest as UTF-8, via the shared escaping (a surrogate pair stays whole)
                byte[] rest = Copy.text(new StringBuilder(), value.substring(i)).toString()
                        .getBytes(StandardCharsets.UTF_8);
                room(rest.length);
                System.arraycopy(rest, 0, bytes, length, rest.length);
                length += rest.length;
                return this;
            }
            switch (ch) {
                case '\\' -> escaped('\\');
                case '\t' -> escaped('t');
                case '\n' -> escaped('n');
                case '\r' -> escaped('r');
                default -> bytes[length++] = (byte) ch;
            }
        }
        return this;
    }

    private void escaped(char ch) {
        bytes[length++] = '\\';
        bytes[length++] = (byte) ch;
    }

    /** ASCII text with nothing to escape, such as BigDecimal.toPlainString. */
    CopyRows ascii(String value) {
        int n = value.length();
        room(n);
        for (int i = 0; i < n; i++) {
            bytes[length++] = (byte) value.charAt(i);
        }
        return this;
    }

    /**
     * What BigDecimal.toPlainString writes, without its String for the usual case of a non-negative amount with
     * at most 18 decimals that fits a long (toPlainString, twice a row, showed in profiles).
     */
    CopyRows decimal(BigDecimal value) {
        int scale = value.scale();
        BigInteger unscaled = value.unscaledValue();
        if (value.signum() < 0 || scale < 0 || scale > 18 || unscaled.bitLength() > 62) {
            return ascii(value.toPlainString());
        }
        long digits = unscaled.longValue();
        long unit = POWERS_OF_TEN[scale];
        room(40);
        long whole = digits / unit;
        digits(whole, decimalWidth(whole));
        if (scale > 0) {
            bytes[length++] = '.';
            digits(digits % unit, scale);
        }
        return this;
    }

    /** How many decimal digits a non-negative long has. */
    private static int decimalWidth(long value) {
        int width = 1;
        while (width < 19 && value >= POWERS_OF_TEN[width]) {
            width++;
        }
        return width;
    }

    /** yyyy-MM-dd HH:mm:ss[.ffffff]+00, to the microsecond (validated timestamps carry no more). */
    CopyRows timestamp(Instant at) {
        long seconds = at.getEpochSecond();
        long day = Math.floorDiv(seconds, 86_400L);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
        LocalDate date = LocalDate.ofEpochDay(day);
        if (date.getYear() < 1 || date.getYear() > 9999 || at.getNano() % 1000 != 0) {
            return ascii(at.toString()); // never for a validated purchase; PostgreSQL reads the ISO form too
        }
        room(32);
        digits(date.getYear(), 4);
        bytes[length++] = '-';
        digits(date.getMonthValue(), 2);
        bytes[length++] = '-';
        digits(date.getDayOfMonth(), 2);
        bytes[length++] = ' ';
        digits(secondOfDay / 3600, 2);
        bytes[length++] = ':';
        digits(secondOfDay / 60 % 60, 2);
        bytes[length++] = ':';
        digits(secondOfDay % 60, 2);
        int micros = at.getNano() / 1000;
        if (micros != 0) {
            bytes[length++] = '.';
            digits(micros, 6);
        }
        bytes[length++] = '+';
        bytes[length++] = '0';
        bytes[length++] = '0';
        return this;
    }

    /** value, non-negative, in exactly width digits (zero-padded). */
    private void digits(long value, int width) {
        for (int i = length + width - 1; i >= length; i--) {
            bytes[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        length += width;
    }
}
