package io.loyalty.ticket.stats;

import io.loyalty.ticket.TicketProperties;
import io.loyalty.ticket.stats.StatsRepository.CustomerStats;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.util.List;

/** Per-customer service experience, shared by REST and gRPC. */
@Service
public class CustomerStatsService {

    /**
     * @param medianResolutionSeconds median full resolution time of the customer's solved tickets, rounded
     *     to whole seconds (half up); null when none is solved
     */
    public record View(String customerId, int openTickets, int ticketsLast90Days, int slaBreachesLast90Days,
                       int reopensLast90Days, Long medianResolutionSeconds, Instant lastContactAt) {

        static View of(CustomerStats s) {
            return new View(s.customerId(), s.openTickets(), s.ticketsInWindow(), s.breachesInWindow(),
                    s.reopensInWindow(),
                    s.medianResolutionSeconds() == null ? null : Math.round(s.medianResolutionSeconds()),
                    s.lastContactAt());
        }

        static View empty(String customerId) {
            return new View(customerId, 0, 0, 0, 0, null, null);
        }
    }

    private final StatsRepository repository;
    private final TicketProperties properties;

    public CustomerStatsService(StatsRepository repository, TicketProperties properties) {
        this.repository = repository;
        this.properties = properties;
    }

    /** A customer without tickets gets zero counts. */
    public Mono<View> stats(String customerId, Instant asOf) {
        return repository.customer(customerId, asOf).map(View::of).defaultIfEmpty(View.empty(customerId));
    }

    /**
     * Every customer after {@code afterCustomerId} in id order. Keyset pages are read one at a time (the first
     * when the stream starts): the next
     * query starts only once the subscriber has asked for every customer of the current page, so a slow
     * consumer (gRPC flow control) holds back the database reads and memory stays at one page.
     */
    public Flux<View> export(String afterCustomerId, Instant asOf) {
        int pageSize = properties.exportPageSize();
        return page(afterCustomerId, asOf, pageSize).flatMapMany(page -> {
            Flux<View> items = Flux.fromIterable(page);
            return page.size() < pageSize ? items
                    : items.concatWith(Flux.defer(() -> export(page.get(page.size() - 1).customerId(), asOf)));
        });
    }

    private Mono<List<View>> page(String after, Instant asOf, int pageSize) {
        return repository.customersAfter(after, asOf, pageSize).map(View::of).collectList()
                .filter(list -> !list.isEmpty());
    }
}
