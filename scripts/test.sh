#!/usr/bin/env bash
# Sets up everything the tests need on a fresh Debian machine, then runs every test.
# PostgreSQL is installed and started when missing; each test makes its own database in it.
# Chromium, the npm packages and the Python tools are installed by the scripts that use them.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '==> %s\n' "$*" >&2; }

ensure_postgres() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    say "Installing PostgreSQL"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq postgresql >/dev/null
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    say "Starting PostgreSQL"
    local version
    version=$(ls /etc/postgresql | sort -V | tail -n 1)
    pg_ctlcluster --skip-systemctl-redirect "$version" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  local url="${HOMEWARD_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
  if ! psql "$url" -qAtc 'select 1' >/dev/null 2>&1; then
    # A fresh install asks for a password over TCP: give the postgres role one for the tests.
    say "Setting a password for the postgres role for the tests"
    su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'homeward-tests'\"" >/dev/null
    url="postgres://postgres:homeward-tests@127.0.0.1:5432/postgres"
  fi
  export HOMEWARD_TEST_POSTGRES_URL="$url"
}

ensure_postgres
say "Running the Rust tests (PostgreSQL at ${HOMEWARD_TEST_POSTGRES_URL%%@*}@…)"
cargo test --workspace --locked
cargo build --locked --bin homeward

say "Running the browser tests (Chromium, axe)"
bash scripts/e2e.sh

say "Checking the API against its OpenAPI document (schemathesis)"
bash scripts/api-conformance.sh
