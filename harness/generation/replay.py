"""The `replay` backend: samples that another harness already generated.

Formats (detected from the content):
- human-eval / polypass JSONL: one object per line with `task_id` (or `name`) and `completion`;
- bigcode-evaluation-harness: a JSON list (one entry per problem, in problem order) of lists
  of generations; those include the prompt, which is removed;
- MultiPL-E: a directory of (or one) `.json`/`.json.gz` completion files, each with `name`,
  `language` and `completions`.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.multiple import short_language
from benchmarks.problem import Problem
from harness.errors import UsageError
from harness.generation.base import Emit, GenerationParams, Job
from harness.generation.hf import sha256_files
from harness.generation.prompts import RenderedPrompt
from harness.samples import read_samples

FORMATS = ("auto", "human-eval", "bigcode", "multipl-e")


def _load_json(path: Path) -> Any:
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"{path}: cannot read ({exc})") from None
    except json.JSONDecodeError as exc:
        raise UsageError(f"{path}:{exc.lineno}: invalid JSON ({exc.msg})") from None


def detect_format(path: Path) -> str:
    if path.is_dir():
        return "multipl-e"
    name = path.name.removesuffix(".gz")
    if name.endswith(".jsonl"):
        return "human-eval"
    data = _load_json(path)
    if isinstance(data, list):
        return "bigcode"
    if isinstance(data, dict) and "completions" in data:
        return "multipl-e"
    raise UsageError(f"{path}: not a human-eval JSONL, bigcode list of lists, or MultiPL-E completions file")


def strip_prompt(generation: str, prompt: str) -> str:
    """bigcode stores prompt + completion; keep the completion."""
    if generation.startswith(prompt):
        return generation[len(prompt):]
    stripped = prompt.rstrip()
    if stripped and generation.startswith(stripped):
        return generation[len(stripped):].removeprefix(prompt[len(stripped):])
    return generation


def read_completions(path: Path, problems: Sequence[Problem], fmt: str = "auto") -> dict[tuple[str, str, str], list[str]]:
    """(benchmark, language, name) -> completions, from a file in any supported format."""
    if not path.exists():
        raise UsageError(f"--model: no such replay file or directory: {path}")
    if fmt == "auto":
        fmt = detect_format(path)
    if fmt not in FORMATS:
        raise UsageError(f"--replay-format: unknown format {fmt!r} (known: {', '.join(FORMATS)})")
    out: dict[tuple[str, str, str], list[str]] = {}
    if fmt == "human-eval":
        for sample in read_samples(path, list(problems)):
            problem = next(p for p in problems if (p.language, p.name) == (sample.language, sample.name))
            out.setdefault((problem.benchmark, problem.language, problem.name), []).append(sample.completion)
        return out
    if fmt == "bigcode":
        data = _load_json(path)
        if not isinstance(data, list) or not all(isinstance(x, list) for x in data):
            raise UsageError(f"{path}: expected a JSON list of lists of generations (bigcode format)")
        if len(data) > len(problems):
            raise UsageError(f"{path}: has {len(data)} problems but the selection has {len(problems)}; "
                             "pick one benchmark and language, as the file was made for")
        for index, (problem, generations) in enumerate(zip(problems, data, strict=False)):
            if not all(isinstance(g, str) for g in generations):
                raise UsageError(f"{path}: entry {index} is not a list of strings")
            out[(problem.benchmark, problem.language, problem.name)] = [
                strip_prompt(g, problem.prompt) for g in generations
            ]
        return out
    files = sorted(p for p in path.iterdir() if p.name.endswith((".json", ".json.gz"))) if path.is_dir() else [path]
    by_name: dict[tuple[str, str], Problem] = {(p.language, p.name): p for p in problems}
    for file in files:
        if file.name.endswith((".results.json", ".results.json.gz")):
            continue
        data = _load_json(file)
        if not isinstance(data, dict) or not isinstance(data.get("completions"), list):
            raise UsageError(f"{file}: not a MultiPL-E completions file (no 'completions' list)")
        language = str(data.get("language", ""))  # the dataset's: go_test.go for Go
        problem = by_name.get((short_language(language) or language, str(data.get("name", ""))))
        if problem is None:
            continue  # a problem outside the selection (e.g. --limit)
        out[(problem.benchmark, problem.language, problem.name)] = [str(c) for c in data["completions"]]
    return out


class ReplayBackend:
    """Replays recorded completions: as many samples per problem as the file holds, by default."""

    name = "replay"
    default_n_samples: int | None = None
    copies_greedy = False  # recorded samples differ whatever the temperature they were made at

    def __init__(self, path: str, fmt: str = "auto"):
        self.path = Path(path)
        self.fmt = fmt
        self.completions: dict[tuple[str, str, str], list[str]] | None = None
        self.problems: list[Problem] = []

    def prepare(self, problems: Sequence[Problem], params: GenerationParams) -> None:
        """Read the file against the selected problems (bigcode files depend on their order)."""
        if self.completions is not None and list(problems) == self.problems:
            return  # read already for these problems
        self.problems = list(problems)
        self.completions = read_completions(self.path, problems, self.fmt)
        if not self.completions:
            raise UsageError(f"{self.path}: no completions for any selected problem")

    def describe(self) -> dict[str, Any]:
        files = sorted(self.path.rglob("*")) if self.path.is_dir() else [self.path]
        return {
            "backend": "replay",
            "backend_version": f"replay ({self.fmt})",
            "model": str(self.path),
            "revision": None,
            "checkpoint_sha256": sha256_files([f for f in files if f.is_file()]),
        }

    def render(self, problem: Problem, params: GenerationParams) -> RenderedPrompt:
        return RenderedPrompt(problem.prompt, tuple(problem.stop_tokens), add_special_tokens=True)

    def available(self, problem: Problem) -> int | None:
        assert self.completions is not None
        return len(self.completions.get((problem.benchmark, problem.language, problem.name), []))

    def generate(self, jobs: Sequence[Job], params: GenerationParams, emit: Emit) -> None:
        assert self.completions is not None
        for job in jobs:
            texts = self.completions[(job.problem.benchmark, job.problem.language, job.problem.name)]
            for index, seed in job.slots:
                emit(job.sample(index, seed, texts[index], None, None))
