package io.loyalty.gateway.web;

import org.springframework.core.Ordered;

/** The order of the gateway's web filters: each one relies on the ones before it. */
public final class FilterOrder {

    public static final int REQUEST_ID = Ordered.HIGHEST_PRECEDENCE;
    public static final int CORS = Ordered.HIGHEST_PRECEDENCE + 10;
    public static final int AUTHENTICATION = Ordered.HIGHEST_PRECEDENCE + 20;
    public static final int RATE_LIMIT = Ordered.HIGHEST_PRECEDENCE + 30;
    public static final int BODY_LIMIT = Ordered.HIGHEST_PRECEDENCE + 40;

    private FilterOrder() {
    }
}
