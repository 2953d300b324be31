package io.loyalty.gateway.auth;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Authentication and authorisation at the gateway.
 *
 * @param adminApiKey   when set (LOYALTY_ADMIN_API_KEY), a client with every scope whose key is this value
 * @param keyCacheTtl   how long a verified API key is trusted without asking the database again; revocation
 *                      is immediate on the replica that revoked it and takes at most this long elsewhere
 * @param unknownKeyCacheTtl how long a key that matched nothing is answered 401 without a query (keys are
 *                      random and issued by the gateway, so none can become valid in the meantime)
 * @param publicPaths   path patterns served without credentials (probes, metrics scrape, API docs)
 * @param rules         first matching rule gives the scope a request needs; an empty scope means any
 *                      authenticated client
 * @param defaultScope  scope for authenticated paths no rule matches (deny by default)
 */
@Validated
@ConfigurationProperties("loyalty.gateway.auth")
public record AuthProperties(String adminApiKey, @NotNull Duration keyCacheTtl, @NotNull Duration unknownKeyCacheTtl,
                             @NotNull List<String> publicPaths,
                             @NotEmpty List<@Valid ScopeRule> rules, @NotNull String defaultScope,
                             @NotNull @Valid Jwt jwt) {

    public record ScopeRule(List<String> methods, @NotEmpty List<String> paths, String scope) {
    }

    /**
     * JWTs from an OAuth2 issuer (client credentials grant).
     *
     * @param jwksMinRefreshInterval a token with an unknown key id refetches the JWKS (the issuer rotated
     *                       its keys), but not more often than this
     * @param clientIdClaims claims tried in order to name the client the token was issued to
     */
    public record Jwt(boolean enabled, String issuer, List<String> audiences, URI jwksUri,
                      @NotNull Duration jwksCacheTtl, @NotNull Duration jwksMinRefreshInterval,
                      @NotNull Duration jwksFetchTimeout, @NotNull Duration clockSkew,
                      @NotEmpty List<String> clientIdClaims, @NotEmpty List<String> algorithms) {

        public Jwt {
            if (enabled && (issuer == null || issuer.isBlank() || audiences == null || audiences.isEmpty()
                    || jwksUri == null)) {
                throw new IllegalArgumentException(
                        "loyalty.gateway.auth.jwt needs issuer, audiences and jwks-uri when enabled");
            }
        }
    }
}
