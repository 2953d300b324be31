package io.loyalty.ticket.policy;

import io.loyalty.ticket.sla.BusinessCalendar;
import io.loyalty.ticket.sla.SlaTargets;
import io.loyalty.ticket.sla.WeeklyBusinessHours;
import io.loyalty.ticket.ticket.Priority;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;

/**
 * One version of a priority's policy. {@code version} is the row id: tickets point at the version they
 * were opened under.
 */
public record SlaPolicy(long version, Priority priority, int firstResponseMinutes, int resolutionMinutes,
                        BusinessHoursBody businessHours, Instant updatedAt) {

    public SlaTargets targets() {
        return SlaTargets.minutes(firstResponseMinutes, resolutionMinutes, calendar(businessHours));
    }

    static BusinessCalendar calendar(BusinessHoursBody hours) {
        if (hours == null) {
            return BusinessCalendar.ALWAYS;
        }
        List<WeeklyBusinessHours.Window> windows = hours.windows().stream()
                .map(w -> new WeeklyBusinessHours.Window(DayOfWeek.valueOf(w.day()), minutes(w.start()), minutes(w.end())))
                .toList();
        return new WeeklyBusinessHours(ZoneId.of(hours.timeZone()), windows);
    }

    /** "HH:MM" (00:00 to 24:00) to minutes of the day; -1 when not such a time. */
    static int minutes(String time) {
        if (time == null || !time.matches("\\d{2}:\\d{2}")) {
            return -1;
        }
        int h = Integer.parseInt(time.substring(0, 2));
        int m = Integer.parseInt(time.substring(3));
        if (m > 59 || h > 24 || (h == 24 && m != 0)) {
            return -1;
        }
        return h * 60 + m;
    }

    /** Identical content, ignoring the version: a PUT of the same policy is a no-op. */
    boolean sameAs(int firstResponse, int resolution, BusinessHoursBody hours) {
        return firstResponseMinutes == firstResponse && resolutionMinutes == resolution
                && java.util.Objects.equals(businessHours, hours);
    }
}
