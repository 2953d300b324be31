package io.loyalty.survey.satisfaction;

import io.loyalty.survey.config.SurveyProperties;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.ArrayList;
import java.util.List;

@Service
public class SatisfactionService {

    private final SatisfactionRepository repository;
    private final SurveyProperties properties;

    public SatisfactionService(SatisfactionRepository repository, SurveyProperties properties) {
        this.repository = repository;
        this.properties = properties;
    }

    public Mono<CustomerSatisfaction> customer(String customerId) {
        return repository.latest(customerId).collectList().map(signals -> CustomerSatisfaction.of(customerId, signals));
    }

    /**
     * Every customer's satisfaction in customer-id order. Pages are read one at a time, and the next only
     * once the subscriber has asked for more than the current page held, so a slow consumer holds at most
     * a page or two in memory and never the table.
     */
    public Flux<CustomerSatisfaction> export(String afterCustomerId) {
        int pageSize = properties.exportPageSize();
        return page(afterCustomerId == null ? "" : afterCustomerId, pageSize)
                .expand(page -> page.size() < pageSize ? Mono.empty()
                        : page(page.get(page.size() - 1).customerId(), pageSize))
                .concatMapIterable(page -> page, 1);
    }

    private Mono<List<CustomerSatisfaction>> page(String after, int pageSize) {
        return repository.page(after, pageSize).collectList().map(SatisfactionService::group);
    }

    /** Signals arrive ordered by customer; fold consecutive ones into one message per customer. */
    static List<CustomerSatisfaction> group(List<Signal> signals) {
        List<CustomerSatisfaction> customers = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= signals.size(); i++) {
            if (i == signals.size() || !signals.get(i).customerId().equals(signals.get(start).customerId())) {
                customers.add(CustomerSatisfaction.of(signals.get(start).customerId(), signals.subList(start, i)));
                start = i;
            }
        }
        return customers;
    }
}
