package io.loyalty.gateway.resilience;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/** A request body over its route's limit, found while streaming a body sent without Content-Length. */
public class PayloadTooLargeException extends ResponseStatusException {

    public PayloadTooLargeException(long limit) {
        super(HttpStatus.CONTENT_TOO_LARGE, "The request body exceeds the limit of " + limit + " bytes for this path");
    }

    @Override
    public String getMessage() {
        return getReason();
    }

    /** This exception anywhere in a cause chain (the proxy and the circuit breaker wrap it). */
    public static PayloadTooLargeException find(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof PayloadTooLargeException p) {
                return p;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }
}
