"""Work spread by measured cost: per-language cost estimates and a queue cut into batches.

A Scala program costs as much as thirty Python ones, so work is handed out by estimated
seconds, not by count. Batches shrink as the queue drains (guided self-scheduling: each takes
a fixed share of what is left per slot, capped), so the nodes of a cluster finish together,
and the estimates follow the durations that come back.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass

from sandboxes.program import Program

#: Seconds one program takes on one core (real completions, quiet machine, a pool of 2): the
#: starting estimate, moved towards measured durations as verdicts come back. `d` and `pl` were
#: not measured with the others; they are set like their neighbours (LDC like C++, Perl like Ruby).
PRIOR_COST_S: dict[str, float] = {
    "scala": 1.83, "jl": 1.32, "swift": 0.62, "rkt": 0.52, "java": 0.49, "cpp": 0.40, "ts": 0.40,
    "d": 0.40, "rs": 0.28, "go": 0.22, "cs": 0.22, "r": 0.19, "rb": 0.15, "pl": 0.15, "js": 0.13,
    "py": 0.05, "sh": 0.05, "lua": 0.05, "php": 0.05,
}
#: A language missing from the table.
UNKNOWN_COST_S = 0.5
#: Each slot gets at most this many seconds of work per batch ...
MAX_BATCH_S = 1.0
#: ... and at most 1/GUIDED_SHARE of its fair share of what is left.
GUIDED_SHARE = 4.0
#: A node holds batches until it has this many seconds of work per slot in hand: a batch comes
#: back only when its slowest program ends, so the next ones must already be there.
LOOKAHEAD_S = 4 * MAX_BATCH_S
#: ... but never more than this many batches at once (they are calls in flight on its actor).
MAX_INFLIGHT_BATCHES = 8


class CostModel:
    """Estimated seconds per program per language: a prior, then a moving average of measurements."""

    def __init__(self, prior: dict[str, float] | None = None, weight: float = 0.1):
        self._cost = dict(PRIOR_COST_S if prior is None else prior)
        self.weight = weight

    def cost(self, language: str) -> float:
        return self._cost.get(language, UNKNOWN_COST_S)

    def observe(self, language: str, seconds: float) -> None:
        current = self.cost(language)
        self._cost[language] = (1 - self.weight) * current + self.weight * max(seconds, 0.001)


class WorkQueue:
    """Programs waiting to run: one FIFO per language, taken round-robin across languages."""

    def __init__(self, items: Iterable[Program], costs: CostModel):
        self.costs = costs
        self._queues: dict[str, deque[Program]] = {}
        for item in items:
            self._queues.setdefault(item.language, deque()).append(item)
        self._turn = 0

    def __len__(self) -> int:
        return sum(len(q) for q in self._queues.values())

    def languages(self) -> set[str]:
        """Languages that still have programs waiting."""
        return {language for language, q in self._queues.items() if q}

    def remaining_cost(self, languages: set[str] | None = None) -> float:
        return sum(len(q) * self.costs.cost(language) for language, q in self._queues.items()
                   if languages is None or language in languages)

    def take(self, budget_s: float, allowed: set[str]) -> list[Program]:
        """Programs of the allowed languages worth about `budget_s` seconds (at least one, if any)."""
        order = sorted(language for language in allowed if self._queues.get(language))
        batch: list[Program] = []
        spent = 0.0
        while order and (not batch or spent < budget_s):
            self._turn = (self._turn + 1) % len(order)
            language = order[self._turn]
            batch.append(self._queues[language].popleft())
            spent += self.costs.cost(language)
            if not self._queues[language]:
                order.remove(language)
        return batch

    def put_back(self, items: Iterable[Program]) -> None:
        """Return unfinished programs to the front of their queues, in their order."""
        for item in reversed(list(items)):
            self._queues.setdefault(item.language, deque()).appendleft(item)


def batch_budget(remaining_s: float, total_slots: int, node_slots: int,
                 max_batch_s: float = MAX_BATCH_S, share: float = GUIDED_SHARE) -> float:
    """Seconds of work for a node's next batch: its slots times a shrinking per-slot share."""
    per_slot = remaining_s / (max(total_slots, 1) * share)
    return max(node_slots, 1) * min(max_batch_s, per_slot)


def wants_more(inflight_batches: int, inflight_s: float, node_slots: int, outstanding_s: float,
               total_slots: int, lookahead_s: float = LOOKAHEAD_S,
               max_batches: int = MAX_INFLIGHT_BATCHES) -> bool:
    """Whether a node holding `inflight_batches` batches worth `inflight_s` seconds gets another:
    up to `lookahead_s` per slot, and never more than its share of all `outstanding_s` (queued
    or held anywhere), so the first node to ask does not take a short run."""
    if inflight_batches == 0:
        return True
    per_slot = min(lookahead_s, outstanding_s / max(total_slots, 1))
    return inflight_batches < max_batches and inflight_s < max(node_slots, 1) * per_slot


@dataclass(frozen=True)
class SimulatedRun:
    """What `simulate` found: the wall time, and per node its last finish and its programs."""

    wall_s: float
    finish_s: tuple[float, ...]
    programs: tuple[int, ...]


def simulate(
    counts: dict[str, int],
    true_cost_s: dict[str, float],
    node_slots: list[int],
    *,
    prior: dict[str, float] | None = None,
    latency_s: float = 0.005,
    driver_s_per_program: float = 0.0,
    startup_s: float = 0.0,
    jitter: float = 0.5,
    seed: int = 0,
) -> SimulatedRun:
    """The Ray driver's dispatch policy played out on nodes of `node_slots` slots: `counts`
    programs per language, each taking `true_cost_s` (times 1 ± `jitter`, uniformly) on one
    slot; batches cut from one queue by the cost model, handed to a node while it `wants_more`,
    refilled when a batch comes back; the driver handles results one batch at a time."""
    import heapq
    import random

    rng = random.Random(seed)
    costs = CostModel(prior)
    items = [Program(language, f"{language}-{i}") for language, n in sorted(counts.items()) for i in range(n)]
    duration = {item: true_cost_s[item.language] * (1 + jitter * rng.uniform(-1, 1)) for item in items}
    queue = WorkQueue(items, costs)
    languages = set(counts)
    total_slots = sum(node_slots)
    inflight = [0] * len(node_slots)
    inflight_s = [0.0] * len(node_slots)
    estimate: dict[int, float] = {}
    free = list(node_slots)
    waiting: list[deque[tuple[Program, int]]] = [deque() for _ in node_slots]
    left: dict[int, int] = {}
    batches: dict[int, tuple[int, list[Program]]] = {}
    finish = [0.0] * len(node_slots)
    programs = [0] * len(node_slots)
    events: list[tuple[float, int, str, int, int]] = []
    sequence = 0

    def push(at: float, kind: str, node: int, ref: int) -> None:
        nonlocal sequence
        sequence += 1
        heapq.heappush(events, (at, sequence, kind, node, ref))

    def fill(node: int, now: float) -> None:
        while wants_more(inflight[node], inflight_s[node], node_slots[node],
                         queue.remaining_cost() + sum(inflight_s), total_slots):
            batch = queue.take(batch_budget(queue.remaining_cost(), total_slots, node_slots[node]), languages)
            if not batch:
                return
            ref = len(batches)
            batches[ref] = (node, batch)
            left[ref] = len(batch)
            estimate[ref] = sum(costs.cost(item.language) for item in batch)
            inflight[node] += 1
            inflight_s[node] += estimate[ref]
            push(now + latency_s, "arrive", node, ref)

    def start(node: int, now: float) -> None:
        while free[node] and waiting[node]:
            item, ref = waiting[node].popleft()
            free[node] -= 1
            push(now + duration[item], "done", node, ref)

    for node in range(len(node_slots)):
        fill(node, startup_s)
    driver_free = startup_s
    while events:
        now, _, kind, node, ref = heapq.heappop(events)
        if kind == "arrive":
            waiting[node].extend((item, ref) for item in batches[ref][1])
            start(node, now)
        elif kind == "done":
            free[node] += 1
            finish[node] = now
            left[ref] -= 1
            if left[ref] == 0:
                push(now + latency_s, "result", node, ref)
            start(node, now)
        else:
            batch = batches[ref][1]
            driver_free = max(now, driver_free) + driver_s_per_program * len(batch)
            for item in batch:
                costs.observe(item.language, duration[item])
            programs[node] += len(batch)
            inflight[node] -= 1
            inflight_s[node] -= estimate[ref]
            fill(node, driver_free)
    return SimulatedRun(driver_free, tuple(finish), tuple(programs))
