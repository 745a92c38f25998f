#!/usr/bin/env bash
# Loads the market overview page and /api/v1/areas with 50 concurrent clients on the West Sussex
# demo (SQLite, release build) and prints requests per second and p50/p99 latency. A benchmark,
# not a test.   bash scripts/bench-web.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-15}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
cargo build --release --quiet --bin homeward
folder=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$folder"' EXIT
database="sqlite://$folder/bench.db"
target/release/homeward demo --preset west-sussex-2019 --seed 1 --no-serve --database "$database" 2>/dev/null
target/release/homeward serve --database "$database" --listen 127.0.0.1:0 2>"$folder/server.log" &
server=$!
for _ in $(seq 1 50); do grep -q "running at" "$folder/server.log" && break; sleep 0.1; done
base=$(grep -o 'http://[0-9.:]*' "$folder/server.log" | head -n 1)

# Sign in as the broker through the form, then make an API token through the tokens form.
jar="$folder/cookies"
csrf=$(curl -s -c "$jar" "$base/sign-in" | grep -o 'name="csrf_token" value="[^"]*"' | sed 's/.*value="//; s/"$//')
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "email=broker@homeward.example" --data-urlencode "password=homeward-demo-2026" \
  --data-urlencode "csrf_token=$csrf" --data-urlencode "next=/" "$base/sign-in"
session=$(awk '$6 == "homeward_session" { print $7 }' "$jar")
csrf=$(curl -s -b "$jar" "$base/account/tokens" | grep -o 'name="csrf_token" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//')
token=$(curl -s -L -b "$jar" -c "$jar" --data-urlencode "csrf_token=$csrf" --data-urlencode "name=bench" "$base/account/tokens" | grep -o 'id="new-token">[^<]*' | sed 's/.*>//')

run() { # label path header
  local out
  out=$(wrk -t2 -c50 -d"${seconds}s" --latency -H "$3" "$base$2")
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
  p50=$(echo "$out" | awk '$1 == "50%" { print $2 }')
  p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
  printf '%s,%s,%s,%s\n' "$1" "$rps" "$p50" "$p99"
  if echo "$out" | grep -q "Non-2xx"; then echo "$out" | grep "Non-2xx" >&2; fi
}
printf 'endpoint,requests_per_second,p50,p99\n'
run "market overview page" /market "Cookie: homeward_session=$session"
run "api areas" /api/v1/areas "Authorization: Bearer $token"
