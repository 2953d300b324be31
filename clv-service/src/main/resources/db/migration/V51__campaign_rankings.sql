-- Scored customers of a scoring run, both rankings stored as ranks so pages are index range scans.
-- campaign_scored_stage is the column template of the unlogged per-run stage tables the ranking pass COPYs into.
CREATE TABLE campaign_scored_stage (
    run_id                     bigint           NOT NULL,
    customer_id                text             NOT NULL,
    frequency                  integer          NOT NULL,
    clv                        double precision NOT NULL,
    probability_alive          double precision NOT NULL,
    expected_purchases         double precision NOT NULL,
    referral_value             double precision NOT NULL,
    previous_probability_alive double precision,
    nps_score                  smallint,
    nps_category               text,
    nps_at                     timestamptz,
    open_tickets               integer,
    tickets_last_90_days       integer,
    sla_breaches_last_90_days  integer,
    reopens_last_90_days       integer,
    upsell_score               double precision NOT NULL,
    upsell_reasons             text[]           NOT NULL,
    retention_score            double precision NOT NULL,
    retention_reasons          text[]           NOT NULL,
    PRIMARY KEY (run_id, customer_id)
);

-- One partition per ranked run: a run's million rows are written into a table of their own with no index
-- to maintain, indexed once, then attached; dropping a run's rankings is dropping its partition.
CREATE TABLE campaign_run_customer (
    LIKE campaign_scored_stage INCLUDING DEFAULTS INCLUDING CONSTRAINTS,
    upsell_rank    integer NOT NULL,
    retention_rank integer NOT NULL,
    PRIMARY KEY (run_id, customer_id)
) PARTITION BY LIST (run_id);
CREATE UNIQUE INDEX campaign_run_customer_upsell ON campaign_run_customer (run_id, upsell_rank);
CREATE UNIQUE INDEX campaign_run_customer_retention ON campaign_run_customer (run_id, retention_rank);

CREATE TABLE campaign_run (
    run_id      bigint      PRIMARY KEY,
    customers   bigint      NOT NULL,
    previous_run_id bigint,
    ranked_at   timestamptz NOT NULL DEFAULT now()
);

-- Frozen campaign lists with an optional control group held out.
CREATE TABLE campaign (
    id              text        PRIMARY KEY,
    kind            text        NOT NULL,
    run_id          bigint      NOT NULL,
    min_clv         numeric,
    nps_category    text,
    open_tickets    boolean,
    requested_size  integer     NOT NULL,
    control_percent numeric     NOT NULL,
    seed            bigint      NOT NULL,
    members         integer     NOT NULL,
    control_members integer     NOT NULL,
    -- the request as sent, so a replay is recognised and a different body under the same id is a conflict
    fingerprint     text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE campaign_member (
    campaign_id text    NOT NULL REFERENCES campaign (id) ON DELETE CASCADE,
    customer_id text    NOT NULL,
    rank        integer NOT NULL,
    score       double precision NOT NULL,
    control     boolean NOT NULL,
    PRIMARY KEY (campaign_id, customer_id)
);
CREATE INDEX campaign_member_rank ON campaign_member (campaign_id, rank);
