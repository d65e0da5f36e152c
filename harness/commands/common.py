"""Argument helpers shared by subcommands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from benchmarks import multiple, registry
from benchmarks.problem import LANGUAGES, Problem
from benchmarks.problem_file import read_problem_file
from harness.errors import InfraError, UsageError


def parse_ks(text: str) -> list[int]:
    try:
        ks = sorted({int(part) for part in text.split(",") if part.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"--k expects comma-separated integers, got {text!r}") from None
    if not ks or ks[0] < 1:
        raise argparse.ArgumentTypeError(f"--k values must be >= 1, got {text!r}")
    return ks


def parse_languages(text: str | None) -> list[str] | None:
    if text is None or text == "all":
        return None
    languages = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown:
        raise UsageError(f"--languages: unknown language(s) {', '.join(unknown)} (known: {' '.join(LANGUAGES)})")
    return languages


def add_problem_source_arguments(parser: argparse.ArgumentParser) -> None:
    """``--problems SOURCE`` and ``--from FILE``: where the problems come from (every command
    that chooses problems takes both)."""
    parser.add_argument(
        "--problems", metavar="SOURCE", default=None,
        help="MultiPL-E problems: a local copy of the official data (jsonl file, folder of them, save_to_disk "
             "folder), a hub dataset OWNER/NAME[@REV] (nuprl/MultiPL-E), translator (our translator on "
             f"HumanEval) or translator:FILE; default ${multiple.ENV_VAR}, else translator",
    )
    parser.add_argument(
        "--from", dest="from_file", type=Path, default=None, metavar="FILE.jsonl",
        help="your own HumanEval-style problems (task_id prompt test entry_point, canonical_solution optional): "
             "used as they are for humaneval (Python) and translated by our translator for multipl-e",
    )


def load_problems(
    benchmarks: str, languages: list[str] | None, multiple_source: str | None = None,
    from_file: Path | None = None,
) -> list[Problem]:
    """Problems of comma-separated benchmarks. `multiple_source` names MultiPL-E's problems
    (``--problems``); `from_file` is a HumanEval-style file (``--from``) used as is for
    humaneval and, unless `multiple_source` names another source, translated for multipl-e."""
    names = [b.strip() for b in benchmarks.split(",") if b.strip()]
    if from_file is not None and multiple_source is not None and "multipl-e" in names:
        raise UsageError("--from FILE and --problems both choose MultiPL-E's problems; give one of them")
    problems: list[Problem] = []
    for name in names:
        try:
            if name == "humaneval" and from_file is not None:
                if languages is None or "py" in languages:
                    problems.extend(read_problem_file(from_file).problems)
            elif name == "multipl-e":
                source = multiple_source or (f"{multiple.TRANSLATOR}:{from_file}" if from_file else None)
                problems.extend(multiple.load(languages, problems=source))
            else:
                problems.extend(registry.load(name, languages))
        except registry.UnknownBenchmark as exc:
            raise UsageError(f"--benchmark: {exc}") from None
        except multiple.SourceUnreachable as exc:
            raise InfraError(str(exc)) from None
        except multiple.ProblemsError as exc:
            raise UsageError(str(exc)) from None
    if not problems:
        raise UsageError(f"no problems in {benchmarks} for languages {','.join(languages or ['all'])}")
    return problems


def from_file_record(from_file: Path | None) -> dict[str, object] | None:
    """What run.json records of ``--from FILE``: its path and sha256 (None without --from)."""
    if from_file is None:
        return None
    try:
        problem_file = read_problem_file(from_file)
    except multiple.ProblemsError as exc:
        raise UsageError(str(exc)) from None
    return {"file": str(problem_file.path.resolve()), "sha256": problem_file.sha256,
            "problems": len(problem_file.problems)}


def recorded_from_file(fingerprint: dict[str, Any]) -> Path | None:
    """The ``--from`` file a run was made with (run.json), checked unchanged; None if none."""
    record = (fingerprint.get("benchmark") or {}).get("from")
    if not record:
        return None
    path = Path(record["file"])
    try:
        same = read_problem_file(path).sha256 == record["sha256"]
    except multiple.ProblemsError:
        same = False
    if not same:
        raise UsageError(f"{path}: this run's --from file is gone or changed since (run.json has sha256 "
                         f"{record['sha256'][:12]}); pass --from FILE")
    return path


def existing_run_dir(path: str) -> Path:
    run_dir = Path(path)
    if not run_dir.is_dir():
        raise UsageError(f"{run_dir}: no such run directory")
    return run_dir


def add_ray_arguments(parser: argparse.ArgumentParser) -> None:
    """--ray / --ray-resource: execute on the Docker nodes of a Ray cluster (extra polypass[ray])."""
    parser.add_argument("--ray", default=None, metavar="ADDRESS",
                        help="execute on every Docker node of a Ray cluster: auto, HOST:PORT or "
                             "ray://HOST:10001 (needs polypass[ray]; verdicts still land in --out)")
    parser.add_argument("--ray-resource", default=None, metavar="NAME",
                        help="with --ray: use only nodes that offer this custom resource "
                             "(ray start --resources '{\"NAME\": 1}')")
