package io.loyalty.clv.signals;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.loyalty.proto.survey.v1.CustomerSatisfaction;
import io.loyalty.proto.survey.v1.ExportSatisfactionRequest;
import io.loyalty.proto.survey.v1.NpsCategory;
import io.loyalty.proto.survey.v1.NpsSignal;
import io.loyalty.proto.survey.v1.ReactorSatisfactionServiceGrpc;
import io.loyalty.proto.ticket.v1.CustomerServiceStats;
import io.loyalty.proto.ticket.v1.ExportServiceStatsRequest;
import io.loyalty.proto.ticket.v1.ReactorServiceStatsServiceGrpc;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Flux;

/**
 * The collector against real gRPC servers on random ports with controlled data: both up, one down,
 * one hanging, one breaking mid-stream and resuming.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "spring.grpc.server.port=0")
@AutoConfigureWebTestClient
class SignalCollectorIT {

    static final int CUSTOMERS = 250;
    static final Duration GUARD = Duration.ofSeconds(40);

    @Autowired
    DatabaseClient db;
    @Autowired
    SignalStore store;

    final List<Server> servers = new ArrayList<>();
    final List<ManagedChannel> channels = new ArrayList<>();

    @AfterEach
    void stop() {
        channels.forEach(ManagedChannel::shutdownNow);
        servers.forEach(Server::shutdownNow);
    }

    static SignalsProperties properties() {
        return new SignalsProperties("127.0.0.1:1", "127.0.0.1:1", 50, Duration.ofSeconds(20), Duration.ofMillis(1500),
                Duration.ofSeconds(15), new SignalsProperties.Retry(3, Duration.ofMillis(50), 2.0, Duration.ofMillis(200)),
                new SignalsProperties.CircuitBreaker(50, 4, 2, Duration.ofSeconds(60)),
                new SignalsProperties.Bulkhead(2, Duration.ZERO));
    }

    static String id(int i) {
        return "C%04d".formatted(i);
    }

    /** Survey server: every customer has an NPS; breaksAfter > 0 breaks the first call after that many messages. */
    static final class Survey extends ReactorSatisfactionServiceGrpc.SatisfactionServiceImplBase {
        final List<String> afterIds = new CopyOnWriteArrayList<>();
        final int breaksAfter;
        final boolean hangs;
        final AtomicInteger calls = new AtomicInteger();

        Survey(int breaksAfter, boolean hangs) {
            this.breaksAfter = breaksAfter;
            this.hangs = hangs;
        }

        @Override
        public Flux<CustomerSatisfaction> exportSatisfaction(ExportSatisfactionRequest request) {
            afterIds.add(request.getAfterCustomerId());
            int call = calls.incrementAndGet();
            Flux<CustomerSatisfaction> all = Flux.range(1, CUSTOMERS).map(SignalCollectorIT::id)
                    .filter(id -> id.compareTo(request.getAfterCustomerId()) > 0)
                    .map(id -> {
                        int n = Integer.parseInt(id.substring(1));
                        int score = n % 11;
                        return CustomerSatisfaction.newBuilder().setCustomerId(id)
                                .setNps(NpsSignal.newBuilder().setScore(score)
                                        .setCategory(score >= 9 ? NpsCategory.PROMOTER : score >= 7 ? NpsCategory.PASSIVE
                                                : NpsCategory.DETRACTOR)
                                        .setRespondedAt(Timestamp.newBuilder().setSeconds(1_790_000_000L + n)))
                                .build();
                    });
            if (hangs) {
                return all.take(10).concatWith(Flux.never());
            }
            if (breaksAfter > 0 && call == 1) {
                return all.take(breaksAfter).concatWith(Flux.error(Status.UNAVAILABLE
                        .withDescription("connection reset").asRuntimeException()));
            }
            return all;
        }
    }

    static final class Tickets extends ReactorServiceStatsServiceGrpc.ServiceStatsServiceImplBase {
        final boolean hangs;
        volatile ExportServiceStatsRequest last;

        Tickets(boolean hangs) {
            this.hangs = hangs;
        }

        @Override
        public Flux<CustomerServiceStats> exportServiceStats(ExportServiceStatsRequest request) {
            last = request;
            if (hangs) {
                return Flux.never();
            }
            return Flux.range(1, CUSTOMERS).map(SignalCollectorIT::id)
                    .filter(id -> id.compareTo(request.getAfterCustomerId()) > 0)
                    .map(id -> {
                        int n = Integer.parseInt(id.substring(1));
                        return CustomerServiceStats.newBuilder().setCustomerId(id).setOpenTickets(n % 3)
                                .setTicketsLast90Days(n % 5).setSlaBreachesLast90Days(n % 4).setReopensLast90Days(n % 2)
                                .build();
                    });
        }
    }

    ManagedChannel serve(io.grpc.BindableService service) throws Exception {
        Server server = ServerBuilder.forPort(0).addService(service).build().start();
        servers.add(server);
        return channel("127.0.0.1:" + server.getPort());
    }

    ManagedChannel channel(String address) {
        ManagedChannel channel = ManagedChannelBuilder.forTarget(address).usePlaintext().build();
        channels.add(channel);
        return channel;
    }

    ManagedChannel down() throws Exception {
        Server server = ServerBuilder.forPort(0).build().start();
        int port = server.getPort();
        server.shutdownNow().awaitTermination();
        return channel("127.0.0.1:" + port);
    }

    static long runId() {
        return 2_000_000_000L + ThreadLocalRandom.current().nextLong(1_000_000_000L);
    }

    long count(String table, long runId) {
        return db.sql("SELECT count(*) AS n FROM " + table + " WHERE run_id = $1").bind(0, runId)
                .map(row -> row.get("n", Long.class)).one().block();
    }

    @Test
    void bothServicesUpGiveACompleteRunWithEveryCustomerStored() throws Exception {
        Tickets tickets = new Tickets(false);
        SignalCollector collector = new SignalCollector(properties(), store, serve(new Survey(0, false)), serve(tickets));
        long run = runId();
        Instant asOf = Instant.parse("2026-10-31T00:00:00Z");

        SignalsOutcome outcome = collector.collect(run, asOf).block(GUARD);

        assertThat(outcome).isEqualTo(new SignalsOutcome(true, List.of(), CUSTOMERS, CUSTOMERS));
        assertThat(store.outcome(run).block()).isEqualTo(outcome);
        assertThat(count("signal_satisfaction", run)).isEqualTo(CUSTOMERS);
        assertThat(count("signal_service_stats", run)).isEqualTo(CUSTOMERS);
        assertThat(tickets.last.getAsOf().getSeconds()).isEqualTo(asOf.getEpochSecond());
        // values arrive intact: C0007 has NPS 7 (passive), 1 open ticket, 2 tickets, 3 breaches, 1 reopen
        var row = db.sql("""
                SELECT s.nps_score, s.nps_category, s.nps_at, t.open_tickets, t.tickets_last_90_days,
                       t.sla_breaches_last_90_days, t.reopens_last_90_days
                FROM signal_satisfaction s JOIN signal_service_stats t USING (run_id, customer_id)
                WHERE run_id = $1 AND customer_id = 'C0007'""").bind(0, run).fetch().one().block();
        assertThat(row).containsEntry("nps_score", (short) 7).containsEntry("nps_category", "PASSIVE")
                .containsEntry("open_tickets", 1).containsEntry("tickets_last_90_days", 2)
                .containsEntry("sla_breaches_last_90_days", 3).containsEntry("reopens_last_90_days", 1);
        assertThat(((java.time.OffsetDateTime) row.get("nps_at")).toInstant())
                .isEqualTo(Instant.ofEpochSecond(1_790_000_007L));
    }

    @Test
    void aSurveyServiceThatIsDownLeavesTheRunIncompleteButFinished() throws Exception {
        SignalCollector collector = new SignalCollector(properties(), store, down(), serve(new Tickets(false)));
        long run = runId();

        SignalsOutcome outcome = collector.collect(run, Instant.now()).block(GUARD);

        assertThat(outcome.complete()).isFalse();
        assertThat(outcome.missing()).containsExactly("survey");
        assertThat(outcome.ticketCustomers()).isEqualTo(CUSTOMERS);
        assertThat(store.outcome(run).block()).isEqualTo(outcome);
        assertThat(count("signal_satisfaction", run)).isZero();
        String[] errors = db.sql("SELECT errors FROM signal_collection WHERE run_id = $1").bind(0, run)
                .map(r -> r.get("errors", String[].class)).one().block();
        assertThat(errors).singleElement().asString().startsWith("survey: gRPC UNAVAILABLE");
    }

    @Test
    void aHangingTicketServiceIsCutOffByTheIdleTimeoutAndReportedMissing() throws Exception {
        SignalsProperties p = properties();
        SignalCollector collector = new SignalCollector(p, store, serve(new Survey(0, false)), serve(new Tickets(true)));
        long run = runId();

        long started = System.nanoTime();
        SignalsOutcome outcome = collector.collect(run, Instant.now()).block(GUARD);
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(outcome.complete()).isFalse();
        assertThat(outcome.missing()).containsExactly("ticket");
        assertThat(outcome.surveyCustomers()).isEqualTo(CUSTOMERS);
        assertThat(count("signal_service_stats", run)).isZero();
        // 3 attempts of one idle timeout each plus backoff, well inside the collection ceiling
        assertThat(took).isGreaterThanOrEqualTo(p.idleTimeout().multipliedBy(3)).isLessThan(p.collectionTimeout());
    }

    @Test
    void aHangingSurveyStreamKeepsWhatArrivedAndSaysSo() throws Exception {
        SignalCollector collector = new SignalCollector(properties(), store, serve(new Survey(0, true)), serve(new Tickets(false)));
        long run = runId();

        SignalsOutcome outcome = collector.collect(run, Instant.now()).block(GUARD);

        assertThat(outcome.missing()).containsExactly("survey");
        // 10 messages per attempt never fill a 50-row chunk, so nothing half-received is stored
        assertThat(outcome.surveyCustomers()).isZero();
        assertThat(outcome.ticketCustomers()).isEqualTo(CUSTOMERS);
    }

    @Test
    void aStreamBrokenMidwayResumesAfterTheLastStoredCustomer() throws Exception {
        Survey survey = new Survey(130, false);
        SignalCollector collector = new SignalCollector(properties(), store, serve(survey), serve(new Tickets(false)));
        long run = runId();

        SignalsOutcome outcome = collector.collect(run, Instant.now()).block(GUARD);

        assertThat(outcome).isEqualTo(new SignalsOutcome(true, List.of(), CUSTOMERS, CUSTOMERS));
        // chunks of 50: the break at message 130 finds C0001-C0050 stored and C0051-C0100 stored or in flight
        // (an interrupted chunk is not counted as stored), so the retry resumes at a chunk boundary, not at 0
        assertThat(survey.afterIds).hasSize(2).first().isEqualTo("");
        assertThat(survey.afterIds.get(1)).isIn("C0050", "C0100");
        assertThat(count("signal_satisfaction", run)).isEqualTo(CUSTOMERS);
    }

    @Test
    void anOpenCircuitFailsFastWithoutCallingTheService() throws Exception {
        SignalCollector collector = new SignalCollector(properties(), store, down(), serve(new Tickets(false)));
        collector.collect(runId(), Instant.now()).block(GUARD);
        collector.collect(runId(), Instant.now()).block(GUARD);
        assertThat(collector.circuitBreaker(SignalSource.SURVEY).getState()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(collector.circuitBreaker(SignalSource.TICKET).getState()).isEqualTo(CircuitBreaker.State.CLOSED);

        long run = runId();
        SignalsOutcome outcome = collector.collect(run, Instant.now()).block(GUARD);

        assertThat(outcome.missing()).containsExactly("survey");
        String[] errors = db.sql("SELECT errors FROM signal_collection WHERE run_id = $1").bind(0, run)
                .map(r -> r.get("errors", String[].class)).one().block();
        assertThat(errors).containsExactly("survey: circuit breaker open");
    }

    @Autowired
    io.loyalty.clv.campaign.CampaignRankings rankings;
    @Autowired
    org.springframework.test.web.reactive.server.WebTestClient web;

    @Test
    void theScoringRunSeamCollectsSignalsThenRanksTheRunsCustomers() throws Exception {
        long run = runId();
        // three of the run's customers as the scoring run stores them; C0003 is a detractor with 3 breaches
        db.sql("""
                INSERT INTO scoring_run_customers (run_id, customer_id, frequency, recency, t, monetary_value,
                    expected_purchases, probability_alive, expected_average_value, clv, referral_value)
                VALUES ($1, 'C0003', 2, 10, 40, 20, 1.5, 0.4, 20, 30, 0),
                       ($1, 'C0010', 5, 30, 40, 50, 4.0, 0.9, 50, 200, 0),
                       ($1, 'C0500', 0, 0, 40, 0, 0.2, 0.3, 10, 2, 0)""").bind(0, run).then().block();
        SignalCollector collector = new SignalCollector(properties(), store, serve(new Survey(0, false)), down());
        ScoringRunSignals seam = new ScoringRunSignals(collector, rankings);

        io.loyalty.clv.scoring.RunSignals.Outcome outcome = seam.collect(run, Instant.now()).block(GUARD);
        assertThat(rankings.rank(run)).isEqualTo(3);

        assertThat(outcome.complete()).isFalse();
        assertThat(outcome.missing()).containsExactly("ticket");
        byte[] body = web.mutate().responseTimeout(Duration.ofSeconds(30)).build().get()
                .uri("/api/v1/campaigns/upsell/customers?run=" + run).exchange()
                .expectStatus().isOk().expectBody().returnResult().getResponseBody();
        var page = tools.jackson.databind.json.JsonMapper.builder().build().readTree(body);
        assertThat(page.get("items")).hasSize(3);
        assertThat(page.get("items").get(0).get("customerId").asString()).isEqualTo("C0010");
        var detractor = page.get("items").get(1);
        assertThat(detractor.get("customerId").asString()).isEqualTo("C0003");
        assertThat(detractor.get("reasons").get(0).asString()).startsWith("held back: detractor (NPS 3) on ");
        // the ticket service was down: no service signals, and none invented
        assertThat(detractor.get("signals").get("openTickets").isNull()).isTrue();
    }

    @Test
    void aRerunOfTheSameRunReplacesItsSignals() throws Exception {
        SignalCollector collector = new SignalCollector(properties(), store, serve(new Survey(0, false)), serve(new Tickets(false)));
        long run = runId();
        collector.collect(run, Instant.now()).block(GUARD);
        SignalsOutcome again = collector.collect(run, Instant.now()).block(GUARD);
        assertThat(again.complete()).isTrue();
        assertThat(count("signal_satisfaction", run)).isEqualTo(CUSTOMERS);
    }
}
