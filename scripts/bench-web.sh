#!/usr/bin/env bash
# Loads the market overview page, a person's page, a provider's page and /api/v1/areas with 50
# concurrent clients on the West Sussex demo (SQLite, release build) and prints requests per
# second and p50/p99 latency. With HOMEWARD_BENCH_BASELINE=<commit>, that commit's build is
# measured in the same invocation, each on a demo database of its own, and the ratio of requests
# per second (this build / baseline) is printed. A benchmark, not a test.
#   bash scripts/bench-web.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-15}"
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
source scripts/bench-builds.sh
bench_builds
folder=$(mktemp -d)
server=
trap 'kill "$server" 2>/dev/null || true; rm -rf "$folder"' EXIT

run() { # build label path header
  local out
  out=$(wrk -t2 -c50 -d"${seconds}s" --latency -H "$4" "$base$3")
  local rps p50 p99
  rps=$(echo "$out" | awk '/Requests\/sec/ { print $2 }')
  p50=$(echo "$out" | awk '$1 == "50%" { print $2 }')
  p99=$(echo "$out" | awk '$1 == "99%" { print $2 }')
  printf '%s,%s,%s,%s,%s\n' "$1" "$2" "$rps" "$p50" "$p99" | tee -a "$folder/results"
  if echo "$out" | grep -q "Non-2xx"; then echo "$out" | grep "Non-2xx" >&2; fi
}

measure() { # label binary
  local label="$1" homeward="$2" database="sqlite://$folder/bench-$RANDOM.db"
  "$homeward" demo --preset west-sussex-2019 --seed 1 --no-serve --database "$database" 2>/dev/null
  : >"$folder/server.log"
  "$homeward" serve --database "$database" --listen 127.0.0.1:0 2>"$folder/server.log" &
  server=$!
  for _ in $(seq 1 100); do grep -q "running at" "$folder/server.log" && break; sleep 0.1; done
  base=$(grep -o 'http://[0-9.:]*' "$folder/server.log" | head -n 1)

  # Sign in as the broker through the form, then make an API token through the tokens form
  # (the password is asked for where the build asks for it).
  local jar="$folder/cookies-$RANDOM" csrf session token person provider
  csrf=$(curl -s -c "$jar" "$base/sign-in" | grep -o 'name="csrf_token" value="[^"]*"' | sed 's/.*value="//; s/"$//')
  curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "email=broker@homeward.example" --data-urlencode "password=homeward-demo-2026" \
    --data-urlencode "csrf_token=$csrf" --data-urlencode "next=/" "$base/sign-in"
  session=$(awk '$6 ~ /homeward_session$/ { print $7 }' "$jar")
  csrf=$(curl -s -b "$jar" "$base/account/tokens" | grep -o 'name="csrf_token" value="[^"]*"' | head -n 1 | sed 's/.*value="//; s/"$//')
  token=$(curl -s -L -b "$jar" -c "$jar" --data-urlencode "csrf_token=$csrf" --data-urlencode "name=bench" \
    --data-urlencode "current_password=homeward-demo-2026" "$base/account/tokens" | grep -o 'id="new-token">[^<]*' | sed 's/.*>//')
  person=$(curl -s -H "Authorization: Bearer $token" "$base/api/v1/people?per_page=1" | grep -o '"id":"per_[^"]*"' | head -n 1 | cut -d'"' -f4)
  provider=$(curl -s -H "Authorization: Bearer $token" "$base/api/v1/providers?per_page=1" | grep -o '"id":"prov_[^"]*"' | head -n 1 | cut -d'"' -f4)
  [ -n "$token" ] && [ -n "$person" ] && [ -n "$provider" ] || { echo "$label: could not sign in or find a person and a provider" >&2; exit 1; }

  run "$label" "market overview page" /market "Cookie: homeward_session=$session"
  run "$label" "person page" "/people/$person" "Cookie: homeward_session=$session"
  run "$label" "provider page" "/providers/$provider" "Cookie: homeward_session=$session"
  run "$label" "api areas" /api/v1/areas "Authorization: Bearer $token"
  kill "$server"; wait "$server" 2>/dev/null || true; server=
}

printf 'build,endpoint,requests_per_second,p50,p99\n'
for index in "${!binaries[@]}"; do
  measure "${labels[$index]}" "${binaries[$index]}"
done
if [ "${#binaries[@]}" -gt 1 ]; then
  printf '\nendpoint,requests_per_second_ratio (this build / baseline)\n'
  for endpoint in "market overview page" "person page" "provider page" "api areas"; do
    this=$(awk -F, -v b="${labels[0]}" -v e="$endpoint" '$1 == b && $2 == e { print $3 }' "$folder/results")
    that=$(awk -F, -v b="${labels[1]}" -v e="$endpoint" '$1 == b && $2 == e { print $3 }' "$folder/results")
    printf '%s,%s\n' "$endpoint" "$(bench_ratio "$this" "$that")"
  done
fi
