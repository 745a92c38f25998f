#!/usr/bin/env bash
# Runs referrals with generated provider answers through the application layer (brokerage) on
# SQLite and on PostgreSQL, in one invocation, and prints referrals per second for each.
# A benchmark, not a test.   bash scripts/bench-brokerage.sh [REFERRALS]
set -euo pipefail
cd "$(dirname "$0")/.."
referrals="${1:-10000}"
server="${HOMEWARD_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
cargo build --release --quiet --bin homeward
folder=$(mktemp -d)
trap 'rm -rf "$folder"; psql "$server/postgres" -qc "DROP DATABASE IF EXISTS homeward_bench_brokerage" >/dev/null 2>&1 || true' EXIT
psql "$server/postgres" -qc "DROP DATABASE IF EXISTS homeward_bench_brokerage" -qc "CREATE DATABASE homeward_bench_brokerage" >/dev/null
target/release/homeward bench brokerage --referrals "$referrals" --database "sqlite://$folder/bench.db"
target/release/homeward bench brokerage --referrals "$referrals" --database "$server/homeward_bench_brokerage" | tail -n 1
