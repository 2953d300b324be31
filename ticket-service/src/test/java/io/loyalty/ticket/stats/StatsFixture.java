package io.loyalty.ticket.stats;


/**
 * A small, hand-computed data set in Q1 2019 (no other test uses 2019), created once per JVM. URGENT
 * policy: first response 30 min, resolution 120 min, round the clock.
 *
 * <pre>
 * ticket customer opened             events                                   FR    RES   breach  reopened
 * T1     A        2019-01-10 10:00  reply 10:10, solved 11:00                  600   3600  -       -
 * T2     A        2019-01-11 10:00  reply 10:20, solved 12:30                  1200  9000  RES     -
 * T3     A        2019-02-01 10:00  reply 10:30, solved 11:00,                 1800  5400  -       yes
 *                                   reopened 02-02 10:00, solved 10:30
 * T4     A        2019-02-15 10:00  reply 11:00, solved 11:30                  3600  5400  FR      -
 * T5     B        2019-03-01 10:00  reply 12:00, pending 12:00                 7200  -     FR      -
 * T6     B        2019-03-31 23:59:59  none (still NEW, long overdue)          -     -     FR+RES  -
 * T7     B        2019-04-01 00:00  none                                       outside Q1
 * </pre>
 * FR sorted 600,1200,1800,3600,7200: median 1800, p90 at rank 3.6 = 3600 + 0.6 * 3600 = 5760.
 * RES sorted 3600,5400,5400,9000: median 5400, p90 at rank 2.7 = 5400 + 0.7 * 3600 = 7920.
 * Breach rate 4/6 (T2, T4, T5, T6); reopen rate 1/4 (T3 of the solved T1-T4).
 */
final class StatsFixture {

    static String customerA;
    static String customerB;

    private StatsFixture() {
    }

    static synchronized void load(Ops ops) {
        if (customerA != null) {
            return;
        }
        String a = "stats-a-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        String b = "stats-b-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        ops.policy("URGENT", 30, 120);
        String t1 = ops.ticket(a, "2019-01-10T10:00:00Z");
        ops.events(t1, "AGENT_REPLY@2019-01-10T10:10:00Z", "SOLVED@2019-01-10T11:00:00Z");
        String t2 = ops.ticket(a, "2019-01-11T10:00:00Z");
        ops.events(t2, "AGENT_REPLY@2019-01-11T10:20:00Z", "SOLVED@2019-01-11T12:30:00Z");
        String t3 = ops.ticket(a, "2019-02-01T10:00:00Z");
        ops.events(t3, "AGENT_REPLY@2019-02-01T10:30:00Z", "SOLVED@2019-02-01T11:00:00Z",
                "REOPENED@2019-02-02T10:00:00Z", "SOLVED@2019-02-02T10:30:00Z");
        String t4 = ops.ticket(a, "2019-02-15T10:00:00Z");
        ops.events(t4, "AGENT_REPLY@2019-02-15T11:00:00Z", "SOLVED@2019-02-15T11:30:00Z");
        String t5 = ops.ticket(b, "2019-03-01T10:00:00Z");
        ops.events(t5, "AGENT_REPLY@2019-03-01T12:00:00Z", "PENDING@2019-03-01T12:00:00Z");
        ops.ticket(b, "2019-03-31T23:59:59Z");
        ops.ticket(b, "2019-04-01T00:00:00Z");
        customerA = a;
        customerB = b;
    }

    interface Ops {
        void policy(String priority, int fr, int res);

        String ticket(String customer, String openedAt);

        void events(String ticket, String... typeAt);
    }
}
