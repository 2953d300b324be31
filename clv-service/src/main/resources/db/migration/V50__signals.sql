-- Per scoring run copies of the survey and ticket signals, pulled over gRPC by the signals collector.
CREATE TABLE signal_collection (
    run_id           bigint      PRIMARY KEY,
    as_of            timestamptz NOT NULL,
    started_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    complete         boolean,
    missing          text[]      NOT NULL DEFAULT '{}',
    survey_customers bigint      NOT NULL DEFAULT 0,
    ticket_customers bigint      NOT NULL DEFAULT 0,
    errors           text[]      NOT NULL DEFAULT '{}'
);

CREATE TABLE signal_satisfaction (
    run_id       bigint   NOT NULL,
    customer_id  text     NOT NULL,
    nps_score    smallint,
    nps_category text,
    nps_at       timestamptz,
    csat_score   smallint,
    csat_scale   smallint,
    csat_at      timestamptz,
    ces_score    smallint,
    ces_scale    smallint,
    ces_at       timestamptz,
    PRIMARY KEY (run_id, customer_id)
);

CREATE TABLE signal_service_stats (
    run_id                    bigint NOT NULL,
    customer_id               text   NOT NULL,
    open_tickets              integer NOT NULL,
    tickets_last_90_days      integer NOT NULL,
    sla_breaches_last_90_days integer NOT NULL,
    reopens_last_90_days      integer NOT NULL,
    median_resolution_seconds bigint,
    last_contact_at           timestamptz,
    PRIMARY KEY (run_id, customer_id)
);
