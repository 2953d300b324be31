package io.loyalty.survey.response;

import io.loyalty.survey.survey.Survey;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

@Repository
public class ResponseRepository {

    /**
     * One statement per batch: the rows arrive as parallel arrays, conflicting ids or customers are skipped
     * (the caller sorts replays from conflicts), and the rollups grow by exactly the rows inserted. Rows
     * and rollups are written in key order so that concurrent batches take their locks in the same order.
     */
    private static final String INSERT_BATCH = """
            WITH input AS (
                SELECT * FROM unnest(:responseIds::text[], :customerIds::text[], :scores::int2[], :comments::text[],
                                     :channels::text[], :respondedAts::timestamptz[], :ticketIds::text[])
                    AS t(response_id, customer_id, score, comment, channel, responded_at, ticket_id)
            ), inserted AS (
                INSERT INTO survey_response (response_id, survey_id, customer_id, kind, scale_max, score, comment,
                                             channel, responded_at, ticket_id, received_at)
                SELECT response_id, :surveyId, customer_id, :kind, :scaleMax, score, comment, channel, responded_at,
                       ticket_id, :receivedAt
                FROM input
                ORDER BY response_id
                ON CONFLICT DO NOTHING
                RETURNING responded_at, channel, score
            ), rolled AS (
                INSERT INTO survey_rollup (survey_id, day, channel, score, responses)
                SELECT :surveyId, (responded_at AT TIME ZONE 'UTC')::date, channel, score, count(*)
                FROM inserted
                GROUP BY 2, 3, 4
                ORDER BY 2, 3, 4
                ON CONFLICT (survey_id, day, channel, score)
                    DO UPDATE SET responses = survey_rollup.responses + excluded.responses
            )
            SELECT count(*) AS inserted FROM inserted""";

    /** A privacy delete takes the customer's rows out of the rollups in the same statement. */
    private static final String DELETE_CUSTOMER = """
            WITH deleted AS (
                DELETE FROM survey_response WHERE customer_id = :customerId
                RETURNING survey_id, responded_at, channel, score
            ), counts AS (
                SELECT survey_id, (responded_at AT TIME ZONE 'UTC')::date AS day, channel, score, count(*) AS n
                FROM deleted
                GROUP BY 1, 2, 3, 4
            ), rolled AS (
                UPDATE survey_rollup r SET responses = r.responses - c.n
                FROM counts c
                WHERE r.survey_id = c.survey_id AND r.day = c.day AND r.channel = c.channel AND r.score = c.score
            )
            SELECT count(*) AS deleted, array_agg(DISTINCT survey_id::text) AS surveys FROM deleted""";

    private final DatabaseClient db;

    public ResponseRepository(DatabaseClient db) {
        this.db = db;
    }

    /** Inserts the rows not yet stored (by response id or by survey and customer); returns how many. */
    public Mono<Long> insertBatch(Survey survey, List<ResponseRow> rows, Instant receivedAt) {
        int n = rows.size();
        String[] responseIds = new String[n];
        String[] customerIds = new String[n];
        Short[] scores = new Short[n];
        String[] comments = new String[n];
        String[] channels = new String[n];
        String[] respondedAts = new String[n];
        String[] ticketIds = new String[n];
        for (int i = 0; i < n; i++) {
            ResponseRow row = rows.get(i);
            responseIds[i] = row.responseId();
            customerIds[i] = row.customerId();
            scores[i] = (short) row.score();
            comments[i] = row.comment();
            channels[i] = row.channel();
            respondedAts[i] = row.respondedAt().toString();
            ticketIds[i] = row.ticketId();
        }
        return db.sql(INSERT_BATCH)
                .bind("responseIds", responseIds)
                .bind("customerIds", customerIds)
                .bind("scores", scores)
                .bind("comments", comments)
                .bind("channels", channels)
                .bind("respondedAts", respondedAts)
                .bind("ticketIds", ticketIds)
                .bind("surveyId", survey.id())
                .bind("kind", survey.kind().name())
                .bind("scaleMax", (short) survey.scale())
                .bind("receivedAt", receivedAt.atOffset(java.time.ZoneOffset.UTC))
                .map(row -> row.get("inserted", Long.class))
                .one();
    }

    /** Stored rows that share a response id with the input, or answer the same survey as one of its customers. */
    public Flux<StoredResponse> findClashes(UUID surveyId, String[] responseIds, String[] customerIds) {
        return db.sql("""
                        SELECT * FROM survey_response WHERE response_id = ANY(:responseIds::text[])
                        UNION
                        SELECT * FROM survey_response WHERE survey_id = :surveyId AND customer_id = ANY(:customerIds::text[])""")
                .bind("responseIds", responseIds)
                .bind("surveyId", surveyId)
                .bind("customerIds", customerIds)
                .map(ResponseRepository::map)
                .all();
    }

    public Mono<StoredResponse> find(String responseId) {
        return db.sql("SELECT * FROM survey_response WHERE response_id = :id")
                .bind("id", responseId).map(ResponseRepository::map).one();
    }

    /** Responses of a survey in (respondedAt, responseId) order, strictly after the cursor position. */
    public Flux<StoredResponse> page(UUID surveyId, ResponseCursor after, int limit) {
        DatabaseClient.GenericExecuteSpec spec;
        if (after == null) {
            spec = db.sql("""
                    SELECT * FROM survey_response WHERE survey_id = :surveyId
                    ORDER BY responded_at, response_id LIMIT :limit""");
        } else {
            spec = db.sql("""
                            SELECT * FROM survey_response
                            WHERE survey_id = :surveyId AND (responded_at, response_id) > (:at, :id::text COLLATE "C")
                            ORDER BY responded_at, response_id LIMIT :limit""")
                    .bind("at", after.respondedAt().atOffset(java.time.ZoneOffset.UTC))
                    .bind("id", after.responseId());
        }
        return spec.bind("surveyId", surveyId).bind("limit", limit).map(ResponseRepository::map).all();
    }

    public Mono<DeletedResponses> deleteCustomer(String customerId) {
        return db.sql(DELETE_CUSTOMER)
                .bind("customerId", customerId)
                .map(row -> new DeletedResponses(row.get("deleted", Long.class),
                        row.get("surveys", String[].class)))
                .one()
                .flatMap(deleted -> deleted.count() == 0 ? Mono.just(deleted)
                        // zero rows would only clutter the rollups; the sums are right either way
                        : db.sql("DELETE FROM survey_rollup WHERE survey_id = ANY(:surveys::uuid[]) AND responses = 0")
                                .bind("surveys", deleted.surveys())
                                .then()
                                .thenReturn(deleted));
    }

    public record DeletedResponses(long count, String[] surveys) {
    }

    static StoredResponse map(Readable row) {
        return new StoredResponse(row.get("response_id", String.class), row.get("survey_id", UUID.class),
                row.get("customer_id", String.class), row.get("score", Short.class),
                row.get("comment", String.class), row.get("channel", String.class),
                row.get("responded_at", OffsetDateTime.class).toInstant(), row.get("ticket_id", String.class),
                row.get("received_at", OffsetDateTime.class).toInstant());
    }
}
