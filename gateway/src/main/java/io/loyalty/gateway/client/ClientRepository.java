package io.loyalty.gateway.client;

import io.loyalty.gateway.auth.ApiKeys;
import io.loyalty.gateway.ratelimit.RateLimitPolicy;
import io.r2dbc.spi.Readable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

@Repository
public class ClientRepository {

    private static final String CLIENT_COLUMNS = "id, name, scopes, requests_per_second, burst, daily_quota, created_at";

    private final DatabaseClient db;
    private final TransactionalOperator tx;

    ClientRepository(DatabaseClient db, TransactionalOperator tx) {
        this.db = db;
        this.tx = tx;
    }

    /** A key row that matched a prefix, with its client, for authentication. */
    public record KeyCandidate(UUID keyId, byte[] hash, ApiClient client) {
    }

    /** Inserts the client unless one with that name exists; returns the stored one either way. */
    public Mono<ApiClient> insertIfAbsent(UUID id, String name, List<String> scopes, RateLimitPolicy limit) {
        DatabaseClient.GenericExecuteSpec spec = db.sql("""
                        INSERT INTO api_client (id, name, scopes, requests_per_second, burst, daily_quota)
                        VALUES (:id, :name, :scopes, :rps, :burst, :quota)
                        ON CONFLICT (name) DO NOTHING""")
                .bind("id", id).bind("name", name).bind("scopes", scopes.toArray(String[]::new));
        spec = limit == null ? spec.bindNull("rps", Double.class).bindNull("burst", Long.class)
                : spec.bind("rps", limit.requestsPerSecond()).bind("burst", limit.burst());
        spec = limit == null || limit.dailyQuota() == null ? spec.bindNull("quota", Long.class)
                : spec.bind("quota", limit.dailyQuota());
        return spec.fetch().rowsUpdated().then(findByName(name));
    }

    public Mono<ApiClient> findByName(String name) {
        return db.sql("SELECT " + CLIENT_COLUMNS + " FROM api_client WHERE name = :name").bind("name", name)
                .map(ClientRepository::client).one();
    }

    public Mono<ApiClient> findById(UUID id) {
        return db.sql("SELECT " + CLIENT_COLUMNS + " FROM api_client WHERE id = :id").bind("id", id)
                .map(ClientRepository::client).one();
    }

    /** Clients ordered by id, after {@code after} (exclusive) when given. */
    public Flux<ApiClient> list(UUID after, int limit) {
        DatabaseClient.GenericExecuteSpec spec = db.sql("SELECT " + CLIENT_COLUMNS
                + " FROM api_client WHERE (CAST(:after AS uuid) IS NULL OR id > :after) ORDER BY id LIMIT :limit");
        spec = after == null ? spec.bindNull("after", UUID.class) : spec.bind("after", after);
        return spec.bind("limit", limit).map(ClientRepository::client).all();
    }

    public Flux<ApiKey> listKeys(UUID clientId, UUID after, int limit) {
        DatabaseClient.GenericExecuteSpec spec = db.sql("""
                SELECT id, client_id, prefix, created_at, revoked_at FROM api_key
                WHERE client_id = :client AND (CAST(:after AS uuid) IS NULL OR id > :after)
                ORDER BY id LIMIT :limit""").bind("client", clientId);
        spec = after == null ? spec.bindNull("after", UUID.class) : spec.bind("after", after);
        return spec.bind("limit", limit).map(ClientRepository::key).all();
    }

    public Mono<ApiKey> insertKey(UUID clientId, String plaintextKey) {
        UUID id = UUID.randomUUID();
        return db.sql("""
                        INSERT INTO api_key (id, client_id, prefix, hash) VALUES (:id, :client, :prefix, :hash)
                        RETURNING id, client_id, prefix, created_at, revoked_at""")
                .bind("id", id).bind("client", clientId).bind("prefix", ApiKeys.prefix(plaintextKey))
                .bind("hash", ApiKeys.hash(plaintextKey))
                .map(ClientRepository::key).one();
    }

    /** Revokes an active key; empty when the key does not exist, belongs to another client or is revoked. */
    public Mono<ApiKey> revokeKey(UUID clientId, UUID keyId) {
        return db.sql("""
                        UPDATE api_key SET revoked_at = now()
                        WHERE id = :id AND client_id = :client AND revoked_at IS NULL
                        RETURNING id, client_id, prefix, created_at, revoked_at""")
                .bind("id", keyId).bind("client", clientId).map(ClientRepository::key).one();
    }

    public Mono<ApiKey> findKey(UUID clientId, UUID keyId) {
        return db.sql("SELECT id, client_id, prefix, created_at, revoked_at FROM api_key WHERE id = :id AND client_id = :client")
                .bind("id", keyId).bind("client", clientId).map(ClientRepository::key).one();
    }

    public Flux<KeyCandidate> activeKeysByPrefix(String prefix) {
        return db.sql("""
                        SELECT k.id AS key_id, k.hash, c.id, c.name, c.scopes, c.requests_per_second, c.burst,
                               c.daily_quota, c.created_at
                        FROM api_key k JOIN api_client c ON c.id = k.client_id
                        WHERE k.prefix = :prefix AND k.revoked_at IS NULL""")
                .bind("prefix", prefix)
                .map(row -> new KeyCandidate(row.get("key_id", UUID.class), bytes(row.get("hash")), client(row)))
                .all();
    }

    /**
     * The operator's admin key: a client with every scope and this key, created once. The client id is
     * derived from the key's hash so that concurrent replicas converge on the same rows.
     */
    public Mono<ApiClient> ensureAdminKey(String plaintextKey, List<String> scopes, RateLimitPolicy limit) {
        byte[] hash = ApiKeys.hash(plaintextKey);
        UUID clientId = UUID.nameUUIDFromBytes(("loyalty-admin:" + Arrays.toString(hash)).getBytes(StandardCharsets.UTF_8));
        String name = "admin-" + clientId.toString().substring(0, 8);
        Mono<Void> work = db.sql("""
                        INSERT INTO api_client (id, name, scopes, requests_per_second, burst)
                        VALUES (:id, :name, :scopes, :rps, :burst)
                        ON CONFLICT (id) DO UPDATE SET scopes = EXCLUDED.scopes,
                            requests_per_second = EXCLUDED.requests_per_second, burst = EXCLUDED.burst""")
                .bind("id", clientId).bind("name", name).bind("scopes", scopes.toArray(String[]::new))
                .bind("rps", limit.requestsPerSecond()).bind("burst", limit.burst())
                .fetch().rowsUpdated()
                .then(db.sql("""
                                INSERT INTO api_key (id, client_id, prefix, hash) VALUES (:id, :client, :prefix, :hash)
                                ON CONFLICT (hash) DO UPDATE SET revoked_at = NULL
                                WHERE api_key.client_id = EXCLUDED.client_id""")
                        .bind("id", UUID.nameUUIDFromBytes(hash)).bind("client", clientId)
                        .bind("prefix", ApiKeys.prefix(plaintextKey)).bind("hash", hash)
                        .fetch().rowsUpdated())
                .then();
        return tx.transactional(work).then(findById(clientId));
    }

    private static byte[] bytes(Object value) {
        if (value instanceof byte[] b) {
            return b;
        }
        if (value instanceof java.nio.ByteBuffer buffer) {
            byte[] b = new byte[buffer.remaining()];
            buffer.duplicate().get(b);
            return b;
        }
        throw new IllegalStateException("Unexpected bytea type " + (value == null ? null : value.getClass()));
    }

    static ApiClient client(Readable row) {
        Double rps = row.get("requests_per_second", Double.class);
        Long burst = row.get("burst", Long.class);
        Long quota = row.get("daily_quota", Long.class);
        RateLimitPolicy limit = rps == null || burst == null ? null : new RateLimitPolicy(rps, burst, quota);
        String[] scopes = row.get("scopes", String[].class);
        return new ApiClient(row.get("id", UUID.class), row.get("name", String.class),
                scopes == null ? List.of() : List.of(scopes), limit, row.get("created_at", OffsetDateTime.class));
    }

    static ApiKey key(Readable row) {
        return new ApiKey(row.get("id", UUID.class), row.get("client_id", UUID.class), row.get("prefix", String.class),
                row.get("created_at", OffsetDateTime.class), row.get("revoked_at", OffsetDateTime.class));
    }
}
