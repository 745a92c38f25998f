#!/usr/bin/env bash
# Runs the end-to-end browser tests in e2e/: headless Chromium (Debian's, driven by
# playwright-core) against real Homeward demo servers, each test file starting its own on a free
# port with a fresh SQLite database in a temporary directory, removed afterwards.
#   bash scripts/e2e.sh                 every test file
#   bash scripts/e2e.sh e2e/forms.test.mjs   one file
# Environment:
#   E2E_CONCURRENCY       test files run at once (default 2: each runs a server and a browser)
#   E2E_SCREENSHOT_DIR    when set, tests save screenshots of a few pages there
#   HOMEWARD_BIN          the server binary (default target/debug/homeward, built when missing)
#   HOMEWARD_CLOCK_START  the instant the servers' clocks start (default 10:00 London time today)
# No browser is ever downloaded: Chromium comes from the Debian archive.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '==> %s\n' "$*" >&2; }

ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then
    return
  fi
  say "Installing Chromium with apt-get"
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq chromium >/dev/null
}

ensure_binary() {
  local binary="${HOMEWARD_BIN:-target/debug/homeward}"
  if [ ! -x "$binary" ]; then
    say "Building the homeward binary"
    cargo build --bin homeward
  fi
}

ensure_chromium
# Installs the npm packages (playwright-core, axe-core, …) and compiles the CSS the pages use.
bash scripts/build-assets.sh
ensure_binary

if [ "$#" -eq 0 ]; then set -- e2e/; fi
say "Running the end-to-end tests: $*"
# Node 20's runner takes directories; from Node 21 its arguments are globs, and e2e/ is not one.
if [ "$(node -p 'Number(process.versions.node.split(".")[0])')" -ge 21 ]; then
  args=()
  for arg in "$@"; do
    if [ -d "$arg" ]; then args+=("${arg%/}/**/*.test.mjs"); else args+=("$arg"); fi
  done
  set -- "${args[@]}"
fi
# Everything the run writes (databases, browser profiles, the TAP report) goes under one
# temporary directory, removed at the end even if a test process was killed.
work=$(mktemp -d "${TMPDIR:-/tmp}/homeward-e2e-run.XXXXXX")
trap 'rm -rf "$work"' EXIT
export TMPDIR="$work"
# Every server, the demo that builds their database, and every page run on a clock started at
# 10:00 London time today: the phone test checks in to a visit open then, whatever the hour of
# the run (e2e/support/browser.mjs gives pages the same start).
export HOMEWARD_CLOCK_START="${HOMEWARD_CLOCK_START:-$(TZ=Europe/London date +%Y-%m-%dT10:00:00%:z)}"
say "The servers' clock starts at $HOMEWARD_CLOCK_START"
# The demo database every test server starts from, a copy each (e2e/support/server.mjs).
say "Building the demo database the tests start from"
mkdir -p "$work/base"
"${HOMEWARD_BIN:-target/debug/homeward}" demo --preset west-sussex-2019 --seed 1 --no-serve \
  --database "sqlite://$work/base/e2e.db" 2> "$work/base/demo.log"
export HOMEWARD_E2E_BASE="$work/base"
# The spec report goes to the terminal; a TAP report to a file, whose closing summary
# ("# pass N", "# fail N") is printed last.
tap="$work/report.tap"
status=0
node --test --test-concurrency="${E2E_CONCURRENCY:-2}" \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" \
  "$@" || status=$?
grep -E '^# (tests|suites|pass|fail|cancelled|skipped|todo|duration_ms) ' "$tap" || true
exit "$status"
