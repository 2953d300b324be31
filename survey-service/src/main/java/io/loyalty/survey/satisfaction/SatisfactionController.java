package io.loyalty.survey.satisfaction;

import io.loyalty.survey.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

@RestController
public class SatisfactionController {

    private final SatisfactionService satisfaction;

    public SatisfactionController(SatisfactionService satisfaction) {
        this.satisfaction = satisfaction;
    }

    @Operation(summary = "A customer's latest NPS (with category), CSAT and CES; a customer who never answered gets none")
    @GetMapping(path = "/api/v1/customers/{customerId}/satisfaction", produces = MediaType.APPLICATION_JSON_VALUE)
    public Mono<CustomerSatisfaction> customer(@PathVariable String customerId) {
        if (customerId.length() > 128) {
            return Mono.error(ApiException.badRequest("customerId", "must be at most 128 characters"));
        }
        return satisfaction.customer(customerId);
    }
}
