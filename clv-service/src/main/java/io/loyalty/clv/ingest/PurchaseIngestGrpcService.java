package io.loyalty.clv.ingest;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.grpc.Status;
import io.loyalty.clv.ingest.Records.BatchResult;
import io.loyalty.clv.web.ApiException;
import io.loyalty.clv.web.FieldError;
import io.loyalty.proto.clv.v1.IngestSummary;
import io.loyalty.proto.clv.v1.Purchase;
import io.loyalty.proto.clv.v1.ReactorPurchaseIngestServiceGrpc;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Client-streaming purchase ingest: the stream is cut into chunks of grpcChunkSize, each validated with the
 * REST rules and written with one bulk statement, in order, with back-pressure (the next chunk is requested
 * when the previous one is stored). An invalid item ends the call with INVALID_ARGUMENT naming its position
 * (purchases[i], i counted over the whole stream); earlier chunks stay stored and are safe to resend.
 */
@Service
public class PurchaseIngestGrpcService extends ReactorPurchaseIngestServiceGrpc.PurchaseIngestServiceImplBase {

    private final Validation validation;
    private final IngestRepository repository;
    private final JsonMapper json;

    public PurchaseIngestGrpcService(Validation validation, IngestRepository repository, JsonMapper json) {
        this.validation = validation;
        this.repository = repository;
        this.json = json;
    }

    @Override
    public Mono<IngestSummary> ingestPurchases(Flux<Purchase> request) {
        int chunk = validation.properties().grpcChunkSize();
        return request.buffer(chunk)
                .index()
                .concatMap(indexed -> write(indexed.getT2(), (int) (indexed.getT1() * chunk)), 0)
                .reduce(new BatchResult(0, 0), BatchResult::plus)
                .map(total -> IngestSummary.newBuilder().setAccepted(total.accepted())
                        .setDuplicates(total.duplicates()).build())
                .onErrorMap(ApiException.class, PurchaseIngestGrpcService::status);
    }

    private Mono<BatchResult> write(List<Purchase> chunk, int offset) {
        return Mono.defer(() -> {
            List<FieldError> errors = new ArrayList<>();
            List<Records.Purchase> valid = new ArrayList<>(chunk.size());
            for (int i = 0; i < chunk.size(); i++) {
                valid.add(validation.purchase(node(chunk.get(i)), offset + i, errors));
            }
            if (!errors.isEmpty()) {
                return Mono.error(ApiException.invalid(errors));
            }
            return repository.purchases(valid, "purchases", offset);
        });
    }

    /** The proto item as the JSON the REST endpoint takes, so both go through one validation. */
    private ObjectNode node(Purchase p) {
        ObjectNode node = json.createObjectNode();
        putIfSet(node, "orderId", p.getOrderId());
        putIfSet(node, "customerId", p.getCustomerId());
        putIfSet(node, "currency", p.getCurrency());
        if (p.hasOccurredAt()) {
            try {
                node.put("occurredAt", Instant.ofEpochSecond(p.getOccurredAt().getSeconds(), p.getOccurredAt().getNanos())
                        .toString());
            } catch (DateTimeException | ArithmeticException e) {
                node.put("occurredAt", "invalid timestamp");
            }
        }
        if (!p.getAmount().isEmpty()) {
            try {
                node.put("amount", new BigDecimal(p.getAmount()));
            } catch (NumberFormatException e) {
                node.put("amount", p.getAmount()); // reported as "must be a number"
            }
        }
        return node;
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (!value.isEmpty()) {
            node.put(field, value);
        }
    }

    private static Throwable status(ApiException e) {
        Status status = switch (e.status()) {
            case CONFLICT -> Status.ALREADY_EXISTS;
            case BAD_REQUEST -> Status.INVALID_ARGUMENT;
            default -> Status.INTERNAL;
        };
        String fields = e.errors().stream().limit(20).map(f -> f.field() + ": " + f.message())
                .collect(Collectors.joining("; "));
        return status.withDescription(e.getMessage() + (fields.isEmpty() ? "" : " [" + fields + "]")).asRuntimeException();
    }
}
