-- Surveys are immutable once created: responses copy kind and scale so that per-customer reads and the
-- export never join back to the survey table.
CREATE TABLE survey (
    id          uuid        PRIMARY KEY,
    name        text        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('NPS', 'CSAT', 'CES')),
    question    text        NOT NULL,
    scale_min   smallint    NOT NULL,
    scale_max   smallint    NOT NULL,
    channel     text,
    ticket_id   text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CHECK (scale_min < scale_max)
);

-- customer_id uses the "C" collation so that ordering is the byte order of the UTF-8 id, which the gRPC
-- export promises and keyset paging relies on.
CREATE TABLE survey_response (
    response_id  text COLLATE "C" PRIMARY KEY,
    survey_id    uuid        NOT NULL REFERENCES survey (id),
    customer_id  text COLLATE "C" NOT NULL,
    kind         text        NOT NULL,
    scale_max    smallint    NOT NULL,
    score        smallint    NOT NULL,
    comment      text,
    channel      text        NOT NULL,
    responded_at timestamptz NOT NULL,
    ticket_id    text,
    received_at  timestamptz NOT NULL DEFAULT now()
);

-- one response per customer per survey
CREATE UNIQUE INDEX survey_response_survey_customer ON survey_response (survey_id, customer_id);
-- cursor-paged listing of a survey's responses
CREATE INDEX survey_response_survey_time ON survey_response (survey_id, responded_at, response_id);
-- latest signal per customer and kind; also drives the export's keyset scan
CREATE INDEX survey_response_customer_kind ON survey_response (customer_id, kind, responded_at DESC, response_id DESC);

-- Per-day counts of each score, kept in the same transaction as every insert and privacy delete, so
-- results are sums over a few thousand rows whatever the number of responses. day is the UTC date.
CREATE TABLE survey_rollup (
    survey_id  uuid     NOT NULL REFERENCES survey (id),
    day        date     NOT NULL,
    channel    text     NOT NULL,
    score      smallint NOT NULL,
    responses  bigint   NOT NULL CHECK (responses >= 0),
    PRIMARY KEY (survey_id, day, channel, score)
);
