package io.loyalty.ticket.sla;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A weekly calendar of opening windows in wall-clock time of one IANA zone. Windows are converted to
 * instants day by day, so a daylight-saving change shortens or lengthens the windows it falls into:
 * a 01:00-04:00 window is two real hours on a spring-forward night and four on a fall-back night.
 * A wall-clock time that does not exist (in the spring-forward gap) moves forward by the gap's length;
 * an ambiguous one (fall back) takes the earlier offset, as {@link ZonedDateTime#ofLocal} does.
 */
public final class WeeklyBusinessHours implements BusinessCalendar {

    /** Minutes since local midnight: start inclusive, end exclusive, end may be 1440 (24:00). */
    public record Window(DayOfWeek day, int startMinute, int endMinute) {
        public Window {
            Objects.requireNonNull(day, "day");
            if (startMinute < 0 || endMinute > 1440 || startMinute >= endMinute) {
                throw new IllegalArgumentException("a window needs 0 <= start < end <= 24:00");
            }
        }
    }

    private final ZoneId zone;
    private final List<Window> windows;
    private final Map<DayOfWeek, List<Window>> byDay = new EnumMap<>(DayOfWeek.class);

    public WeeklyBusinessHours(ZoneId zone, List<Window> windows) {
        this.zone = Objects.requireNonNull(zone, "zone");
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("business hours need at least one window");
        }
        List<Window> sorted = new ArrayList<>(windows);
        sorted.sort(Comparator.comparing(Window::day).thenComparingInt(Window::startMinute));
        for (int i = 1; i < sorted.size(); i++) {
            Window previous = sorted.get(i - 1);
            Window current = sorted.get(i);
            if (previous.day() == current.day() && current.startMinute() < previous.endMinute()) {
                throw new IllegalArgumentException("windows on " + current.day() + " overlap");
            }
        }
        this.windows = List.copyOf(sorted);
        for (Window w : sorted) {
            byDay.computeIfAbsent(w.day(), d -> new ArrayList<>()).add(w);
        }
    }

    public ZoneId zone() {
        return zone;
    }

    public List<Window> windows() {
        return windows;
    }

    @Override
    public long secondsBetween(Instant from, Instant to) {
        if (!to.isAfter(from)) {
            return 0;
        }
        long total = 0;
        // a window of the previous local day cannot reach into this one (windows end by 24:00)
        LocalDate day = from.atZone(zone).toLocalDate();
        LocalDate last = to.atZone(zone).toLocalDate();
        for (; !day.isAfter(last); day = day.plusDays(1)) {
            for (Window w : byDay.getOrDefault(day.getDayOfWeek(), List.of())) {
                Instant start = instant(day, w.startMinute());
                Instant end = instant(day, w.endMinute());
                Instant a = start.isAfter(from) ? start : from;
                Instant b = end.isBefore(to) ? end : to;
                if (b.isAfter(a)) {
                    total += Duration.between(a, b).getSeconds();
                }
            }
        }
        return total;
    }

    @Override
    public Instant plusSeconds(Instant from, long seconds) {
        if (seconds < 0) {
            throw new IllegalArgumentException("seconds must not be negative");
        }
        if (seconds == 0) {
            return from;
        }
        long remaining = seconds;
        LocalDate day = from.atZone(zone).toLocalDate();
        while (true) {
            for (Window w : byDay.getOrDefault(day.getDayOfWeek(), List.of())) {
                Instant start = instant(day, w.startMinute());
                Instant end = instant(day, w.endMinute());
                Instant a = start.isAfter(from) ? start : from;
                if (!end.isAfter(a)) {
                    continue;
                }
                long available = Duration.between(a, end).getSeconds();
                if (remaining <= available) {
                    return a.plusSeconds(remaining);
                }
                remaining -= available;
            }
            // ends: the constructor demands at least one window a week
            day = day.plusDays(1);
        }
    }

    private Instant instant(LocalDate day, int minute) {
        if (minute == 1440) {
            return day.plusDays(1).atStartOfDay(zone).toInstant();
        }
        return ZonedDateTime.ofLocal(day.atTime(minute / 60, minute % 60), zone, null).toInstant();
    }

    @Override
    public String toString() {
        return "WeeklyBusinessHours[" + zone + ", " + windows + "]";
    }
}
