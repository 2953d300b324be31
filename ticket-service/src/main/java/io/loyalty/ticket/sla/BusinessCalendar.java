package io.loyalty.ticket.sla;

import java.time.Duration;
import java.time.Instant;

/** When the SLA clock may run. */
public interface BusinessCalendar {

    /** Round the clock: every second counts. */
    BusinessCalendar ALWAYS = new BusinessCalendar() {
        @Override
        public long secondsBetween(Instant from, Instant to) {
            return to.isAfter(from) ? Duration.between(from, to).getSeconds() : 0;
        }

        @Override
        public Instant plusSeconds(Instant from, long seconds) {
            return from.plusSeconds(seconds);
        }

        @Override
        public String toString() {
            return "ALWAYS";
        }
    };

    /** Business seconds in [from, to); 0 when to is not after from. */
    long secondsBetween(Instant from, Instant to);

    /**
     * The earliest instant at which {@code seconds} business seconds have passed since {@code from}
     * (for 0: {@code from} itself).
     */
    Instant plusSeconds(Instant from, long seconds);
}
