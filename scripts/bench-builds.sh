# Sourced by the benchmark scripts: the release binaries to measure, in `labels` and `binaries`.
# Always this checkout's build ("this build"). With HOMEWARD_BENCH_BASELINE set to a commit, that
# commit's build as well ("baseline"), made from a worktree of its own into a target folder of its
# own (kept, so a second run reuses it), so that both are measured in one invocation on the same
# machine under the same load, and compared by their ratio.
bench_builds() {
  local target="${CARGO_TARGET_DIR:-$PWD/target}"
  cargo build --release --quiet --locked --bin homeward
  labels=("this build")
  binaries=("$target/release/homeward")
  local commit="${HOMEWARD_BENCH_BASELINE:-}"
  [ -n "$commit" ] || return 0
  local sha
  sha=$(git rev-parse --verify "$commit^{commit}")
  local source="$target/bench-baseline/source-$sha"
  local built="$target/bench-baseline/target"
  if [ ! -d "$source" ]; then
    git worktree add --detach --quiet "$source" "$sha"
  fi
  printf '==> Building the baseline %s\n' "$(git log -1 --format='%h %s' "$sha" | cut -c1-72)" >&2
  CARGO_TARGET_DIR="$built" cargo build --release --quiet --locked --bin homeward \
    --manifest-path "$source/Cargo.toml"
  labels+=("baseline ${sha:0:7}")
  binaries+=("$built/release/homeward")
}

# The ratio of this build's figure to the baseline's, to three places ("-" without a baseline).
bench_ratio() { # this_build baseline
  awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.3f\n", a / b }'
}
