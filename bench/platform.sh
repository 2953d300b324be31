# Sourced by the platform benchmarks (bench/run.sh, bench/ingest/run.sh, bench/csv-export/run.sh): builds the
# modules and starts the whole platform with ./loyalty up on scratch ports (gateway 18080, services 18081-18083,
# gRPC 19081-19083, database 25432) and a scratch data directory, so a running ./loyalty is not disturbed.
# Returns once the platform is up, with BENCH set to the command of the built bench jar; on exit the platform
# is stopped and the data directory removed.
start_scratch_platform() { # repository root
  cd "$1"
  ./mvnw -q -B -DskipTests package -pl survey-service,ticket-service,clv-service,gateway,launcher,bench -am
  BENCH=(java -jar "$(ls bench/target/bench-*.jar | head -1)")
  export LOYALTY_DATA_DIR=$(mktemp -d) LOYALTY_ADMIN_API_KEY=lk_bench_$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
  export GATEWAY_HTTP_PORT=18080 SURVEY_HTTP_PORT=18081 TICKET_HTTP_PORT=18082 CLV_HTTP_PORT=18083
  export SURVEY_GRPC_PORT=19081 TICKET_GRPC_PORT=19082 CLV_GRPC_PORT=19083 LOYALTY_DB_PORT=25432
  local log=$LOYALTY_DATA_DIR/up.log
  # job control: ./loyalty gets a process group of its own and, unlike a plain background command of a
  # script, does not start with SIGINT ignored, so the Ctrl-C sent on exit reaches its trap
  set -m
  ./loyalty up >"$log" 2>&1 &
  PLATFORM_LEADER=$!
  trap 'kill -INT -- -$PLATFORM_LEADER 2>/dev/null || true; wait $PLATFORM_LEADER 2>/dev/null || true; rm -rf "$LOYALTY_DATA_DIR"' EXIT
  until grep -q "Loyalty platform is up" "$log"; do
    kill -0 "$PLATFORM_LEADER" 2>/dev/null || { cat "$log"; exit 1; }
    sleep 1
  done
}
