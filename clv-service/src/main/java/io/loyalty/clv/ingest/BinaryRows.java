package io.loyalty.clv.ingest;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;

import io.loyalty.clv.scoring.BinaryCopy;

/**
 * PostgreSQL COPY binary rows written straight into a byte array. The binary format spares the server the text
 * parsing of every value (~0.9 us a purchase row); each value is sent exactly as the matching input function
 * would have read its text form, so what is stored does not change (BinaryRowsTest, IngestIT).
 */
final class BinaryRows {

    private static final long[] POWERS_OF_TEN = {1, 10, 100, 1000, 10_000};
    private static final BigInteger NBASE = BigInteger.valueOf(10_000);

    private final BinaryCopy.Writer out;
    /** base-10000 digit groups of one numeric, most significant first (reused: no array per value). */
    private short[] groups = new short[8];

    BinaryRows(int expectedBytes) {
        out = new BinaryCopy.Writer(expectedBytes).header();
    }

    byte[] bytes() {
        return out.buffer();
    }

    int length() {
        return out.length();
    }

    /** Starts a row of the given number of fields. */
    BinaryRows row(int fields) {
        out.row(fields);
        return this;
    }

    /** The trailer: a field count of -1. */
    BinaryRows end() {
        out.trailer();
        return this;
    }

    /** text or char(n): the UTF-8 bytes, as String.getBytes(UTF_8) makes them (a lone surrogate becomes '?'). */
    BinaryRows text(String value) {
        out.text(value);
        return this;
    }

    /** timestamptz (validated instants carry no finer part than microseconds). */
    BinaryRows timestamp(Instant at) {
        out.timestamptz(BinaryCopy.epochMicros(at));
        return this;
    }

    /**
     * numeric: int16 ndigits, weight, sign and dscale, then ndigits base-10000 digit groups, without leading or
     * trailing zero groups. dscale is what numeric_in gives toPlainString's text (its digits after the point);
     * the column's typmod then rounds both forms alike. A long covers amounts with at most 4 decimals and 14
     * integer digits, all that validation lets through by default; anything else takes a BigInteger.
     */
    BinaryRows numeric(BigDecimal value) {
        int scale = value.scale();
        if (scale < 0 || scale > 4 || value.signum() < 0 || value.precision() - scale > 14) {
            return numericSlow(value);
        }
        // value * 10^4, below 10^18: the unscaled long without BigDecimal.unscaledValue()'s BigInteger
        long units = value.scaleByPowerOfTen(scale).longValue() * POWERS_OF_TEN[4 - scale];
        int count = 0;
        for (long rest = units; rest != 0; rest /= 10_000) {
            count++;
        }
        for (int i = count - 1; i >= 0; i--) {
            groups[i] = (short) (units % 10_000);
            units /= 10_000;
        }
        return numeric(count, count - 2, false, scale);
    }

    /** Any other value: its absolute unscaled value aligned to whole groups after the point, split by 10000. */
    private BinaryRows numericSlow(BigDecimal value) {
        int dscale = Math.max(0, value.scale());
        int fractionGroups = (dscale + 3) / 4;
        BigInteger rest = value.abs().setScale(fractionGroups * 4).unscaledValue();
        int count = 0;
        short[] reversed = new short[rest.bitLength() / 13 + 2]; // 10000 > 2^13: at most one group per 13 bits
        while (rest.signum() != 0) {
            BigInteger[] qr = rest.divideAndRemainder(NBASE);
            reversed[count++] = qr[1].shortValue();
            rest = qr[0];
        }
        if (groups.length < count) {
            groups = new short[count];
        }
        for (int i = 0; i < count; i++) {
            groups[i] = reversed[count - 1 - i];
        }
        return numeric(count, count - 1 - fractionGroups, value.signum() < 0, dscale);
    }

    /** groups[0, count) with weight the power of 10000 of groups[0]; zero groups at either end are dropped. */
    private BinaryRows numeric(int count, int weight, boolean negative, int dscale) {
        int first = 0;
        while (first < count && groups[first] == 0) {
            first++;
            weight--;
        }
        while (count > first && groups[count - 1] == 0) {
            count--;
        }
        if (count == first) { // zero: no groups, weight 0, positive
            out.numeric(groups, 0, 0, 0, false, dscale);
        } else {
            out.numeric(groups, first, count - first, weight, negative, dscale);
        }
        return this;
    }
}
