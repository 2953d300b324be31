-- The reasons of a ranked row are worded when it is read, from the inputs of its scores that the row keeps
-- (signals, CLV, P(alive) and its previous value; CampaignScoring): stored, they were most of a row's bytes
-- and most of the work of writing a million rows.
ALTER TABLE campaign_run_customer DROP COLUMN upsell_reasons, DROP COLUMN retention_reasons;

-- the column template of the per-run stage tables, which are gone: the ranking pass writes the run's rows,
-- ranks included, once
DROP TABLE campaign_scored_stage;

-- No read looks a ranked row up by customer id (pages, exports and snapshots go by rank, the reports and the
-- next run's P(alive) join scan a whole run), and every run's rows come one per customer from
-- scoring_run_customers' key: the primary key only cost the ranking a sort of a million text keys.
ALTER TABLE campaign_run_customer DROP CONSTRAINT campaign_run_customer_pkey;
