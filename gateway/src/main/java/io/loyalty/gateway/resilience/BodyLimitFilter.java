package io.loyalty.gateway.resilience;

import io.loyalty.gateway.web.FilterOrder;
import io.loyalty.gateway.web.Problems;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * 413 problem+json for bodies over the path's limit: at once from Content-Length, or while streaming
 * a chunked body (the proxy then fails and the fallback answers 413 as well).
 */
@Component
class BodyLimitFilter implements WebFilter, Ordered {

    private record Limit(PathPattern pattern, long bytes) {
    }

    private final List<Limit> limits;
    private final long defaultLimit;

    BodyLimitFilter(ResilienceProperties properties) {
        this.limits = properties.bodyLimits().stream()
                .map(l -> new Limit(PathPatternParser.defaultInstance.parse(l.path()), l.maxSize().toBytes())).toList();
        this.defaultLimit = properties.maxBodySize().toBytes();
    }

    @Override
    public int getOrder() {
        return FilterOrder.BODY_LIMIT;
    }

    long limitFor(PathContainer path) {
        for (Limit limit : limits) {
            if (limit.pattern().matches(path)) {
                return limit.bytes();
            }
        }
        return defaultLimit;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        long limit = limitFor(exchange.getRequest().getPath().pathWithinApplication());
        long declared = exchange.getRequest().getHeaders().getContentLength();
        if (declared > limit) {
            return Problems.write(exchange, HttpStatus.CONTENT_TOO_LARGE, "payload-too-large",
                    "The request body of " + declared + " bytes exceeds the limit of " + limit + " bytes for this path");
        }
        if (declared >= 0) {
            return chain.filter(exchange);
        }
        AtomicLong seen = new AtomicLong();
        ServerHttpRequestDecorator guarded = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                return super.getBody().map(buffer -> {
                    if (seen.addAndGet(buffer.readableByteCount()) > limit) {
                        DataBufferUtils.release(buffer);
                        throw new PayloadTooLargeException(limit);
                    }
                    return buffer;
                });
            }
        };
        return chain.filter(exchange.mutate().request(guarded).build());
    }
}
