package io.loyalty.launcher.demo;

import io.loyalty.launcher.demo.DemoDataSet.Customer;
import io.loyalty.launcher.demo.DemoDataSet.Event;
import io.loyalty.launcher.demo.DemoDataSet.EventType;
import io.loyalty.launcher.demo.DemoDataSet.Priority;
import io.loyalty.launcher.demo.DemoDataSet.Purchase;
import io.loyalty.launcher.demo.DemoDataSet.Referral;
import io.loyalty.launcher.demo.DemoDataSet.Ticket;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Draws a reproducible demo population in which service experience drives loyalty, so that the
 * rankings and reports have something true to find:
 * <ul>
 *   <li>each customer's purchases follow the BG/NBD story (Poisson purchasing while alive, a coin flip
 *       for dropping out after each purchase) with Gamma-Gamma spend;</li>
 *   <li>support tickets arrive while the customer is active; some first replies miss the SLA;</li>
 *   <li>the NPS answer falls with breached SLAs and reopened tickets;</li>
 *   <li>the dropout probability rises for detractors and for customers with a breached SLA.</li>
 * </ul>
 * Same seed, same as-of date: same data set.
 */
public final class DemoDataGenerator {

    /** Two years of history, as the CLV literature's examples use. */
    static final int HISTORY_DAYS = 730;

    private final long seed;
    private final LocalDate asOf;

    public DemoDataGenerator(long seed, LocalDate asOf) {
        this.seed = seed;
        this.asOf = asOf;
    }

    public DemoDataSet generate(int customerCount) {
        SplittableRandom random = new SplittableRandom(seed);
        Instant end = asOf.atStartOfDay(ZoneOffset.UTC).toInstant().minusSeconds(1);
        Instant start = end.minus(Duration.ofDays(HISTORY_DAYS));
        List<Customer> customers = new ArrayList<>(customerCount);
        for (int i = 1; i <= customerCount; i++) {
            customers.add(customer(String.format("C%06d", i), random.split(), start, end));
        }
        return new DemoDataSet(asOf, customers, referrals(customers, random.split()));
    }

    private Customer customer(String id, SplittableRandom random, Instant start, Instant end) {
        // join during the first three quarters of the window so everyone has some history
        Instant first = start.plusSeconds((long) (random.nextDouble() * HISTORY_DAYS * 0.75 * 86_400));
        double purchasesPerDay = gamma(random, 0.9, 1 / 25.0);             // r = 0.9, alpha = 25 days
        double baseDropout = beta(random, 1.2, 9.0);
        double spendScale = gamma(random, 6, 1.0) / gamma(random, 4, 1.0); // Gamma-Gamma: p = 6, q = 4
        double typicalSpend = 15 * spendScale;

        // tickets first: they arrive during the first months of the relationship
        List<Ticket> tickets = new ArrayList<>();
        int ticketCount = poisson(random, 1.1);
        boolean breached = false;
        int reopens = 0;
        for (int t = 0; t < ticketCount; t++) {
            Instant opened = first.plusSeconds((long) (random.nextDouble() * 240 * 86_400));
            if (opened.isAfter(end.minus(Duration.ofDays(2)))) {
                continue;
            }
            Ticket ticket = ticket(id + "-T" + (t + 1), random, opened, end);
            tickets.add(ticket);
            breached |= ticket.events().stream().anyMatch(e -> e.type() == EventType.AGENT_REPLY)
                    && firstReplyLate(ticket);
            reopens += (int) ticket.events().stream().filter(e -> e.type() == EventType.REOPENED).count();
        }

        // NPS after the service experience: a breach costs about three points, a reopen one
        Integer nps = null;
        Instant npsAt = null;
        if (random.nextDouble() < 0.7) {
            double mean = 8.0 - (breached ? 3.2 : 0) - reopens * 1.0;
            nps = (int) Math.max(0, Math.min(10, Math.round(mean + random.nextGaussian() * 1.8)));
            npsAt = first.plusSeconds((long) ((250 + random.nextDouble() * 90) * 86_400));
            if (npsAt.isAfter(end)) {
                npsAt = end.minus(Duration.ofDays(1 + random.nextInt(30)));
            }
        }
        double dropout = baseDropout;
        if (nps != null && nps <= 6) {
            dropout = Math.min(0.95, dropout * 2.5);
        } else if (nps != null && nps >= 9) {
            dropout *= 0.6;
        }
        if (breached) {
            dropout = Math.min(0.95, dropout * 1.8);
        }

        List<Purchase> purchases = new ArrayList<>();
        Instant at = first;
        int n = 0;
        boolean alive = true;
        while (alive && !at.isAfter(end)) {
            n++;
            double amount = Math.max(1, typicalSpend * gamma(random, 6, 1 / 6.0));
            purchases.add(new Purchase(id + "-O" + n, at, BigDecimal.valueOf(amount).setScale(2, RoundingMode.HALF_UP)));
            alive = random.nextDouble() >= dropout;
            at = at.plusSeconds((long) (exponential(random, purchasesPerDay) * 86_400) + 3600);
        }
        // some of the lapsed tell us explicitly: a cancelled subscription, a closed account
        Instant churnedAt = null;
        Instant last = purchases.get(purchases.size() - 1).occurredAt();
        if (!alive && random.nextDouble() < 0.3) {
            Instant candidate = last.plus(Duration.ofDays(20 + random.nextInt(60)));
            if (candidate.isBefore(end)) {
                churnedAt = candidate;
            }
        }
        return new Customer(id, first, tickets, nps, npsAt, purchases, churnedAt, breached, dropout);
    }

    private Ticket ticket(String externalId, SplittableRandom random, Instant opened, Instant end) {
        Priority priority = Priority.values()[weighted(random, 0.25, 0.5, 0.2, 0.05)];
        String channel = List.of("EMAIL", "CHAT", "PHONE", "SOCIAL", "WEB").get(weighted(random, 0.4, 0.3, 0.15, 0.05, 0.1));
        String subject = List.of("Order did not arrive", "Refund request", "Wrong item", "Cannot log in",
                "Billing question", "Damaged package", "Change delivery address").get(random.nextInt(7));
        List<Event> events = new ArrayList<>();
        int seq = 0;
        // most replies are quick; one in five waits far longer than any first-response target
        long firstReplyMinutes = random.nextDouble() < 0.2
                ? 60L * (20 + random.nextInt(60))
                : 5 + random.nextInt(50);
        Instant t = opened.plus(Duration.ofMinutes(firstReplyMinutes));
        events.add(new Event(externalId + "-E" + (++seq), EventType.AGENT_REPLY, t));
        if (random.nextDouble() < 0.3) {
            t = t.plus(Duration.ofMinutes(10 + random.nextInt(120)));
            events.add(new Event(externalId + "-E" + (++seq), EventType.PENDING, t));
            t = t.plus(Duration.ofHours(2 + random.nextInt(30)));
            events.add(new Event(externalId + "-E" + (++seq), EventType.CUSTOMER_REPLY, t));
        }
        t = t.plus(Duration.ofHours(1 + random.nextInt(36)));
        events.add(new Event(externalId + "-E" + (++seq), EventType.SOLVED, t));
        Instant solvedAt = t;
        if (random.nextDouble() < 0.12) {
            t = t.plus(Duration.ofHours(4 + random.nextInt(48)));
            events.add(new Event(externalId + "-E" + (++seq), EventType.REOPENED, t));
            t = t.plus(Duration.ofMinutes(15 + random.nextInt(240)));
            events.add(new Event(externalId + "-E" + (++seq), EventType.AGENT_REPLY, t));
            t = t.plus(Duration.ofHours(1 + random.nextInt(24)));
            events.add(new Event(externalId + "-E" + (++seq), EventType.SOLVED, t));
            solvedAt = t;
        }
        t = t.plus(Duration.ofDays(4));
        if (t.isBefore(end)) {
            events.add(new Event(externalId + "-E" + (++seq), EventType.CLOSED, t));
        }
        events.removeIf(e -> e.at().isAfter(end));
        Integer csat = null;
        Instant csatAt = null;
        if (random.nextDouble() < 0.5 && solvedAt.plus(Duration.ofHours(2)).isBefore(end)) {
            boolean late = firstReplyMinutes > 600;
            double mean = late ? 2.4 : 4.3;
            csat = (int) Math.max(1, Math.min(5, Math.round(mean + random.nextGaussian() * 0.8)));
            csatAt = solvedAt.plus(Duration.ofHours(2));
        }
        return new Ticket(externalId, subject, priority, channel, opened, events, csat, csatAt);
    }

    /** First replies later than ten hours miss every first-response target the demo sets. */
    static boolean firstReplyLate(Ticket ticket) {
        return ticket.events().stream().filter(e -> e.type() == EventType.AGENT_REPLY).findFirst()
                .map(e -> Duration.between(ticket.openedAt(), e.at()).toMinutes() > 600).orElse(false);
    }

    /** Promoters bring friends: referred customers' first purchase comes after the referrer's. */
    private List<Referral> referrals(List<Customer> customers, SplittableRandom random) {
        List<Referral> referrals = new ArrayList<>();
        for (Customer referred : customers) {
            if (random.nextDouble() >= 0.3) {
                continue;
            }
            Customer referrer = customers.get(random.nextInt(customers.size()));
            boolean earlier = referrer.firstPurchaseAt().isBefore(referred.firstPurchaseAt());
            double acceptance = referrer.promoter() ? 0.9 : referrer.detractor() ? 0.1 : 0.4;
            if (referrer != referred && earlier && random.nextDouble() < acceptance) {
                referrals.add(new Referral("R-" + referred.id(), referrer.id(), referred.id(),
                        referred.firstPurchaseAt().minus(Duration.ofHours(1))));
            }
        }
        return referrals;
    }

    private static int weighted(SplittableRandom random, double... weights) {
        double u = random.nextDouble();
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            sum += weights[i];
            if (u < sum) {
                return i;
            }
        }
        return weights.length - 1;
    }

    private static double exponential(SplittableRandom random, double rate) {
        return -Math.log(1 - random.nextDouble()) / rate;
    }

    private static int poisson(SplittableRandom random, double mean) {
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int k = 0;
        while (product > limit) {
            product *= random.nextDouble();
            k++;
        }
        return k;
    }

    /** Marsaglia and Tsang's method; shape below one via the boost u^(1/shape). */
    static double gamma(SplittableRandom random, double shape, double scale) {
        if (shape < 1) {
            return gamma(random, shape + 1, scale) * Math.pow(random.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = random.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v * scale;
            }
        }
    }

    private static double beta(SplittableRandom random, double a, double b) {
        double x = gamma(random, a, 1);
        return x / (x + gamma(random, b, 1));
    }
}
