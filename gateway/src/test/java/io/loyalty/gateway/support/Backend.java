package io.loyalty.gateway.support;

import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Supplier;

/**
 * A real HTTP server standing in for one downstream service: it answers with what it received,
 * or hangs, and can be stopped and started again on the same port.
 */
public final class Backend {

    public enum Mode { ANSWER, HANG }

    public record Received(String method, String path, Map<String, String> headers, int bodyBytes) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String name;
    private final ConcurrentLinkedDeque<Received> received = new ConcurrentLinkedDeque<>();
    private final Map<String, Supplier<String>> fixed = new LinkedHashMap<>();
    private final Map<String, Integer> statuses = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Mode mode = Mode.ANSWER;
    private volatile java.time.Duration delay = java.time.Duration.ZERO;
    private volatile DisposableServer server;
    private volatile int port;
    private volatile ChannelGroup connections;

    public Backend(String name) {
        this.name = name;
        fixed.put("/v3/api-docs", () -> "{\"openapi\":\"3.1.0\",\"info\":{\"title\":\"" + name + "\",\"version\":\"1\"},\"paths\":{}}");
    }

    public Backend serve(String path, Supplier<String> json) {
        fixed.put(path, json);
        return this;
    }

    public synchronized Backend start() {
        if (server == null) {
            connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
            server = HttpServer.create().host("127.0.0.1").port(port).channelGroup(connections)
                    .handle((request, response) -> request.receive().aggregate().asByteArray()
                            .defaultIfEmpty(new byte[0])
                            .flatMap(body -> {
                                Map<String, String> headers = new LinkedHashMap<>();
                                request.requestHeaders().forEach(e -> headers.put(e.getKey().toLowerCase(), e.getValue()));
                                String path = request.fullPath();
                                received.add(new Received(request.method().name(), request.uri(), headers, body.length));
                                if (mode == Mode.HANG) {
                                    return Mono.never();
                                }
                                Supplier<String> canned = fixed.get(path);
                                Map<String, Object> echo = new LinkedHashMap<>();
                                echo.put("service", name);
                                echo.put("method", request.method().name());
                                echo.put("uri", request.uri());
                                echo.put("bodyBytes", body.length);
                                echo.put("requestId", headers.get("x-request-id"));
                                echo.put("traceparent", headers.get("traceparent"));
                                String out = canned != null ? canned.get() : JSON.writeValueAsString(echo);
                                return Mono.delay(delay).then(response.status(statuses.getOrDefault(path, 200))
                                        .header("Content-Type", "application/json")
                                        .sendString(Mono.just(out), StandardCharsets.UTF_8).then());
                            }))
                    .bindNow();
            port = server.port();
        }
        return this;
    }

    public synchronized void stop() {
        if (server != null) {
            // like a process that dies: open keep-alive connections go too
            server.disposeNow();
            connections.close().syncUninterruptibly();
            server = null;
        }
    }

    /** Answers this path with this status from now on. */
    public void status(String path, int status) {
        statuses.put(path, status);
    }

    public void delay(java.time.Duration delay) {
        this.delay = delay;
    }

    public void mode(Mode mode) {
        this.mode = mode;
    }

    public String uri() {
        return "http://127.0.0.1:" + port;
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public Received last() {
        return received.peekLast();
    }

    public void clear() {
        received.clear();
    }
}
