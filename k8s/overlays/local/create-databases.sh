#!/bin/sh
# Runs once, when the postgres image initialises an empty data directory: one database per service.
set -eu
for db in survey_service ticket_service clv_service gateway; do
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres -c "CREATE DATABASE $db"
done
