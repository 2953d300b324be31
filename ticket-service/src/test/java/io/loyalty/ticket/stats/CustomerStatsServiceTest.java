package io.loyalty.ticket.stats;

import io.loyalty.ticket.TicketProperties;
import io.loyalty.ticket.stats.StatsRepository.CustomerStats;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The export reads keyset pages only as the subscriber asks for more (no database: a recording fake). */
class CustomerStatsServiceTest {

    /** Seven customers c1..c7, served in pages after a key like the SQL does. */
    static final class FakeRepository extends StatsRepository {
        final List<String> queriedAfter = new ArrayList<>();
        final List<String> customers = IntStream.rangeClosed(1, 7).mapToObj(i -> "c" + i).toList();

        FakeRepository() {
            super(null, null, null);
        }

        @Override
        public Flux<CustomerStats> customersAfter(String after, Instant asOf, int limit) {
            return Flux.defer(() -> {
                queriedAfter.add(after);
                return Flux.fromIterable(customers.stream().filter(c -> c.compareTo(after) > 0).limit(limit)
                        .map(c -> new CustomerStats(c, 0, 1, 0, 0, null, null)).toList());
            });
        }
    }

    final FakeRepository repository = new FakeRepository();
    final CustomerStatsService service = new CustomerStatsService(repository,
            new TicketProperties(100, 1000, 1000, 3, Duration.ofMinutes(5), "4MB"));

    @Test
    void pagesAreReadOnlyOnDemand() {
        StepVerifier.create(service.export("", Instant.EPOCH), 0)
                // the first page is read as the stream starts, nothing more until asked for
                .then(() -> assertThat(repository.queriedAfter).containsExactly(""))
                .thenRequest(1)
                .expectNextMatches(v -> v.customerId().equals("c1"))
                .then(() -> assertThat(repository.queriedAfter).containsExactly(""))
                .thenRequest(1)
                .expectNextCount(1)
                .then(() -> assertThat(repository.queriedAfter).containsExactly(""))
                // asking for the page's last customer starts the next page's query
                .thenRequest(1)
                .expectNextCount(1)
                .then(() -> assertThat(repository.queriedAfter).containsExactly("", "c3"))
                .thenRequest(1)
                .expectNextMatches(v -> v.customerId().equals("c4"))
                .then(() -> assertThat(repository.queriedAfter).containsExactly("", "c3"))
                .thenCancel()
                .verify();
        assertThat(repository.queriedAfter).containsExactly("", "c3");
    }

    @Test
    void everyCustomerOnceInOrderAndAShortPageEndsTheStream() {
        StepVerifier.create(service.export("", Instant.EPOCH).map(CustomerStatsService.View::customerId))
                .expectNext("c1", "c2", "c3", "c4", "c5", "c6", "c7")
                .verifyComplete();
        // pages of 3: after "", "c3", "c6"; the last one holds one customer and ends it
        assertThat(repository.queriedAfter).containsExactly("", "c3", "c6");
    }

    @Test
    void resumingAfterACustomer() {
        StepVerifier.create(service.export("c5", Instant.EPOCH).map(CustomerStatsService.View::customerId))
                .expectNext("c6", "c7")
                .verifyComplete();
    }
}
