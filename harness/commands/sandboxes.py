"""`polypass sandboxes engine|build|check|list|prune`: the Docker side of polypass."""

from __future__ import annotations

import argparse

from rich.console import Console
from rich.table import Table

from harness.errors import InfraError, UsageError
from sandboxes import engine, images
from sandboxes.bootstrap import BootstrapError
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
    """In each language a known-good program must pass and a known-bad one fail; exit 1 if not."""
    from harness.selfcheck import EXPECTED, SelfCheckError, check_language

    console = Console()
    client = _client()
    table = Table("language", "image", f"good (want {EXPECTED['good']})", f"bad (want {EXPECTED['bad']})", "")
    wrong: list[str] = []
    failed: set[str] = set()
    for language in _languages(args.languages):
        try:
            spec = load_spec(language)
        except SpecError as exc:
            raise UsageError(str(exc)) from None
        info = images.find_image(client, spec)
        if info is None:
            table.add_row(language, "not built", "—", "—", "[red]✗[/red]")
            failed.add(language)
            wrong.append(f"{language}: no image; build it with `polypass sandboxes build {language}`")
            continue
        try:
            result = check_language(client, spec, info)
        except SelfCheckError as exc:
            table.add_row(language, info.tag, "—", "—", "[red]✗[/red]")
            failed.add(language)
            wrong.append(str(exc))
            continue
        table.add_row(language, info.tag, result.good.status, result.bad.status,
                      "[green]✓[/green]" if result.ok else "[red]✗[/red]")
        for kind, outcome in (("good", result.good), ("bad", result.bad)):
            if outcome.status != EXPECTED[kind]:
                failed.add(language)
                tail = (outcome.stderr or outcome.stdout or outcome.detail).strip().splitlines()[-3:]
                wrong.append(f"{language}: the known-{kind} program gave {outcome.status}, not "
                             f"{EXPECTED[kind]}" + (f" ({' / '.join(tail)})" if tail else ""))
    console.print(table)
    for line in wrong:
        console.print("[red]wrong:[/red] ", end="")
        console.print(line, markup=False, highlight=False)
    checked = len(_languages(args.languages))
    console.print(f"{checked - len(failed)} of {checked} languages give the right verdicts")
    return 1 if wrong else 0


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
