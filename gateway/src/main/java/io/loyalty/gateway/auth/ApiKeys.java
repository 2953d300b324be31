package io.loyalty.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * API key format and hashing. A key is {@code lk_} followed by 32 random bytes (base64url), so a plain
 * SHA-256 is enough (no slow hash needed for 256 bits of entropy). Its first {@value #PREFIX_LENGTH}
 * characters are stored in clear to find candidate rows; the hash decides.
 */
public final class ApiKeys {

    public static final int PREFIX_LENGTH = 12;
    private static final SecureRandom RANDOM = new SecureRandom();

    private ApiKeys() {
    }

    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return "lk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static String prefix(String key) {
        return key.length() <= PREFIX_LENGTH ? key : key.substring(0, PREFIX_LENGTH);
    }

    public static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Constant-time comparison: the time taken does not reveal how many leading bytes matched. */
    public static boolean matches(byte[] expectedHash, byte[] presentedHash) {
        return MessageDigest.isEqual(expectedHash, presentedHash);
    }
}
