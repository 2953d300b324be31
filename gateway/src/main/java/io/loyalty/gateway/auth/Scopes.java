package io.loyalty.gateway.auth;

import java.util.List;

/** The scopes of the public contract, plus campaigns:write for saving campaign snapshots. */
public final class Scopes {

    public static final String ADMIN = "admin";
    public static final List<String> ALL = List.of("surveys:write", "surveys:read", "tickets:write", "tickets:read",
            "purchases:write", "clv:read", "campaigns:read", "campaigns:write", ADMIN);

    private Scopes() {
    }
}
