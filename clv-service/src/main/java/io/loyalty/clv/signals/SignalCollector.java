package io.loyalty.clv.signals;

import com.google.protobuf.Timestamp;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.retry.RetryOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.loyalty.proto.survey.v1.CustomerSatisfaction;
import io.loyalty.proto.survey.v1.ExportSatisfactionRequest;
import io.loyalty.proto.survey.v1.ReactorSatisfactionServiceGrpc;
import io.loyalty.proto.ticket.v1.CustomerServiceStats;
import io.loyalty.proto.ticket.v1.ExportServiceStatsRequest;
import io.loyalty.proto.ticket.v1.ReactorServiceStatsServiceGrpc;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Pulls every customer's satisfaction and service stats for a scoring run over the two gRPC export
 * streams and stores them per run. Each service is collected independently under its own bulkhead,
 * circuit breaker, retry (resuming after the last stored customer id), per-message idle timeout and
 * per-attempt deadline; a failed service is reported as missing, never as a failed run.
 */
public class SignalCollector {

    private static final Logger log = LoggerFactory.getLogger(SignalCollector.class);
    private static final Set<Status.Code> NOT_RETRIED = Set.of(Status.Code.INVALID_ARGUMENT,
            Status.Code.UNIMPLEMENTED, Status.Code.PERMISSION_DENIED, Status.Code.UNAUTHENTICATED,
            Status.Code.FAILED_PRECONDITION, Status.Code.NOT_FOUND);

    private final SignalsProperties properties;
    private final SignalStore store;
    private final Channel surveyChannel;
    private final Channel ticketChannel;
    private final Map<SignalSource, Guards> guards = new EnumMap<>(SignalSource.class);

    public SignalCollector(SignalsProperties properties, SignalStore store, Channel surveyChannel, Channel ticketChannel) {
        this.properties = properties;
        this.store = store;
        this.surveyChannel = surveyChannel;
        this.ticketChannel = ticketChannel;
        for (SignalSource source : SignalSource.values()) {
            guards.put(source, new Guards(source, properties));
        }
    }

    /**
     * The entry point of a scoring run: collects both services in parallel and records the outcome.
     * Completes (never errors, never outlives {@code collectionTimeout} by more than the final write)
     * with complete=false and the failed services in {@code missing} when a service is down or hangs.
     */
    public Mono<SignalsOutcome> collect(long runId, Instant asOf) {
        List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        Mono<ServiceResult> survey = guarded(SignalSource.SURVEY, runId, errors, after -> {
            ExportSatisfactionRequest request = ExportSatisfactionRequest.newBuilder().setAfterCustomerId(after).build();
            return ReactorSatisfactionServiceGrpc.newReactorStub(surveyChannel)
                    .withDeadlineAfter(properties.callDeadline().toMillis(), TimeUnit.MILLISECONDS)
                    .exportSatisfaction(request);
        }, CustomerSatisfaction::getCustomerId, chunk -> store.insertSatisfaction(runId, chunk));
        Timestamp asOfTs = Timestamp.newBuilder().setSeconds(asOf.getEpochSecond()).setNanos(asOf.getNano()).build();
        Mono<ServiceResult> ticket = guarded(SignalSource.TICKET, runId, errors, after -> {
            ExportServiceStatsRequest request = ExportServiceStatsRequest.newBuilder().setAfterCustomerId(after)
                    .setAsOf(asOfTs).build();
            return ReactorServiceStatsServiceGrpc.newReactorStub(ticketChannel)
                    .withDeadlineAfter(properties.callDeadline().toMillis(), TimeUnit.MILLISECONDS)
                    .exportServiceStats(request);
        }, CustomerServiceStats::getCustomerId, chunk -> store.insertServiceStats(runId, chunk));

        return store.start(runId, asOf)
                .then(Mono.zip(survey, ticket))
                .flatMap(both -> {
                    List<String> missing = new ArrayList<>();
                    if (!both.getT1().complete()) {
                        missing.add(SignalSource.SURVEY.label());
                    }
                    if (!both.getT2().complete()) {
                        missing.add(SignalSource.TICKET.label());
                    }
                    SignalsOutcome outcome = new SignalsOutcome(missing.isEmpty(), missing,
                            both.getT1().customers(), both.getT2().customers());
                    return store.finish(runId, outcome, List.copyOf(errors)).thenReturn(outcome);
                });
    }

    /** The guards of one signal service, exposed for operators' metrics and tests. */
    public CircuitBreaker circuitBreaker(SignalSource source) {
        return guards.get(source).circuitBreaker;
    }

    private <T> Mono<ServiceResult> guarded(SignalSource source, long runId, List<String> errors,
                                            Function<String, Flux<T>> call, Function<T, String> idOf,
                                            Function<List<T>, Mono<Void>> storeChunk) {
        Guards g = guards.get(source);
        AtomicReference<String> lastStored = new AtomicReference<>("");
        AtomicLong stored = new AtomicLong();
        // one attempt: resumes after the last id that reached the database
        Flux<List<T>> attempt = Flux.defer(() -> call.apply(lastStored.get()))
                .transformDeferred(TimeLimiterOperator.of(g.timeLimiter))
                .buffer(properties.chunkSize())
                .concatMap(chunk -> storeChunk.apply(chunk).then(Mono.fromRunnable(() -> {
                    lastStored.set(idOf.apply(chunk.get(chunk.size() - 1)));
                    stored.addAndGet(chunk.size());
                })).thenReturn(chunk), 1);
        return attempt
                .transformDeferred(RetryOperator.of(g.retry))
                .transformDeferred(CircuitBreakerOperator.of(g.circuitBreaker))
                .transformDeferred(BulkheadOperator.of(g.bulkhead))
                .then(Mono.fromSupplier(() -> new ServiceResult(true, stored.get())))
                .timeout(properties.collectionTimeout())
                .onErrorResume(e -> {
                    String message = source.label() + ": " + describe(e);
                    log.warn("run {}: {} signals incomplete after {} customers: {}", runId, source.label(),
                            stored.get(), message);
                    errors.add(message);
                    return Mono.just(new ServiceResult(false, stored.get()));
                });
    }

    private static String describe(Throwable e) {
        if (e instanceof StatusRuntimeException s) {
            return "gRPC " + s.getStatus().getCode() + (s.getStatus().getDescription() == null ? ""
                    : " " + s.getStatus().getDescription());
        }
        if (e instanceof CallNotPermittedException) {
            return "circuit breaker open";
        }
        if (e instanceof BulkheadFullException) {
            return "too many concurrent collections";
        }
        if (e instanceof java.util.concurrent.TimeoutException) {
            return "timed out";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }

    static boolean retryable(Throwable e) {
        if (e instanceof CallNotPermittedException || e instanceof BulkheadFullException) {
            return false;
        }
        Status status = e instanceof StatusRuntimeException s ? s.getStatus()
                : e instanceof StatusException s ? s.getStatus() : null;
        return status == null || !NOT_RETRIED.contains(status.getCode());
    }

    private record ServiceResult(boolean complete, long customers) {
    }

    private static final class Guards {
        final TimeLimiter timeLimiter;
        final Retry retry;
        final CircuitBreaker circuitBreaker;
        final Bulkhead bulkhead;

        Guards(SignalSource source, SignalsProperties p) {
            String name = "signals-" + source.label();
            timeLimiter = TimeLimiter.of(name, TimeLimiterConfig.custom()
                    .timeoutDuration(p.idleTimeout()).cancelRunningFuture(true).build());
            retry = Retry.of(name, RetryConfig.custom()
                    .maxAttempts(p.retry().maxAttempts())
                    .intervalFunction(IntervalFunction.ofExponentialBackoff(p.retry().initialBackoff(),
                            p.retry().multiplier(), p.retry().maxBackoff()))
                    .retryOnException(SignalCollector::retryable)
                    .build());
            circuitBreaker = CircuitBreaker.of(name, CircuitBreakerConfig.custom()
                    .failureRateThreshold(p.circuitBreaker().failureRateThreshold())
                    .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                    .slidingWindowSize(p.circuitBreaker().slidingWindowSize())
                    .minimumNumberOfCalls(p.circuitBreaker().minimumNumberOfCalls())
                    .waitDurationInOpenState(p.circuitBreaker().waitInOpenState())
                    .build());
            bulkhead = Bulkhead.of(name, BulkheadConfig.custom()
                    .maxConcurrentCalls(p.bulkhead().maxConcurrentCalls())
                    .maxWaitDuration(p.bulkhead().maxWait())
                    .build());
        }
    }
}
