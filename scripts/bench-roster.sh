#!/usr/bin/env bash
# Measures the roster engine against published best-known results and against peer solvers
# (PyVRP, VROOM, OR-Tools) on the same instances, one run after another in one invocation, and
# prints a table per instance and the mean gap per solver. A benchmark, not a test: never in CI.
#
#   bash scripts/bench-roster.sh [--set solomon|homberger|mankowska] [--time-limit S]
#        [--instances "C101 R101 ..."] [--objective distance|hierarchical]
#        [--peers pyvrp,vroom,ortools|none]
#
# Defaults: solomon, 5 s, every instance of the set, distance (hierarchical for homberger, whose
# best-known results are hierarchical only), all three peers. The peers read Solomon-format
# VRPTW files only, so mankowska runs the engine alone. The peers' Python packages (pinned in
# scripts/roster-peers/requirements.txt) live in a venv at target/roster-peers-venv, made on
# first use and remade when the requirements change. Raw rows are kept in
# target/bench-roster/SET-OBJECTIVE-PID.csv.
set -euo pipefail
cd "$(dirname "$0")/.."

set_name=solomon
time_limit=5
instances=""
objective=""
peers="pyvrp,vroom,ortools"

usage() { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --set) set_name="$2"; shift 2 ;;
    --time-limit) time_limit="$2"; shift 2 ;;
    --instances) instances="$2"; shift 2 ;;
    --objective) objective="$2"; shift 2 ;;
    --peers) peers="$2"; shift 2 ;;
    -h|--help) usage 0 ;;
    *) echo "unknown argument: $1" >&2; usage 1 >&2 ;;
  esac
done

if [ "${CI:-}" = "true" ]; then
  echo "bench-roster.sh is a benchmark and does not run in CI" >&2
  exit 1
fi

case "$set_name" in
  solomon)
    folder=crates/roster/instances/solomon
    objective="${objective:-distance}"
    bks="$folder/bks.csv"
    ;;
  homberger)
    folder=crates/roster/instances/homberger
    objective="${objective:-hierarchical}"
    bks="$folder/homberger_200_bks.csv"
    if [ "$objective" != hierarchical ]; then
      echo "--set homberger has best-known results for --objective hierarchical only" >&2
      exit 1
    fi
    ;;
  mankowska)
    folder=crates/roster/instances/mankowska
    objective="${objective:-distance}"
    bks=""
    if [ "$peers" != none ]; then
      echo "note: the peers solve Solomon-format VRPTW only; mankowska runs the engine alone" >&2
      peers=none
    fi
    ;;
  *) echo "--set must be solomon, homberger or mankowska" >&2; exit 1 ;;
esac
case "$objective" in
  distance) column=dist_only_distance ;;
  hierarchical) column=distance ;;
  *) echo "--objective must be distance or hierarchical" >&2; exit 1 ;;
esac
if [ -z "$instances" ]; then
  instances=$(find "$folder" -maxdepth 1 -name '*.txt' -printf '%f\n' | sed 's/\.txt$//' | sort -V | tr '\n' ' ')
fi
[ "$peers" = none ] && peers=""

venv=target/roster-peers-venv
requirements=scripts/roster-peers/requirements.txt
if [ -n "$peers" ] && ! cmp -s "$requirements" "$venv/requirements.txt"; then
  echo "making the peers' venv in $venv" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
  cp "$requirements" "$venv/requirements.txt"
fi

cargo build --release --quiet --bin homeward
out=target/bench-roster
mkdir -p "$out"
# A copy of the binary, so a rebuild during a long run cannot change the solver half-way.
homeward="$out/homeward-$$"
cp target/release/homeward "$homeward"
trap 'rm -f "$homeward"' EXIT
results="$out/$set_name-$objective-$$.csv"
echo "solver,instance,vehicles,cost,seconds,feasible,best_known" > "$results"

count=$(echo "$instances" | wc -w)
solvers=$(( 1 + $(echo "${peers//,/ }" | wc -w) ))
echo "$count instances × $solvers solvers × ${time_limit} s ≈ $(( count * solvers * ${time_limit%.*} / 60 + 1 )) min" >&2

for instance in $instances; do
  # instance,vehicles,cost,best_known,gap_percent,seconds,feasible — the instance's row only.
  "$homeward" roster bench --set "$set_name" --time-limit "$time_limit" \
      --objective "$objective" --only "$instance" \
    | awk -F, -v OFS=, 'NR > 1 && $1 != "mean" { print "homeward", $1, $2, $3, $6, $7, $4 }' \
    | tee -a "$results" >&2
  for peer in ${peers//,/ }; do
    "$venv/bin/python" scripts/roster-peers/peers.py "$peer" "$folder/$instance.txt" \
        --time-limit "$time_limit" --objective "$objective" \
      | sed 's/$/,/' | tee -a "$results" >&2
  done
done

echo
label=$objective; [ "$set_name" = mankowska ] && label="Mankowska (distance + total + largest tardiness) / 3"
echo "Set $set_name, objective $label, ${time_limit} s per instance and solver, one thread each"
echo
summary=(python3 scripts/roster-peers/summarise.py "$results")
[ -n "$bks" ] && summary+=(--bks "$bks" --column "$column")
[ "$objective" = hierarchical ] && summary+=(--hierarchical)
"${summary[@]}"
