"""Python problems -> one language's MultiPL-E problems, with every drop and its reason.

Parsing is shared by all languages and cached per problem; translations are cached per
(language, problem set) for the life of the process.
"""

from __future__ import annotations

import ast
import hashlib
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, field

from benchmarks.problem import Problem
from benchmarks.translate import freeform
from benchmarks.translate.generic import translator_for
from benchmarks.translate.ir import FunctionIR, Untranslatable
from benchmarks.translate.parse import parse_problem

BENCHMARK = "multipl-e"


@dataclass(frozen=True)
class Drop:
    """A Python problem left out of one language, and why."""

    name: str
    reason: str


@dataclass(frozen=True)
class TranslationResult:
    language: str
    problems: list[Problem] = field(default_factory=list)
    dropped: list[Drop] = field(default_factory=list)


class TranslatorBug(RuntimeError):
    """A language module failed in a way other than ``Untranslatable``: a bug, not a drop."""


_PARSED: dict[tuple[str, str, str, str], FunctionIR | Untranslatable] = {}
_RESULTS: dict[tuple[str, str, bool, bool], TranslationResult] = {}


def parsed(problem: Problem) -> FunctionIR:
    """``parse_problem`` with a per-process cache (every language parses the same problems)."""
    key = (problem.name, problem.prompt, problem.tests, problem.entry_point)
    if key not in _PARSED:
        try:
            _PARSED[key] = parse_problem(problem)
        except Untranslatable as exc:
            _PARSED[key] = exc
    found = _PARSED[key]
    if isinstance(found, Untranslatable):
        raise found
    return found


def _problems_key(problems: list[Problem]) -> str:
    digest = hashlib.sha256()
    for p in problems:
        for part in (p.name, p.entry_point, p.prompt, p.tests, p.source):
            digest.update(part.encode())
            digest.update(b"\0")
    return digest.hexdigest()


def python_canonical(problem: Problem) -> str | None:
    """The Python canonical solution as a completion of the translated Python prompt.

    The translated prompt leaves out helper functions (MultiPL-E does), so the helpers the
    solution calls move inside the function body as nested definitions.
    """
    if problem.canonical_solution is None:
        return None
    try:
        module = ast.parse(problem.prompt + "    pass\n")
    except SyntaxError:
        return problem.canonical_solution
    lines = problem.prompt.splitlines()
    helpers = [
        "\n".join(lines[node.lineno - 1 - len(node.decorator_list): node.end_lineno])
        for node in module.body
        if isinstance(node, ast.FunctionDef) and node.name != problem.entry_point
    ]
    if not helpers:
        return problem.canonical_solution
    nested = "".join(textwrap.indent(textwrap.dedent(h), "    ") + "\n" for h in helpers)
    return nested + problem.canonical_solution


#: Marks a translation that keeps the official build's known bugs (``upstream_bugs``).
UPSTREAM_BUGS_TAG = "upstream-bugs"


def upstream_order(problems: list[Problem]) -> list[Problem]:
    """The order MultiPL-E's builder reads its originals in: sorted file paths
    (``HumanEval_0_…``, ``HumanEval_100_…``, …), which matters where a translator keeps
    state across problems (``upstream_bugs``)."""
    return sorted(problems, key=lambda problem: problem.name)


def translate_problems(
    problems: Iterable[Problem], language: str, *, freeform_examples: bool = True, upstream_bugs: bool = False
) -> TranslationResult:
    """Translate HumanEval-style Python problems into `language` (MultiPL-E conventions).

    With `freeform_examples` (the default), free-form examples in the docstrings become
    doctests first, as in MultiPL-E's cleaned copy of HumanEval (``freeform.py``). With
    `upstream_bugs`, the official build's known bugs are written as upstream writes them
    (README: deliberate differences), so published numbers can be reproduced exactly.
    """
    problems = list(problems)
    key = (language, _problems_key(problems), freeform_examples, upstream_bugs)
    if key in _RESULTS:
        return _RESULTS[key]
    translator = translator_for(language, upstream_bugs=upstream_bugs)
    tags = [f"v{translator.version}"]
    if freeform_examples:
        tags.append(freeform.TAG)
    if upstream_bugs:
        tags.append(UPSTREAM_BUGS_TAG)
    source = f"polypass-translator {language} " + " ".join(tags)
    result = TranslationResult(language=language)
    translated: list[tuple[int, Problem]] = []
    dropped: list[tuple[int, Drop]] = []
    position = {id(problem): index for index, problem in enumerate(problems)}
    for problem in upstream_order(problems) if upstream_bugs else problems:
        index = position[id(problem)]
        problem = freeform.rewrite_problem(problem) if freeform_examples else problem
        try:
            function = parsed(problem)
            translation = translator.translate(function)
        except Untranslatable as exc:
            dropped.append((index, Drop(problem.name, str(exc) or type(exc).__name__)))
            continue
        except Exception as exc:
            raise TranslatorBug(f"{language} translator failed on {problem.name}: {type(exc).__name__}: {exc}") from exc
        problem_out = Problem(
                benchmark=BENCHMARK,
                language=language,
                name=function.name,
                prompt=translation.prompt,
                tests=translation.tests,
                entry_point=function.entry_point,
                stop_tokens=tuple(translation.stop_tokens),
                source=source,
                canonical_solution=python_canonical(problem) if language == "py" else None,
                extra={
                    "stub_completion": translation.stub_completion,
                    "original": problem.extra.get("task_id", problem.name),
                    "notes": list(function.notes),
                },
            )
        translated.append((index, problem_out))
    result.problems.extend(p for _, p in sorted(translated, key=lambda pair: pair[0]))
    result.dropped.extend(d for _, d in sorted(dropped, key=lambda pair: pair[0]))
    _RESULTS[key] = result
    return result
