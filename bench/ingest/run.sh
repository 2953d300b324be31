#!/usr/bin/env bash
# Purchase ingestion on the whole platform, repeated: bench/ingest/run.sh [--purchases N] [--rounds R]
# Starts the platform on scratch ports and data (bench/platform.sh; its PostgreSQL is the durable embedded one a
# local run uses), then R rounds of N purchases (batches of 5000, 4 in flight) directly against clv-service and
# R through the gateway, alternating. Per round: the rate, the CPU seconds PostgreSQL and clv-service (and the
# gateway) used, how many half-second samples saw an autovacuum worker, and PostgreSQL's WAL, checkpoint and
# backend-write counters. Round 1 includes the JIT's warm-up. LOYALTY_DB_SETTINGS (e.g. shared_buffers=1GB) is
# passed to the platform's database, to compare server settings.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PURCHASES=1000000 ROUNDS=3
while (($#)); do
  case $1 in
    --purchases) PURCHASES=$2; shift ;;
    --rounds) ROUNDS=$2; shift ;;
    *) echo "unknown option $1"; exit 2 ;;
  esac
  shift
done
source "$ROOT/bench/platform.sh"
start_scratch_platform "$ROOT"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1), $(uname -sr)"
# CPU seconds (user + system) of the processes whose command line matches, those that are still there
cpu() {
  local total=0 p t
  for p in $(pgrep -f "$1" || true); do
    t=$(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)
    total=$((total + t))
  done
  echo "$total"
}
ticks=$(getconf CLK_TCK)
PSQL=(psql -h 127.0.0.1 -p 25432 -U postgres -d clv_service -tA)
# PostgreSQL's write-side counters: WAL bytes and full-page images written, checkpoints, and buffers a backend
# had to write out itself to make room (shared_buffers too small for what the writes touch)
pg_counters() {
  "${PSQL[@]}" -F' ' -c "SELECT w.wal_bytes, w.wal_fpi,
      b.checkpoints_timed + b.checkpoints_req, b.buffers_backend FROM pg_stat_wal w, pg_stat_bgwriter b"
}
for round in $(seq 1 "$ROUNDS"); do
  for target in direct gateway; do
    if [[ $target == direct ]]; then args=(--url http://127.0.0.1:18083); else
      args=(--url http://127.0.0.1:18080 --api-key "$LOYALTY_ADMIN_API_KEY"); fi
    pg0=$(cpu postgres) clv0=$(cpu clv-service) gw0=$(cpu gateway-)
    read -r wal0 fpi0 ckpt0 backend0 < <(pg_counters)
    (for _ in $(seq 1 120); do
       "${PSQL[@]}" -c "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'" 2>/dev/null || echo 0
       sleep 0.5
     done) > "$LOYALTY_DATA_DIR/autovacuum" &
    sampler=$!
    "${BENCH[@]}" purchases "${args[@]}" --purchases "$PURCHASES" --prefix "R$round-$target-"
    kill "$sampler" 2>/dev/null || true
    wait "$sampler" 2>/dev/null || true
    pg1=$(cpu postgres) clv1=$(cpu clv-service) gw1=$(cpu gateway-)
    printf 'round %d %-7s CPU s: postgres %.1f, clv-service %.1f, gateway %.1f; autovacuum seen in %d of %d samples\n' \
      "$round" "$target" "$(echo "($pg1 - $pg0) / $ticks" | bc -l)" "$(echo "($clv1 - $clv0) / $ticks" | bc -l)" \
      "$(echo "($gw1 - $gw0) / $ticks" | bc -l)" "$(grep -c '^[1-9]' "$LOYALTY_DATA_DIR/autovacuum" || true)" \
      "$(wc -l < "$LOYALTY_DATA_DIR/autovacuum")"
    read -r wal1 fpi1 ckpt1 backend1 < <(pg_counters)
    printf 'round %d %-7s WAL %.0f bytes a purchase (%d full-page images), %d checkpoints, %d buffers written by backends\n' \
      "$round" "$target" "$(echo "($wal1 - $wal0) / $PURCHASES" | bc -l)" $((fpi1 - fpi0)) $((ckpt1 - ckpt0)) \
      $((backend1 - backend0))
  done
done
