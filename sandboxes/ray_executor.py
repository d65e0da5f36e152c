"""Execution on a Ray cluster: one long-lived `NodeSandbox` actor on every node that offers Docker.

The driver keeps what must stay in one place: the result cache, the dedupe of identical
programs and (through its caller) the run directory. Nodes get programs only, in batches cut
by estimated cost from one queue (`sandboxes.workqueue`): a node asks for more whenever a batch
comes back, so fast nodes take more and all finish together. A node that dies, or whose
engine fails, is drained: its unfinished programs go back to the queue for the others, and a
verdict is delivered once, however many nodes were given its program.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import ray
from ray.exceptions import RayError, RayTaskError
from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

from sandboxes.cache import ResultCache, cache_key, context_key
from sandboxes.executors import ExecutorUnavailable
from sandboxes.images import ImageInfo
from sandboxes.node import NodeReport, NodeSandbox, agree_images, polypass_version
from sandboxes.program import Program, ProgramKey
from sandboxes.service import ProgramResult
from sandboxes.spec import LanguageSpec, load_spec
from sandboxes.verdict import Outcome
from sandboxes.workqueue import (
    MAX_INFLIGHT_BATCHES,
    CostModel,
    WorkQueue,
    batch_budget,
    wants_more,
)

#: Seconds per program beyond what the worker measures (transport, cleanup), for the cost model.
PROGRAM_OVERHEAD_S = 0.01
#: Tries to join through Ray's client server (ray://).
CLIENT_ATTEMPTS = 3
#: Resources every Ray node has; any other names a node's role (`ray start --resources`).
_STANDARD_RESOURCES = {"CPU", "GPU", "memory", "object_store_memory"}

_NodeActor = ray.remote(NodeSandbox)


@dataclass
class _RayLanguage:
    spec: LanguageSpec
    image: ImageInfo
    context: str


@dataclass
class NodeStats:
    """What one node did in this executor's runs."""

    name: str
    slots: int
    programs: int = 0
    batches: int = 0
    busy_s: float = 0.0
    drained: str = ""


@dataclass
class _Node:
    node_id: str
    stats: NodeStats
    actor: Any
    languages: set[str] = field(default_factory=set)
    inflight: int = 0
    inflight_s: float = 0.0
    alive: bool = True

    @property
    def name(self) -> str:
        return self.stats.name

    @property
    def slots(self) -> int:
        return self.stats.slots


def node_name(node: dict[str, Any]) -> str:
    """`ip/node-id-prefix`, plus the node's own resource names (its role) in parentheses."""
    roles = sorted(name for name in node.get("Resources", {})
                   if name not in _STANDARD_RESOURCES and ":" not in name)
    base = f"{node.get('NodeManagerAddress', '?')}/{node['NodeID'][:8]}"
    return f"{base} ({', '.join(roles)})" if roles else base


def _one_line(exc: BaseException) -> str:
    text = str(getattr(exc, "cause", None) or exc).strip()
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def _gcs_answers(address: str, timeout_s: float = 5.0) -> bool:
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():
        return True  # not host:port; let Ray say what is wrong with it
    try:
        socket.create_connection((host, int(port)), timeout=timeout_s).close()
    except OSError:
        return False
    return True


def connect(address: str) -> None:
    """Join the cluster at `address` as a driver; ExecutorUnavailable when none answers."""
    if address != "auto" and not _gcs_answers(address):
        raise ExecutorUnavailable(f"--ray {address}: no Ray cluster answers at this address")
    if ray.is_initialized():
        ray.shutdown()
    try:
        _init(address)
    except ConnectionError as exc:
        if address == "auto":
            raise ExecutorUnavailable(
                "--ray auto: no Ray cluster runs on this machine (start one with `ray start --head`, "
                "or give its address)") from None
        raise ExecutorUnavailable(f"--ray {address}: cannot join the Ray cluster: {_one_line(exc)}") from None
    except Exception as exc:  # Ray raises many types for a bad address or a version mismatch
        raise ExecutorUnavailable(f"--ray {address}: cannot join the Ray cluster: {_one_line(exc)}") from None


def _init(address: str) -> None:
    """ray.init; a client (ray://) connection is tried three times: the head starts a server
    process per client, and on a busy head that start can fail once."""
    attempts = CLIENT_ATTEMPTS if address.startswith("ray://") else 1
    for attempt in range(1, attempts + 1):
        try:
            ray.init(address=address, logging_level=logging.WARNING, log_to_driver=False)
            return
        except ConnectionAbortedError:
            if attempt == attempts:
                raise
            with contextlib.suppress(Exception):
                ray.shutdown()
            time.sleep(2.0 * attempt)


def _driver_node_id() -> str | None:
    try:
        return ray.get_runtime_context().get_node_id()
    except Exception:  # client mode: the driver is on no node
        return None


class RayExecutor:
    """The `Executor` contract (see `sandboxes.executors`) over every Docker node of a cluster."""

    def __init__(
        self,
        address: str,
        *,
        languages: Iterable[str],
        cache: ResultCache | None = None,
        pool_size: int | None = None,
        log: Callable[[str], None] = lambda _m: None,
        resource: str | None = None,
    ):
        self.address = address
        self.cache = cache
        self.log = log
        self.costs = CostModel()
        self.nodes: list[_Node] = []
        self._languages: dict[str, _RayLanguage] = {}
        self._warming: list[Any] = []
        connect(address)
        try:
            self._start(sorted(set(languages)), pool_size, resource)
        except BaseException:
            self.close()
            raise

    # -- start: one actor per node, images agreed ------------------------------------------

    def _start(self, languages: list[str], pool_size: int | None, resource: str | None) -> None:
        specs = {language: load_spec(language) for language in languages}
        alive = [n for n in ray.nodes() if n.get("Alive")]
        skipped: list[str] = []
        for info in alive:
            name = node_name(info)
            resources = info.get("Resources", {})
            if resource and resources.get(resource, 0) <= 0:
                continue
            cpus = int(resources.get("CPU", 0))
            if pool_size is None and cpus < 1:
                skipped.append(f"{name}: offers no CPUs")
                continue
            actor = _NodeActor.options(
                num_cpus=0, max_concurrency=MAX_INFLIGHT_BATCHES + 4, max_restarts=0,
                scheduling_strategy=NodeAffinitySchedulingStrategy(info["NodeID"], soft=False),
            ).remote(pool_size or cpus)
            self.nodes.append(_Node(info["NodeID"], NodeStats(name, pool_size or cpus), actor))
        if not self.nodes:
            which = f" with resource {resource!r}" if resource else ""
            reasons = f" ({'; '.join(skipped)})" if skipped else ""
            raise ExecutorUnavailable(
                f"--ray {self.address}: no live Ray node{which} to execute on "
                f"({len(alive)} live node(s) in the cluster){reasons}")

        messages = list(skipped)
        reports = self._prepare_nodes(languages, messages)
        driver_node = _driver_node_id()
        preferred = next((n.name for n in self.nodes if n.node_id == driver_node), None)
        agreement = agree_images(
            reports, lambda language, image_id: context_key(specs[language], image_id), preferred)
        messages += agreement.messages
        for node in self.nodes:
            if node.alive:
                node.languages = agreement.accepted.get(node.name, set())
                if not node.languages:
                    self._drain(node, "it can run none of the run's languages", messages)
        working = [n for n in self.nodes if n.alive]
        if not working:
            raise ExecutorUnavailable(
                f"--ray {self.address}: no Ray node offers a Docker engine that can run "
                f"{','.join(languages) or 'the run'}: {'; '.join(messages)}")
        missing = [lang for lang in languages if not any(lang in n.languages for n in working)]
        if missing:
            raise ExecutorUnavailable(
                f"--ray {self.address}: no Ray node can run {','.join(missing)}: {'; '.join(messages)}")
        for language in languages:
            image = agreement.images[language]
            self._languages[language] = _RayLanguage(specs[language], image, context_key(specs[language], image.id))
        self._warming = [node.actor.warm.remote(sorted(node.languages)) for node in working]
        for message in messages:
            self.log(f"ray node {message}")
        self.log(f"ray: executing on {len(working)} of {len(alive)} node(s): "
                 + ", ".join(f"{n.name} ({n.slots} slot{'s' if n.slots != 1 else ''})" for n in working))

    def _prepare_nodes(self, languages: list[str], messages: list[str]) -> dict[str, NodeReport]:
        """Every node reaches its engine and builds or reuses the images, all at once."""
        owners = {node.actor.prepare.remote(languages): node for node in self.nodes}
        reports: dict[str, NodeReport] = {}
        pending = list(owners)
        mine = polypass_version()
        while pending:
            ready, pending = ray.wait(pending, num_returns=1)
            node = owners[ready[0]]
            try:
                report: NodeReport = ray.get(ready[0])
            except RayError as exc:
                self._drain(node, f"cannot start polypass there ({_one_line(exc)})", messages)
                continue
            for line in report.log:
                messages.append(f"{node.name}: {line}")
            if report.engine_problem:
                self._drain(node, report.engine_problem, messages)
            elif report.version != mine:
                self._drain(node, f"it runs polypass {report.version}, this driver {mine}", messages)
            else:
                reports[node.name] = report
        return reports

    def _drain(self, node: _Node, reason: str, messages: list[str] | None = None, then: str = "") -> None:
        node.alive = False
        node.stats.drained = reason
        text = f"{node.name}: drained: {reason}{then}"
        if messages is None:
            self.log(f"ray node {text}")
        else:
            messages.append(text)
        with contextlib.suppress(Exception):  # already gone with its node
            node.actor.close.remote()
            ray.kill(node.actor, no_restart=True)

    # -- the executor contract ---------------------------------------------------------------

    def prepare(self, language: str) -> _RayLanguage:
        try:
            return self._languages[language]
        except KeyError:
            raise ExecutorUnavailable(f"{language} was not prepared on the Ray cluster") from None

    def image(self, language: str) -> ImageInfo:
        return self.prepare(language).image

    def run(self, programs: Iterable[Program], on_result: Callable[[ProgramResult], None]) -> None:
        """Distinct programs: the cache first (here, on the driver), then the nodes; `on_result`
        once per program, from this thread."""
        items: list[Program] = []
        seen: set[ProgramKey] = set()
        for program in programs:
            if program.key in seen:
                raise ValueError(f"{program.language} program {program.sha256[:12]} given twice: group them first")
            seen.add(program.key)
            entry = self.prepare(program.language)
            hit = self.cache.get(cache_key(entry.context, program.sha256)) if self.cache else None
            if hit is not None:
                on_result(ProgramResult(program.language, program.sha256, hit, entry.image.id, cached=True))
            else:
                items.append(program)
        if items:
            self._distribute(items, on_result)
        self.log("ray: " + "; ".join(
            f"{n.name}: {n.stats.programs} programs in {n.stats.batches} batches, {n.stats.busy_s:.1f} s of work"
            + (f", drained ({n.stats.drained})" if not n.alive else "")
            for n in self.nodes if n.stats.batches or n.alive))

    def _distribute(self, items: list[Program], on_result: Callable[[ProgramResult], None]) -> None:
        queue = WorkQueue(items, self.costs)
        delivered: set[ProgramKey] = set()
        inflight: dict[Any, tuple[_Node, list[Program], float]] = {}
        while len(queue) or inflight:
            working = [n for n in self.nodes if n.alive]
            slots = sum(n.slots for n in working)
            for node in working:
                while wants_more(node.inflight, node.inflight_s, node.slots,
                                 queue.remaining_cost() + sum(n.inflight_s for n in working), slots):
                    budget = batch_budget(queue.remaining_cost(), slots, node.slots)
                    batch = queue.take(budget, node.languages)
                    if not batch:
                        break
                    ref = node.actor.run_batch.remote([(item.language, item.text) for item in batch])
                    estimate = sum(self.costs.cost(item.language) for item in batch)
                    inflight[ref] = (node, batch, estimate)
                    node.inflight += 1
                    node.inflight_s += estimate
            if not inflight:
                raise ExecutorUnavailable(
                    f"{len(queue)} programs ({','.join(sorted(queue.languages()))}) are left and no Ray "
                    "node can run them any more; run the same command again to resume")
            ready, _ = ray.wait(list(inflight), num_returns=1)
            for ref in ready:
                node, batch, estimate = inflight.pop(ref)
                node.inflight -= 1
                node.inflight_s -= estimate
                try:
                    results: list[ProgramResult] = ray.get(ref)
                except RayError as exc:
                    unfinished = list(batch)
                    for other in [r for r, held in inflight.items() if held[0] is node]:
                        unfinished += inflight.pop(other)[1]
                    node.inflight, node.inflight_s = 0, 0.0
                    queue.put_back(unfinished)
                    self._lose(node, exc, len(unfinished))
                    continue
                missing = self._deliver(node, batch, results, delivered, on_result)
                if missing:
                    queue.put_back(missing)
                    self._drain(node, f"it answered {len(missing)} program(s) of a batch with nothing")

    def _deliver(self, node: _Node, batch: list[Program], results: list[ProgramResult],
                 delivered: set[ProgramKey], on_result: Callable[[ProgramResult], None]) -> list[Program]:
        """Cache and hand on a batch's results (each program once); the batch's unanswered items."""
        fresh: list[ProgramResult] = []
        for result in results:
            if result.key in delivered:
                continue
            delivered.add(result.key)
            entry = self._languages[result.language]
            fresh.append(replace(result, image_id=entry.image.id, cached=False))
            self.costs.observe(result.language, result.outcome.duration_s + PROGRAM_OVERHEAD_S)
            node.stats.busy_s += result.outcome.duration_s
        node.stats.programs += len(fresh)
        node.stats.batches += 1
        if self.cache is not None:
            entries: list[tuple[str, Outcome]] = [
                (cache_key(self._languages[r.language].context, r.program_sha256), r.outcome) for r in fresh]
            self.cache.put_many(entries)
        for result in fresh:
            on_result(result)
        return [item for item in batch if item.key not in delivered]

    def _lose(self, node: _Node, exc: RayError, unfinished: int) -> None:
        if isinstance(exc, RayTaskError):
            reason = f"a batch failed there: {_one_line(exc)}"
        elif not any(n.get("NodeID") == node.node_id and n.get("Alive") for n in ray.nodes()):
            reason = "the node died"
        else:
            reason = f"its actor was lost: {_one_line(exc)}"
        others = sum(1 for n in self.nodes if n.alive and n is not node)
        self._drain(node, reason, then=f"; its {unfinished} unfinished program(s) go to the other {others} node(s)")

    def wait_until_warm(self) -> None:
        """Until every node's pools are up (runs need not wait; a benchmark does)."""
        ray.wait(self._warming, num_returns=len(self._warming))

    @property
    def node_stats(self) -> list[NodeStats]:
        return [n.stats for n in self.nodes]

    def close(self) -> None:
        try:
            if ray.is_initialized():
                closing = [n.actor.close.remote() for n in self.nodes if n.alive]
                if closing:
                    ray.wait(closing, num_returns=len(closing), timeout=60)
                for node in self.nodes:
                    with contextlib.suppress(Exception):
                        ray.kill(node.actor, no_restart=True)
                ray.shutdown()
        finally:
            if self.cache is not None:
                self.cache.close()
                self.cache = None

    def __enter__(self) -> RayExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
