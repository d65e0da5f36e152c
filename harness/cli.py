"""The `polypass` command: one subcommand per module in harness.commands."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from rich.console import Console

from harness.errors import PolypassError

#: Each module has `register(subparsers)`, which adds one subcommand whose parser sets
#: `handler=fn(args) -> int`.
COMMAND_MODULES: tuple[str, ...] = (
    "harness.commands.run",
    "harness.commands.generate",
    "harness.commands.execute",
    "harness.commands.score",
    "harness.commands.show",
    "harness.commands.decontam",
    "harness.commands.report",
    "harness.commands.gate",
    "harness.commands.sandboxes",
    "harness.commands.benchmarks",
    "harness.commands.agreement",
)

err_console = Console(stderr=True, highlight=False, soft_wrap=True)


def build_parser() -> argparse.ArgumentParser:
    from importlib import metadata

    parser = argparse.ArgumentParser(
        prog="polypass",
        description="Evaluate code LLM checkpoints: generate, decontaminate, execute in sandboxes, score.",
    )
    parser.add_argument("--version", action="version", version=f"polypass {metadata.version('polypass')}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if not sys.stdout.isatty():
        # Logs and CI: rich would squeeze the score tables into 80 columns.
        os.environ.setdefault("COLUMNS", "160")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except PolypassError as exc:
        err_console.print(f"polypass: error: {exc}", markup=False)
        return exc.exit_code
    except KeyboardInterrupt:
        err_console.print("polypass: interrupted; run the same command again to resume", markup=False)
        return 130


if __name__ == "__main__":
    sys.exit(main())
