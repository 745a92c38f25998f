#!/usr/bin/env python3
"""Summarises a benchmark run of Homeward's engine and its peers (standard library only).

    python3 summarise.py RESULTS.csv [--bks FILE --column NAME] [--hierarchical]

RESULTS.csv has `solver,instance,vehicles,cost,seconds,feasible[,best_known]` rows (Homeward's
rows carry the best-known cost it used; peers' rows leave it empty). The best-known cost of an
instance is read from column NAME of FILE (and `vehicles` from the same file) when given,
otherwise taken from Homeward's rows.

Prints a table per instance, then per solver: feasible results, the mean gap to the best known
over its feasible results, the mean gap over the instances every solver solved feasibly, the
ratio of Homeward's mean gap to the peer's on those instances, and (with --hierarchical) on how
many instances the vehicles equal the best known's.
"""

from __future__ import annotations

import argparse
import csv
import sys
from dataclasses import dataclass

HOMEWARD = "homeward"


@dataclass
class Result:
    solver: str
    instance: str
    vehicles: int
    cost: float
    seconds: float
    feasible: bool
    best_known: float | None


@dataclass
class Known:
    cost: float
    vehicles: int | None


def read_results(path: str) -> list[Result]:
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [
        Result(
            solver=row["solver"],
            instance=row["instance"],
            vehicles=int(float(row["vehicles"])),
            cost=float(row["cost"]),
            seconds=float(row["seconds"]),
            feasible=row["feasible"].strip().lower() in {"true", "yes", "1"},
            best_known=float(row["best_known"]) if row.get("best_known") else None,
        )
        for row in rows
    ]


def read_known(path: str | None, column: str | None, results: list[Result]) -> dict[str, Known]:
    if path:
        with open(path, newline="") as handle:
            rows = list(csv.DictReader(handle))
        vehicles_column = "dist_only_vehicles" if column == "dist_only_distance" else "vehicles"
        return {
            row["instance"]: Known(
                cost=float(row[column]),
                vehicles=int(row[vehicles_column]) if row.get(vehicles_column) else None,
            )
            for row in rows
        }
    return {
        r.instance: Known(cost=r.best_known, vehicles=None)
        for r in results
        if r.solver == HOMEWARD and r.best_known is not None
    }


def gap(result: Result, known: dict[str, Known]) -> float | None:
    best = known.get(result.instance)
    if best is None or best.cost == 0:
        return None
    return 100.0 * (result.cost - best.cost) / best.cost


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def show(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def print_instances(results: list[Result], known: dict[str, Known], instances: list[str]) -> None:
    for instance in instances:
        best = known.get(instance)
        header = f"{instance}  best known {show(best.cost if best else None)}"
        if best and best.vehicles is not None:
            header += f" with {best.vehicles} vehicles"
        print(header)
        print(f"  {'solver':<10} {'vehicles':>8} {'cost':>10} {'gap %':>8} {'seconds':>8} feasible")
        for r in results:
            if r.instance == instance:
                print(
                    f"  {r.solver:<10} {r.vehicles:>8} {r.cost:>10.2f} {show(gap(r, known)):>8}"
                    f" {r.seconds:>8.2f} {'yes' if r.feasible else 'NO'}"
                )
        print()


def print_solvers(
    results: list[Result], known: dict[str, Known], instances: list[str], hierarchical: bool
) -> None:
    solvers = list(dict.fromkeys(r.solver for r in results))
    by = {(r.solver, r.instance): r for r in results}
    common = [
        i for i in instances
        if all(by.get((s, i)) and by[(s, i)].feasible and gap(by[(s, i)], known) is not None
               for s in solvers)
    ]
    common_mean = {s: mean([gap(by[(s, i)], known) for i in common]) for s in solvers}
    print(f"Mean gap to the best known, % (common = the {len(common)} instances every solver "
          "solved feasibly)")
    columns = f"  {'solver':<10} {'feasible':>9} {'mean gap':>9} {'common':>8} {'homeward/peer':>14}"
    if hierarchical:
        columns += f" {'vehicles = best known':>22}"
    print(columns)
    for solver in solvers:
        own = [by[(solver, i)] for i in instances if (solver, i) in by]
        feasible = [r for r in own if r.feasible]
        gaps = [g for g in (gap(r, known) for r in feasible) if g is not None]
        line = (
            f"  {solver:<10} {len(feasible):>4}/{len(own):<4} {show(mean(gaps)):>9}"
            f" {show(common_mean[solver]):>8} {ratio(common_mean, solver):>14}"
        )
        if hierarchical:
            matched = sum(
                1 for r in feasible
                if known.get(r.instance) and known[r.instance].vehicles == r.vehicles
            )
            line += f" {f'{matched}/{len(own)}':>22}"
        print(line)


def ratio(common_mean: dict[str, float | None], solver: str) -> str:
    """Homeward's mean gap over the peer's, on the common instances."""
    if solver == HOMEWARD:
        return ""
    ours, theirs = common_mean.get(HOMEWARD), common_mean.get(solver)
    if ours is None or theirs is None:
        return "—"
    if abs(theirs) < 1e-9:
        return "peer at bks" if abs(ours) >= 1e-9 else "1.00"
    return f"{ours / theirs:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results")
    parser.add_argument("--bks", help="best-known table (CSV with an `instance` column)")
    parser.add_argument("--column", help="the best-known cost's column in --bks")
    parser.add_argument("--hierarchical", action="store_true")
    args = parser.parse_args(argv)
    results = read_results(args.results)
    if not results:
        print("no results", file=sys.stderr)
        return 1
    known = read_known(args.bks, args.column, results)
    instances = list(dict.fromkeys(r.instance for r in results))
    print_instances(results, known, instances)
    print_solvers(results, known, instances, args.hierarchical)
    return 0


if __name__ == "__main__":
    sys.exit(main())
