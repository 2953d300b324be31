#!/usr/bin/env bash
# Gateway overhead: the same small GET directly against a service and through the gateway (API key
# auth, per-client token bucket in Redis, circuit breaker, retry filter, request id, access log off),
# side by side in one run.
#
#   bench/gateway/run.sh
#
# Targets (TARGETS, default "survey netty"):
#   survey  the real survey-service jar (survey-service/target, embedded PostgreSQL in a temp dir):
#           GET /api/v1/surveys/{id} of a survey created first
#   netty   a bare Reactor Netty server answering a fixed 78-byte JSON: the floor, where the gateway's
#           own cost is most visible
# Knobs: DURATION (15s), WARMUP (10s), CONNECTIONS (32), THREADS (2), REDIS_URL
# (redis://127.0.0.1:6379; "none" for in-memory buckets), OUT (results file), GATEWAY_JAVA_OPTS (extra JVM
# options for the gateway, e.g. a JFR recording).
# CPU layout (taskset lists, default unpinned): SERVICE_CPUS for the service and its PostgreSQL (and the
# bare Netty server), GATEWAY_CPUS for the gateway, WRK_CPUS for wrk. Unpinned, every process shares every core, so the
# ratio measures the gateway's CPU against the service's; pinned (e.g. SERVICE_CPUS=0 GATEWAY_CPUS=1
# WRK_CPUS=1) the service keeps the same core in both runs, as it would on hosts of its own.
# Needs wrk, Java 17, a Redis unless REDIS_URL=none, taskset (util-linux) when pinning. Builds the gateway jar.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-10s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
TARGETS=${TARGETS:-survey netty}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
NETTY_PORT=${NETTY_PORT:-18181}
SURVEY_PORT=${SURVEY_PORT:-18182}
GATEWAY_PORT=${GATEWAY_PORT:-18180}
OUT=${OUT:-${TMPDIR:-/tmp}/gateway-bench.txt}
WORK=$(mktemp -d)
ADMIN_KEY="lk_bench_admin_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
PIDS=()

cleanup() {
  [[ ${KEEP_LOGS:-} ]] && cp "$WORK"/*.log /tmp/ 2>/dev/null
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install -y wrk)" >&2; exit 1; }

# command prefixes that keep a process on its cores (empty: anywhere); a prefix, not a function, so that
# $! is the process itself and the cleanup's kill reaches it
pin() { [[ -n $1 ]] && printf '%s\n' taskset -c "$1"; return 0; }
mapfile -t SERVICE_PIN < <(pin "${SERVICE_CPUS:-}")
mapfile -t GATEWAY_PIN < <(pin "${GATEWAY_CPUS:-}")
mapfile -t WRK_PIN < <(pin "${WRK_CPUS:-}")

wait_http() { # url timeout-seconds
  for _ in $(seq 1 "$2"); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 1; done
  echo "timed out waiting for $1" >&2; return 1
}

cd "$ROOT"
echo "building the gateway jar..." >&2
./mvnw -q -pl gateway -am package -DskipTests
GATEWAY_JAR=$(ls gateway/target/gateway-*.jar | grep -v original | head -1)

if [[ " $TARGETS " == *" netty "* ]]; then
  ./mvnw -q -pl gateway dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=runtime >/dev/null
  "${SERVICE_PIN[@]}" java -Xmx256m -cp "$(cat "$WORK/cp.txt")" bench/gateway/Backend.java "$NETTY_PORT" >"$WORK/netty.log" 2>&1 &
  PIDS+=($!)
fi
if [[ " $TARGETS " == *" survey "* ]]; then
  SURVEY_JAR=$(ls survey-service/target/survey-service-*.jar 2>/dev/null | grep -v original | head -1 || true)
  [[ -n $SURVEY_JAR ]] || { echo "no survey-service jar: ./mvnw -pl survey-service -am package -DskipTests" >&2; exit 1; }
  SURVEY_HTTP_PORT=$SURVEY_PORT SURVEY_GRPC_PORT=$((SURVEY_PORT + 1000)) LOYALTY_DATA_DIR="$WORK/survey-data" \
    "${SERVICE_PIN[@]}" java -Xmx512m -jar "$SURVEY_JAR" --loyalty.data-dir="$WORK/survey-data" >"$WORK/survey.log" 2>&1 &
  PIDS+=($!)
fi

# the survey route goes to the real service when it runs, else to the Netty server; the ticket route
# always goes to the Netty server (so each target has a route of its own)
survey_uri="http://127.0.0.1:$SURVEY_PORT"; [[ " $TARGETS " == *" survey "* ]] || survey_uri="http://127.0.0.1:$NETTY_PORT"
redis_env=()
[[ $REDIS_URL != none ]] && redis_env=(LOYALTY_REDIS_URL="$REDIS_URL")
"${GATEWAY_PIN[@]}" env "${redis_env[@]}" \
  GATEWAY_HTTP_PORT="$GATEWAY_PORT" \
  SURVEY_SERVICE_URI="$survey_uri" \
  TICKET_SERVICE_URI="http://127.0.0.1:$NETTY_PORT" \
  CLV_SERVICE_URI="http://127.0.0.1:$NETTY_PORT" \
  LOYALTY_ADMIN_API_KEY="$ADMIN_KEY" \
  LOYALTY_GATEWAY_RATE_LIMIT_KEY_PREFIX="loyalty:gateway:bench:$$:" \
  LOYALTY_DATA_DIR="$WORK/gateway-data" \
  java -Xmx512m ${GATEWAY_JAVA_OPTS:-} -jar "$GATEWAY_JAR" --loyalty.data-dir="$WORK/gateway-data" \
    --logging.level.io.loyalty.gateway.access=WARN >"$WORK/gateway.log" 2>&1 &
PIDS+=($!)

# readiness comes after the admin key is in place (liveness comes before the startup runners)
wait_http "http://127.0.0.1:$GATEWAY_PORT/actuator/health/readiness" 240

# a client whose limit is far above what this machine can send
client=$(curl -fsS -X POST "http://127.0.0.1:$GATEWAY_PORT/api/v1/admin/clients" \
  -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' \
  -d "{\"name\":\"bench-$$-$RANDOM\",\"scopes\":[\"surveys:read\",\"surveys:write\",\"tickets:read\"],\"rateLimit\":{\"requestsPerSecond\":100000,\"burst\":1000000}}")
client_id=$(sed -E 's/.*"id":"([^"]+)".*/\1/' <<<"$client")
key=$(curl -fsS -X POST "http://127.0.0.1:$GATEWAY_PORT/api/v1/admin/clients/$client_id/keys" \
  -H "Authorization: Bearer $ADMIN_KEY" | sed -E 's/.*"key":"([^"]+)".*/\1/')
auth="Authorization: Bearer $key"

run() { # label url [wrk options]
  local label=$1 url=$2; shift 2
  "${WRK_PIN[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$@" "$url" >/dev/null
  "${WRK_PIN[@]}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" >"$WORK/$label.txt"
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' "$WORK/$label.txt")
  p50=$(awk '$1 == "50%" {print $2}' "$WORK/$label.txt")
  p99=$(awk '$1 == "99%" {print $2}' "$WORK/$label.txt")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$WORK/$label.txt"); non2xx=${non2xx:-0}
  printf '%-16s %10s req/s   p50 %-9s p99 %-9s non-2xx %s\n' "$label" "$rps" "$p50" "$p99" "$non2xx"
}

{
  echo "date        $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "machine     $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -h | awk '/Mem:/ {print $2}') RAM, load avg before $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "java        $(java -version 2>&1 | head -1)"
  echo "wrk         -t$THREADS -c$CONNECTIONS -d$DURATION each (after a $WARMUP warm-up of the same URL)"
  echo "rate limit  ${REDIS_URL/none/in-memory buckets}"
  echo "cpus        service ${SERVICE_CPUS:-any}, gateway ${GATEWAY_CPUS:-any}, wrk ${WRK_CPUS:-any}, Redis any"
  for target in $TARGETS; do
    case $target in
      survey)
        wait_http "http://127.0.0.1:$SURVEY_PORT/actuator/health/readiness" 240
        id=$(curl -fsS -X POST "http://127.0.0.1:$SURVEY_PORT/api/v1/surveys" -H 'Content-Type: application/json' \
          -d '{"name":"bench","kind":"NPS","question":"How likely are you to recommend us?"}' | sed -E 's/.*"id":"([^"]+)".*/\1/')
        path="/api/v1/surveys/$id"
        echo "survey      GET $path (survey-service, PostgreSQL lookup)"
        run survey-direct "http://127.0.0.1:$SURVEY_PORT$path"
        run survey-gateway "http://127.0.0.1:$GATEWAY_PORT$path" -H "$auth"
        ;;
      netty)
        wait_http "http://127.0.0.1:$NETTY_PORT/" 60
        path=/api/v1/tickets/bench
        echo "netty       GET $path (bare Reactor Netty, fixed 78-byte JSON)"
        run netty-direct "http://127.0.0.1:$NETTY_PORT$path"
        run netty-gateway "http://127.0.0.1:$GATEWAY_PORT$path" -H "$auth"
        ;;
    esac
  done
  echo "load avg after $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$OUT"

awk '/-direct/ {split($1, a, "-"); d[a[1]] = $2} /-gateway/ {split($1, a, "-"); g[a[1]] = $2}
     END {for (t in d) if (d[t] > 0) printf "%s: gateway/direct throughput %.0f%%\n", t, 100 * g[t] / d[t]}' "$OUT" | tee -a "$OUT"
