package io.loyalty.gateway.support;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/** An OAuth2 issuer for tests: its signing key is generated here and its JWKS is served by a real server. */
public final class TestIssuer {

    public static final String ISSUER = "https://issuer.test.loyalty.io/";
    public static final String AUDIENCE = "loyalty-gateway";

    private volatile RSAKey key;
    private volatile RSAKey previous;
    private final Backend server;

    public TestIssuer() {
        this.key = generate("test-key");
        this.server = new Backend("issuer").serve("/jwks", () -> (previous == null ? new JWKSet(key.toPublicJWK())
                : new JWKSet(List.of(key.toPublicJWK(), previous.toPublicJWK()))).toString()).start();
    }

    /** Signs from now on with a new key (new key id); the JWKS lists both, as issuers do while rotating. */
    public void rotate() {
        previous = key;
        key = generate("test-key-" + UUID.randomUUID());
    }

    public int jwksFetches() {
        return (int) server.received().stream().filter(r -> r.path().equals("/jwks")).count();
    }

    public String jwksUri() {
        return server.uri() + "/jwks";
    }

    public String token(String clientId, String scope) {
        return sign(key, claims(clientId, ISSUER, AUDIENCE, Instant.now().plusSeconds(300)).claim("scope", scope).build());
    }

    public String token(JWTClaimsSet claims) {
        return sign(key, claims);
    }

    /** Same key id, different key: what a forged token looks like. */
    public String forged(String clientId, String scope) {
        return sign(generate("test-key"), claims(clientId, ISSUER, AUDIENCE, Instant.now().plusSeconds(300))
                .claim("scope", scope).build());
    }

    public static JWTClaimsSet.Builder claims(String clientId, String issuer, String audience, Instant expiresAt) {
        return new JWTClaimsSet.Builder().issuer(issuer).audience(List.of(audience)).subject(clientId)
                .claim("client_id", clientId).issueTime(new Date()).expirationTime(Date.from(expiresAt))
                .jwtID(UUID.randomUUID().toString());
    }

    private static String sign(RSAKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey generate(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
