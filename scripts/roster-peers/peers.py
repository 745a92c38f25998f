#!/usr/bin/env python3
"""Solves one Solomon-format VRPTW instance with a peer solver and prints one CSV line.

    python3 peers.py SOLVER INSTANCE_FILE [--time-limit S] [--objective distance|hierarchical]
                     [--seed N] [--header]

SOLVER is `pyvrp`, `vroom` (pyvroom) or `ortools` (OR-Tools routing). Each runs on one thread
for at most the time limit (VROOM may stop sooner: its search ends on its own).

Output: `solver,instance,vehicles,cost,seconds,feasible`, the instance named by its file name
(without `.txt`). The driver does not trust the solver's
own figures: it recomputes the cost from the routes and checks feasibility itself (every
customer served once, capacity, time windows, the depot's horizon, the fleet size) with the
convention's arc times.

Conventions:

* `distance` (DIMACS 2021, PyVRP/CVRPLIB): every arc's distance and travel time is the
  Euclidean distance truncated to one decimal, floor(10 d)/10; vehicles are free (up to the
  instance's fleet). Solvers get integers in tenths (all data times 10), so nothing is
  rounded twice. Cost = the sum of truncated arcs.
* `hierarchical` (classic): fewest vehicles, then exact distance. Solvers get distances as
  round(1000 d) and travel times as ceil(1000 d) (rounding times up keeps every solution
  feasible with exact times), data times 1000, and a fixed cost per vehicle larger than any
  possible total distance. Cost = the exact double-precision distance; the check uses exact
  times (to 1e-6).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

TOLERANCE = 1e-6


@dataclass
class Instance:
    """A Solomon instance; index 0 is the depot."""

    name: str
    fleet: int
    capacity: int
    x: list[float]
    y: list[float]
    demand: list[int]
    ready: list[int]
    due: list[int]
    service: list[int]

    @property
    def size(self) -> int:
        return len(self.x)

    def euclid(self, a: int, b: int) -> float:
        return math.hypot(self.x[a] - self.x[b], self.y[a] - self.y[b])


def read_solomon(path: Path) -> Instance:
    """Parses the Solomon text format (name, VEHICLE block, CUSTOMER table)."""
    lines = [line.split() for line in path.read_text().splitlines()]
    lines = [fields for fields in lines if fields]
    name = lines[0][0]
    numbers = [fields for fields in lines if all(_is_number(f) for f in fields)]
    fleet, capacity = (int(float(v)) for v in numbers[0][:2])
    rows = [[float(v) for v in fields] for fields in numbers[1:] if len(fields) >= 7]
    column = lambda k, kind=int: [kind(row[k]) for row in rows]  # noqa: E731
    return Instance(
        name=name,
        fleet=fleet,
        capacity=capacity,
        x=column(1, float),
        y=column(2, float),
        demand=column(3),
        ready=column(4),
        due=column(5),
        service=column(6),
    )


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@dataclass
class Convention:
    """What the solver is given (integers at `scale`) and how the driver judges the result."""

    scale: int
    distance: list[list[int]]
    duration: list[list[int]]
    fixed_cost: int
    arc: list[list[float]]  # the convention's arc length = travel time, unscaled

    def scaled(self, value: int) -> int:
        return value * self.scale


def convention(instance: Instance, objective: str) -> Convention:
    """The integer data for the solvers and the arcs for the driver's own check."""
    n = instance.size
    exact = [[instance.euclid(a, b) for b in range(n)] for a in range(n)]
    if objective == "distance":
        tenths = [[math.floor(10 * d) for d in row] for row in exact]
        arc = [[t / 10 for t in row] for row in tenths]
        return Convention(10, tenths, tenths, 0, arc)
    distance = [[round(1000 * d) for d in row] for row in exact]
    duration = [[math.ceil(1000 * d) for d in row] for row in exact]
    fixed = sum(max(row) for row in distance) + 1
    return Convention(1000, distance, duration, fixed, exact)


# --- solvers: each returns a list of routes, each a list of customer numbers (1..n-1) ---------


def solve_pyvrp(instance: Instance, conv: Convention, seconds: float, seed: int) -> list[list[int]]:
    from pyvrp import Model
    from pyvrp.stop import MaxRuntime

    model = Model()
    locations = [model.add_location(instance.x[i], instance.y[i]) for i in range(instance.size)]
    model.add_depot(
        locations[0],
        tw_early=conv.scaled(instance.ready[0]),
        tw_late=conv.scaled(instance.due[0]),
    )
    model.add_vehicle_type(
        num_available=instance.fleet,
        capacity=instance.capacity,
        fixed_cost=conv.fixed_cost,
        tw_early=conv.scaled(instance.ready[0]),
        tw_late=conv.scaled(instance.due[0]),
    )
    for i in range(1, instance.size):
        model.add_client(
            locations[i],
            delivery=instance.demand[i],
            service_duration=conv.scaled(instance.service[i]),
            tw_early=conv.scaled(instance.ready[i]),
            tw_late=conv.scaled(instance.due[i]),
        )
    for a in range(instance.size):
        for b in range(instance.size):
            model.add_edge(
                locations[a], locations[b], distance=conv.distance[a][b], duration=conv.duration[a][b]
            )
    result = model.solve(stop=MaxRuntime(seconds), seed=seed, display=False, collect_stats=False)
    return [
        [activity.idx + 1 for activity in route if activity.is_client()]
        for route in result.best.routes()
    ]


def solve_vroom(instance: Instance, conv: Convention, seconds: float, seed: int) -> list[list[int]]:
    from datetime import timedelta

    import numpy as np
    import vroom

    del seed  # VROOM is deterministic.
    problem = vroom.Input()
    problem.set_durations_matrix("car", np.array(conv.duration, dtype=np.uint32))
    problem.set_costs_matrix("car", np.array(conv.distance, dtype=np.uint32))
    horizon = vroom.TimeWindow(conv.scaled(instance.ready[0]), conv.scaled(instance.due[0]))
    problem.add_vehicle(
        [
            vroom.Vehicle(
                k + 1,
                start=0,
                end=0,
                capacity=[instance.capacity],
                time_window=horizon,
                costs=vroom.VehicleCosts(fixed=conv.fixed_cost),
            )
            for k in range(instance.fleet)
        ]
    )
    problem.add_job(
        [
            vroom.Job(
                i,
                location=i,
                default_service=conv.scaled(instance.service[i]),
                delivery=[instance.demand[i]],
                time_windows=[
                    vroom.TimeWindow(conv.scaled(instance.ready[i]), conv.scaled(instance.due[i]))
                ],
            )
            for i in range(1, instance.size)
        ]
    )
    solution = problem.solve(
        exploration_level=5, nb_threads=1, timeout=timedelta(seconds=seconds)
    ).to_dict()
    return [
        [step["id"] for step in route["steps"] if step["type"] == "job"]
        for route in solution["routes"]
    ]


def solve_ortools(instance: Instance, conv: Convention, seconds: float, seed: int) -> list[list[int]]:
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    del seed  # OR-Tools' guided local search is deterministic.
    n, fleet = instance.size, instance.fleet
    manager = pywrapcp.RoutingIndexManager(n, fleet, 0)
    routing = pywrapcp.RoutingModel(manager)
    cost = routing.RegisterTransitMatrix(conv.distance)
    routing.SetArcCostEvaluatorOfAllVehicles(cost)
    if conv.fixed_cost:
        routing.SetFixedCostOfAllVehicles(conv.fixed_cost)
    travel_and_service = [
        [conv.duration[a][b] + conv.scaled(instance.service[a]) for b in range(n)]
        for a in range(n)
    ]
    horizon = conv.scaled(instance.due[0])
    routing.AddDimension(
        routing.RegisterTransitMatrix(travel_and_service), horizon, horizon, False, "time"
    )
    clock = routing.GetDimensionOrDie("time")
    for i in range(1, n):
        window = (conv.scaled(instance.ready[i]), conv.scaled(instance.due[i]))
        clock.CumulVar(manager.NodeToIndex(i)).SetRange(*window)
    for k in range(fleet):
        for index in (routing.Start(k), routing.End(k)):
            clock.CumulVar(index).SetRange(conv.scaled(instance.ready[0]), horizon)
    load = routing.RegisterUnaryTransitVector(instance.demand)
    routing.AddDimensionWithVehicleCapacity(load, 0, [instance.capacity] * fleet, True, "load")
    parameters = pywrapcp.DefaultRoutingSearchParameters()
    # Cheapest insertion: PATH_CHEAPEST_ARC finds no first solution for R101 within 5 s.
    parameters.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    parameters.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    parameters.time_limit.FromMilliseconds(int(seconds * 1000))
    solution = routing.SolveWithParameters(parameters)
    if solution is None:
        return []
    routes = []
    for k in range(fleet):
        index, route = solution.Value(routing.NextVar(routing.Start(k))), []
        while not routing.IsEnd(index):
            route.append(manager.IndexToNode(index))
            index = solution.Value(routing.NextVar(index))
        routes.append(route)
    return routes


SOLVERS = {"pyvrp": solve_pyvrp, "vroom": solve_vroom, "ortools": solve_ortools}


# --- the driver's own judgement ------------------------------------------------------------


def route_cost(routes: list[list[int]], conv: Convention) -> float:
    """Sum of the convention's arcs over every non-empty route, depot to depot."""
    total = 0.0
    for route in routes:
        if route:
            stops = [0, *route, 0]
            total += sum(conv.arc[a][b] for a, b in zip(stops, stops[1:]))
    return total


def feasible(routes: list[list[int]], instance: Instance, conv: Convention) -> bool:
    """Every customer once, fleet, capacity, windows and horizon with the convention's times."""
    served = sorted(c for route in routes for c in route)
    if served != list(range(1, instance.size)):
        return False
    if sum(1 for route in routes if route) > instance.fleet:
        return False
    return all(_route_feasible(route, instance, conv) for route in routes if route)


def _route_feasible(route: list[int], instance: Instance, conv: Convention) -> bool:
    if sum(instance.demand[c] for c in route) > instance.capacity:
        return False
    now, here = float(instance.ready[0]), 0
    for customer in route:
        now = max(now + conv.arc[here][customer], instance.ready[customer])
        if now > instance.due[customer] + TOLERANCE:
            return False
        now += instance.service[customer]
        here = customer
    return now + conv.arc[here][0] <= instance.due[0] + TOLERANCE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("solver", choices=sorted(SOLVERS))
    parser.add_argument("instance", type=Path)
    parser.add_argument("--time-limit", type=float, default=5.0, help="seconds (default 5)")
    parser.add_argument("--objective", choices=["distance", "hierarchical"], default="distance")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--header", action="store_true", help="print the CSV header first")
    args = parser.parse_args(argv)

    instance = read_solomon(args.instance)
    conv = convention(instance, args.objective)
    started = time.perf_counter()
    routes = SOLVERS[args.solver](instance, conv, args.time_limit, args.seed)
    seconds = time.perf_counter() - started
    routes = [route for route in routes if route]
    ok = feasible(routes, instance, conv)
    cost = route_cost(routes, conv)
    if args.header:
        print("solver,instance,vehicles,cost,seconds,feasible")
    decimals = 1 if args.objective == "distance" else 2
    print(
        f"{args.solver},{args.instance.stem},{len(routes)},{cost:.{decimals}f},"
        f"{seconds:.2f},{str(ok).lower()}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
