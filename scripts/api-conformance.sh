#!/usr/bin/env bash
# Checks the JSON API against its own OpenAPI document, on a throwaway demo server:
#   1. the document at /api/v1/openapi.json is valid OpenAPI 3.1 (openapi-spec-validator);
#   2. the live API answers as the document says (schemathesis, with demo accounts' tokens);
#   3. requests schemathesis cannot make (a path that is not UTF-8, an oversized body) get the
#      API's error body and a documented status too (e2e/python/error_envelope.py).
# The Python tools are pinned in e2e/python/requirements.txt and live in target/api-venv, made
# again only when that file (or python3) changes. Exits non-zero when any check fails.
#
# Environment: API_CONFORMANCE_MAX_EXAMPLES (default 25 an operation) and API_CONFORMANCE_SEED
# (default 1) change the schemathesis run. The document and reports go to target/api-conformance/.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'api-conformance: %s\n' "$*" >&2; exit 1; }

started=$SECONDS
root=$PWD
here=e2e/python
venv=target/api-venv
work=target/api-conformance
max_examples="${API_CONFORMANCE_MAX_EXAMPLES:-25}"
seed="${API_CONFORMANCE_SEED:-1}"

# --- 1. The virtual environment -------------------------------------------------------------
command -v python3 >/dev/null || die "python3 is needed (with its venv module)"
wanted="$(python3 --version 2>&1) $(sha256sum "$here/requirements.txt" | cut -d' ' -f1)"
if [[ -x "$venv/bin/python" && "$(cat "$venv/.requirements-stamp" 2>/dev/null)" == "$wanted" ]]; then
  say "Reusing $venv (requirements unchanged)"
else
  say "Making $venv from $here/requirements.txt"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input \
    --require-virtualenv -r "$here/requirements.txt"
  printf '%s\n' "$wanted" > "$venv/.requirements-stamp"
fi
py="$venv/bin/python"

# --- 2. The server ----------------------------------------------------------------------------
# cargo build is a no-op when the binary is up to date, and rebuilds a stale one, so the check
# always runs against the code in the tree.
say "Building target/debug/homeward"
cargo build --quiet --bin homeward

tmp=$(mktemp -d)
server_pid=""
cleanup() {
  local status=$?
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

say "Starting the West Sussex demo (seed 1, two days of history) on a throwaway database"
# Two days of delivered care are enough to give every endpoint records to answer with; the
# weeks of the full demo make the council's whole-period reckonings (invoices, reconciliation,
# fair work) take longer on a debug build than schemathesis waits for one answer.
target/debug/homeward demo --preset west-sussex-2019 --seed 1 --history-days 2 \
  --database "sqlite://$tmp/api.db" --listen 127.0.0.1:0 \
  >"$tmp/server.out" 2>"$tmp/server.err" &
server_pid=$!
base=""
for _ in $(seq 1 600); do
  base=$(sed -n 's|.*Homeward is running at \(http://127\.0\.0\.1:[0-9]*\)/.*|\1|p' "$tmp/server.err" | head -n 1)
  [[ -n "$base" ]] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$tmp/server.err" >&2; die "the server stopped before it was ready"; }
  sleep 0.1
done
[[ -n "$base" ]] || { cat "$tmp/server.err" >&2; die "the server did not say where it runs within 60 s"; }
say "Server at $base"

# --- 3. Bearer tokens, made through the sign-in and token pages --------------------------------
# The commissioner's for every operation; the provider user's for the operations of providers,
# and the broker's for referrals, which a commissioner may not use (see e2e/python/schemathesis.toml).
made=$("$py" "$here/bearer_token.py" "$base" commissioner@homeward.example homeward-demo-2026 \
  schemathesis) || die "could not make an API token for the commissioner"
read -r token token_id <<<"$made"
made=$("$py" "$here/bearer_token.py" "$base" provider@homeward.example homeward-demo-2026 \
  schemathesis) || die "could not make an API token for the provider user"
read -r provider_token _ <<<"$made"
made=$("$py" "$here/bearer_token.py" "$base" broker@homeward.example homeward-demo-2026 \
  schemathesis) || die "could not make an API token for the broker"
read -r broker_token _ <<<"$made"
export HOMEWARD_API_TOKEN="$token" HOMEWARD_PROVIDER_TOKEN="$provider_token" HOMEWARD_BROKER_TOKEN="$broker_token"
export HOMEWARD_PROTECTED_TOKEN_ID="$token_id"
say "Signed in; the commissioner's API token is $token_id"

# --- 4. The document ---------------------------------------------------------------------------
mkdir -p "$work"
rm -rf "${work:?}"/*
curl --silent --show-error --fail "$base/api/v1/openapi.json" -o "$work/openapi.json"
say "Validating the OpenAPI document"
document_ok=1
if ! "$py" - "$work/openapi.json" <<'PY'
import json, sys
version = json.load(open(sys.argv[1])).get("openapi")
if not (isinstance(version, str) and version.startswith("3.1.")):
    sys.exit(f'the document says "openapi": {json.dumps(version)}, not 3.1.x')
print(f'"openapi": "{version}"')
PY
then
  document_ok=0
fi
if ! "$venv/bin/openapi-spec-validator" --schema 3.1 --validation-errors all "$work/openapi.json"; then
  document_ok=0
fi

# --- 5. The live API ---------------------------------------------------------------------------
# Every check that a correct implementation passes; object_level_authorization is left out only
# because it needs several identities (a WFC auth file) and does nothing with one.
checks=not_a_server_error,status_code_conformance,content_type_conformance
checks+=,response_headers_conformance,response_schema_conformance
checks+=,negative_data_rejection,missing_required_header
checks+=,unsupported_method,allow_header_conformance,ignored_auth
checks+=,use_after_free,ensure_resource_availability
st=(
  "$root/$venv/bin/schemathesis" --no-color --config-file "$root/$here/schemathesis.toml"
  run "$base/api/v1/openapi.json"
  --max-examples "$max_examples" --seed "$seed" --workers 1 --continue-on-failure
  --request-timeout 10
  --report junit,ndjson --report-dir reports
)
api_ok=1
# Run from target/api-conformance so that nothing the tool writes lands in the work tree.
# Every operation but two also gets positive_data_acceptance (schema-valid requests accepted).
# The exceptions must meet rules no schema can state, so schema-valid bodies that break them are
# rightly refused with 422 naming the field; they run every other check. POST /api/v1/referrals:
# the visit pattern's grammar ("daily 08:00 45m x2") and the order of its dates. POST
# /api/v1/call-events: the worker must be one of the caller's own, and the visit one of theirs.
# Rostering (issue 6): POST /api/v1/rosters (plan_rosters): the branch must be one of the
# caller's and the date within the planning horizon, today to 28 days ahead by the server's
# clock; POST /api/v1/rosters/{id}/move (move_roster_visit): the visit must be one of the
# roster day's and the worker one of its branch's. The rosters' list, one roster, publishing and
# the runs' calendar state all they need in the schema and run every check. POST
# /api/v1/invoices/{provider_id}/{period}/issue (issue_invoice): the provider must be the
# caller's own, the period must have ended and have something to invoice, and an invoice is
# issued once. POST /api/v1/offers/{id}/answer (answer_offer): an acceptance's start date must
# fall from today to 90 days ahead by the server's clock, which no schema can say.
say "Running schemathesis (${max_examples} examples an operation, seed ${seed}) in $work:"
special=(create_referral create_call_event plan_rosters move_roster_visit issue_invoice answer_offer)
excluded=(); included=()
for operation in "${special[@]}"; do
  excluded+=(--exclude-operation-id "$operation"); included+=(--include-operation-id "$operation")
done
say "  SCHEMATHESIS_HOOKS=$root/$here/hooks.py ${st[*]} --checks $checks,positive_data_acceptance ${excluded[*]}"
(cd "$work" && SCHEMATHESIS_HOOKS="$root/$here/hooks.py" "${st[@]}" --checks "$checks,positive_data_acceptance" "${excluded[@]}") || api_ok=0
say "  … --checks $checks ${included[*]}"
(cd "$work" && SCHEMATHESIS_HOOKS="$root/$here/hooks.py" "${st[@]}" --checks "$checks" "${included[@]}") || api_ok=0

# --- 6. Requests schemathesis cannot make -----------------------------------------------------
# Paths that are not UTF-8 and oversized bodies must get the error body and a documented status.
say "Sending malformed requests that every API answer must meet with the error body"
envelope_ok=1
"$py" "$here/error_envelope.py" "$work/openapi.json" "$base" || envelope_ok=0

# --- 7. Summary --------------------------------------------------------------------------------
elapsed=$((SECONDS - started))
verdict() { if (($1)); then echo "passed"; else echo "FAILED"; fi; }
echo
echo "API conformance summary (${elapsed}s; reports in $work/reports):"
echo "  OpenAPI document (openapi-spec-validator, OpenAPI 3.1):  $(verdict "$document_ok")"
echo "  Live API against the document (schemathesis):          $(verdict "$api_ok")"
echo "  Error bodies for malformed requests (error_envelope):  $(verdict "$envelope_ok")"
((document_ok && api_ok && envelope_ok)) || { echo "See the failures above."; exit 1; }
