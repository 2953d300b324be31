#!/usr/bin/env sh
# Survey-service benchmark: batch ingestion throughput and results latency at 10M responses.
# Usage: survey-service/bench/run-benchmark.sh [batches=200] [warmup=20] [concurrency=4] [responses=10000000] [queries=50]
# Uses a fresh embedded PostgreSQL unless LOYALTY_TEST_DATABASE_URL points at a server.
set -eu
cd "$(dirname "$0")/../.."
./mvnw -q -pl survey-service -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
CP="survey-service/target/test-classes:survey-service/target/classes:$(cat survey-service/target/bench.classpath)"
exec java -Xmx2g -cp "$CP" io.loyalty.survey.bench.SurveyBenchmark "$@"
