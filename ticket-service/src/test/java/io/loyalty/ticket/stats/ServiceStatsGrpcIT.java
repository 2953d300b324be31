package io.loyalty.ticket.stats;

import com.google.protobuf.Timestamp;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.loyalty.proto.ticket.v1.CustomerServiceStats;
import io.loyalty.proto.ticket.v1.ExportServiceStatsRequest;
import io.loyalty.proto.ticket.v1.GetCustomerServiceStatsRequest;
import io.loyalty.proto.ticket.v1.ServiceStatsServiceGrpc;
import io.loyalty.proto.ticket.v1.ReactorServiceStatsServiceGrpc;
import io.loyalty.ticket.AbstractIT;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.grpc.test.autoconfigure.LocalGrpcPort;
import reactor.test.StepVerifier;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServiceStatsGrpcIT extends AbstractIT {

    @LocalGrpcPort
    int grpcPort;

    ManagedChannel channel;
    ServiceStatsServiceGrpc.ServiceStatsServiceBlockingStub blocking;

    @BeforeEach
    void connect() {
        StatsFixture.load(new StatsFixture.Ops() {
            public void policy(String priority, int fr, int res) {
                ServiceStatsGrpcIT.this.policy(priority, fr, res, null);
            }

            public String ticket(String customer, String openedAt) {
                return ServiceStatsGrpcIT.this.ticket(customer, "URGENT", openedAt);
            }

            public void events(String ticket, String... typeAt) {
                ServiceStatsGrpcIT.this.events(ticket, typeAt);
            }
        });
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        blocking = ServiceStatsServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    static Timestamp ts(String iso) {
        Instant i = Instant.parse(iso);
        return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
    }

    @Test
    void unaryMatchesTheRestFigures() {
        CustomerServiceStats a = blocking.getCustomerServiceStats(GetCustomerServiceStatsRequest.newBuilder()
                .setCustomerId(StatsFixture.customerA).setAsOf(ts("2019-03-15T00:00:00Z")).build());
        assertThat(a.getCustomerId()).isEqualTo(StatsFixture.customerA);
        assertThat(a.getOpenTickets()).isZero();
        assertThat(a.getTicketsLast90Days()).isEqualTo(4);
        assertThat(a.getSlaBreachesLast90Days()).isEqualTo(2);
        assertThat(a.getReopensLast90Days()).isEqualTo(1);
        assertThat(a.hasMedianResolutionSeconds()).isTrue();
        assertThat(a.getMedianResolutionSeconds()).isEqualTo(5400);
        assertThat(a.getLastContactAt()).isEqualTo(ts("2019-02-15T11:30:00Z"));
    }

    @Test
    void unknownCustomersGetZerosAndBadIdsInvalidArgument() {
        CustomerServiceStats none = blocking.getCustomerServiceStats(
                GetCustomerServiceStatsRequest.newBuilder().setCustomerId("grpc-nobody").build());
        assertThat(none.getTicketsLast90Days()).isZero();
        assertThat(none.hasMedianResolutionSeconds()).isFalse();
        assertThat(none.hasLastContactAt()).isFalse();
        assertThatThrownBy(() -> blocking.getCustomerServiceStats(GetCustomerServiceStatsRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> blocking.getCustomerServiceStats(GetCustomerServiceStatsRequest.newBuilder()
                .setCustomerId("x").setAsOf(Timestamp.newBuilder().setSeconds(Long.MAX_VALUE)).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> blocking.exportServiceStats(ExportServiceStatsRequest.newBuilder()
                .setAsOf(Timestamp.newBuilder().setSeconds(-5)).build()).hasNext())
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }

    @Test
    void theExportStreamsEveryCustomerOnceInIdOrderAcrossPages() {
        // more customers than several export pages (page size 2 in tests), created out of order
        String prefix = unique("grpc");
        List<String> customers = List.of(prefix + "-e", prefix + "-a", prefix + "-D", prefix + "-c", prefix + "-b");
        for (String c : customers) {
            ticket(c, "LOW", "2026-01-05T10:00:00Z");
        }
        ticket(prefix + "-c", "LOW", "2026-01-06T10:00:00Z");

        List<CustomerServiceStats> all = new ArrayList<>();
        Iterator<CustomerServiceStats> stream = blocking.exportServiceStats(ExportServiceStatsRequest.newBuilder()
                .setAsOf(ts("2026-02-01T00:00:00Z")).build());
        stream.forEachRemaining(all::add);
        List<String> ids = all.stream().map(CustomerServiceStats::getCustomerId).toList();
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(ids).isSortedAccordingTo(String::compareTo);
        assertThat(ids).contains(StatsFixture.customerA, StatsFixture.customerB);
        // byte order: upper case before lower case
        assertThat(ids.stream().filter(id -> id.startsWith(prefix)).toList())
                .containsExactly(prefix + "-D", prefix + "-a", prefix + "-b", prefix + "-c", prefix + "-e");
        CustomerServiceStats c = all.stream().filter(s -> s.getCustomerId().equals(prefix + "-c")).findFirst().orElseThrow();
        assertThat(c.getTicketsLast90Days()).isEqualTo(2);
        assertThat(c.getOpenTickets()).isEqualTo(2);

        // resuming after a customer starts right behind it
        List<String> rest = new ArrayList<>();
        blocking.exportServiceStats(ExportServiceStatsRequest.newBuilder().setAfterCustomerId(prefix + "-a").build())
                .forEachRemaining(s -> rest.add(s.getCustomerId()));
        assertThat(rest).isEqualTo(ids.subList(ids.indexOf(prefix + "-a") + 1, ids.size()));
    }

    @Test
    void theReactiveStubCanTakeTheFirstFewAndCancel() {
        var reactive = ReactorServiceStatsServiceGrpc.newReactorStub(channel);
        StepVerifier.create(reactive.exportServiceStats(ExportServiceStatsRequest.getDefaultInstance()), 0)
                .thenRequest(1)
                .expectNextCount(1)
                .thenRequest(2)
                .expectNextCount(2)
                .thenCancel()
                .verify(java.time.Duration.ofSeconds(30));
    }
}
