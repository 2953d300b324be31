package io.loyalty.gateway.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.loyalty.gateway.ratelimit.RateLimitProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

import java.text.ParseException;
import java.time.Clock;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Verifies JWT access tokens (OAuth2 client credentials) with Nimbus: signature against the issuer's
 * JWKS (fetched without blocking, cached, refetched when an unknown key id shows up), exact issuer,
 * audience, expiry and not-before with a small clock skew. Scopes come from {@code scope} (space
 * separated) or {@code scp} (array or string).
 */
@Component
public class JwtAuthenticator {

    private static final Logger log = LoggerFactory.getLogger(JwtAuthenticator.class);

    private final AuthProperties.Jwt properties;
    private final RateLimitProperties rateLimits;
    private final WebClient http;
    private final Clock clock;
    private final AtomicReference<Jwks> jwks = new AtomicReference<>();

    private record Jwks(JWKSet set, long fetchedAtMillis) {
    }

    JwtAuthenticator(AuthProperties properties, RateLimitProperties rateLimits, WebClient.Builder builder, Clock clock) {
        this.properties = properties.jwt();
        this.rateLimits = rateLimits;
        this.http = builder.clone().observationRegistry(io.micrometer.observation.ObservationRegistry.NOOP).build();
        this.clock = clock;
    }

    public boolean enabled() {
        return properties.enabled();
    }

    public Mono<Principal> authenticate(String token) {
        if (!properties.enabled()) {
            return Mono.error(new AuthenticationException("jwt-disabled", "JWT authentication is not enabled"));
        }
        SignedJWT jwt;
        try {
            jwt = SignedJWT.parse(token);
        } catch (ParseException e) {
            return Mono.error(new AuthenticationException("malformed", "The bearer token is not a well-formed JWT"));
        }
        String kid = jwt.getHeader().getKeyID();
        return keys(kid).map(set -> principal(verify(token, set)));
    }

    private Mono<JWKSet> keys(String kid) {
        Jwks current = jwks.get();
        long now = clock.millis();
        boolean fresh = current != null && now - current.fetchedAtMillis() < properties.jwksCacheTtl().toMillis();
        boolean knowsKid = current != null && (kid == null || current.set().getKeyByKeyId(kid) != null);
        boolean mayRefresh = current == null || now - current.fetchedAtMillis() >= properties.jwksMinRefreshInterval().toMillis();
        if (current != null && fresh && (knowsKid || !mayRefresh)) {
            return Mono.just(current.set());
        }
        return http.get().uri(properties.jwksUri()).retrieve().bodyToMono(String.class)
                .timeout(properties.jwksFetchTimeout())
                .map(body -> {
                    try {
                        JWKSet set = JWKSet.parse(body);
                        jwks.set(new Jwks(set, clock.millis()));
                        return set;
                    } catch (ParseException e) {
                        throw new IllegalStateException("JWKS at " + properties.jwksUri() + " is not valid", e);
                    }
                })
                .onErrorResume(e -> {
                    log.warn("Could not fetch JWKS from {}: {}", properties.jwksUri(), e.toString());
                    return current != null ? Mono.just(current.set())
                            : Mono.error(new AuthenticationException("jwks-unavailable",
                                    "The token could not be verified: the issuer's keys are unavailable"));
                });
    }

    private JWTClaimsSet verify(String token, JWKSet set) {
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                new JOSEObjectType("at+jwt"), null));
        Set<JWSAlgorithm> algorithms = properties.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toSet());
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, new ImmutableJWKSet<>(set)));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                new HashSet<>(properties.audiences()),
                new JWTClaimsSet.Builder().issuer(properties.issuer()).build(),
                Set.of("iss", "aud", "exp"), null);
        claims.setMaxClockSkew((int) properties.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
        try {
            return processor.process(token, null);
        } catch (Exception e) {
            throw new AuthenticationException("invalid-jwt", "The token was rejected: " + safeReason(e));
        }
    }

    private static String safeReason(Exception e) {
        String message = e.getMessage() == null ? "invalid token" : e.getMessage();
        return message.length() > 200 ? message.substring(0, 200) : message;
    }

    private Principal principal(JWTClaimsSet claims) {
        String clientId = null;
        for (String claim : properties.clientIdClaims()) {
            Object value = claims.getClaim(claim);
            if (value instanceof String s && !s.isBlank()) {
                clientId = s;
                break;
            }
        }
        if (clientId == null) {
            throw new AuthenticationException("invalid-jwt", "The token names no client (" + properties.clientIdClaims() + ")");
        }
        return new Principal("oauth:" + clientId, clientId, scopes(claims), "jwt", null, rateLimits.defaultPolicy());
    }

    static Set<String> scopes(JWTClaimsSet claims) {
        Set<String> scopes = new LinkedHashSet<>();
        for (String claim : List.of("scope", "scp")) {
            Object value = claims.getClaim(claim);
            if (value instanceof String s) {
                for (String part : s.trim().split("\\s+")) {
                    if (!part.isEmpty()) {
                        scopes.add(part);
                    }
                }
            } else if (value instanceof Collection<?> list) {
                list.forEach(item -> scopes.add(String.valueOf(item)));
            }
        }
        return Set.copyOf(scopes);
    }
}
