-- API clients (per-client scopes and rate limits) and their keys. Keys are stored only as SHA-256
-- hashes; the short prefix is what the gateway looks up before comparing hashes in constant time.
CREATE TABLE api_client (
    id                  uuid PRIMARY KEY,
    name                text        NOT NULL UNIQUE,
    scopes              text[]      NOT NULL,
    requests_per_second double precision,
    burst               bigint,
    daily_quota         bigint,
    created_at          timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE api_key (
    id          uuid PRIMARY KEY,
    client_id   uuid        NOT NULL REFERENCES api_client (id) ON DELETE CASCADE,
    prefix      text        NOT NULL,
    hash        bytea       NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);

CREATE INDEX api_key_active_prefix ON api_key (prefix) WHERE revoked_at IS NULL;
CREATE INDEX api_key_client ON api_key (client_id, id);
