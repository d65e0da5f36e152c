"""`polypass sandboxes engine|build|check|list|prune`: the Docker side of polypass."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table

from harness.errors import InfraError, UsageError
from sandboxes import engine, images
from sandboxes.bootstrap import BootstrapError
from sandboxes.pool import ContainerPool
from sandboxes.spec import SpecError, available_languages, load_spec


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("sandboxes", help="start the engine, build, check and list sandbox images")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    start = actions.add_parser("engine", help="start dockerd (no bridge network) unless an engine runs")
    start.set_defaults(handler=run_engine)
    for name, handler, text in (
        ("build", run_build, "build language images (base images bootstrapped when needed)"),
        ("check", run_check, "run a known-good and a known-bad program in each language's sandbox"),
    ):
        sub = actions.add_parser(name, help=text)
        sub.add_argument("languages", nargs="*", help="languages (default: all)")
        if name == "build":
            sub.add_argument("--rebuild", action="store_true", help="rebuild even if an image exists")
        sub.set_defaults(handler=handler)
    listing = actions.add_parser("list", help="languages, images and toolchain versions")
    listing.set_defaults(handler=run_list)
    prune = actions.add_parser("prune", help="remove language images built from older inputs")
    prune.add_argument("languages", nargs="*", help="languages (default: all)")
    prune.add_argument("--dry-run", action="store_true", help="only list what would be removed")
    prune.set_defaults(handler=run_prune)


def _languages(names: list[str]) -> list[str]:
    known = available_languages()
    unknown = [name for name in names if name not in known]
    if unknown:
        raise UsageError(f"no sandbox for {', '.join(unknown)} (have: {' '.join(known)})")
    return names or known


def _client():
    try:
        return engine.connect()
    except engine.EngineUnavailable as exc:
        raise InfraError(str(exc)) from None


def run_engine(args: argparse.Namespace) -> int:
    try:
        Console().print(engine.start())
    except engine.EngineUnavailable as exc:
        raise InfraError(str(exc)) from None
    return 0


def run_build(args: argparse.Namespace) -> int:
    console = Console()
    client = _client()
    for language in _languages(args.languages):
        try:
            info = images.ensure_image(client, load_spec(language), log=console.print, rebuild=args.rebuild)
        except (images.ImageError, BootstrapError) as exc:
            raise InfraError(str(exc)) from None
        except SpecError as exc:
            raise UsageError(str(exc)) from None
        console.print(f"{language}: {info.tag} {info.toolchain}")
    return 0


def run_check(args: argparse.Namespace) -> int:
    """Canonical HumanEval_0 must pass and its stub must fail, in each language that has it."""
    from benchmarks import humaneval

    console = Console()
    client = _client()
    table = Table("language", "image", "good program", "bad program")
    ok = True
    python_problem = humaneval.load()[0]
    for language in _languages(args.languages):
        spec = load_spec(language)
        info = images.find_image(client, spec)
        if info is None:
            table.add_row(language, "not built", "—", "—")
            ok = False
            continue
        problem, good, bad = _check_programs(language, python_problem)
        if problem is None:
            table.add_row(language, info.tag, "no translation", "—")
            continue
        with ContainerPool(client, spec, info, 1) as pool:
            good_status = pool.run(problem.program(good)).status
            bad_status = pool.run(problem.program(bad)).status
        ok = ok and good_status == "pass" and bad_status == "fail"
        table.add_row(language, info.tag, good_status, bad_status)
    console.print(table)
    return 0 if ok else 1


def _check_programs(language: str, python_problem):
    if language == "py":
        return python_problem, python_problem.canonical_solution, "    return None\n"
    try:
        from benchmarks.translate.pipeline import translate_problems
    except ImportError:
        return None, "", ""
    result = translate_problems([python_problem], language)
    if not result.problems:
        return None, "", ""
    translated = result.problems[0]
    reference = translated.extra.get("reference_completion")
    if not reference:
        return None, "", ""
    return translated, reference, translated.extra["stub_completion"]


def run_list(args: argparse.Namespace) -> int:
    console = Console()
    client = _client()
    table = Table("language", "name", "image", "toolchain")
    for language in available_languages():
        spec = load_spec(language)
        info = images.find_image(client, spec)
        table.add_row(language, spec.display_name, info.tag if info else "not built", info.toolchain if info else "")
    console.print(table)
    return 0


def run_prune(args: argparse.Namespace) -> int:
    """Each Dockerfile change leaves the old image behind (gigabytes each); keep only the current."""
    from docker.errors import APIError

    console = Console()
    client = _client()
    removed = kept = 0
    for language in _languages(args.languages):
        for tag in images.stale_images(client, load_spec(language)):
            if args.dry_run:
                console.print(f"would remove {tag}")
                continue
            try:
                client.images.remove(tag)
            except APIError as exc:  # in use by a container: leave it
                console.print(f"kept {tag}: {exc.explanation or exc}")
                kept += 1
                continue
            console.print(f"removed {tag}")
            removed += 1
    console.print(f"{removed} removed, {kept} kept" + (" (dry run)" if args.dry_run else ""))
    return 0
