package io.loyalty.clv.ingest;

import io.loyalty.clv.ingest.Records.BatchResult;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** Batch ingestion of purchases, referrals and churn events: validated whole, stored whole or not at all. */
@RestController
public class IngestController {

    private final Validation validation;
    private final IngestRepository repository;

    public IngestController(Validation validation, IngestRepository repository) {
        this.validation = validation;
        this.repository = repository;
    }

    /** The high-volume kind: a plain valid batch is parsed straight into purchases (PurchaseBodyReader). */
    @PostMapping(path = "/api/v1/purchases/batch", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<BatchResult> purchases(@RequestBody PurchaseBodyReader.Body body) {
        return Mono.defer(() -> repository.purchases(
                body.purchases() != null ? body.purchases() : validation.purchases(body.tree()), "purchases", 0));
    }

    @PostMapping(path = "/api/v1/referrals/batch", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<BatchResult> referrals(@RequestBody JsonNode body) {
        return Mono.defer(() -> repository.referrals(validation.referrals(body)));
    }

    @PostMapping(path = "/api/v1/churn-events/batch", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<BatchResult> churnEvents(@RequestBody JsonNode body) {
        return Mono.defer(() -> repository.churnEvents(validation.churnEvents(body)));
    }
}
