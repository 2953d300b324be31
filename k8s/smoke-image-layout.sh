#!/usr/bin/env bash
# Runs a service the way its image does, without a container engine: extracts the Boot jar with the
# Dockerfile's layered layout, starts two replicas at once with the Dockerfile's exact ENTRYPOINT as
# UID 10001 (no home, no passwd entry), configured only by the environment variables the Kubernetes
# manifests set, against a fresh PostgreSQL database; then times readiness, checks the probe paths and
# the Prometheus endpoint, checks that Flyway migrated once, and times the graceful exit on SIGTERM.
#
#   k8s/smoke-image-layout.sh survey-service|ticket-service|clv-service
#
# MEMORY_LIMIT=768m passes -XX:MaxRAM, so the JVM sizes itself as under that container memory limit.
# Needs: the service jar in <service>/target (./mvnw -pl <service> -am package -DskipTests), java 17,
# psql reaching a PostgreSQL as PGHOST/PGPORT/PGUSER (default 127.0.0.1:5432, postgres; trust or
# PGPASSWORD), curl, setpriv (util-linux) and root (to drop to UID 10001). Bounded: gives up after 120 s.
set -euo pipefail

service=${1:?usage: $0 survey-service|ticket-service|clv-service}
case $service in
  survey-service) prefix=SURVEY ;;
  ticket-service) prefix=TICKET ;;
  clv-service) prefix=CLV ;;
  *) echo "unknown service $service" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
jar=$(ls "$root/$service"/target/"$service"-*.jar)
work=$(mktemp -d)
database="k8s_smoke_${service//-/_}_$$"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  [[ -n ${KEEP:-} ]] && { echo "kept $work" >&2; return; }
  psql -q -d postgres -c "DROP DATABASE IF EXISTS $database WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
# whether more than $2 seconds have passed since $1
over() { awk -v a="$1" -v b="$(now)" -v limit="$2" 'BEGIN { exit !(b - a > limit) }'; }

# the image: extract, then the four layers in the Dockerfile's order, read-only to the process
java -Djarmode=tools -jar "$jar" extract --layers --launcher --destination "$work/extracted" >/dev/null
mkdir -p "$work/application" "$work/tmp"
for layer in dependencies spring-boot-loader snapshot-dependencies application; do
  cp -r "$work/extracted/$layer/." "$work/application/"
  echo "layer $layer: $(du -sh "$work/extracted/$layer" | cut -f1)"
done
chmod -R a+rX,go-w "$work/application"
chown 10001:10001 "$work/tmp"
chmod 711 "$work"
# the ENTRYPOINT's arguments, verbatim from the Dockerfile (exec form); /tmp is the pod's emptyDir
mapfile -t entrypoint < <(sed -n '/^ENTRYPOINT/,/]/p' "$root/$service/Dockerfile" | grep -o '"[^"]*"' | tr -d '"' \
  | sed "s#^-Djava.io.tmpdir=/tmp\$#-Djava.io.tmpdir=$work/tmp#")
if [[ -n ${MEMORY_LIMIT:-} ]]; then
  # the JVM reads a container's limit from its cgroup; -XX:MaxRAM stands in for it here
  entrypoint=("${entrypoint[0]}" "-XX:MaxRAM=$MEMORY_LIMIT" "${entrypoint[@]:1}")
fi
echo "entrypoint: ${entrypoint[*]}"

psql -q -d postgres -c "CREATE DATABASE $database" >/dev/null
start=$(now)
for replica in 1 2; do
  http=$((20000 + RANDOM % 9000)); grpc=$((http + 1000))
  echo "$http" > "$work/http$replica"
  (cd "$work/application" && exec env -i PATH=/usr/bin:/bin \
    "${prefix}_HTTP_PORT=$http" "${prefix}_GRPC_PORT=$grpc" \
    LOYALTY_DATABASE_EMBEDDED_ENABLED=false LOGGING_STRUCTURED_FORMAT_CONSOLE=ecs \
    LOYALTY_DATABASE_URL="jdbc:postgresql://$PGHOST:$PGPORT/$database" \
    LOYALTY_DATABASE_USERNAME="$PGUSER" LOYALTY_DATABASE_PASSWORD="${PGPASSWORD:-unused}" \
    setpriv --reuid 10001 --regid 10001 --clear-groups "${entrypoint[@]}" > "$work/replica$replica.log" 2>&1) &
  pids+=($!)
done

for replica in 1 2; do
  port=$(cat "$work/http$replica")
  until curl -sf "http://127.0.0.1:$port/actuator/health/readiness" >/dev/null; do
    if over "$start" 120 || ! kill -0 "${pids[$((replica - 1))]}" 2>/dev/null; then
      echo "replica $replica did not become ready; its log:" >&2
      tail -n 30 "$work/replica$replica.log" >&2
      exit 1
    fi
    sleep 0.2
  done
  echo "replica $replica ready after $(elapsed "$start") s"
  for path in /actuator/health/liveness /actuator/health/readiness /actuator/prometheus; do
    echo "  GET $path -> $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port$path")"
  done
done

echo "runs as UID: $(ps -o uid= -p "${pids[0]}" | tr -d ' ')"
for replica in 1 2; do
  pid=${pids[$((replica - 1))]}
  echo "replica $replica resident memory when ready: $(( $(ps -o rss= -p "$pid") / 1024 )) MiB," \
    "max heap $(grep -o -m1 'MaxHeapSize *= *[0-9]*' <("${entrypoint[@]:0:${#entrypoint[@]}-1}" -XX:+PrintFlagsFinal -version 2>/dev/null) | awk '{ printf "%d MiB", $3 / 1048576 }')"
done
echo "flyway_schema_history: $(psql -tA -d "$database" -c "SELECT count(*) || ' rows, ' || count(*) FILTER (WHERE success) || ' successful' FROM flyway_schema_history")"
for replica in 1 2; do
  echo "replica $replica: $(grep -o -m1 'Successfully applied [0-9]* migrations\{0,1\}\|No migration necessary' "$work/replica$replica.log" || echo 'no Flyway message')"
done

for replica in 1 2; do
  pid=${pids[$((replica - 1))]}
  stop=$(now)
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do
    if over "$stop" 60; then echo "replica $replica ignored SIGTERM" >&2; exit 1; fi
    sleep 0.1
  done
  echo "replica $replica exited $(elapsed "$stop") s after SIGTERM ($(grep -c 'Graceful shutdown complete' "$work/replica$replica.log") graceful-shutdown-complete lines)"
done
pids=()
