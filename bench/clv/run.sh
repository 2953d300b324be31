#!/usr/bin/env bash
# clv-service scale benchmark: ./bench/clv/run.sh [--customers=N] [--api-customers=N] [--concurrency=N] [--seed=N]
#   [--order=customer|time] [--order-ids=customer|numbered] [--customer-ids=ascending|shuffled]
#   [--via=rest|grpc] [--stream-purchases=N] [--runs=N]
# Starts the service in one JVM with a 1 GB heap (the database: LOYALTY_TEST_DATABASE_URL, else an embedded
# PostgreSQL from test-support), ingests through the API, COPYs the rest, runs a scoring run; prints figures.
set -euo pipefail
cd "$(dirname "$0")/../.."
CP_FILE=clv-service/target/bench-classpath.txt
# -am: a fresh clone has none of the sibling modules installed; each module writes the file, clv-service last
./mvnw -q -pl clv-service -am test-compile dependency:build-classpath -Dmdep.outputFile="$PWD/$CP_FILE" \
  -Dmdep.includeScope=test
# private copies of the classes: a concurrent build of the module must not swap them under a running benchmark
RUN_DIR=$(mktemp -d /tmp/clv-bench.XXXXXX)
cp -r clv-service/target/classes "$RUN_DIR/classes" && cp -r clv-service/target/test-classes "$RUN_DIR/test-classes"
cp "$CP_FILE" "$RUN_DIR/classpath.txt"
echo "machine: $(nproc) cores; $(free -h | awk '/Mem:/ {print $2" RAM"}'); $(java -version 2>&1 | head -1)"
exec java -Xmx1g -XX:+UseParallelGC -cp "$RUN_DIR/test-classes:$RUN_DIR/classes:$(cat "$RUN_DIR/classpath.txt")" \
  io.loyalty.clv.bench.ClvServiceBenchmark "$@"
