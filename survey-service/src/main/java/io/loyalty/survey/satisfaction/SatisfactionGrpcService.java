package io.loyalty.survey.satisfaction;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.loyalty.proto.survey.v1.CustomerSatisfaction;
import io.loyalty.proto.survey.v1.ExportSatisfactionRequest;
import io.loyalty.proto.survey.v1.GetCustomerSatisfactionRequest;
import io.loyalty.proto.survey.v1.NpsCategory;
import io.loyalty.proto.survey.v1.NpsSignal;
import io.loyalty.proto.survey.v1.ReactorSatisfactionServiceGrpc;
import io.loyalty.proto.survey.v1.ScoreSignal;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;

/**
 * loyalty.survey.v1.SatisfactionService for the clv-service. The export is a reactive stream, so gRPC flow
 * control reaches the database reads: pages are fetched as the client consumes.
 */
@Service
public class SatisfactionGrpcService extends ReactorSatisfactionServiceGrpc.SatisfactionServiceImplBase {

    private final SatisfactionService satisfaction;

    public SatisfactionGrpcService(SatisfactionService satisfaction) {
        this.satisfaction = satisfaction;
    }

    @Override
    public Mono<CustomerSatisfaction> getCustomerSatisfaction(Mono<GetCustomerSatisfactionRequest> request) {
        return request.flatMap(r -> {
            if (r.getCustomerId().isEmpty()) {
                return Mono.error(Status.INVALID_ARGUMENT.withDescription("customer_id is required").asRuntimeException());
            }
            return satisfaction.customer(r.getCustomerId()).map(SatisfactionGrpcService::toProto);
        });
    }

    @Override
    public Flux<CustomerSatisfaction> exportSatisfaction(Mono<ExportSatisfactionRequest> request) {
        return request.flatMapMany(r -> satisfaction.export(r.getAfterCustomerId()))
                .map(SatisfactionGrpcService::toProto);
    }

    static CustomerSatisfaction toProto(io.loyalty.survey.satisfaction.CustomerSatisfaction c) {
        CustomerSatisfaction.Builder b = CustomerSatisfaction.newBuilder().setCustomerId(c.customerId());
        if (c.nps() != null) {
            b.setNps(NpsSignal.newBuilder()
                    .setScore(c.nps().score())
                    .setCategory(switch (c.nps().category()) {
                        case PROMOTER -> NpsCategory.PROMOTER;
                        case PASSIVE -> NpsCategory.PASSIVE;
                        case DETRACTOR -> NpsCategory.DETRACTOR;
                    })
                    .setRespondedAt(timestamp(c.nps().respondedAt())));
        }
        if (c.csat() != null) {
            b.setCsat(score(c.csat()));
        }
        if (c.ces() != null) {
            b.setCes(score(c.ces()));
        }
        return b.build();
    }

    private static ScoreSignal score(io.loyalty.survey.satisfaction.CustomerSatisfaction.ScoreAnswer a) {
        return ScoreSignal.newBuilder().setScore(a.score()).setScale(a.scale())
                .setRespondedAt(timestamp(a.respondedAt())).build();
    }

    private static Timestamp timestamp(Instant instant) {
        return Timestamp.newBuilder().setSeconds(instant.getEpochSecond()).setNanos(instant.getNano()).build();
    }
}
