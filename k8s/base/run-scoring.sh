#!/bin/sh
# Starts a scoring run on the clv-service and waits for its outcome, so that the Job succeeds or fails
# with the run. Inside the cluster the clv-service is called directly (it trusts its namespace, which
# the NetworkPolicies keep to the gateway and this job); no gateway credential is needed.
# Environment: CLV_SERVICE_URI, SCORING_REQUEST (JSON body), POLL_INTERVAL_SECONDS.
set -eu

json_field() {
  # first occurrence of a top-level-looking "name": value, quotes stripped (no jq in a minimal image)
  grep -o "\"$1\"[[:space:]]*:[[:space:]]*[^,}]*" | head -n 1 | sed 's/^[^:]*:[[:space:]]*//; s/"//g; s/[[:space:]]*$//'
}

echo "starting scoring run on $CLV_SERVICE_URI: $SCORING_REQUEST"
response=$(curl --silent --show-error --fail-with-body --max-time 60 \
  -X POST -H 'Content-Type: application/json' -H 'Accept: application/json' \
  --data "$SCORING_REQUEST" "$CLV_SERVICE_URI/api/v1/scoring-runs")
echo "accepted: $response"
run_id=$(printf '%s' "$response" | json_field id)
if [ -z "$run_id" ]; then
  echo "the clv-service returned no run id" >&2
  exit 1
fi

# the Job's activeDeadlineSeconds bounds this loop
while :; do
  sleep "${POLL_INTERVAL_SECONDS:-30}"
  if ! run=$(curl --silent --show-error --fail-with-body --max-time 30 \
      -H 'Accept: application/json' "$CLV_SERVICE_URI/api/v1/scoring-runs/$run_id"); then
    echo "status check of run $run_id failed; retrying" >&2
    continue
  fi
  status=$(printf '%s' "$run" | json_field status)
  echo "run $run_id: $status"
  case "$status" in
    SUCCEEDED) echo "$run"; exit 0 ;;
    FAILED) echo "$run" >&2; exit 1 ;;
  esac
done
