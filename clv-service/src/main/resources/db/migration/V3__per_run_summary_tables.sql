-- Summaries now live in one unlogged table per run (scoring_summary_<id>, CREATE TABLE AS), dropped when the run ends.
DROP TABLE scoring_run_summaries;
