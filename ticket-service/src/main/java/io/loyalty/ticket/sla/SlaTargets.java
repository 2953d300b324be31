package io.loyalty.ticket.sla;

import java.util.Objects;

/**
 * What a ticket is measured against. Targets are business seconds; null targets (no policy for the
 * priority) still measure the times but never breach.
 */
public record SlaTargets(Long firstResponseSeconds, Long resolutionSeconds, BusinessCalendar calendar) {

    public static final SlaTargets NONE = new SlaTargets(null, null, BusinessCalendar.ALWAYS);

    public SlaTargets {
        Objects.requireNonNull(calendar, "calendar");
    }

    public static SlaTargets minutes(long firstResponseMinutes, long resolutionMinutes, BusinessCalendar calendar) {
        return new SlaTargets(firstResponseMinutes * 60, resolutionMinutes * 60, calendar);
    }
}
