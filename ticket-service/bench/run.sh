#!/usr/bin/env sh
# Rerunnable ticket-service benchmark (not part of `verify`): starts the service on random ports against a
# fresh PostgreSQL (embedded, or LOYALTY_TEST_DATABASE_URL), measures event ingestion and stats latency and
# writes ticket-service/target/ticket-benchmark.md.
# Usage: ticket-service/bench/run.sh [--tickets=20000] [--single-tickets=2000] [--stats-tickets=1000000]
#                                     [--concurrency=4] [--stats-runs=20]
set -eu
cd "$(dirname "$0")/../.."
./mvnw -q -pl ticket-service -am test-compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.11.0:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath
cd ticket-service
exec java -Xmx2g -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.loyalty.ticket.bench.TicketBenchmark "$@"
