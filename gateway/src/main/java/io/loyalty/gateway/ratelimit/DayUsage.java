package io.loyalty.gateway.ratelimit;

import java.time.LocalDate;

/** One UTC day of a client's requests. */
public record DayUsage(LocalDate date, long allowed, long rejected) {
}
