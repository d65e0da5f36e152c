"""The checks every MultiPL-E language makes, written once and run per language.

Each language must translate most of HumanEval, run every translated problem (its stub fails,
so prompt + tests are valid code), judge its reference solutions and their broken / endless
variants as declared, run a row of the official dataset unchanged, and (where variants.toml
has an identity completion) read back the literals our translator writes. Only the expectations in
EXPECT differ; data lives in tests/conformance/<lang>/, language-only tests in test_lang_<lang>.py.
Verdicts come from the persistent result cache when image and spec are unchanged, except
timeouts, which always run again; uncached, a compiled language's stubs take minutes (Swift's
~5 min on 2 cores).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conformance_kit import (
    CONFORMANCE_LANGUAGES,
    by_name,
    check_references,
    check_stubs_fail,
    describe,
    official,
    run_all,
    stub,
    translated,
    variants,
)

from benchmarks import multiple
from benchmarks.translate.generic import translator_for
from benchmarks.translate.ir import Call, FunctionIR, Param, TAny, TStr
from sandboxes.pool import ContainerPool
from sandboxes.spec import load_spec

HUMANEVAL_SIZE = 164


@dataclass(frozen=True)
class Expect:
    """What one language's conformance checks expect."""

    #: at least this many of the 164 HumanEval problems translate
    min_translated: int = 150
    #: CPU limit (s) of the run step for the endless-loop variants
    limit_s: float = 2.0
    #: the references and their broken variants run under limit_s too (else the language's own limits)
    references_under_limit: bool = False
    #: the references' stubs run under limit_s too (else the language's own limits)
    stubs_under_limit: bool = False
    #: every translated prompt ends, and its tests begin, with these
    prompt_end: str = ""
    tests_start: str = ""
    #: what of our translation of the official row's problem equals the row
    #: ("prompt", "tests", "stop_tokens", "prompt_last_line")
    same_as_official: tuple[str, ...] = ()


def expectations(lang: str) -> Expect:
    """The ``[expect]`` table of the language's variants.toml (lists as tuples)."""
    table = variants(lang).expect
    return Expect(**{key: tuple(value) if isinstance(value, list) else value for key, value in table.items()})  # type: ignore[arg-type]


LANGUAGES = list(CONFORMANCE_LANGUAGES)
EXPECT: dict[str, Expect] = {lang: expectations(lang) for lang in LANGUAGES}
PoolFactory = Callable[..., ContainerPool]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translates_about_as_many_problems_as_multipl_e(lang: str) -> None:
    expect = EXPECT[lang]
    problems, dropped = translated(lang)
    assert len(problems) + len(dropped) == HUMANEVAL_SIZE
    assert expect.min_translated <= len(problems) <= HUMANEVAL_SIZE, (
        f"{len(problems)} {lang} problems translated; dropped: {dropped}"
    )
    assert all(reason for _, reason in dropped)
    stop_tokens = translator_for(lang).stop_tokens
    assert stop_tokens
    for problem in problems:
        assert problem.language == lang and problem.stop_tokens == stop_tokens
        assert problem.name.startswith("HumanEval_")
        assert problem.prompt.endswith(expect.prompt_end), problem.name
        assert problem.tests.startswith(expect.tests_start), problem.name


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_translated_problem_fails_with_its_stub(lang: str, sandbox_pool: PoolFactory) -> None:
    check_stubs_fail(sandbox_pool(lang, 2), lang, list(translated(lang)[0]))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_reference_solutions_pass_and_their_variants_do_not(lang: str, sandbox_pool: PoolFactory) -> None:
    expect = EXPECT[lang]
    own = sandbox_pool(lang, 2)
    limited = sandbox_pool(lang, 2, load_spec(lang).with_limits(run_cpu_s=expect.limit_s))
    references = limited if expect.references_under_limit else own
    pools = {
        "pass": references,
        "broken": references,
        "fail": limited if expect.stubs_under_limit else own,
        "timeout": limited,
    }
    check_references(lang, by_name(lang), pools)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_official_dataset_row_runs_unchanged(lang: str, sandbox_pool: PoolFactory, tmp_path: Path) -> None:
    data = official(lang)
    path = tmp_path / f"humaneval-{lang}.jsonl"
    path.write_text(json.dumps(data.row) + "\n")
    (problem,) = multiple.load([lang], problems=str(path))
    assert problem.language == lang  # read under our name whatever the builder wrote (go_test.go)
    assert problem.prompt == data.row["prompt"] and problem.tests == data.row["tests"]
    wrong = data.wrong_completion
    if wrong is None:
        wrong = stub(by_name(lang)[problem.name])
    good, bad = run_all(sandbox_pool(lang, 2), [problem.program(data.completion), problem.program(wrong)])
    assert good.status == "pass", describe(problem, good)
    assert bad.status == "fail", describe(problem, bad)


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if EXPECT[lang].same_as_official])
def test_our_translation_matches_the_official_row(lang: str) -> None:
    row = official(lang).row
    ours = by_name(lang)[str(row["name"])]
    official_prompt = str(row["prompt"])
    pairs = {
        "prompt": (ours.prompt, official_prompt),
        "tests": (ours.tests, row["tests"]),
        "stop_tokens": (list(ours.stop_tokens), row["stop_tokens"]),
        "prompt_last_line": (ours.prompt.splitlines()[-1], official_prompt.splitlines()[-1]),
    }
    for part in EXPECT[lang].same_as_official:
        mine, theirs = pairs[part]
        assert mine == theirs, f"our translator's {part} differs from the official row's"


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if variants(lang).identity is not None])
def test_tricky_literals_round_trip(lang: str, sandbox_pool: PoolFactory) -> None:
    """Strings with quotes, backslashes, newlines and interpolation marks, nested lists,
    dicts, None and negative floats are written as literals the language reads back."""
    identity = variants(lang).identity
    assert identity is not None
    tricky = ["a\"b\\c\n$x #{y} @z 'q'\t", "", "\u00e9\u4e2d"]
    function = FunctionIR(
        name="Custom_1_same", entry_point="same", params=(Param("s", TStr()),), returns=TStr(),
        description="Return s unchanged.\n>>> same('a')\n'a'", examples=(),
        tests=tuple(Call((s,), s) for s in tricky),
    )
    nested = FunctionIR(
        name="Custom_2_same", entry_point="same", params=(Param("s", TAny()),), returns=TAny(),
        description="", examples=(),
        tests=(Call(([[1, -2.5], []],), [[1, -2.5], []]), Call(({"k": [True, None]},), {"k": [True, None]})),
    )
    pool = sandbox_pool(lang, 2)
    translations = [translator_for(lang).translate(f) for f in (function, nested)]
    good = run_all(pool, [t.prompt + identity + "\n" + t.tests for t in translations])
    assert [o.status for o in good] == ["pass", "pass"], [o.stderr[-300:] + o.stdout[-300:] for o in good]
    wrong = run_all(pool, [t.prompt + t.stub_completion + "\n" + t.tests for t in translations])
    assert [o.status for o in wrong] == ["fail", "fail"]
