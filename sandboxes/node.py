"""One node of a cluster: its Docker engine, its images and its warm pools, run as a Ray actor.

`NodeSandbox` is a plain class (`sandboxes.ray_executor` makes it a long-lived actor pinned to
its node), so this module needs no Ray. A node is told which languages to prepare and then
gets batches of programs, nothing else: no samples, no problems, no run directory, no cache.
It answers with the same `ProgramResult`s the local path produces, through the same
`ExecutionService` and therefore the same locked-down containers (`pool.container_options`).

`agree_images` is the driver's rule for mixing nodes: one image id per language in a run; a
node whose image (or lang.toml, or worker) differs from the one chosen is refused for that
language, never mixed in.
"""

from __future__ import annotations

import contextlib
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata

from docker.errors import DockerException

from sandboxes import engine
from sandboxes.bootstrap import BootstrapError
from sandboxes.images import ImageError, ImageInfo
from sandboxes.program import Program
from sandboxes.service import ExecutionService, ProgramResult
from sandboxes.spec import SpecError


def polypass_version() -> str:
    try:
        return metadata.version("polypass")
    except metadata.PackageNotFoundError:
        return "unknown"


@dataclass(frozen=True)
class NodeLanguage:
    """A language on one node: its image and cache context there, or why it has none."""

    image: ImageInfo | None
    context: str = ""
    problem: str = ""


@dataclass(frozen=True)
class NodeReport:
    """What a node says after `prepare`: its polypass, its engine, its images."""

    version: str
    engine_problem: str = ""
    languages: dict[str, NodeLanguage] = field(default_factory=dict)
    log: tuple[str, ...] = ()


class NodeSandbox:
    """The sandboxes of one node; `run_batch` may be called from several actor threads at once."""

    def __init__(self, pool_size: int):
        self.pool_size = max(1, pool_size)
        self._service: ExecutionService | None = None
        self._lock = threading.Lock()
        self._warming: list[threading.Thread] = []

    def prepare(self, languages: list[str]) -> NodeReport:
        """Reach the engine and build or reuse each language's image (no containers yet)."""
        log: list[str] = []
        with self._lock:
            if self._service is None:
                try:
                    client = engine.connect(timeout_s=60)
                except engine.EngineUnavailable as exc:
                    cause = f" ({exc.__cause__})" if exc.__cause__ else ""
                    return NodeReport(polypass_version(), engine_problem=(
                        f"no Docker engine answers there{cause}; start one with `polypass sandboxes engine`"))
                self._service = ExecutionService(client, cache=None, pool_size=self.pool_size,
                                                 log=log.append)
            service = self._service
        found: dict[str, NodeLanguage] = {}
        for language in languages:
            try:
                entry = service.prepare(language)
            except (ImageError, BootstrapError, SpecError, DockerException) as exc:
                found[language] = NodeLanguage(None, problem=str(exc).splitlines()[0] if str(exc) else repr(exc))
            else:
                found[language] = NodeLanguage(entry.image, entry.context)
        return NodeReport(polypass_version(), languages=found, log=tuple(log))

    def warm(self, languages: list[str]) -> None:
        """Start these languages' pools, all at once; returns when they are up. The driver does not
        wait for it: a batch that comes first waits for its own language's pool only."""
        threads = [threading.Thread(target=self._warm_one, args=(language,), daemon=True) for language in languages]
        self._warming += threads
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    def _warm_one(self, language: str) -> None:
        with contextlib.suppress(Exception):  # a pool that cannot start fails its first batch
            if self._service is not None:
                self._service.start_pool(language)

    def run_batch(self, programs: list[tuple[str, str]]) -> list[ProgramResult]:
        """Execute distinct (language, program) pairs in this node's pools; a result for each."""
        if self._service is None:
            raise RuntimeError("run_batch before prepare")
        results: list[ProgramResult] = []
        self._service.run([Program(language, text) for language, text in programs], results.append)
        return results

    def close(self) -> None:
        """Remove this node's containers."""
        for thread in self._warming:
            thread.join(timeout=120)
        with self._lock:
            if self._service is not None:
                self._service.close()
                self._service = None


@dataclass(frozen=True)
class Agreement:
    """The image of each language in the run, and the languages each node may run."""

    images: dict[str, ImageInfo]
    accepted: dict[str, set[str]]
    messages: list[str]


def agree_images(
    reports: dict[str, NodeReport],
    driver_context: Callable[[str, str], str],
    preferred_node: str | None = None,
) -> Agreement:
    """One image id per language: the one most nodes have (ties: the preferred node's, then
    the smallest id). A node with another id, or whose cache context for that image differs
    from the driver's (another lang.toml or worker), is refused for that language."""
    images: dict[str, ImageInfo] = {}
    accepted: dict[str, set[str]] = {node: set() for node in reports}
    messages: list[str] = []
    languages = sorted({language for report in reports.values() for language in report.languages})
    for language in languages:
        offers = {node: report.languages[language] for node, report in reports.items()
                  if language in report.languages}
        ids = Counter(offer.image.id for offer in offers.values() if offer.image is not None)
        for node, offer in offers.items():
            if offer.image is None:
                messages.append(f"{node}: no {language} image ({offer.problem})")
        if not ids:
            continue
        preferred = offers.get(preferred_node or "")
        preferred_id = preferred.image.id if preferred and preferred.image else None
        chosen_id = min(ids, key=lambda i: (-ids[i], i != preferred_id, i))
        chosen = next(o.image for o in offers.values() if o.image is not None and o.image.id == chosen_id)
        images[language] = chosen
        expected = driver_context(language, chosen_id)
        for node, offer in offers.items():
            if offer.image is None:
                continue
            if offer.image.id != chosen_id:
                messages.append(f"{node}: refused for {language}: its image {offer.image.tag} is "
                                f"{_short(offer.image.id)}, the run's is {_short(chosen_id)}")
            elif offer.context != expected:
                messages.append(f"{node}: refused for {language}: its lang.toml or worker differ "
                                f"from this driver's (install the same polypass there)")
            else:
                accepted[node].add(language)
    return Agreement(images, accepted, messages)


def _short(image_id: str) -> str:
    return image_id.split(":")[-1][:12]
