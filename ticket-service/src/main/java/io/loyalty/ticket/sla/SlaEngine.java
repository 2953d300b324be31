package io.loyalty.ticket.sla;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The SLA arithmetic, free of any framework so it can be checked by hand.
 *
 * <p>Rules (see docs/ticket-service.md for the reasoning):
 * <ul>
 *   <li>One clock per ticket runs while the ticket is NEW or OPEN and, when the policy has business
 *   hours, only inside them. It pauses in PENDING and ON_HOLD and stops while SOLVED.</li>
 *   <li>First response = the clock's reading at the first AGENT_REPLY, whenever it comes (also after a
 *   reopen). Resolution = the clock's reading at the latest SOLVED: after a reopen the clock continues
 *   from where it stopped, it neither restarts at zero nor counts the time spent solved.</li>
 *   <li>A target is met when the reading is at most the target: reaching the due instant exactly is on
 *   time; a breach needs at least one second more.</li>
 *   <li>Events must come in time order: one earlier than the latest accepted event is rejected.</li>
 * </ul>
 */
public final class SlaEngine {

    private SlaEngine() {
    }

    public static TicketClock open(Instant openedAt, SlaTargets targets) {
        openedAt = openedAt.truncatedTo(ChronoUnit.SECONDS);
        return new TicketClock(TicketStatus.NEW, openedAt, 0, null, null, null, null, 0,
                due(targets.firstResponseSeconds(), 0, openedAt, targets.calendar()),
                due(targets.resolutionSeconds(), 0, openedAt, targets.calendar()),
                false, false);
    }

    public static TicketClock apply(TicketClock clock, TicketEventType event, Instant at, SlaTargets targets) {
        // whole seconds throughout, so a reading equal to the target and "now == due" agree
        at = at.truncatedTo(ChronoUnit.SECONDS);
        if (at.isBefore(clock.lastEventAt())) {
            throw new TransitionRejected(TransitionRejected.Reason.OUT_OF_ORDER,
                    "the event at " + at + " is earlier than the ticket's latest event at " + clock.lastEventAt());
        }
        TicketStatus next = Lifecycle.next(clock.status(), event);
        BusinessCalendar calendar = targets.calendar();
        long active = clock.activeSeconds()
                + (clock.status().clockRuns() ? calendar.secondsBetween(clock.lastEventAt(), at) : 0);

        Instant firstResponseAt = clock.firstResponseAt();
        Long firstResponseSeconds = clock.firstResponseSeconds();
        if (event == TicketEventType.AGENT_REPLY && firstResponseAt == null) {
            firstResponseAt = at;
            firstResponseSeconds = active;
        }
        int reopens = clock.reopens();
        Instant solvedAt = clock.solvedAt();
        Long resolutionSeconds = clock.resolutionSeconds();
        if (Lifecycle.reopens(clock.status(), event)) {
            reopens++;
            solvedAt = null;
            resolutionSeconds = null;
        }
        if (next == TicketStatus.SOLVED) {
            solvedAt = at;
            resolutionSeconds = active;
        }

        Long frTarget = targets.firstResponseSeconds();
        Long resTarget = targets.resolutionSeconds();
        boolean frBreached = frTarget != null
                && (firstResponseSeconds != null ? firstResponseSeconds > frTarget : active > frTarget);
        // once the resolution target is exceeded a reopen cannot undo it: the clock only grows
        boolean resBreached = resTarget != null && active > resTarget;

        // a met (or missed) target keeps the due instant that was in force when it was decided
        Instant frDue = firstResponseAt != null
                ? clock.firstResponseDueAt()
                : runningDue(frTarget, active, at, next, calendar, clock.firstResponseDueAt());
        Instant resDue = resolutionSeconds != null
                ? clock.resolutionDueAt()
                : runningDue(resTarget, active, at, next, calendar, clock.resolutionDueAt());

        return new TicketClock(next, at, active, firstResponseAt, firstResponseSeconds, solvedAt, resolutionSeconds,
                reopens, frDue, resDue, frBreached, resBreached);
    }

    /** Breach flags and due instants as of {@code now}: a running clock past its due instant is breached. */
    public static SlaStatus evaluate(TicketClock clock, SlaTargets targets, Instant now) {
        boolean running = clock.status().clockRuns();
        Instant nowSeconds = now.truncatedTo(ChronoUnit.SECONDS);
        boolean frBreached = clock.firstResponseBreached()
                || (clock.firstResponseAt() == null && running && clock.firstResponseDueAt() != null
                && nowSeconds.isAfter(clock.firstResponseDueAt()));
        boolean resBreached = clock.resolutionBreached()
                || (clock.resolutionSeconds() == null && running && clock.resolutionDueAt() != null
                && nowSeconds.isAfter(clock.resolutionDueAt()));
        return new SlaStatus(clock.firstResponseDueAt(), clock.resolutionDueAt(), frBreached, resBreached);
    }

    /**
     * While the clock runs, the instant it reaches the target; while paused, unknown (null) until it runs
     * again; once past the target, the instant it was passed stays.
     */
    private static Instant runningDue(Long target, long active, Instant at, TicketStatus next,
                                      BusinessCalendar calendar, Instant dueBefore) {
        if (target == null) {
            return null;
        }
        if (active > target) {
            return dueBefore;
        }
        return next.clockRuns() ? calendar.plusSeconds(at, target - active) : null;
    }

    private static Instant due(Long target, long active, Instant from, BusinessCalendar calendar) {
        return target == null ? null : calendar.plusSeconds(from, target - active);
    }
}
