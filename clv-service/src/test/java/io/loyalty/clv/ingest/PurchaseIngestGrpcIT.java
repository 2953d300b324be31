package io.loyalty.clv.ingest;

import java.util.List;
import java.util.UUID;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.loyalty.clv.ClvApi;
import io.loyalty.proto.clv.v1.IngestSummary;
import io.loyalty.proto.clv.v1.Purchase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Flux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The client-streaming ingest service bean (same context as the other ITs, called without transport). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "spring.grpc.server.port=0")
@AutoConfigureWebTestClient
class PurchaseIngestGrpcIT {

    @Autowired
    PurchaseIngestGrpcService service;
    @Autowired
    WebTestClient web;

    private static Purchase purchase(String orderId, String customerId, long epochSecond, String amount, String currency) {
        return Purchase.newBuilder().setOrderId(orderId).setCustomerId(customerId)
                .setOccurredAt(Timestamp.newBuilder().setSeconds(epochSecond)).setAmount(amount).setCurrency(currency)
                .build();
    }

    @Test
    void streamsAreStoredInChunksIdempotently() {
        String id = UUID.randomUUID().toString();
        // more than one chunk (grpc-chunk-size 5000), one repeated item
        List<Purchase> items = new java.util.ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            items.add(purchase(id + "-" + i, id + "-c" + (i % 100), 1_700_000_000L + i, "12.50", "USD"));
        }
        items.add(items.get(0));
        IngestSummary first = service.ingestPurchases(Flux.fromIterable(items)).block();
        assertThat(first.getAccepted()).isEqualTo(6000);
        assertThat(first.getDuplicates()).isEqualTo(1);
        IngestSummary replay = service.ingestPurchases(Flux.fromIterable(items)).block();
        assertThat(replay.getAccepted()).isZero();
        assertThat(replay.getDuplicates()).isEqualTo(6001);
        // the same rows through REST are duplicates too (one store, one idempotency key)
        assertThat(new ClvApi(web).purchases(List.of(ClvApi.purchase(id + "-0", id + "-c0", "2023-11-14T22:13:20Z",
                12.5))).get("duplicates").intValue()).isEqualTo(1);
    }

    @Test
    void anInvalidItemEndsTheCallWithItsPosition() {
        String id = UUID.randomUUID().toString();
        for (Purchase bad : List.of(
                purchase(id + "-x", id, 1_700_000_000L, "-1", "USD"),
                purchase(id + "-x", id, 1_700_000_000L, "ten", "USD"),
                purchase(id + "-x", id, 1_700_000_000L, "10", "ABC"),
                purchase(id + "-x", id, 32_503_680_000L, "10", "USD"),
                purchase(id + "-x", "", 1_700_000_000L, "10", "USD"),
                Purchase.newBuilder().setOrderId(id + "-x").setCustomerId(id).setAmount("1").setCurrency("USD").build())) {
            Flux<Purchase> stream = Flux.just(purchase(id + "-ok", id, 1_700_000_000L, "1", "USD"), bad);
            assertThatThrownBy(() -> service.ingestPurchases(stream).block())
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                        assertThat(e.getStatus().getDescription()).contains("purchases[1].");
                    });
        }
        IngestSummary nothingStored = service.ingestPurchases(
                Flux.just(purchase(id + "-ok", id, 1_700_000_000L, "1", "USD"))).block();
        assertThat(nothingStored.getAccepted()).isEqualTo(1);
        assertThatThrownBy(() -> service.ingestPurchases(
                Flux.just(purchase(id + "-ok", id, 1_700_000_000L, "2", "USD"))).block())
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));
    }
}
