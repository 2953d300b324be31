-- Purchases as received. amount is in the reporting currency (converted by the configured rate);
-- original_amount/currency are what the partner sent, compared on replays to detect a changed body.
CREATE TABLE purchases (
    order_id        text          PRIMARY KEY,
    customer_id     text          NOT NULL,
    occurred_at     timestamptz   NOT NULL,
    amount          numeric(19,4) NOT NULL CHECK (amount >= 0),
    original_amount numeric(19,4) NOT NULL,
    currency        char(3)       NOT NULL,
    received_at     timestamptz   NOT NULL DEFAULT now(),
    -- the UTC calendar day, the unit the models count purchases in
    day             date          GENERATED ALWAYS AS ((occurred_at AT TIME ZONE 'UTC')::date) STORED
);
-- The scoring summary reads purchases per customer per day: in this index's order, with every column it
-- needs, it is one index-only scan with nothing to sort or hash. It also serves a customer's purchases and
-- the retention cohorts.
CREATE INDEX purchases_customer_day ON purchases (customer_id, day) INCLUDE (occurred_at, amount, received_at);

CREATE TABLE referrals (
    referral_id text        PRIMARY KEY,
    referrer_id text        NOT NULL,
    referred_id text        NOT NULL CHECK (referrer_id <> referred_id),
    occurred_at timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX referrals_referrer ON referrals (referrer_id);

CREATE TABLE churn_events (
    event_id    text        PRIMARY KEY,
    customer_id text        NOT NULL,
    occurred_at timestamptz NOT NULL,
    reason      text,
    received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX churn_events_customer ON churn_events (customer_id, occurred_at);

CREATE TABLE scoring_runs (
    id                    bigserial        PRIMARY KEY,
    status                text             NOT NULL,
    stage                 text             NOT NULL,
    progress              double precision NOT NULL DEFAULT 0,
    calibration_end       date             NOT NULL,
    holdout_end           date,
    horizon_months        integer          NOT NULL,
    monthly_discount_rate double precision NOT NULL,
    time_unit             text             NOT NULL,
    data_cutoff           timestamptz      NOT NULL,
    created_at            timestamptz      NOT NULL DEFAULT now(),
    finished_at           timestamptz,
    customers             bigint,
    model                 jsonb,
    diagnostics           jsonb,
    validation            jsonb,
    signals_complete      boolean,
    signals_missing       text[]           NOT NULL DEFAULT '{}',
    error                 text
);
CREATE INDEX scoring_runs_succeeded ON scoring_runs (id) WHERE status = 'SUCCEEDED';

-- Per-run customer summaries: written by one INSERT ... SELECT, read by the fit and the scoring pass,
-- deleted when the run ends. Unlogged: it is rebuilt from purchases if lost.
CREATE UNLOGGED TABLE scoring_run_summaries (
    run_id          bigint           NOT NULL,
    customer_id     text             NOT NULL,
    x               integer          NOT NULL,
    recency         double precision NOT NULL,
    t               double precision NOT NULL,
    monetary_value  double precision NOT NULL,
    churned_at      timestamptz,
    holdout_actual  integer
);
CREATE INDEX scoring_run_summaries_run ON scoring_run_summaries (run_id);

CREATE TABLE scoring_run_customers (
    run_id                 bigint           NOT NULL,
    customer_id            text             NOT NULL,
    frequency              integer          NOT NULL,
    recency                double precision NOT NULL,
    t                      double precision NOT NULL,
    monetary_value         double precision NOT NULL,
    expected_purchases     double precision NOT NULL,
    probability_alive      double precision NOT NULL,
    expected_average_value double precision NOT NULL,
    clv                    double precision NOT NULL,
    referral_value         double precision NOT NULL DEFAULT 0,
    churned_at             timestamptz,
    holdout_predicted      double precision,
    holdout_baseline       double precision,
    holdout_actual         integer,
    PRIMARY KEY (run_id, customer_id)
);
