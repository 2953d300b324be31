package io.loyalty.ticket.sla;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static io.loyalty.ticket.sla.TicketEventType.AGENT_REPLY;
import static io.loyalty.ticket.sla.TicketEventType.CLOSED;
import static io.loyalty.ticket.sla.TicketEventType.CUSTOMER_REPLY;
import static io.loyalty.ticket.sla.TicketEventType.ON_HOLD;
import static io.loyalty.ticket.sla.TicketEventType.PENDING;
import static io.loyalty.ticket.sla.TicketEventType.REOPENED;
import static io.loyalty.ticket.sla.TicketEventType.SOLVED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Golden cases: every expected number below was worked out by hand (the comments show the sums) and
 * is not derived from the code under test.
 */
class SlaGoldenTest {

    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    static WeeklyBusinessHours weekdays(ZoneId zone, int startHour, int endHour) {
        List<WeeklyBusinessHours.Window> windows = new ArrayList<>();
        for (DayOfWeek d : List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY,
                DayOfWeek.FRIDAY)) {
            windows.add(new WeeklyBusinessHours.Window(d, startHour * 60, endHour * 60));
        }
        return new WeeklyBusinessHours(zone, windows);
    }

    static WeeklyBusinessHours everyDay(ZoneId zone, int startMinute, int endMinute) {
        List<WeeklyBusinessHours.Window> windows = new ArrayList<>();
        for (DayOfWeek d : DayOfWeek.values()) {
            windows.add(new WeeklyBusinessHours.Window(d, startMinute, endMinute));
        }
        return new WeeklyBusinessHours(zone, windows);
    }

    static Instant t(String iso) {
        return Instant.parse(iso);
    }

    @Nested
    class BusinessHoursAcrossAWeekend {
        // Mon-Fri 09:00-17:00 in Berlin; March 2026 before the DST change is CET = UTC+1
        final WeeklyBusinessHours hours = weekdays(BERLIN, 9, 17);
        final SlaTargets targets = SlaTargets.minutes(120, 480, hours);

        @Test
        void fridayAfternoonToMondayMorningCountsOnlyOpeningHours() {
            // Fri 2026-03-06 16:00 local .. Mon 2026-03-09 09:30 local = 1 h Friday + 30 min Monday
            assertThat(hours.secondsBetween(t("2026-03-06T15:00:00Z"), t("2026-03-09T08:30:00Z"))).isEqualTo(5_400);
        }

        @Test
        void dueInstantsSkipTheWeekend() {
            TicketClock clock = SlaEngine.open(t("2026-03-06T15:00:00Z"), targets);
            // 120 min: 60 left on Friday (16:00-17:00) + 60 on Monday -> Mon 10:00 local = 09:00Z
            assertThat(clock.firstResponseDueAt()).isEqualTo(t("2026-03-09T09:00:00Z"));
            // 480 min: 60 on Friday + 420 on Monday -> Mon 16:00 local = 15:00Z
            assertThat(clock.resolutionDueAt()).isEqualTo(t("2026-03-09T15:00:00Z"));
        }

        @Test
        void aTicketOpenedOnSaturdayStartsItsClockOnMonday() {
            TicketClock clock = SlaEngine.open(t("2026-03-07T10:00:00Z"), targets);
            // Mon 09:00 local + 120 min = Mon 11:00 local = 10:00Z
            assertThat(clock.firstResponseDueAt()).isEqualTo(t("2026-03-09T10:00:00Z"));
            clock = SlaEngine.apply(clock, AGENT_REPLY, t("2026-03-09T08:15:00Z"), targets);
            // Mon 09:15 local: 15 min into Monday, the weekend counts nothing
            assertThat(clock.firstResponseSeconds()).isEqualTo(900);
        }

        @Test
        void firstResponseAndResolutionOverTheWeekend() {
            TicketClock clock = SlaEngine.open(t("2026-03-06T15:00:00Z"), targets);
            clock = SlaEngine.apply(clock, AGENT_REPLY, t("2026-03-09T08:30:00Z"), targets); // Mon 09:30
            clock = SlaEngine.apply(clock, SOLVED, t("2026-03-09T10:00:00Z"), targets);      // Mon 11:00
            assertThat(clock.firstResponseSeconds()).isEqualTo(5_400);   // 3600 Fri + 1800 Mon
            assertThat(clock.resolutionSeconds()).isEqualTo(10_800);     // 3600 Fri + 7200 Mon
            assertThat(clock.firstResponseBreached()).isFalse();
            assertThat(clock.resolutionBreached()).isFalse();
            assertThat(clock.firstResponseDueAt()).isEqualTo(t("2026-03-09T09:00:00Z"));
        }

        @Test
        void aReplyOnMondayAfternoonBreachesTheFirstResponseTarget() {
            TicketClock clock = SlaEngine.open(t("2026-03-06T15:00:00Z"), targets);
            clock = SlaEngine.apply(clock, AGENT_REPLY, t("2026-03-09T13:00:00Z"), targets); // Mon 14:00
            assertThat(clock.firstResponseSeconds()).isEqualTo(3_600 + 5 * 3_600);
            assertThat(clock.firstResponseBreached()).isTrue();
        }
    }

    @Nested
    class PausedAndResumed {
        final SlaTargets targets = SlaTargets.minutes(30, 90, BusinessCalendar.ALWAYS);

        @Test
        void pendingStopsTheClockAndACustomerReplyRestartsIt() {
            TicketClock clock = SlaEngine.open(t("2026-05-04T10:00:00Z"), targets);
            clock = SlaEngine.apply(clock, AGENT_REPLY, t("2026-05-04T10:20:00Z"), targets);
            assertThat(clock.firstResponseSeconds()).isEqualTo(1_200);
            clock = SlaEngine.apply(clock, PENDING, t("2026-05-04T10:30:00Z"), targets);
            assertThat(clock.activeSeconds()).isEqualTo(1_800);
            assertThat(clock.resolutionDueAt()).as("unknown while paused").isNull();
            // four hours waiting on the customer do not count, even past the old due instant (11:30)
            assertThat(SlaEngine.evaluate(clock, targets, t("2026-05-04T14:00:00Z")).resolutionBreached()).isFalse();
            clock = SlaEngine.apply(clock, CUSTOMER_REPLY, t("2026-05-04T14:30:00Z"), targets);
            assertThat(clock.status()).isEqualTo(TicketStatus.OPEN);
            assertThat(clock.activeSeconds()).isEqualTo(1_800);
            // 5400 - 1800 = 3600 s left from 14:30
            assertThat(clock.resolutionDueAt()).isEqualTo(t("2026-05-04T15:30:00Z"));
            clock = SlaEngine.apply(clock, SOLVED, t("2026-05-04T15:00:00Z"), targets);
            assertThat(clock.resolutionSeconds()).isEqualTo(3_600); // 30 min + 30 min
            assertThat(clock.resolutionBreached()).isFalse();
            assertThat(clock.resolutionDueAt()).isEqualTo(t("2026-05-04T15:30:00Z"));
        }

        @Test
        void onHoldPausesAndPendingToOnHoldStaysPaused() {
            TicketClock clock = SlaEngine.open(t("2026-05-04T10:00:00Z"), targets);
            clock = SlaEngine.apply(clock, ON_HOLD, t("2026-05-04T10:10:00Z"), targets);     // 600 s
            clock = SlaEngine.apply(clock, PENDING, t("2026-05-04T12:00:00Z"), targets);     // paused
            clock = SlaEngine.apply(clock, CUSTOMER_REPLY, t("2026-05-04T13:00:00Z"), targets); // paused
            clock = SlaEngine.apply(clock, AGENT_REPLY, t("2026-05-04T13:05:00Z"), targets); // +300 s
            assertThat(clock.firstResponseSeconds()).isEqualTo(900);
            assertThat(clock.firstResponseBreached()).isFalse();
            clock = SlaEngine.apply(clock, SOLVED, t("2026-05-04T13:10:00Z"), targets);      // +300 s
            assertThat(clock.resolutionSeconds()).isEqualTo(1_200);
        }

        @Test
        void pausesOnlyCountInsideBusinessHours() {
            SlaTargets berlin = SlaTargets.minutes(60, 240, weekdays(BERLIN, 9, 17));
            // Wed 2026-05-06, CEST = UTC+2. Opened 16:00 local, pending 16:30, customer reply 08:00 Thu
            // (outside hours), solved 09:45 Thu: 30 min Wed + 45 min Thu
            TicketClock clock = SlaEngine.open(t("2026-05-06T14:00:00Z"), berlin);
            clock = SlaEngine.apply(clock, PENDING, t("2026-05-06T14:30:00Z"), berlin);
            clock = SlaEngine.apply(clock, CUSTOMER_REPLY, t("2026-05-07T06:00:00Z"), berlin);
            // 210 min left, running from Thu 08:00 local, hours start 09:00 -> Thu 12:30 local
            assertThat(clock.resolutionDueAt()).isEqualTo(t("2026-05-07T10:30:00Z"));
            clock = SlaEngine.apply(clock, SOLVED, t("2026-05-07T07:45:00Z"), berlin);
            assertThat(clock.resolutionSeconds()).isEqualTo(4_500);
        }

        @Test
        void aPausedTicketPastItsTargetStaysBreached() {
            TicketClock clock = SlaEngine.open(t("2026-05-04T10:00:00Z"), targets);
            clock = SlaEngine.apply(clock, PENDING, t("2026-05-04T10:45:00Z"), targets);
            // 2700 s > 1800 s without a reply: decided by this event
            assertThat(clock.firstResponseBreached()).isTrue();
            assertThat(clock.firstResponseDueAt()).isEqualTo(t("2026-05-04T10:30:00Z"));
            assertThat(clock.resolutionBreached()).isFalse();
        }
    }

    @Nested
    class Reopens {
        final SlaTargets targets = SlaTargets.minutes(60, 120, BusinessCalendar.ALWAYS);

        @Test
        void firstResponseAfterAReopenCountsTheTimeOpenBeforeAndAfterButNotWhileSolved() {
            TicketClock clock = SlaEngine.open(t("2026-06-01T09:00:00Z"), targets);
            clock = SlaEngine.apply(clock, SOLVED, t("2026-06-01T09:30:00Z"), targets);    // 1800 s, no reply
            assertThat(clock.firstResponseDueAt()).as("stopped while solved").isNull();
            assertThat(SlaEngine.evaluate(clock, targets, t("2026-06-01T11:00:00Z")).firstResponseBreached()).isFalse();
            clock = SlaEngine.apply(clock, REOPENED, t("2026-06-01T12:00:00Z"), targets);  // solved 2.5 h: not counted
            assertThat(clock.reopens()).isEqualTo(1);
            assertThat(clock.resolutionSeconds()).isNull();
            assertThat(clock.firstResponseDueAt()).isEqualTo(t("2026-06-01T12:30:00Z")); // 3600 - 1800 left
            clock = SlaEngine.apply(clock, AGENT_REPLY, t("2026-06-01T12:15:00Z"), targets);
            assertThat(clock.firstResponseSeconds()).isEqualTo(2_700);                    // 1800 + 900
            assertThat(clock.firstResponseBreached()).isFalse();
            assertThat(clock.firstResponseDueAt()).isEqualTo(t("2026-06-01T12:30:00Z"));
            clock = SlaEngine.apply(clock, SOLVED, t("2026-06-01T13:00:00Z"), targets);
            assertThat(clock.resolutionSeconds()).isEqualTo(5_400);                       // 1800 + 3600
            assertThat(clock.resolutionBreached()).isFalse();
        }

        @Test
        void resolutionKeepsAccumulatingAcrossReopensAndCanBreachAfterOne() {
            TicketClock clock = SlaEngine.open(t("2026-06-01T09:00:00Z"), targets);
            clock = SlaEngine.apply(clock, AGENT_REPLY, t("2026-06-01T09:10:00Z"), targets);
            clock = SlaEngine.apply(clock, SOLVED, t("2026-06-01T10:30:00Z"), targets);    // 5400 s, met
            assertThat(clock.resolutionSeconds()).isEqualTo(5_400);
            assertThat(clock.resolutionBreached()).isFalse();
            // a customer reply to a solved ticket reopens it, like Zendesk does
            clock = SlaEngine.apply(clock, CUSTOMER_REPLY, t("2026-06-02T08:00:00Z"), targets);
            assertThat(clock.status()).isEqualTo(TicketStatus.OPEN);
            assertThat(clock.reopens()).isEqualTo(1);
            assertThat(clock.resolutionDueAt()).isEqualTo(t("2026-06-02T08:30:00Z"));      // 1800 s left
            clock = SlaEngine.apply(clock, SOLVED, t("2026-06-02T09:00:00Z"), targets);
            assertThat(clock.resolutionSeconds()).isEqualTo(9_000);                       // 5400 + 3600
            assertThat(clock.resolutionBreached()).isTrue();
            // the first reply is not measured again
            assertThat(clock.firstResponseSeconds()).isEqualTo(600);
            clock = SlaEngine.apply(clock, REOPENED, t("2026-06-03T08:00:00Z"), targets);
            clock = SlaEngine.apply(clock, SOLVED, t("2026-06-03T08:01:00Z"), targets);
            assertThat(clock.reopens()).isEqualTo(2);
            assertThat(clock.resolutionSeconds()).isEqualTo(9_060);
            clock = SlaEngine.apply(clock, CLOSED, t("2026-06-07T08:01:00Z"), targets);
            assertThat(clock.status()).isEqualTo(TicketStatus.CLOSED);
            assertThat(clock.resolutionSeconds()).isEqualTo(9_060);
        }
    }

    @Nested
    class BreachExactlyAtTheDueInstant {
        final SlaTargets targets = SlaTargets.minutes(30, 60, BusinessCalendar.ALWAYS);
        final TicketClock opened = SlaEngine.open(t("2026-07-01T10:00:00Z"), targets);

        @Test
        void aReplyAtTheDueInstantIsOnTime() {
            assertThat(opened.firstResponseDueAt()).isEqualTo(t("2026-07-01T10:30:00Z"));
            TicketClock clock = SlaEngine.apply(opened, AGENT_REPLY, t("2026-07-01T10:30:00Z"), targets);
            assertThat(clock.firstResponseSeconds()).isEqualTo(1_800);
            assertThat(clock.firstResponseBreached()).isFalse();
        }

        @Test
        void aReplyOneSecondLaterIsABreach() {
            TicketClock clock = SlaEngine.apply(opened, AGENT_REPLY, t("2026-07-01T10:30:01Z"), targets);
            assertThat(clock.firstResponseSeconds()).isEqualTo(1_801);
            assertThat(clock.firstResponseBreached()).isTrue();
        }

        @Test
        void fractionsOfASecondDoNotCount() {
            TicketClock clock = SlaEngine.apply(opened, AGENT_REPLY, t("2026-07-01T10:30:00.900Z"), targets);
            assertThat(clock.firstResponseBreached()).isFalse();
            assertThat(SlaEngine.evaluate(opened, targets, t("2026-07-01T10:30:00.900Z")).firstResponseBreached()).isFalse();
        }

        @Test
        void anUnansweredTicketBreachesOnlyAfterTheDueInstant() {
            assertThat(SlaEngine.evaluate(opened, targets, t("2026-07-01T10:30:00Z")).firstResponseBreached()).isFalse();
            assertThat(SlaEngine.evaluate(opened, targets, t("2026-07-01T10:30:01Z")).firstResponseBreached()).isTrue();
            assertThat(SlaEngine.evaluate(opened, targets, t("2026-07-01T11:00:00Z")).resolutionBreached()).isFalse();
            assertThat(SlaEngine.evaluate(opened, targets, t("2026-07-01T11:00:01Z")).resolutionBreached()).isTrue();
        }

        @Test
        void solvingAtTheDueInstantIsOnTime() {
            TicketClock clock = SlaEngine.apply(opened, AGENT_REPLY, t("2026-07-01T10:05:00Z"), targets);
            clock = SlaEngine.apply(clock, SOLVED, t("2026-07-01T11:00:00Z"), targets);
            assertThat(clock.resolutionSeconds()).isEqualTo(3_600);
            assertThat(clock.resolutionBreached()).isFalse();
            assertThat(SlaEngine.evaluate(clock, targets, t("2026-07-09T00:00:00Z")).resolutionBreached()).isFalse();
        }

        @Test
        void aSparseCalendarReachesItsTargetManyWeeksLater() {
            // one minute a week (Sunday 03:00-03:01 UTC); 2026-03-01 is a Sunday. 260 minutes end with the
            // 260th window: 259 weeks (1,813 days) later, Sunday 2031-02-16 03:01
            WeeklyBusinessHours sparse = new WeeklyBusinessHours(ZoneId.of("UTC"),
                    List.of(new WeeklyBusinessHours.Window(DayOfWeek.SUNDAY, 180, 181)));
            assertThat(sparse.plusSeconds(t("2026-03-01T00:00:00Z"), 260 * 60)).isEqualTo(t("2031-02-16T03:01:00Z"));
            assertThat(sparse.secondsBetween(t("2026-03-01T00:00:00Z"), t("2031-02-16T03:01:00Z"))).isEqualTo(260 * 60);
        }

        @Test
        void theDueInstantAtTheEndOfABusinessDayIsTheClosingTime() {
            WeeklyBusinessHours hours = weekdays(NEW_YORK, 9, 17);
            SlaTargets nyTargets = SlaTargets.minutes(60, 480, hours);
            // Tue 2026-07-07 16:00 EDT (20:00Z): 60 min end exactly at 17:00 EDT
            TicketClock clock = SlaEngine.open(t("2026-07-07T20:00:00Z"), nyTargets);
            assertThat(clock.firstResponseDueAt()).isEqualTo(t("2026-07-07T21:00:00Z"));
            clock = SlaEngine.apply(clock, AGENT_REPLY, t("2026-07-07T21:00:00Z"), nyTargets);
            assertThat(clock.firstResponseBreached()).isFalse();
        }
    }

    @Nested
    class DaylightSavingChanges {

        @Test
        void springForwardShortensAWindowThatSpansTheGap() {
            WeeklyBusinessHours night = everyDay(BERLIN, 60, 240); // 01:00-04:00 local
            // 2026-03-29: 02:00 CET jumps to 03:00 CEST; 01:00 CET = 00:00Z, 04:00 CEST = 02:00Z
            assertThat(night.secondsBetween(t("2026-03-28T23:30:00Z"), t("2026-03-29T12:00:00Z"))).isEqualTo(7_200);
            // three hours from 01:00: two that night, one from 01:00 CEST the next (23:00Z) -> 00:00Z
            assertThat(night.plusSeconds(t("2026-03-29T00:00:00Z"), 3 * 3_600)).isEqualTo(t("2026-03-30T00:00:00Z"));
        }

        @Test
        void fallBackLengthensAWindowThatSpansTheRepeatedHour() {
            WeeklyBusinessHours night = everyDay(BERLIN, 60, 240);
            // 2026-10-25: 03:00 CEST falls back to 02:00 CET; 01:00 CEST = 23:00Z (24th), 04:00 CET = 03:00Z
            assertThat(night.secondsBetween(t("2026-10-24T22:00:00Z"), t("2026-10-25T12:00:00Z"))).isEqualTo(14_400);
            // three hours from 01:00 CEST end at 02:00Z, the second 02:00 local (CET)
            assertThat(night.plusSeconds(t("2026-10-24T23:00:00Z"), 3 * 3_600)).isEqualTo(t("2026-10-25T02:00:00Z"));
        }

        @Test
        void aRoundTheClockCalendarHasA23And25HourDay() {
            WeeklyBusinessHours allDay = everyDay(BERLIN, 0, 1_440);
            SlaTargets targets = SlaTargets.minutes(60, 48 * 60, allDay);
            // Sat 28 Mar 12:00 CET (11:00Z) .. Sun 29 Mar 12:00 CEST (10:00Z) = 23 h
            TicketClock clock = SlaEngine.open(t("2026-03-28T11:00:00Z"), targets);
            clock = SlaEngine.apply(clock, AGENT_REPLY, t("2026-03-28T11:05:00Z"), targets);
            clock = SlaEngine.apply(clock, SOLVED, t("2026-03-29T10:00:00Z"), targets);
            assertThat(clock.resolutionSeconds()).isEqualTo(23 * 3_600);
            // Sat 24 Oct 12:00 CEST (10:00Z) .. Sun 25 Oct 12:00 CET (11:00Z) = 25 h
            assertThat(allDay.secondsBetween(t("2026-10-24T10:00:00Z"), t("2026-10-25T11:00:00Z"))).isEqualTo(25 * 3_600);
        }

        @Test
        void officeHoursKeepTheirLocalTimesAcrossTheChange() {
            WeeklyBusinessHours hours = weekdays(NEW_YORK, 9, 17);
            SlaTargets targets = SlaTargets.minutes(120, 600, hours);
            // US DST starts Sun 2026-03-08. Fri 6 Mar 16:00 EST = 21:00Z; Mon 9 Mar 09:00 EDT = 13:00Z
            TicketClock clock = SlaEngine.open(t("2026-03-06T21:00:00Z"), targets);
            // 60 min Friday + 60 min Monday -> Mon 10:00 EDT = 14:00Z (a fixed UTC-5 would say 15:00Z)
            assertThat(clock.firstResponseDueAt()).isEqualTo(t("2026-03-09T14:00:00Z"));
            clock = SlaEngine.apply(clock, AGENT_REPLY, t("2026-03-09T13:30:00Z"), targets); // 09:30 EDT
            assertThat(clock.firstResponseSeconds()).isEqualTo(5_400);
            // US DST ends Sun 2026-11-01: Fri 30 Oct 16:00 EDT = 20:00Z .. Mon 2 Nov 09:30 EST = 14:30Z
            assertThat(hours.secondsBetween(t("2026-10-30T20:00:00Z"), t("2026-11-02T14:30:00Z"))).isEqualTo(5_400);
        }
    }

    @Nested
    class Ordering {
        final SlaTargets targets = SlaTargets.minutes(30, 60, BusinessCalendar.ALWAYS);

        @Test
        void anEventEarlierThanTheLatestIsRejected() {
            TicketClock clock = SlaEngine.open(t("2026-07-01T10:00:00Z"), targets);
            TicketClock replied = SlaEngine.apply(clock, AGENT_REPLY, t("2026-07-01T10:10:00Z"), targets);
            assertThatThrownBy(() -> SlaEngine.apply(replied, SOLVED, t("2026-07-01T10:09:59Z"), targets))
                    .isInstanceOfSatisfying(TransitionRejected.class,
                            e -> assertThat(e.reason()).isEqualTo(TransitionRejected.Reason.OUT_OF_ORDER));
            assertThatThrownBy(() -> SlaEngine.apply(clock, AGENT_REPLY, t("2026-07-01T09:59:59Z"), targets))
                    .isInstanceOf(TransitionRejected.class);
        }

        @Test
        void eventsAtTheSameInstantAreAccepted() {
            TicketClock clock = SlaEngine.open(t("2026-07-01T10:00:00Z"), targets);
            clock = SlaEngine.apply(clock, AGENT_REPLY, t("2026-07-01T10:00:00Z"), targets);
            clock = SlaEngine.apply(clock, SOLVED, t("2026-07-01T10:00:00Z"), targets);
            assertThat(clock.firstResponseSeconds()).isZero();
            assertThat(clock.resolutionSeconds()).isZero();
        }

        @Test
        void withoutAPolicyTimesAreMeasuredButNothingBreaches() {
            TicketClock clock = SlaEngine.open(t("2026-07-01T10:00:00Z"), SlaTargets.NONE);
            clock = SlaEngine.apply(clock, AGENT_REPLY, t("2026-07-03T10:00:00Z"), SlaTargets.NONE);
            assertThat(clock.firstResponseSeconds()).isEqualTo(172_800);
            assertThat(clock.firstResponseDueAt()).isNull();
            assertThat(SlaEngine.evaluate(clock, SlaTargets.NONE, t("2027-01-01T00:00:00Z")))
                    .isEqualTo(new SlaStatus(null, null, false, false));
        }
    }
}
