"""Runs many distinct programs in many languages: cache first, pools after.

Callers hand it distinct programs (`sandboxes.program.group_by_program` decides which are
identical); a persistent cache answers programs seen in earlier runs; a timeout is re-run
once before it is believed and cached.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import docker

from sandboxes import images
from sandboxes.cache import ResultCache, cache_key, context_key
from sandboxes.images import ImageInfo
from sandboxes.pool import ContainerPool, remove_orphans
from sandboxes.program import Program, ProgramKey
from sandboxes.spec import LanguageSpec, load_spec
from sandboxes.verdict import Outcome


@dataclass(frozen=True)
class ProgramResult:
    language: str
    program_sha256: str
    outcome: Outcome
    image_id: str
    cached: bool

    @property
    def key(self) -> ProgramKey:
        return (self.language, self.program_sha256)


@dataclass
class _Language:
    spec: LanguageSpec
    image: ImageInfo
    context: str
    pool: ContainerPool | None = None
    #: One lock per language: a pool that starts does not hold up the other languages.
    starting: threading.Lock = field(default_factory=threading.Lock, repr=False)


class ExecutionService:
    """Owns the images, pools and cache for one run; close() removes its containers."""

    def __init__(
        self,
        client: docker.DockerClient,
        cache: ResultCache | None = None,
        pool_size: int | None = None,
        specs: dict[str, LanguageSpec] | None = None,
        log: Callable[[str], None] = lambda _m: None,
    ):
        self.client = client
        self.cache = cache
        self.pool_size = pool_size or os.cpu_count() or 2
        self._specs = dict(specs or {})
        self._languages: dict[str, _Language] = {}
        self._lock = threading.Lock()
        self.log = log
        remove_orphans(client)

    def prepare(self, language: str) -> _Language:
        """Spec and image of a language (building the image if needed); no containers yet."""
        with self._lock:
            if language not in self._languages:
                spec = self._specs.get(language) or load_spec(language)
                image = images.ensure_image(self.client, spec, log=self.log)
                self._languages[language] = _Language(spec, image, context_key(spec, image.id))
            return self._languages[language]

    def image(self, language: str) -> ImageInfo:
        return self.prepare(language).image

    def start_pool(self, language: str) -> None:
        """Start a language's containers now instead of at its first program."""
        self._pool(self.prepare(language))

    def _pool(self, entry: _Language) -> ContainerPool:
        with entry.starting:
            if entry.pool is None:
                entry.pool = ContainerPool(self.client, entry.spec, entry.image, self.pool_size)
            return entry.pool

    def _execute(self, entry: _Language, program: str) -> Outcome:
        return self._pool(entry).judge(program)

    def run(self, programs: Iterable[Program], on_result: Callable[[ProgramResult], None]) -> None:
        """Execute distinct programs; `on_result` is called once per program, from one thread at a time."""
        distinct: dict[ProgramKey, Program] = {}
        for program in programs:
            if program.key in distinct:
                raise ValueError(f"{program.language} program {program.sha256[:12]} given twice: group them first")
            distinct[program.key] = program
        callback_lock = threading.Lock()

        def deliver(result: ProgramResult) -> None:
            with callback_lock:
                on_result(result)

        pending: list[tuple[_Language, str, str, str]] = []
        for program in distinct.values():
            entry = self.prepare(program.language)
            key = cache_key(entry.context, program.sha256)
            hit = self.cache.get(key) if self.cache else None
            if hit is not None:
                deliver(ProgramResult(program.language, program.sha256, hit, entry.image.id, cached=True))
            else:
                pending.append((entry, program.sha256, key, program.text))

        def work(item: tuple[_Language, str, str, str]) -> None:
            entry, digest, key, program = item
            outcome = self._execute(entry, program)
            if self.cache is not None:
                self.cache.put(key, outcome)
            deliver(ProgramResult(entry.spec.name, digest, outcome, entry.image.id, cached=False))

        pending = _interleave_by_language(pending)
        languages = {entry.spec.name for entry, *_ in pending}
        workers = max(1, self.pool_size * len(languages))
        with ThreadPoolExecutor(max_workers=workers) as executor:
            for future in [executor.submit(work, item) for item in pending]:
                future.result()

    def close(self) -> None:
        for entry in self._languages.values():
            if entry.pool is not None:
                entry.pool.close()
        if self.cache is not None:
            self.cache.close()

    def __enter__(self) -> ExecutionService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _interleave_by_language(items: list[tuple[_Language, str, str, str]]) -> list[tuple[_Language, str, str, str]]:
    """Round-robin over languages, so every language's pool is busy at once."""
    seen: dict[str, int] = {}
    ranked = []
    for item in items:
        rank = seen.get(item[0].spec.name, 0)
        seen[item[0].spec.name] = rank + 1
        ranked.append((rank, item))
    return [item for _, item in sorted(ranked, key=lambda pair: pair[0])]
