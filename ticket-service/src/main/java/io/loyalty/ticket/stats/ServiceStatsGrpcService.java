package io.loyalty.ticket.stats;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.loyalty.proto.ticket.v1.CustomerServiceStats;
import io.loyalty.proto.ticket.v1.ExportServiceStatsRequest;
import io.loyalty.proto.ticket.v1.GetCustomerServiceStatsRequest;
import io.loyalty.proto.ticket.v1.ReactorServiceStatsServiceGrpc;
import io.loyalty.ticket.web.Input;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Clock;
import java.time.Instant;

/** {@code loyalty.ticket.v1.ServiceStatsService}: the same figures as the REST endpoint, for the clv-service. */
@Service
public class ServiceStatsGrpcService extends ReactorServiceStatsServiceGrpc.ServiceStatsServiceImplBase {

    private static final long MAX_SECONDS = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

    private final CustomerStatsService customers;
    private final Clock clock;

    public ServiceStatsGrpcService(CustomerStatsService customers, Clock clock) {
        this.customers = customers;
        this.clock = clock;
    }

    @Override
    public Mono<CustomerServiceStats> getCustomerServiceStats(GetCustomerServiceStatsRequest request) {
        Input input = new Input();
        String id = input.identifier("customer_id", request.getCustomerId());
        Instant asOf = asOf(request.hasAsOf(), request.getAsOf(), input);
        if (input.hasErrors()) {
            return Mono.error(invalid(input));
        }
        return customers.stats(id, asOf).map(ServiceStatsGrpcService::message);
    }

    @Override
    public Flux<CustomerServiceStats> exportServiceStats(ExportServiceStatsRequest request) {
        Input input = new Input();
        Instant asOf = asOf(request.hasAsOf(), request.getAsOf(), input);
        if (input.hasErrors()) {
            return Flux.error(invalid(input));
        }
        return customers.export(request.getAfterCustomerId(), asOf).map(ServiceStatsGrpcService::message);
    }

    /** The window end: the request's, within 1970..9999, else now. */
    private Instant asOf(boolean present, Timestamp timestamp, Input input) {
        if (!present) {
            return clock.instant();
        }
        if (timestamp.getSeconds() < 0 || timestamp.getSeconds() > MAX_SECONDS
                || timestamp.getNanos() < 0 || timestamp.getNanos() > 999_999_999) {
            input.reject("as_of", "must lie between 1970 and 9999");
            return null;
        }
        return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    }

    private static RuntimeException invalid(Input input) {
        var error = input.errors().get(0);
        return Status.INVALID_ARGUMENT.withDescription(error.field() + " " + error.message()).asRuntimeException();
    }

    static CustomerServiceStats message(CustomerStatsService.View v) {
        CustomerServiceStats.Builder b = CustomerServiceStats.newBuilder()
                .setCustomerId(v.customerId())
                .setOpenTickets(v.openTickets())
                .setTicketsLast90Days(v.ticketsLast90Days())
                .setSlaBreachesLast90Days(v.slaBreachesLast90Days())
                .setReopensLast90Days(v.reopensLast90Days());
        if (v.medianResolutionSeconds() != null) {
            b.setMedianResolutionSeconds(v.medianResolutionSeconds());
        }
        if (v.lastContactAt() != null) {
            b.setLastContactAt(Timestamp.newBuilder().setSeconds(v.lastContactAt().getEpochSecond())
                    .setNanos(v.lastContactAt().getNano()));
        }
        return b.build();
    }
}
