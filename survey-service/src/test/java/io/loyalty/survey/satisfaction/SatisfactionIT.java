package io.loyalty.survey.satisfaction;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.loyalty.proto.survey.v1.CustomerSatisfaction;
import io.loyalty.proto.survey.v1.ExportSatisfactionRequest;
import io.loyalty.proto.survey.v1.GetCustomerSatisfactionRequest;
import io.loyalty.proto.survey.v1.NpsCategory;
import io.loyalty.proto.survey.v1.ReactorSatisfactionServiceGrpc;
import io.loyalty.proto.survey.v1.SatisfactionServiceGrpc;
import io.loyalty.survey.IntegrationTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcPort;
import reactor.test.StepVerifier;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SatisfactionIT extends IntegrationTest {

    @LocalGrpcPort
    int grpcPort;

    private ManagedChannel channel;

    @BeforeEach
    void connect() {
        channel = ManagedChannelBuilder.forAddress("localhost", grpcPort).usePlaintext().build();
    }

    @AfterEach
    void disconnect() {
        channel.shutdownNow();
    }

    private void answer(String survey, String customer, int score, String at) {
        Map<String, Object> r = new HashMap<>();
        r.put("responseId", unique("r"));
        r.put("customerId", customer);
        r.put("score", score);
        r.put("respondedAt", at);
        postJson("/api/v1/surveys/" + survey + "/responses", r).expectStatus().isCreated();
    }

    @Test
    void latestAnswerOfEachKindOverRestAndGrpc() {
        String npsOld = createSurvey("NPS");
        String npsNew = createSurvey("NPS");
        String ces5 = createSurvey(Map.of("name", "e", "kind", "CES", "question", "q", "scale", 5));
        String customer = unique("cust");
        answer(npsOld, customer, 10, "2026-01-01T00:00:00Z");
        answer(npsNew, customer, 8, "2026-02-01T00:00:00Z");
        answer(ces5, customer, 2, "2026-01-15T00:00:00+01:00");

        web.get().uri("/api/v1/customers/{id}/satisfaction", customer).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.customerId").isEqualTo(customer)
                .jsonPath("$.nps.score").isEqualTo(8)
                .jsonPath("$.nps.category").isEqualTo("PASSIVE")
                .jsonPath("$.nps.respondedAt").isEqualTo("2026-02-01T00:00:00Z")
                .jsonPath("$.nps.surveyId").isEqualTo(npsNew)
                .jsonPath("$.ces.score").isEqualTo(2)
                .jsonPath("$.ces.scale").isEqualTo(5)
                .jsonPath("$.ces.respondedAt").isEqualTo("2026-01-14T23:00:00Z")
                .jsonPath("$.csat").doesNotExist();

        CustomerSatisfaction grpc = SatisfactionServiceGrpc.newBlockingStub(channel)
                .getCustomerSatisfaction(GetCustomerSatisfactionRequest.newBuilder().setCustomerId(customer).build());
        assertThat(grpc.getCustomerId()).isEqualTo(customer);
        assertThat(grpc.getNps().getScore()).isEqualTo(8);
        assertThat(grpc.getNps().getCategory()).isEqualTo(NpsCategory.PASSIVE);
        assertThat(grpc.getNps().getRespondedAt().getSeconds()).isEqualTo(1769904000L);
        assertThat(grpc.hasCsat()).isFalse();
        assertThat(grpc.getCes().getScore()).isEqualTo(2);
        assertThat(grpc.getCes().getScale()).isEqualTo(5);
    }

    @Test
    void aCustomerWhoNeverAnsweredHasNoSignalsAndAnEmptyIdIsInvalid() {
        web.get().uri("/api/v1/customers/{id}/satisfaction", unique("nobody")).exchange()
                .expectStatus().isOk().expectBody().jsonPath("$.nps").doesNotExist();
        var stub = SatisfactionServiceGrpc.newBlockingStub(channel);
        CustomerSatisfaction none = stub.getCustomerSatisfaction(
                GetCustomerSatisfactionRequest.newBuilder().setCustomerId(unique("nobody")).build());
        assertThat(none.hasNps() || none.hasCsat() || none.hasCes()).isFalse();
        assertThatThrownBy(() -> stub.getCustomerSatisfaction(GetCustomerSatisfactionRequest.getDefaultInstance()))
                .isInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getStatus().getCode())
                        .isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void exportStreamsEveryCustomerOnceInByteOrderAndResumes() {
        String survey = createSurvey("NPS");
        String prefix = unique("exp");
        // more customers than one export page (500), with ids whose UTF-8 byte order differs from UTF-16 order
        List<Map<String, Object>> items = new ArrayList<>();
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 1200; i++) {
            String id = prefix + "-" + (i % 3 == 0 ? "\uFF21" : i % 3 == 1 ? "\uD83D\uDE00" : "a") + i;
            mine.add(id);
            Map<String, Object> r = new HashMap<>();
            r.put("responseId", unique("r"));
            r.put("customerId", id);
            r.put("score", i % 11);
            r.put("respondedAt", "2026-03-01T10:00:00Z");
            items.add(r);
        }
        postJson("/api/v1/surveys/" + survey + "/responses/batch", Map.of("responses", items.subList(0, 600)))
                .expectStatus().isOk();
        postJson("/api/v1/surveys/" + survey + "/responses/batch", Map.of("responses", items.subList(600, 1200)))
                .expectStatus().isOk();

        List<CustomerSatisfaction> all = new ArrayList<>();
        Iterator<CustomerSatisfaction> stream = SatisfactionServiceGrpc.newBlockingStub(channel)
                .exportSatisfaction(ExportSatisfactionRequest.getDefaultInstance());
        stream.forEachRemaining(all::add);
        List<byte[]> ids = all.stream().map(c -> c.getCustomerId().getBytes(StandardCharsets.UTF_8)).toList();
        for (int i = 1; i < ids.size(); i++) {
            assertThat(Arrays.compareUnsigned(ids.get(i - 1), ids.get(i))).as("byte order at %d", i).isNegative();
        }
        List<String> exported = all.stream().map(CustomerSatisfaction::getCustomerId).toList();
        assertThat(exported).containsAll(mine);
        CustomerSatisfaction one = all.get(exported.indexOf(mine.get(9)));
        assertThat(one.getNps().getScore()).isEqualTo(9);
        assertThat(one.getNps().getCategory()).isEqualTo(NpsCategory.PROMOTER);

        // resume after an id in the middle: exactly the rest, in order
        int cut = exported.indexOf(mine.get(600));
        List<String> resumed = new ArrayList<>();
        SatisfactionServiceGrpc.newBlockingStub(channel)
                .exportSatisfaction(ExportSatisfactionRequest.newBuilder().setAfterCustomerId(exported.get(cut)).build())
                .forEachRemaining(c -> resumed.add(c.getCustomerId()));
        assertThat(resumed).isEqualTo(exported.subList(cut + 1, exported.size()));

        // resuming after the last customer ends the stream at once
        List<CustomerSatisfaction> after = new ArrayList<>();
        SatisfactionServiceGrpc.newBlockingStub(channel)
                .exportSatisfaction(ExportSatisfactionRequest.newBuilder()
                        .setAfterCustomerId(exported.get(exported.size() - 1)).build())
                .forEachRemaining(after::add);
        assertThat(after).isEmpty();
    }

    @Test
    void exportHonoursBackPressure() {
        // a reactive client asking for a few messages at a time receives them in order and can cancel early
        String survey = createSurvey("CSAT");
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            items.add(Map.of("responseId", unique("r"), "customerId", unique("bp"), "score", 1 + i % 5));
        }
        postJson("/api/v1/surveys/" + survey + "/responses/batch", Map.of("responses", items)).expectStatus().isOk();
        var stub = ReactorSatisfactionServiceGrpc.newReactorStub(channel);
        StepVerifier.create(stub.exportSatisfaction(ExportSatisfactionRequest.getDefaultInstance()), 0)
                .thenRequest(1)
                .expectNextCount(1)
                .thenRequest(2)
                .expectNextCount(2)
                .thenCancel()
                .verify(Duration.ofSeconds(30));
        // the cancelled export must hand its database connection back in a usable state
        for (int i = 0; i < 30; i++) {
            web.get().uri("/api/v1/surveys/{id}", survey).exchange().expectStatus().isOk();
        }
    }
}
