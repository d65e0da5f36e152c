"""Check that the test fixtures which say "official" are MultiPL-E's real builder output.

The fixtures hold one row per language, byte for byte as MultiPL-E's dataset builder writes
it, so the test suite sees the real format (``go_test.go`` and all) without reading
``../shared``. This script compares them with the reference build where it exists:

    python perf/check_fixtures.py [--official ../shared/multipl-e/official]

Checked: ``row`` of every ``tests/conformance/<lang>/official.json``, and every line of
``tests/fixtures/multipl-e/official/<lang>.jsonl``. Exit 0 when all equal, 1 when one differs,
2 when the reference data is missing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: ``../shared`` of the checkout (or of the folder holding git worktrees)
DEFAULT_OFFICIAL = next(
    (p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), ROOT.parent / "shared"
) / "multipl-e" / "official"


def official_lines(folder: Path, language: str) -> dict[str, str]:
    """Problem name -> the row's line in the reference build, without its newline."""
    path = folder / f"{language}.jsonl"
    if not path.exists():
        return {}
    lines = path.read_text(encoding="utf-8").splitlines()
    return {json.loads(line)["name"]: line for line in lines if line.strip()}


def fixture_rows() -> list[tuple[str, str, str]]:
    """(where, language, the row's JSON line) for every fixture that says it is official."""
    rows = []
    for path in sorted((ROOT / "tests" / "conformance").glob("*/official.json")):
        row = json.loads(path.read_text(encoding="utf-8"))["row"]
        rows.append((str(path.relative_to(ROOT)), path.parent.name, json.dumps(row)))
    for path in sorted((ROOT / "tests" / "fixtures" / "multipl-e" / "official").glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if line.strip():
                rows.append((f"{path.relative_to(ROOT)}:{number}", path.stem, line))
    return rows


def first_difference(mine: str, theirs: str) -> str:
    a, b = json.loads(mine), json.loads(theirs)
    fields = [k for k in dict.fromkeys([*a, *b]) if a.get(k) != b.get(k)]
    if fields:
        return "fields differ: " + ", ".join(fields)
    return "same values, different bytes (key order or escaping)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--official", type=Path, default=DEFAULT_OFFICIAL, help=f"reference build (default {DEFAULT_OFFICIAL})")
    args = parser.parse_args(argv)
    if not args.official.is_dir():
        print(f"{args.official}: no reference build here (it lives in ../shared/multipl-e/official)", file=sys.stderr)
        return 2
    bad = 0
    rows = fixture_rows()
    for where, language, line in rows:
        name = json.loads(line)["name"]
        theirs = official_lines(args.official, language).get(name)
        if theirs is None:
            print(f"DIFF {where}: {language} {name} is not in {args.official / (language + '.jsonl')}")
            bad += 1
        elif line != theirs:
            print(f"DIFF {where}: {language} {name}: {first_difference(line, theirs)}")
            bad += 1
        else:
            print(f"ok   {where}: {language} {name}")
    print(f"{len(rows) - bad}/{len(rows)} fixture rows equal the reference build byte for byte")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
