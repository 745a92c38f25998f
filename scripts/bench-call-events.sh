#!/usr/bin/env bash
# Call-event ingestion through the HTTP API (POST /api/v1/call-events, 50 senders at once, each
# event answered only once durably stored) beside a baseline that inserts the same rows straight
# into the same database with 50 writers, on SQLite and on PostgreSQL, in one invocation: events
# per second and p50/p99 latency of each, and the API's share of the baseline. With
# HOMEWARD_BENCH_BASELINE=<commit>, that commit's build runs the same in the same invocation, and
# each build's figures are printed under its name. A benchmark, not a test.
#   bash scripts/bench-call-events.sh [EVENTS]
set -euo pipefail
cd "$(dirname "$0")/.."
events="${1:-20000}"
server="${HOMEWARD_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
database=homeward_bench_call_events
source scripts/bench-builds.sh
bench_builds
folder=$(mktemp -d)
trap 'rm -rf "$folder"; psql "$server/postgres" -qc "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true' EXIT
for index in "${!binaries[@]}"; do
  printf '\n== %s\n' "${labels[$index]}"
  psql "$server/postgres" -qc "DROP DATABASE IF EXISTS $database" -qc "CREATE DATABASE $database" >/dev/null
  "${binaries[$index]}" bench call-events --events "$events" --senders 50 \
    --database "sqlite://$folder/bench-$index.db" 2>/dev/null
  "${binaries[$index]}" bench call-events --events "$events" --senders 50 \
    --database "$server/$database" 2>/dev/null | tail -n 2
done
