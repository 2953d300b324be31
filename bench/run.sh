#!/usr/bin/env bash
# Load benchmarks against a real local platform, one command:
#   bench/run.sh [--purchases N] [--rate R] [--seconds S] [--warmup S]
# Builds what is needed, starts the platform on a scratch data directory (ports 18080-18083, 19081-19083,
# database 25432, so a running ./loyalty is not disturbed), loads demo data, then measures:
#   purchase ingestion through the gateway, directly against clv-service, and by raw COPY into the same
#   PostgreSQL; then vacuums, analyzes and checkpoints what those wrote (bench settle); ranked-list pages at a
#   fixed rate through the gateway and directly, each after --warmup seconds (90) of the same load uncounted
#   (bench pages --warmup-seconds: in the platform's first minute of page traffic the p99 was 2-7 times the
#   later one, most likely the page path still being compiled; docs/benchmarks.md); the CSV export through
#   the gateway.
# Prints one line per figure; copy them with the machine line into docs/benchmarks.md.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PURCHASES=500000 RATE=200 SECONDS_=30 CUSTOMERS=20000 WARMUP=90
while (($#)); do
  case $1 in
    --purchases) PURCHASES=$2; shift ;;
    --rate) RATE=$2; shift ;;
    --seconds) SECONDS_=$2; shift ;;
    --customers) CUSTOMERS=$2; shift ;;
    --warmup) WARMUP=$2; shift ;;
    *) echo "unknown option $1"; exit 2 ;;
  esac
  shift
done

source "$ROOT/bench/platform.sh"
start_scratch_platform "$ROOT"

LAUNCHER=$(ls launcher/target/launcher-*.jar | head -1)
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1), $(uname -sr)"
java -jar "$LAUNCHER" demo --gateway http://127.0.0.1:18080 --api-key "$LOYALTY_ADMIN_API_KEY" --customers "$CUSTOMERS"
"${BENCH[@]}" purchases --url http://127.0.0.1:18080 --api-key "$LOYALTY_ADMIN_API_KEY" --purchases "$PURCHASES" --prefix GW-
"${BENCH[@]}" purchases --url http://127.0.0.1:18083 --purchases "$PURCHASES" --prefix DIRECT-
"${BENCH[@]}" copy --jdbc jdbc:postgresql://127.0.0.1:25432/clv_service --purchases "$PURCHASES"
# the pages are measured on a settled database, not beside autovacuum and checkpoints of the rows just ingested
"${BENCH[@]}" settle --jdbc jdbc:postgresql://127.0.0.1:25432/clv_service
"${BENCH[@]}" pages --url http://127.0.0.1:18080 --api-key "$LOYALTY_ADMIN_API_KEY" --rate "$RATE" --seconds "$SECONDS_" \
  --warmup-seconds "$WARMUP"
"${BENCH[@]}" pages --url http://127.0.0.1:18083 --rate "$RATE" --seconds "$SECONDS_" --warmup-seconds "$WARMUP"
"${BENCH[@]}" csv --url http://127.0.0.1:18080 --api-key "$LOYALTY_ADMIN_API_KEY"
