"""Where programs execute: this machine's Docker engine, or every Docker node of a Ray cluster.

Both executors keep one contract, so the execute stage is the same for either: `prepare(language)`
gives the language's spec and the run's image, `run(programs, on_result)` takes distinct
programs (`sandboxes.program.group_by_program` groups them) and calls `on_result` once for each
(from the cache or from a sandbox), and `close()` removes
what they started. Ray is imported only when a Ray address is given.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable, Iterable
from typing import Protocol

from sandboxes import engine
from sandboxes.cache import ResultCache
from sandboxes.images import ImageInfo
from sandboxes.program import Program
from sandboxes.service import ExecutionService, ProgramResult
from sandboxes.spec import LanguageSpec


class ExecutorUnavailable(RuntimeError):
    """The machinery to execute is missing or failed (no cluster, no node with Docker); one line."""


class PreparedLanguage(Protocol):
    spec: LanguageSpec
    image: ImageInfo


class Executor(Protocol):
    def prepare(self, language: str) -> PreparedLanguage: ...

    def run(self, programs: Iterable[Program], on_result: Callable[[ProgramResult], None]) -> None: ...

    def close(self) -> None: ...

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc: object) -> None: ...


#: This machine's engine: images, warm pools and the cache in this process.
LocalExecutor = ExecutionService


def open_executor(
    *,
    ray_address: str | None = None,
    ray_resource: str | None = None,
    languages: Iterable[str] = (),
    cache: ResultCache | None = None,
    pool_size: int | None = None,
    log: Callable[[str], None] = lambda _m: None,
) -> Executor:
    """The local executor, or the Ray one when an address ("auto", "host:port", "ray://host:port")
    is given. Raises engine.EngineUnavailable or ExecutorUnavailable (infrastructure errors)."""
    if ray_address is None:
        return LocalExecutor(engine.connect(), cache=cache, pool_size=pool_size, log=log)
    if importlib.util.find_spec("ray") is None:
        raise ExecutorUnavailable("--ray needs Ray on this machine: pip install 'polypass[ray]'")
    from sandboxes.ray_executor import RayExecutor

    return RayExecutor(ray_address, languages=sorted(set(languages)), cache=cache, pool_size=pool_size,
                       log=log, resource=ray_resource)
