package io.loyalty.gateway.auth;

/** A credential that does not authenticate; the message is safe to show (it never echoes the secret). */
public class AuthenticationException extends RuntimeException {

    private final String reason;

    public AuthenticationException(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    /** A short metric tag: missing, malformed, unknown-key, invalid-jwt, ... */
    public String reason() {
        return reason;
    }
}
