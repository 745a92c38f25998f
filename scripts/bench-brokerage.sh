#!/usr/bin/env bash
# Runs referrals with generated provider answers through the application layer (brokerage) on
# SQLite and on PostgreSQL, in one invocation, and prints referrals per second for each. With
# HOMEWARD_BENCH_BASELINE=<commit>, that commit's build runs the same in the same invocation, and
# each build's figures are printed under its name. A benchmark, not a test.
#   bash scripts/bench-brokerage.sh [REFERRALS]
set -euo pipefail
cd "$(dirname "$0")/.."
referrals="${1:-10000}"
server="${HOMEWARD_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
source scripts/bench-builds.sh
bench_builds
folder=$(mktemp -d)
trap 'rm -rf "$folder"; psql "$server/postgres" -qc "DROP DATABASE IF EXISTS homeward_bench_brokerage" >/dev/null 2>&1 || true' EXIT
for index in "${!binaries[@]}"; do
  printf '\n== %s\n' "${labels[$index]}"
  psql "$server/postgres" -qc "DROP DATABASE IF EXISTS homeward_bench_brokerage" -qc "CREATE DATABASE homeward_bench_brokerage" >/dev/null
  "${binaries[$index]}" bench brokerage --referrals "$referrals" --database "sqlite://$folder/bench-$index.db"
  "${binaries[$index]}" bench brokerage --referrals "$referrals" --database "$server/homeward_bench_brokerage" | tail -n 1
done
