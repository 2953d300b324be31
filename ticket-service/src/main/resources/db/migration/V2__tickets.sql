-- SLA policies are versioned: a ticket keeps the version it was opened under, so changing a policy never
-- moves the due dates of tickets already open.
CREATE TABLE sla_policy (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    priority               text        NOT NULL CHECK (priority IN ('LOW', 'NORMAL', 'HIGH', 'URGENT')),
    first_response_minutes integer     NOT NULL CHECK (first_response_minutes > 0),
    resolution_minutes     integer     NOT NULL CHECK (resolution_minutes > 0),
    business_hours         jsonb,
    is_current             boolean     NOT NULL,
    created_at             timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX sla_policy_current_per_priority ON sla_policy (priority) WHERE is_current;

-- One row per ticket carrying every derived SLA column, kept current on each event, so statistics
-- never replay events.
CREATE TABLE ticket (
    id                     uuid        PRIMARY KEY,
    seq                    bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
    external_id            text        NOT NULL UNIQUE,
    customer_id            text        COLLATE "C" NOT NULL, -- byte order: the export streams customers in id order
    subject                text        NOT NULL,
    priority               text        NOT NULL,
    channel                text        NOT NULL,
    status                 text        NOT NULL,
    opened_at              timestamptz NOT NULL,
    opened_at_given        boolean     NOT NULL,
    created_at             timestamptz NOT NULL DEFAULT now(),
    sla_policy_id          bigint      REFERENCES sla_policy (id),
    last_event_at          timestamptz NOT NULL,
    active_seconds         bigint      NOT NULL DEFAULT 0,
    first_response_at      timestamptz,
    first_response_seconds bigint,
    solved_at              timestamptz,
    resolution_seconds     bigint,
    reopens                integer     NOT NULL DEFAULT 0,
    first_response_due_at  timestamptz,
    resolution_due_at      timestamptz,
    first_response_breached boolean    NOT NULL DEFAULT false,
    resolution_breached    boolean     NOT NULL DEFAULT false
);

-- period statistics: an index-only scan over the opening instant carries every column they read
CREATE INDEX ticket_stats_by_opened_at ON ticket (opened_at)
    INCLUDE (status, first_response_at, first_response_seconds, resolution_seconds, reopens, sla_policy_id,
             first_response_due_at, resolution_due_at, first_response_breached, resolution_breached);
-- listing by customer (keyset on seq) and the per-customer statistics / export in customer order
CREATE INDEX ticket_by_customer ON ticket (customer_id, seq);
CREATE INDEX ticket_by_status ON ticket (status, seq);

CREATE TABLE ticket_event (
    ticket_id   uuid        NOT NULL REFERENCES ticket (id),
    event_id    text        NOT NULL,
    type        text        NOT NULL,
    at          timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (ticket_id, event_id)
);
