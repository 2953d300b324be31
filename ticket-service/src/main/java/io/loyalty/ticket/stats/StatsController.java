package io.loyalty.ticket.stats;

import io.loyalty.ticket.web.ApiProblem;
import io.loyalty.ticket.web.Input;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

@RestController
public class StatsController {

    /** Longest period one stats request may cover. */
    static final Duration MAX_PERIOD = Duration.ofDays(3_700);

    private final StatsRepository stats;
    private final CustomerStatsService customers;
    private final Clock clock;

    public StatsController(StatsRepository stats, CustomerStatsService customers, Clock clock) {
        this.stats = stats;
        this.customers = customers;
        this.clock = clock;
    }

    public record Percentiles(Double medianSeconds, Double p90Seconds) {
    }

    /**
     * @param slaBreachRate share of tickets under a policy that breached a target (null without such tickets)
     * @param reopenRate share of tickets solved at least once that were reopened (null when none was solved)
     */
    public record PeriodView(Instant from, Instant to, long tickets, Percentiles firstResponse, Percentiles resolution,
                             Double slaBreachRate, Double reopenRate) {
    }

    /** Tickets opened in [from, to); dates mean whole UTC days, {@code to} inclusive. */
    @GetMapping("/api/v1/tickets/stats")
    public Mono<PeriodView> period(@RequestParam(required = false) String from,
                                   @RequestParam(required = false) String to) {
        Input input = new Input();
        Instant start = input.bound("from", from, false);
        Instant end = input.bound("to", to, true);
        input.throwIfInvalid();
        if (!end.isAfter(start)) {
            throw ApiProblem.invalid("to", "must be after from");
        }
        if (Duration.between(start, end).compareTo(MAX_PERIOD) > 0) {
            throw ApiProblem.invalid("to", "the period may cover at most " + MAX_PERIOD.toDays() + " days");
        }
        return stats.period(start, end, clock.instant()).map(s -> new PeriodView(start, end, s.tickets(),
                new Percentiles(s.firstResponseMedian(), s.firstResponseP90()),
                new Percentiles(s.resolutionMedian(), s.resolutionP90()),
                s.withPolicy() == 0 ? null : (double) s.breached() / s.withPolicy(),
                s.everSolved() == 0 ? null : (double) s.reopened() / s.everSolved()));
    }

    @GetMapping("/api/v1/customers/{customerId}/service-stats")
    public Mono<CustomerStatsService.View> customer(@PathVariable String customerId,
                                                    @RequestParam(required = false) String asOf) {
        Input input = new Input();
        String id = input.identifier("customerId", customerId);
        Instant at = input.timestamp("asOf", asOf, false);
        input.throwIfInvalid();
        return customers.stats(id, at == null ? clock.instant() : at);
    }
}
