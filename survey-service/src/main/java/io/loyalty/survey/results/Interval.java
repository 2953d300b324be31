package io.loyalty.survey.results;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;

/** Series periods: UTC days, ISO weeks starting on Monday, calendar months. */
public enum Interval {
    DAY, WEEK, MONTH;

    public static Interval parse(String text) {
        for (Interval interval : values()) {
            if (interval.name().equalsIgnoreCase(text)) {
                return interval;
            }
        }
        return null;
    }

    /** The unit name PostgreSQL's date_trunc takes. */
    String sqlUnit() {
        return name().toLowerCase(Locale.ROOT);
    }

    public LocalDate start(LocalDate day) {
        return switch (this) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
        };
    }

    public LocalDate next(LocalDate periodStart) {
        return switch (this) {
            case DAY -> periodStart.plusDays(1);
            case WEEK -> periodStart.plusWeeks(1);
            case MONTH -> periodStart.plusMonths(1);
        };
    }

    /** Periods from the one holding first to the one holding last, both included. */
    public long periods(LocalDate first, LocalDate last) {
        LocalDate a = start(first);
        LocalDate b = start(last);
        return switch (this) {
            case DAY -> ChronoUnit.DAYS.between(a, b) + 1;
            case WEEK -> ChronoUnit.WEEKS.between(a, b) + 1;
            case MONTH -> ChronoUnit.MONTHS.between(a, b) + 1;
        };
    }
}
