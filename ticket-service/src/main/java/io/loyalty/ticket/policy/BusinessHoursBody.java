package io.loyalty.ticket.policy;

import java.util.List;

/**
 * A weekly calendar in an IANA zone, e.g.
 * {@code {"timeZone": "Europe/Berlin", "windows": [{"day": "MONDAY", "start": "09:00", "end": "17:00"}]}}.
 * {@code end} may be {@code 24:00}.
 */
public record BusinessHoursBody(String timeZone, List<Window> windows) {

    public record Window(String day, String start, String end) {
    }
}
