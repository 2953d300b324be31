package io.loyalty.gateway.client;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A key's public metadata: never the secret, never its hash. */
public record ApiKey(UUID id, UUID clientId, String prefix, OffsetDateTime createdAt, OffsetDateTime revokedAt) {
}
