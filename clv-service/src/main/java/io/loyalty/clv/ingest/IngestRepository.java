package io.loyalty.clv.ingest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

import io.loyalty.clv.ingest.Records.BatchResult;
import io.loyalty.clv.ingest.Records.ChurnEvent;
import io.loyalty.clv.ingest.Records.Purchase;
import io.loyalty.clv.ingest.Records.Referral;
import io.loyalty.clv.web.ApiException;
import io.loyalty.clv.web.FieldError;
import io.r2dbc.postgresql.api.PostgresqlConnection;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.Wrapped;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import reactor.core.publisher.Mono;

/**
 * Idempotent bulk writes: one multi-row INSERT ... SELECT FROM unnest(arrays) ON CONFLICT DO NOTHING per
 * batch, then, only when some ids already existed, one query comparing those rows with what was sent.
 * Both run in one transaction, so a changed body (409) rolls the whole batch back. The comparison runs
 * after the insert so that a concurrent batch holding the same id is waited for and then seen.
 *
 * <p>Purchases, the high-volume kind, first try a plain COPY (binary: no text parsing of each value), which
 * costs PostgreSQL less than half the CPU per row of the INSERT ... ON CONFLICT. A COPY cannot skip existing
 * rows: when one orderId is already stored (a replay, a partly new batch, a concurrent identical batch) it fails
 * with a unique violation, its transaction rolls back, and the batch takes the path above, which sorts out
 * accepted, duplicates and 409.
 */
@Repository
public class IngestRepository {

    private static final String PURCHASE_COPY =
            "COPY purchases (order_id, customer_id, occurred_at, original_amount, currency, amount) FROM STDIN "
                    + "WITH (FORMAT binary)";
    private static final String PURCHASE_INPUT = """
            unnest($1::text[], $2::text[], $3::timestamptz[], $4::numeric[], $5::text[], $6::numeric[])
                WITH ORDINALITY AS i(order_id, customer_id, occurred_at, original_amount, currency, amount, ord)""";
    private static final String REFERRAL_INPUT = """
            unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[])
                WITH ORDINALITY AS i(referral_id, referrer_id, referred_id, occurred_at, ord)""";
    private static final String CHURN_INPUT = """
            unnest($1::text[], $2::text[], $3::timestamptz[], $4::text[])
                WITH ORDINALITY AS i(event_id, customer_id, occurred_at, reason, ord)""";

    private final DatabaseClient db;
    private final TransactionalOperator tx;

    public IngestRepository(DatabaseClient db, ReactiveTransactionManager transactionManager) {
        this.db = db;
        this.tx = TransactionalOperator.create(transactionManager);
    }

    public Mono<BatchResult> purchases(List<Purchase> batch, String itemPath, int indexOffset) {
        Unique<Purchase> unique = Unique.of(batch, Purchase::orderId, itemPath, "orderId", indexOffset);
        return tx.transactional(copy(unique))
                .onErrorResume(IngestRepository::uniqueViolation, e -> upsert(unique));
    }

    /** The whole batch with one COPY; fails with a unique violation if any orderId is stored already. */
    private Mono<BatchResult> copy(Unique<Purchase> unique) {
        List<Purchase> items = unique.items;
        BinaryRows rows = new BinaryRows(items.size() * 144);
        for (Purchase p : items) {
            rows.row(6).text(p.orderId()).text(p.customerId()).timestamp(p.occurredAt()).numeric(p.amount())
                    .text(p.currency()).numeric(p.reportingAmount());
        }
        rows.end();
        byte[] data = rows.bytes();
        int size = rows.length();
        long n = items.size();
        return db.inConnection(connection -> postgres(connection).copyIn(PURCHASE_COPY).from(data, 0, size).build())
                .flatMap(copied -> copied == n ? Mono.just(new BatchResult(n, unique.inBatchDuplicates))
                        // never expected; failing rolls the COPY back rather than reporting a wrong count
                        : Mono.error(new IllegalStateException("COPY stored " + copied + " of " + n + " purchases")));
    }

    private Mono<BatchResult> upsert(Unique<Purchase> unique) {
        List<Purchase> items = unique.items;
        Object[] binds = {
            items.stream().map(Purchase::orderId).toArray(String[]::new),
            items.stream().map(Purchase::customerId).toArray(String[]::new),
            items.stream().map(p -> p.occurredAt().toString()).toArray(String[]::new),
            items.stream().map(p -> p.amount().toPlainString()).toArray(String[]::new),
            items.stream().map(Purchase::currency).toArray(String[]::new),
            items.stream().map(p -> p.reportingAmount().toPlainString()).toArray(String[]::new)};
        return write(unique, binds,
                "INSERT INTO purchases (order_id, customer_id, occurred_at, original_amount, currency, amount) "
                        + "SELECT order_id, customer_id, occurred_at, original_amount, currency, amount FROM "
                        + PURCHASE_INPUT + " ON CONFLICT (order_id) DO NOTHING",
                "SELECT i.ord FROM " + PURCHASE_INPUT + " JOIN purchases p USING (order_id) "
                        + "WHERE (p.customer_id, p.occurred_at, p.original_amount, p.currency) "
                        + "IS DISTINCT FROM (i.customer_id, i.occurred_at, i.original_amount, i.currency) "
                        + "ORDER BY i.ord LIMIT 100");
    }

    /** SQLSTATE 23505, the only state meaning "orderId stored"; Spring's DuplicateKeyException also covers 23000. */
    private static boolean uniqueViolation(Throwable e) {
        return e instanceof DuplicateKeyException && e.getCause() instanceof R2dbcException cause
                && "23505".equals(cause.getSqlState());
    }

    /**
     * The driver's connection for copyIn, under Spring's close-suppressing proxy and the pool's wrapper. Unwrapped
     * step by step: the proxy answers every unwrap call, unwrap(Class) included, with the connection it wraps.
     */
    @SuppressWarnings("unchecked")
    private static PostgresqlConnection postgres(Connection connection) {
        Connection c = connection;
        while (!(c instanceof PostgresqlConnection pg)) {
            c = ((Wrapped<Connection>) c).unwrap();
        }
        return pg;
    }

    public Mono<BatchResult> referrals(List<Referral> batch) {
        Unique<Referral> unique = Unique.of(batch, Referral::referralId, "referrals", "referralId", 0);
        List<Referral> items = unique.items;
        Object[] binds = {
            items.stream().map(Referral::referralId).toArray(String[]::new),
            items.stream().map(Referral::referrerId).toArray(String[]::new),
            items.stream().map(Referral::referredId).toArray(String[]::new),
            items.stream().map(r -> r.occurredAt().toString()).toArray(String[]::new)};
        return write(unique, binds,
                "INSERT INTO referrals (referral_id, referrer_id, referred_id, occurred_at) "
                        + "SELECT referral_id, referrer_id, referred_id, occurred_at FROM " + REFERRAL_INPUT
                        + " ON CONFLICT (referral_id) DO NOTHING",
                "SELECT i.ord FROM " + REFERRAL_INPUT + " JOIN referrals r USING (referral_id) "
                        + "WHERE (r.referrer_id, r.referred_id, r.occurred_at) "
                        + "IS DISTINCT FROM (i.referrer_id, i.referred_id, i.occurred_at) ORDER BY i.ord LIMIT 100");
    }

    public Mono<BatchResult> churnEvents(List<ChurnEvent> batch) {
        Unique<ChurnEvent> unique = Unique.of(batch, ChurnEvent::eventId, "events", "eventId", 0);
        List<ChurnEvent> items = unique.items;
        Object[] binds = {
            items.stream().map(ChurnEvent::eventId).toArray(String[]::new),
            items.stream().map(ChurnEvent::customerId).toArray(String[]::new),
            items.stream().map(e -> e.occurredAt().toString()).toArray(String[]::new),
            items.stream().map(ChurnEvent::reason).toArray(String[]::new)};
        return write(unique, binds,
                "INSERT INTO churn_events (event_id, customer_id, occurred_at, reason) "
                        + "SELECT event_id, customer_id, occurred_at, reason FROM " + CHURN_INPUT
                        + " ON CONFLICT (event_id) DO NOTHING",
                "SELECT i.ord FROM " + CHURN_INPUT + " JOIN churn_events e USING (event_id) "
                        + "WHERE (e.customer_id, e.occurred_at, e.reason) "
                        + "IS DISTINCT FROM (i.customer_id, i.occurred_at, i.reason) ORDER BY i.ord LIMIT 100");
    }

    private <T> Mono<BatchResult> write(Unique<T> unique, Object[] binds, String insert, String conflicts) {
        int n = unique.items.size();
        Mono<BatchResult> work = bind(db.sql(insert), binds).fetch().rowsUpdated().flatMap(inserted -> {
            BatchResult result = new BatchResult(inserted, unique.inBatchDuplicates + (n - inserted));
            if (inserted == n) {
                return Mono.just(result);
            }
            return bind(db.sql(conflicts), binds).map(row -> row.get(0, Long.class)).all().collectList()
                    .flatMap(ordinals -> ordinals.isEmpty() ? Mono.just(result)
                            : Mono.error(unique.conflict(ordinals)));
        });
        return tx.transactional(work);
    }

    private static DatabaseClient.GenericExecuteSpec bind(DatabaseClient.GenericExecuteSpec spec, Object[] binds) {
        for (int i = 0; i < binds.length; i++) {
            spec = spec.bind(i, binds[i]);
        }
        return spec;
    }

    /** The batch without repeated ids; an id repeated with a different body is a conflict already. */
    private record Unique<T>(List<T> items, int[] originalIndex, long inBatchDuplicates, String itemPath,
                             String idField, int indexOffset) {

        static <T> Unique<T> of(List<T> batch, Function<T, String> id, String itemPath, String idField,
                                int indexOffset) {
            Map<String, Integer> seen = new HashMap<>(batch.size() * 2);
            List<T> items = new ArrayList<>(batch.size());
            int[] original = new int[batch.size()];
            List<FieldError> conflicts = new ArrayList<>();
            long duplicates = 0;
            for (int i = 0; i < batch.size(); i++) {
                T item = batch.get(i);
                Integer first = seen.putIfAbsent(id.apply(item), i);
                if (first == null) {
                    original[items.size()] = i;
                    items.add(item);
                } else if (Objects.equals(batch.get(first), item)) {
                    duplicates++;
                } else {
                    conflicts.add(new FieldError(itemPath + "[" + (i + indexOffset) + "]." + idField,
                            idField + " " + id.apply(item) + " appears earlier in this batch with a different body"));
                }
            }
            if (!conflicts.isEmpty()) {
                throw ApiException.conflict(conflicts.size() + " item(s) reuse an " + idField
                        + " with a different body; nothing from this batch was stored", conflicts);
            }
            return new Unique<>(items, original, duplicates, itemPath, idField, indexOffset);
        }

        ApiException conflict(List<Long> ordinals) {
            List<FieldError> errors = ordinals.stream()
                    .map(ord -> new FieldError(itemPath + "[" + (originalIndex[(int) (ord - 1)] + indexOffset) + "]."
                            + idField, "already stored with a different body"))
                    .toList();
            return ApiException.conflict(errors.size() + (errors.size() == 100 ? "+" : "") + " item(s) reuse an "
                    + idField + " already stored with a different body; nothing from this batch was stored", errors);
        }
    }
}
