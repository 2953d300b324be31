package io.loyalty.gateway.ratelimit;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.reactive.RedisReactiveCommands;
import io.lettuce.core.codec.StringCodec;
import org.springframework.core.io.ClassPathResource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Buckets shared by every gateway replica: one Lua script takes the token and counts the request
 * atomically. Keys carry the client id as a hash tag so both land on one Redis Cluster slot. The
 * caller's clock is the time source (replicas are NTP-synchronised; the script never moves time back).
 * Commands fail fast while disconnected instead of queueing, so a dead Redis costs no latency.
 */
public class RedisTokenBucketStore implements TokenBucketStore, AutoCloseable {

    private static final String SCRIPT = load();
    private static final String SHA = sha1(SCRIPT);

    private final RedisClient client;
    private final RedisURI uri;
    private final String prefix;
    private final long usageTtlSeconds;
    private final long reconnectIntervalMillis;
    private final AtomicReference<StatefulRedisConnection<String, String>> connection = new AtomicReference<>();
    private final AtomicLong nextConnectAttempt = new AtomicLong();

    public RedisTokenBucketStore(String redisUrl, Duration timeout, Duration reconnectInterval, String keyPrefix,
                                 int usageRetentionDays) {
        this.uri = RedisURI.create(redisUrl);
        this.uri.setTimeout(timeout);
        this.client = RedisClient.create();
        this.client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder().connectTimeout(timeout.multipliedBy(5)).build())
                .build());
        this.prefix = keyPrefix;
        this.usageTtlSeconds = (usageRetentionDays + 1) * 86_400L;
        this.reconnectIntervalMillis = reconnectInterval.toMillis();
    }

    /** Connects at start so the first requests do not pay for it; a failure here is retried later. */
    public void connectEagerly(Duration wait) {
        try {
            commands().block(wait);
        } catch (RuntimeException e) {
            nextConnectAttempt.set(0);
        }
    }

    @Override
    public Mono<Decision> consume(String clientId, RateLimitPolicy policy, long nowMillis) {
        String[] keys = {bucketKey(clientId), usageKey(clientId, InMemoryTokenBucketStore.day(nowMillis))};
        String[] args = {
                Double.toString(policy.requestsPerSecond() / 1000.0),
                Long.toString(policy.burst()),
                Long.toString(nowMillis),
                Long.toString(policy.dailyQuota() == null ? -1 : policy.dailyQuota()),
                Long.toString(usageTtlSeconds)};
        return commands()
                .flatMap(redis -> run(redis.evalsha(SHA, ScriptOutputType.MULTI, keys, args))
                        .onErrorResume(RedisNoScriptException.class,
                                e -> run(redis.eval(SCRIPT, ScriptOutputType.MULTI, keys, args))))
                .map(values -> {
                    Decision.Outcome outcome = switch ((int) values.get(0).longValue()) {
                        case 0 -> Decision.Outcome.ALLOWED;
                        case 1 -> Decision.Outcome.RATE_LIMITED;
                        default -> Decision.Outcome.QUOTA_EXCEEDED;
                    };
                    long retry = outcome == Decision.Outcome.QUOTA_EXCEEDED
                            ? TokenBucketMath.millisUntilNextUtcDay(nowMillis) : values.get(2);
                    return new Decision(outcome, policy.burst(), values.get(1), retry, values.get(3), values.get(4), "redis");
                });
    }

    @Override
    public Mono<List<DayUsage>> usage(String clientId, LocalDate from, LocalDate to) {
        List<LocalDate> days = new ArrayList<>();
        for (LocalDate d = to; !d.isBefore(from); d = d.minusDays(1)) {
            days.add(d);
        }
        return commands().flatMap(redis -> Flux.fromIterable(days)
                .concatMap(day -> redis.hgetall(usageKey(clientId, day)).collectMap(kv -> kv.getKey(), kv -> kv.getValue())
                        .map(map -> new DayUsage(day, parse(map, "allowed"), parse(map, "rejected"))))
                .collectList());
    }

    private static long parse(Map<String, String> map, String field) {
        String value = map.get(field);
        return value == null ? 0 : Long.parseLong(value);
    }

    @SuppressWarnings("unchecked")
    private static Mono<List<Long>> run(Flux<Object> result) {
        return result.collectList().map(list -> {
            List<Object> values = list.size() == 1 && list.get(0) instanceof List<?> inner ? (List<Object>) inner : list;
            List<Long> numbers = new ArrayList<>(values.size());
            values.forEach(v -> numbers.add(((Number) v).longValue()));
            if (numbers.size() != 5) {
                throw new IllegalStateException("Unexpected token bucket script result " + values);
            }
            return numbers;
        });
    }

    /** The live connection, or a new one at most once per reconnect interval. */
    private Mono<RedisReactiveCommands<String, String>> commands() {
        StatefulRedisConnection<String, String> current = connection.get();
        if (current != null && current.isOpen()) {
            return Mono.just(current.reactive());
        }
        long now = System.currentTimeMillis();
        long next = nextConnectAttempt.get();
        if (now < next || !nextConnectAttempt.compareAndSet(next, now + reconnectIntervalMillis)) {
            return Mono.error(new IllegalStateException("Redis is not connected"));
        }
        return Mono.fromCompletionStage(() -> client.connectAsync(StringCodec.UTF8, uri))
                .map(created -> {
                    if (!connection.compareAndSet(current, created)) {
                        created.closeAsync();
                        return connection.get().reactive();
                    }
                    return created.reactive();
                });
    }

    String bucketKey(String clientId) {
        return prefix + "bucket:{" + clientId + "}";
    }

    String usageKey(String clientId, LocalDate day) {
        return prefix + "usage:{" + clientId + "}:" + day;
    }

    @Override
    public void close() {
        StatefulRedisConnection<String, String> current = connection.getAndSet(null);
        if (current != null) {
            current.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }

    private static String load() {
        try (var in = new ClassPathResource("ratelimit/token-bucket.lua").getInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
