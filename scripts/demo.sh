#!/usr/bin/env bash
# The README's first command: builds the GOV.UK Frontend styles and the release binary, builds
# the demo county into data/homeward.db (SQLite) and serves it at http://127.0.0.1:8080.
# Extra arguments go to `homeward demo`, e.g. `bash scripts/demo.sh --preset norfolk-2014`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build-assets.sh
exec cargo run --release --bin homeward -- demo "$@"
