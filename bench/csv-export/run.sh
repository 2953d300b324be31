#!/usr/bin/env bash
# The ranked list as CSV at scale, through the gateway (issue 6's goal: a million rows in under 10 s):
#   bench/csv-export/run.sh [--customers N] [--purchases-per-customer K]
# Starts the platform with ./loyalty up on scratch ports (18080-18083, 19081-19083, database 25432), writes
# N customers' purchases straight into clv-service's database with one INSERT ... SELECT (K purchase days
# each on average (1 to 2K), all within the last two years; the export's size is the point here, not the model), runs a
# scoring run through the gateway, then times the upsell and retention exports through the gateway and
# directly, twice. Prints one line per figure.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
CUSTOMERS=1000000 PER_CUSTOMER=3
while (($#)); do
  case $1 in
    --customers) CUSTOMERS=$2; shift ;;
    --purchases-per-customer) PER_CUSTOMER=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

source "$ROOT/bench/platform.sh"
start_scratch_platform "$ROOT"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1), load before $(cut -d' ' -f1-3 /proc/loadavg)"

started=$(date +%s.%N)
psql -q -h 127.0.0.1 -p "$LOYALTY_DB_PORT" -U postgres -d clv_service -v ON_ERROR_STOP=1 <<SQL
INSERT INTO purchases (order_id, customer_id, occurred_at, amount, original_amount, currency)
SELECT 'csv-' || c || '-' || k, 'csv-c' || c,
       now() - interval '730 days' + (c % 365) * interval '1 day' + k * ((c * 7919) % 60 + 1) * interval '1 day',
       10 + (c * 31 + k * 17) % 90, 10 + (c * 31 + k * 17) % 90, 'USD'
FROM generate_series(1::bigint, $CUSTOMERS) c, generate_series(0, (2 * $PER_CUSTOMER) - 1) k
WHERE k < 1 + (c % (2 * $PER_CUSTOMER));
VACUUM ANALYZE purchases;
SQL
loaded=$(psql -tA -h 127.0.0.1 -p "$LOYALTY_DB_PORT" -U postgres -d clv_service -c "SELECT count(*) FROM purchases")
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}'; }
echo "purchases written by SQL: $loaded in $(elapsed "$started") s"

auth="Authorization: Bearer $LOYALTY_ADMIN_API_KEY"
started=$(date +%s.%N)
run=$(curl -fsS -X POST http://127.0.0.1:18080/api/v1/scoring-runs -H "$auth" -H 'Content-Type: application/json' \
  -d '{"horizonMonths":12,"monthlyDiscountRate":0.01,"timeUnit":"WEEK"}' | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
while :; do
  status=$(curl -fsS "http://127.0.0.1:18080/api/v1/scoring-runs/$run" -H "$auth" | grep -o '"status":"[A-Z]*"' | head -1 | cut -d'"' -f4)
  [[ $status == RUNNING ]] || break
  sleep 1
done
echo "scoring run $run: $status in $(elapsed "$started") s (POST to done, through the gateway)"
[[ $status == SUCCEEDED ]] || exit 1

# two rounds: the first export after a start also pays for compiling the export path
for round in 1 2; do
  echo "round $round"
  for kind in upsell retention; do
    "${BENCH[@]}" csv --url http://127.0.0.1:18080 --api-key "$LOYALTY_ADMIN_API_KEY" --kind "$kind"
    "${BENCH[@]}" csv --url http://127.0.0.1:18083 --kind "$kind"
  done
done
