package io.loyalty.survey.satisfaction;

import io.loyalty.survey.survey.SurveyKind;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Latest signal per customer and kind, read through the (customer_id, kind, responded_at DESC) index. Ties
 * on respondedAt go to the greater responseId so the answer is deterministic.
 */
@Repository
public class SatisfactionRepository {

    private static final String COLUMNS = "customer_id, kind, score, scale_max, responded_at, survey_id, response_id";

    private final DatabaseClient db;

    public SatisfactionRepository(DatabaseClient db) {
        this.db = db;
    }

    public Flux<Signal> latest(String customerId) {
        return db.sql("SELECT DISTINCT ON (kind) " + COLUMNS + """
                         FROM survey_response WHERE customer_id = :customerId
                        ORDER BY kind, responded_at DESC, response_id DESC""")
                .bind("customerId", customerId)
                .map(SatisfactionRepository::map)
                .all();
    }

    /**
     * Signals of the next customers after afterCustomerId (exclusive, "C" collation = UTF-8 byte order),
     * at most {@code customers} of them, in customer order. One bounded query per page.
     */
    public Flux<Signal> page(String afterCustomerId, int customers) {
        return db.sql("""
                        WITH page AS (
                            SELECT DISTINCT customer_id FROM survey_response
                            WHERE customer_id > :after
                            ORDER BY customer_id
                            LIMIT :customers
                        )
                        SELECT DISTINCT ON (r.customer_id, r.kind) r.customer_id, r.kind, r.score, r.scale_max,
                               r.responded_at, r.survey_id, r.response_id
                        FROM page JOIN survey_response r ON r.customer_id = page.customer_id
                        ORDER BY r.customer_id, r.kind, r.responded_at DESC, r.response_id DESC""")
                .bind("after", afterCustomerId)
                .bind("customers", customers)
                .map(SatisfactionRepository::map)
                .all();
    }

    static Signal map(Readable row) {
        return new Signal(row.get("customer_id", String.class), SurveyKind.valueOf(row.get("kind", String.class)),
                row.get("score", Short.class), row.get("scale_max", Short.class),
                row.get("responded_at", OffsetDateTime.class).toInstant(), row.get("survey_id", UUID.class),
                row.get("response_id", String.class));
    }
}
