package io.loyalty.survey.response;

import io.loyalty.survey.survey.Channels;
import io.loyalty.survey.survey.Survey;
import io.loyalty.survey.web.ApiException;
import io.loyalty.survey.web.FieldError;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import io.r2dbc.spi.R2dbcTransientException;
import org.springframework.dao.TransientDataAccessException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores responses all-or-nothing. Replays of stored responses are duplicates; the same responseId with a
 * different body, or a second response of a customer to the same survey, is a conflict that rolls back
 * the whole batch.
 */
@Service
public class ResponseService {

    /** accepted: newly stored; duplicates: identical replays (stored before or repeated in the batch). */
    public record IngestResult(long accepted, long duplicates) {
    }

    private static final Retry TRANSIENT_RETRY = Retry.backoff(3, Duration.ofMillis(20))
            .filter(ResponseService::isTransient)
            .onRetryExhaustedThrow((spec, signal) -> signal.failure());

    private final ResponseRepository responses;
    private final TransactionalOperator tx;
    private final Clock clock;

    public ResponseService(ResponseRepository responses, TransactionalOperator tx, Clock clock) {
        this.responses = responses;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * @param fieldPrefix how the errors name an item: "responses[%d]." for batches, "" for a single response
     */
    public Mono<IngestResult> ingest(Survey survey, List<ResponseInput> inputs, String fieldPrefix) {
        return Mono.defer(() -> {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
            List<FieldError> conflicts = new ArrayList<>();
            // responseId -> index of its first occurrence; customerId -> responseId within this batch
            Map<String, Integer> firstById = new HashMap<>();
            Map<String, String> idByCustomer = new HashMap<>();
            List<ResponseRow> rows = new ArrayList<>(inputs.size());
            List<Integer> rowIndexes = new ArrayList<>(inputs.size());
            for (int i = 0; i < inputs.size(); i++) {
                ResponseInput input = inputs.get(i);
                Integer first = firstById.putIfAbsent(input.responseId(), i);
                if (first != null) {
                    if (!sameInput(inputs.get(first), input)) {
                        conflicts.add(new FieldError(field(fieldPrefix, i, "responseId"),
                                "repeats responseId " + input.responseId() + " of item " + first + " with a different body"));
                    }
                    continue;
                }
                String other = idByCustomer.putIfAbsent(input.customerId(), input.responseId());
                if (other != null) {
                    conflicts.add(new FieldError(field(fieldPrefix, i, "customerId"),
                            "customer " + input.customerId() + " answers this survey twice in one request"));
                    continue;
                }
                rows.add(toRow(survey, input, now));
                rowIndexes.add(i);
            }
            if (!conflicts.isEmpty()) {
                return Mono.error(conflict(conflicts));
            }
            Mono<IngestResult> work = responses.insertBatch(survey, rows, now).flatMap(inserted -> {
                if (inserted == rows.size()) {
                    return Mono.just(new IngestResult(inserted, inputs.size() - inserted));
                }
                return checkSkipped(survey, inputs, rows, rowIndexes, fieldPrefix)
                        .thenReturn(new IngestResult(inserted, inputs.size() - inserted));
            });
            // overlapping concurrent batches can deadlock on the unique indexes; PostgreSQL aborts one of
            // them, and running it again is safe because the whole batch is idempotent
            return tx.transactional(work).retryWhen(TRANSIENT_RETRY);
        });
    }

    /**
     * Some rows were skipped: each must be the replay of a stored response, otherwise the batch fails (and
     * the transaction takes back what it inserted). Rows inserted by this statement read back as identical.
     */
    private Mono<Void> checkSkipped(Survey survey, List<ResponseInput> inputs, List<ResponseRow> rows,
                                    List<Integer> rowIndexes, String fieldPrefix) {
        String[] ids = rows.stream().map(ResponseRow::responseId).toArray(String[]::new);
        String[] customers = rows.stream().map(ResponseRow::customerId).toArray(String[]::new);
        return responses.findClashes(survey.id(), ids, customers).collectList().flatMap(stored -> {
            Map<String, StoredResponse> byId = new HashMap<>();
            Map<String, StoredResponse> byCustomer = new HashMap<>();
            for (StoredResponse s : stored) {
                byId.put(s.responseId(), s);
                if (s.surveyId().equals(survey.id())) {
                    byCustomer.put(s.customerId(), s);
                }
            }
            List<FieldError> conflicts = new ArrayList<>();
            for (int r = 0; r < rows.size(); r++) {
                int index = rowIndexes.get(r);
                ResponseInput input = inputs.get(index);
                StoredResponse sameId = byId.get(input.responseId());
                if (sameId != null) {
                    if (!sameId.sameAs(survey.id(), input, rows.get(r).channel())) {
                        conflicts.add(new FieldError(field(fieldPrefix, index, "responseId"),
                                "responseId " + input.responseId() + " is already stored with a different body"));
                    }
                    continue;
                }
                StoredResponse sameCustomer = byCustomer.get(input.customerId());
                if (sameCustomer != null) {
                    conflicts.add(new FieldError(field(fieldPrefix, index, "customerId"),
                            "customer " + input.customerId() + " already answered this survey (response "
                                    + sameCustomer.responseId() + ")"));
                }
            }
            return conflicts.isEmpty() ? Mono.<Void>empty() : Mono.error(conflict(conflicts));
        });
    }

    private static boolean isTransient(Throwable e) {
        return e instanceof TransientDataAccessException || e instanceof R2dbcTransientException;
    }

    private static ApiException conflict(List<FieldError> conflicts) {
        return ApiException.conflict(conflicts.size() == 1 ? conflicts.get(0).message()
                : conflicts.size() + " responses conflict with stored ones; nothing was stored", conflicts);
    }

    static ResponseRow toRow(Survey survey, ResponseInput input, Instant now) {
        String channel = input.channel() != null ? input.channel()
                : survey.channel() != null ? survey.channel() : Channels.UNSPECIFIED;
        Instant respondedAt = input.respondedAt() != null ? input.respondedAt() : now;
        return new ResponseRow(input.responseId(), input.customerId(), input.score(), input.comment(), channel,
                respondedAt, input.ticketId());
    }

    private static boolean sameInput(ResponseInput a, ResponseInput b) {
        return a.equals(b);
    }

    private static String field(String prefix, int index, String name) {
        return prefix.isEmpty() ? name : String.format(prefix, index) + name;
    }

    public Mono<StoredResponse> find(String responseId) {
        return responses.find(responseId);
    }

    /** A privacy request: every response of the customer goes, and the rollups lose exactly those rows. */
    public Mono<ResponseRepository.DeletedResponses> deleteCustomer(String customerId) {
        // a delete racing a batch over the same rollup rows can deadlock too; deleting again is harmless
        return tx.transactional(responses.deleteCustomer(customerId)).retryWhen(TRANSIENT_RETRY);
    }
}
