package io.loyalty.survey.survey;

import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Mono;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

@Repository
public class SurveyRepository {

    private final DatabaseClient db;

    public SurveyRepository(DatabaseClient db) {
        this.db = db;
    }

    /** The inserted survey, or empty when a survey with this id exists already. */
    public Mono<Survey> insert(Survey survey) {
        DatabaseClient.GenericExecuteSpec spec = db.sql("""
                        INSERT INTO survey (id, name, kind, question, scale_min, scale_max, channel, ticket_id)
                        VALUES (:id, :name, :kind, :question, :scaleMin, :scaleMax, :channel, :ticketId)
                        ON CONFLICT (id) DO NOTHING
                        RETURNING *""")
                .bind("id", survey.id())
                .bind("name", survey.name())
                .bind("kind", survey.kind().name())
                .bind("question", survey.question())
                .bind("scaleMin", (short) survey.scaleMin())
                .bind("scaleMax", (short) survey.scale());
        spec = survey.channel() == null ? spec.bindNull("channel", String.class) : spec.bind("channel", survey.channel());
        spec = survey.ticketId() == null ? spec.bindNull("ticketId", String.class) : spec.bind("ticketId", survey.ticketId());
        return spec.map(SurveyRepository::map).one();
    }

    public Mono<Survey> find(UUID id) {
        return db.sql("SELECT * FROM survey WHERE id = :id").bind("id", id).map(SurveyRepository::map).one();
    }

    static Survey map(Readable row) {
        return new Survey(row.get("id", UUID.class), row.get("name", String.class),
                SurveyKind.valueOf(row.get("kind", String.class)), row.get("question", String.class),
                row.get("scale_min", Short.class), row.get("scale_max", Short.class),
                row.get("channel", String.class), row.get("ticket_id", String.class),
                toInstant(row.get("created_at", OffsetDateTime.class)));
    }

    private static Instant toInstant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
