package io.loyalty.gateway.support;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;

import java.time.Duration;

/**
 * The Redis the integration tests run against: {@code LOYALTY_TEST_REDIS_URL} when set, else a
 * Testcontainers Redis when Docker is available, else 127.0.0.1:6379. When none answers, tests fail
 * with a message saying so; they never skip.
 */
public final class TestRedis {

    private static volatile String url;

    private TestRedis() {
    }

    public static synchronized String url() {
        if (url != null) {
            return url;
        }
        String configured = System.getenv("LOYALTY_TEST_REDIS_URL");
        String candidate;
        if (configured != null && !configured.isBlank()) {
            candidate = configured.trim();
        } else if (dockerAvailable()) {
            GenericContainer<?> container = new GenericContainer<>("redis:7-alpine").withExposedPorts(6379);
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
            candidate = "redis://" + container.getHost() + ":" + container.getMappedPort(6379);
        } else {
            candidate = "redis://127.0.0.1:6379";
        }
        RedisClient client = RedisClient.create();
        try (StatefulRedisConnection<String, String> connection = client.connect(RedisURI.create(candidate))) {
            String pong = connection.sync().ping();
            if (!"PONG".equals(pong)) {
                throw new IllegalStateException("Redis at " + candidate + " answered " + pong);
            }
        } catch (RuntimeException e) {
            throw new IllegalStateException("The gateway's Redis tests need a Redis: none answered at " + candidate
                    + " (set LOYALTY_TEST_REDIS_URL, start Redis on 127.0.0.1:6379, or provide Docker). Cause: " + e, e);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
        url = candidate;
        return url;
    }

    private static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable e) {
            return false;
        }
    }
}
