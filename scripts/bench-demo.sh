#!/usr/bin/env bash
# Times `homeward demo --no-serve` for every preset in a release build, on SQLite and on
# PostgreSQL, and prints the median of several runs. A benchmark, not a test.
#   bash scripts/bench-demo.sh [RUNS]   (PostgreSQL from HOMEWARD_BENCH_POSTGRES_URL, default local)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
server="${HOMEWARD_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432}"
cargo build --release --quiet --bin homeward
binary=target/release/homeward
folder=$(mktemp -d)
trap 'rm -rf "$folder"; psql "$server/postgres" -qc "DROP DATABASE IF EXISTS homeward_bench" >/dev/null 2>&1 || true' EXIT
psql "$server/postgres" -qc "DROP DATABASE IF EXISTS homeward_bench" -qc "CREATE DATABASE homeward_bench" >/dev/null

median_seconds() { # command...
  local times=()
  for _ in $(seq 1 "$runs"); do
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    times+=("$(( (end - start) / 1000000 ))")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.2f", a[int((NR + 1) / 2)] / 1000 }'
}

printf 'preset,people,sqlite_seconds,postgres_seconds\n'
for preset in west-sussex-2019 oxfordshire-2014 norfolk-2014 nottinghamshire-2013 worcestershire-2019; do
  sqlite="sqlite://$folder/$preset.db"
  people=$("$binary" demo --preset "$preset" --no-serve --database "$sqlite" 2>&1 | grep -o '[0-9]* people' | cut -d' ' -f1)
  s=$(median_seconds "$binary" demo --preset "$preset" --no-serve --database "$sqlite")
  p=$(median_seconds "$binary" demo --preset "$preset" --no-serve --database "$server/homeward_bench")
  printf '%s,%s,%s,%s\n' "$preset" "$people" "$s" "$p"
done
