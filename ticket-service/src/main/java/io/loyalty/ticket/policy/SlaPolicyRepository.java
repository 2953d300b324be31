package io.loyalty.ticket.policy;

import io.loyalty.ticket.ticket.Priority;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;

@Repository
public class SlaPolicyRepository {

    private static final String COLUMNS =
            "id, priority, first_response_minutes, resolution_minutes, business_hours::text AS business_hours, created_at";

    private final DatabaseClient db;
    private final ObjectMapper json;

    public SlaPolicyRepository(DatabaseClient db, ObjectMapper json) {
        this.db = db;
        this.json = json;
    }

    public Mono<SlaPolicy> current(Priority priority) {
        return db.sql("SELECT " + COLUMNS + " FROM sla_policy WHERE priority = $1 AND is_current")
                .bind(0, priority.name()).map(this::policy).one();
    }

    public Flux<SlaPolicy> allCurrent() {
        return db.sql("SELECT " + COLUMNS + " FROM sla_policy WHERE is_current ORDER BY id").map(this::policy).all();
    }

    public Flux<SlaPolicy> byVersions(Collection<Long> versions) {
        return db.sql("SELECT " + COLUMNS + " FROM sla_policy WHERE id = ANY($1)")
                .bind(0, versions.toArray(Long[]::new)).map(this::policy).all();
    }

    /** Serialises writers of one priority for the rest of the transaction. */
    public Mono<Void> lock(Priority priority) {
        return db.sql("SELECT pg_advisory_xact_lock(hashtext('sla_policy:' || $1))::text")
                .bind(0, priority.name()).fetch().rowsUpdated().then();
    }

    public Mono<SlaPolicy> replace(Priority priority, int firstResponse, int resolution, BusinessHoursBody hours) {
        Mono<Long> retire = db.sql("UPDATE sla_policy SET is_current = false WHERE priority = $1 AND is_current")
                .bind(0, priority.name()).fetch().rowsUpdated();
        DatabaseClient.GenericExecuteSpec insert = db.sql("INSERT INTO sla_policy "
                        + "(priority, first_response_minutes, resolution_minutes, business_hours, is_current) "
                        + "VALUES ($1, $2, $3, $4::jsonb, true) RETURNING " + COLUMNS)
                .bind(0, priority.name()).bind(1, firstResponse).bind(2, resolution);
        insert = hours == null ? insert.bindNull(3, String.class) : insert.bind(3, json.writeValueAsString(hours));
        return retire.then(insert.map(this::policy).one());
    }

    private SlaPolicy policy(Readable row) {
        String hours = row.get("business_hours", String.class);
        return new SlaPolicy(row.get("id", Long.class), Priority.valueOf(row.get("priority", String.class)),
                row.get("first_response_minutes", Integer.class), row.get("resolution_minutes", Integer.class),
                hours == null ? null : json.readValue(hours, BusinessHoursBody.class),
                row.get("created_at", OffsetDateTime.class).toInstant());
    }

}
