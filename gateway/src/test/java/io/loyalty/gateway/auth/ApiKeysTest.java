package io.loyalty.gateway.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeysTest {

    @Test
    void generatedKeysAreUniqueUrlSafeAndCarryTheirLookupPrefix() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String key = ApiKeys.generate();
            assertThat(key).matches("lk_[A-Za-z0-9_-]{43}");
            assertThat(ApiKeys.prefix(key)).hasSize(ApiKeys.PREFIX_LENGTH).isEqualTo(key.substring(0, 12));
            keys.add(key);
        }
        assertThat(keys).hasSize(1000);
        assertThat(ApiKeys.prefix("short")).isEqualTo("short");
    }

    @Test
    void hashIsSha256AndComparisonIsExact() {
        // SHA-256("abc"), FIPS 180-2 test vector
        assertThat(HexFormat.of().formatHex(ApiKeys.hash("abc")))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(ApiKeys.matches(ApiKeys.hash("abc"), ApiKeys.hash("abc"))).isTrue();
        assertThat(ApiKeys.matches(ApiKeys.hash("abc"), ApiKeys.hash("abd"))).isFalse();
    }

    @Test
    void scopesComeFromScopeOrScp() {
        assertThat(JwtAuthenticator.scopes(new JWTClaimsSet.Builder().claim("scope", " tickets:read  clv:read ").build()))
                .containsExactlyInAnyOrder("tickets:read", "clv:read");
        assertThat(JwtAuthenticator.scopes(new JWTClaimsSet.Builder().claim("scp", List.of("admin")).build()))
                .containsExactly("admin");
        assertThat(JwtAuthenticator.scopes(new JWTClaimsSet.Builder().claim("scp", "a b").claim("scope", "c").build()))
                .containsExactlyInAnyOrder("a", "b", "c");
        assertThat(JwtAuthenticator.scopes(new JWTClaimsSet.Builder().build())).isEmpty();
    }
}
