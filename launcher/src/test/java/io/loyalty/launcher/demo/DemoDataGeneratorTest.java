package io.loyalty.launcher.demo;

import io.loyalty.launcher.demo.DemoDataSet.Customer;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

class DemoDataGeneratorTest {

    private static final LocalDate AS_OF = LocalDate.of(2026, 11, 23);
    private static final DemoDataSet DATA = new DemoDataGenerator(7, AS_OF).generate(4000);

    @Test
    void sameSeedSameData() {
        DemoDataSet again = new DemoDataGenerator(7, AS_OF).generate(4000);
        assertThat(again).isEqualTo(DATA);
        assertThat(new DemoDataGenerator(8, AS_OF).generate(4000)).isNotEqualTo(DATA);
    }

    @Test
    void idsAreUniqueAndEverythingHappensBeforeTheAsOfDate() {
        Instant end = AS_OF.atStartOfDay(ZoneOffset.UTC).toInstant();
        Set<String> orderIds = new HashSet<>();
        Set<String> eventIds = new HashSet<>();
        for (Customer c : DATA.customers()) {
            assertThat(c.purchases()).isNotEmpty();
            c.purchases().forEach(p -> {
                assertThat(orderIds.add(p.orderId())).isTrue();
                assertThat(p.occurredAt()).isBefore(end);
                assertThat(p.amount().signum()).isPositive();
            });
            c.tickets().forEach(t -> t.events().forEach(e -> {
                assertThat(eventIds.add(e.eventId())).isTrue();
                assertThat(e.at()).isAfter(t.openedAt()).isBefore(end);
            }));
            if (c.churnedAt() != null) {
                assertThat(c.churnedAt()).isAfter(c.purchases().get(c.purchases().size() - 1).occurredAt());
            }
        }
        DATA.referrals().forEach(r -> assertThat(r.referrerId()).isNotEqualTo(r.referredId()));
        assertThat(DATA.referrals()).isNotEmpty();
    }

    @Test
    void breachedServiceLowersNps() {
        double breached = meanNps(Customer::breachedSla);
        double served = meanNps(c -> !c.breachedSla());
        assertThat(breached).isLessThan(served - 1.5);
    }

    @Test
    void detractorsAndBreachedCustomersLapseMoreOften() {
        Instant recent = AS_OF.atStartOfDay(ZoneOffset.UTC).toInstant().minus(Duration.ofDays(120));
        Predicate<Customer> active = c -> c.purchases().get(c.purchases().size() - 1).occurredAt().isAfter(recent);
        double detractorsActive = share(DATA.customers().stream().filter(Customer::detractor).toList(), active);
        double promotersActive = share(DATA.customers().stream().filter(Customer::promoter).toList(), active);
        double breachedActive = share(DATA.customers().stream().filter(Customer::breachedSla).toList(), active);
        double servedActive = share(DATA.customers().stream().filter(c -> !c.breachedSla()).toList(), active);
        assertThat(detractorsActive).isLessThan(promotersActive * 0.8);
        assertThat(breachedActive).isLessThan(servedActive);
    }

    private static double meanNps(Predicate<Customer> filter) {
        return DATA.customers().stream().filter(filter).filter(c -> c.npsScore() != null)
                .mapToInt(Customer::npsScore).average().orElseThrow();
    }

    private static double share(List<Customer> customers, Predicate<Customer> predicate) {
        assertThat(customers).hasSizeGreaterThan(100);
        return customers.stream().filter(predicate).count() / (double) customers.size();
    }
}
