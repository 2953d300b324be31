package io.loyalty.gateway.auth;

import io.loyalty.gateway.web.FilterOrder;
import io.loyalty.gateway.web.Problems;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.PathContainer;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;
import reactor.core.publisher.Mono;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code Authorization: Bearer <api key | JWT>} on every non-public path: 401 when missing or invalid,
 * 403 when the client lacks the route's scope. Runs before routing, so admin and usage endpoints are
 * covered as well as the proxied services.
 */
@Component
class AuthenticationFilter implements WebFilter, Ordered {

    private static final Pattern JWT_SHAPE = Pattern.compile("^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*$");
    private static final Pattern TOKEN_CHARS = Pattern.compile("^[\\x21-\\x7E]{1,4096}$");

    private final ApiKeyAuthenticator apiKeys;
    private final JwtAuthenticator jwts;
    private final MeterRegistry meters;
    private final List<PathPattern> publicPaths;
    private final List<CompiledRule> rules;
    private final String defaultScope;

    private record CompiledRule(Set<HttpMethod> methods, List<PathPattern> paths, String scope) {
        boolean matches(HttpMethod method, PathContainer path) {
            HttpMethod effective = method == HttpMethod.HEAD ? HttpMethod.GET : method;
            return (methods.isEmpty() || methods.contains(effective)) && paths.stream().anyMatch(p -> p.matches(path));
        }
    }

    AuthenticationFilter(AuthProperties properties, ApiKeyAuthenticator apiKeys, JwtAuthenticator jwts, MeterRegistry meters) {
        this.apiKeys = apiKeys;
        this.jwts = jwts;
        this.meters = meters;
        PathPatternParser parser = PathPatternParser.defaultInstance;
        this.publicPaths = properties.publicPaths().stream().map(parser::parse).toList();
        this.rules = properties.rules().stream().map(rule -> new CompiledRule(
                rule.methods() == null ? Set.of() : rule.methods().stream().map(HttpMethod::valueOf).collect(Collectors.toSet()),
                rule.paths().stream().map(parser::parse).toList(),
                rule.scope() == null ? "" : rule.scope())).toList();
        this.defaultScope = properties.defaultScope();
    }

    @Override
    public int getOrder() {
        return FilterOrder.AUTHENTICATION;
    }

    static final String CLIENT_ID_HEADER = "X-Loyalty-Client-Id";
    static final String CLIENT_SCOPES_HEADER = "X-Loyalty-Client-Scopes";

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        PathContainer path = exchange.getRequest().getPath().pathWithinApplication();
        if (publicPaths.stream().anyMatch(p -> p.matches(path))) {
            return chain.filter(exchange.mutate().request(r -> r.headers(h -> {
                h.remove(CLIENT_ID_HEADER);
                h.remove(CLIENT_SCOPES_HEADER);
            })).build());
        }
        List<String> headers = exchange.getRequest().getHeaders().getOrEmpty(HttpHeaders.AUTHORIZATION);
        if (headers.isEmpty()) {
            return unauthorized(exchange, "missing", "Send Authorization: Bearer <API key or JWT>");
        }
        String header = headers.get(0).trim();
        if (headers.size() > 1 || header.length() < 7 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return unauthorized(exchange, "malformed", "The Authorization header must be: Bearer <API key or JWT>");
        }
        String credential = header.substring(7).trim();
        if (!TOKEN_CHARS.matcher(credential).matches()) {
            return unauthorized(exchange, "malformed", "The bearer credential is empty or contains invalid characters");
        }
        Mono<Principal> principal = JWT_SHAPE.matcher(credential).matches() && jwts.enabled()
                ? jwts.authenticate(credential) : apiKeys.authenticate(credential);
        String required = requiredScope(exchange.getRequest().getMethod(), path);
        return principal
                .flatMap(p -> {
                    exchange.getAttributes().put(Principal.ATTRIBUTE, p);
                    if (!required.isEmpty() && !p.scopes().contains(required)) {
                        meters.counter("loyalty.gateway.auth.forbidden").increment();
                        return Problems.write(exchange, HttpStatus.FORBIDDEN, "insufficient-scope",
                                "This request needs the scope '" + required + "'",
                                null, h -> h.set(HttpHeaders.WWW_AUTHENTICATE,
                                        "Bearer error=\"insufficient_scope\", scope=\"" + required + "\""));
                    }
                    // services learn who called, never the credential; spoofed identity headers are dropped
                    ServerWebExchange forwarded = exchange.mutate().request(r -> r.headers(h -> {
                        h.remove(HttpHeaders.AUTHORIZATION);
                        h.set(CLIENT_ID_HEADER, p.clientId());
                        h.set(CLIENT_SCOPES_HEADER, String.join(" ", p.scopes()));
                    })).build();
                    return chain.filter(forwarded);
                })
                .onErrorResume(AuthenticationException.class, e -> unauthorized(exchange, e.reason(), e.getMessage()));
    }

    String requiredScope(HttpMethod method, PathContainer path) {
        for (CompiledRule rule : rules) {
            if (rule.matches(method, path)) {
                return rule.scope();
            }
        }
        return defaultScope;
    }

    private Mono<Void> unauthorized(ServerWebExchange exchange, String reason, String detail) {
        meters.counter("loyalty.gateway.auth.failures", "reason", reason).increment();
        return Problems.write(exchange, HttpStatus.UNAUTHORIZED, "unauthorized", detail, null,
                h -> h.set(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"loyalty\""));
    }
}
