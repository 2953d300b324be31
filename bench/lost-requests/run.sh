#!/usr/bin/env bash
# Reproduces the lost-request defect (see docs/benchmarks.md, "Requests that get no answer"): starts
# clv-service on the machine's PostgreSQL (LOYALTY_DATABASE_URL, default a scratch database on 127.0.0.1:5432),
# keeps both cores busy with two `yes` processes, and sends sequential GETs over one keep-alive connection.
#   bench/lost-requests/run.sh [requests=3000]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
REQUESTS=${1:-3000}
DB_URL=${LOYALTY_DATABASE_URL:-jdbc:postgresql://127.0.0.1:5432/lost_requests_probe}
if [[ -z "${LOYALTY_DATABASE_URL:-}" ]]; then
  psql -h 127.0.0.1 -U postgres -q -c "DROP DATABASE IF EXISTS lost_requests_probe" -c "CREATE DATABASE lost_requests_probe"
fi
./mvnw -q -pl clv-service -am package -DskipTests
PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null || true' EXIT
LOYALTY_DATABASE_URL=$DB_URL CLV_HTTP_PORT=18193 CLV_GRPC_PORT=19193 \
  java -Xmx512m -jar clv-service/target/clv-service-0.1.0-SNAPSHOT.jar >/tmp/lost-requests-clv.log 2>&1 &
PIDS+=($!)
for _ in $(seq 1 120); do
  curl -sf http://127.0.0.1:18193/actuator/health/liveness >/dev/null && break
  kill -0 "${PIDS[0]}" 2>/dev/null || { echo "clv-service exited: /tmp/lost-requests-clv.log" >&2; exit 1; }
  sleep 1
done
curl -sf http://127.0.0.1:18193/actuator/health/liveness >/dev/null || { echo "clv-service not live after 120 s" >&2; exit 1; }
yes >/dev/null & PIDS+=($!)
yes >/dev/null & PIDS+=($!)
java bench/lost-requests/LostRequests.java http://127.0.0.1:18193/actuator/health/liveness "$REQUESTS"
java bench/lost-requests/LostRequests.java "http://127.0.0.1:18193/api/v1/campaigns/upsell/customers?run=9" "$REQUESTS"
