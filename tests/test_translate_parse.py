"""Parser unit tests: HumanEval's tricky problems and hand-made HumanEval-style problems."""

from __future__ import annotations

import pytest

from benchmarks import humaneval
from benchmarks.problem import Problem
from benchmarks.translate.ir import (
    Call,
    TAny,
    TBool,
    TDict,
    TFloat,
    TInt,
    TList,
    TOptional,
    TStr,
    TTuple,
    TUnion,
    Untranslatable,
    conform,
    fits,
)
from benchmarks.translate.parse import parse_examples, parse_problem


def he(number: int):
    return parse_problem(humaneval.load()[number])


def custom(prompt: str, tests: str, entry_point: str = "f", name: str = "Mine_1_f") -> Problem:
    return Problem(benchmark="mine", language="py", name=name, prompt=prompt, tests=tests,
                   entry_point=entry_point, stop_tokens=(), source="test")


def test_typed_signature_and_doctests():
    ir = he(0)
    assert ir.name == "HumanEval_0_has_close_elements"
    assert [(p.name, p.type) for p in ir.params] == [("numbers", TList(TFloat())), ("threshold", TFloat())]
    assert ir.returns == TBool()
    assert ir.tests[0] == Call(([1.0, 2.0, 3.9, 4.0, 5.0, 2.2], 0.3), True)
    assert len(ir.tests) == 7
    assert [e.call for e in ir.examples] == [Call(([1.0, 2.0, 3.0], 0.5), False),
                                              Call(([1.0, 2.8, 3.0, 4.0, 5.0, 2.0], 0.3), True)]
    assert ir.examples[0].text.startswith(">>> has_close_elements(")


def test_tuple_optional_nested_and_dict_types():
    assert he(8).returns == TTuple((TInt(), TInt()))  # Tuple[int, int]
    assert he(12).returns == TOptional(TStr())  # Optional[str]
    assert he(115).params[0].type == TList(TList(TInt()))  # untyped grid of ints
    assert he(111).returns == TDict(TStr(), TInt())  # untyped {'a': 2}, {} included
    assert he(136).returns == TTuple((TOptional(TInt()), TOptional(TInt())))  # (None, 1)
    assert he(162).returns == TOptional(TStr())  # '' -> None
    assert he(127).params[0].type == TTuple((TInt(), TInt()))
    # tuples of varying length are a sequence, marked as written as one (Tuple[str, ...])
    planets = he(148).returns
    assert planets == TList(TStr(), variadic=True) and isinstance(planets, TList) and planets.variadic
    hinted = parse_problem(custom("from typing import Tuple\n\ndef f(x: int) -> Tuple[str, ...]:\n    pass\n",
                                  "def check(candidate):\n    assert candidate(1) == ('a',)\n"))
    assert isinstance(hinted.returns, TList) and hinted.returns.variadic
    assert not he(96).returns.variadic  # type: ignore[union-attr]


def test_types_inferred_from_values_where_hints_are_missing_or_bare():
    sort_third = he(33)  # `l: list`
    assert sort_third.params[0].type == TList(TInt())
    assert he(96).returns == TList(TInt())  # [] among lists of ints
    assert he(151).params[0].type == TList(TFloat())  # ints mixed with floats -> float
    assert he(92).params[0].type == TFloat()
    # an explicit Any stays Any, the languages decide
    assert he(22).params[0].type == TList(TAny())
    assert he(103).returns == TUnion((TInt(), TStr()))  # -1 or "0b11": both kept


def test_float_tolerance_and_arithmetic_expected_values():
    ir = he(4)
    assert ir.float_tolerance == 1e-6
    assert ir.tests[0].expected == pytest.approx(2.0 / 3.0)
    assert he(0).float_tolerance is None


def test_drops_with_reasons():
    with pytest.raises(Untranslatable, match="randomised tests"):
        he(32)
    with pytest.raises(Untranslatable, match="loop-generated"):
        he(38)
    add = he(53)
    assert len(add.tests) == 5
    assert any("loop-generated" in n for n in add.notes)
    palindrome = he(10)
    assert any("helper is_palindrome()" in n for n in palindrome.notes)
    sort_third = he(33)
    assert len(sort_third.tests) == 4  # tuple(sort_third(...)) on the right is not a constant
    assert sum("not a constant" in n for n in sort_third.notes) == 3
    # hex_key: one test passes [] for a string parameter; the type follows the other six
    hex_key = he(78)
    assert hex_key.params[0].type == TStr()
    assert any("another type" in n and "candidate([])" in n for n in hex_key.notes)


def test_humaneval_coverage_like_multipl_e():
    parsed, dropped = 0, []
    for problem in humaneval.load():
        try:
            parse_problem(problem)
            parsed += 1
        except Untranslatable:
            dropped.append(problem.name)
    assert dropped == ["HumanEval_32_find_zero", "HumanEval_38_decode_cyclic", "HumanEval_50_decode_shift"]
    assert parsed == 161


def test_any_humaneval_style_problem():
    problem = custom(
        'from typing import Dict, Union\n\n'
        'def f(xs: list, scale, table: Dict[str, int]) -> Union[int, str]:\n'
        '    """Does things.\n    >>> f([1, 2], 2, {})\n    3\n\n    f([0], 1.5, {}) ➞ "zero"\n    """\n',
        "import math\n"
        "def check(candidate):\n"
        "    assert candidate([1, 2], 2, {}) == 3, 'with a message'\n"
        "    assert 'zero' == candidate([0], 1.5, {'a': 1})\n"
        "    assert candidate([], 1, {}) is True\n"
        "    assert not candidate([5], 1, {})\n"
        "    assert candidate([7], 2, {})\n"
        "    assert tuple(candidate([3], 1, {})) == tuple('x')\n"
        "    assert math.fabs(4 - candidate([4], 1, {})) < 0.01\n"
        "    assert candidate({1, 2}, 1, {}) == 0\n"
        "    assert candidate(xs=[1], scale=1, table={}) == 1\n"
        "    assert candidate([1], 1, {}) > 0\n"
        "    assert candidate([1], 1, {'k': 'v'}) == 1\n",
    )
    ir = parse_problem(problem)
    assert [p.type for p in ir.params] == [TList(TInt()), TFloat(), TDict(TStr(), TInt())]
    assert ir.returns == TUnion((TInt(), TStr()))
    assert [c.expected for c in ir.tests] == [3, "zero", "x", 4]
    assert ir.tests[1] == Call(([0], 1.5, {"a": 1}), "zero")
    assert ir.float_tolerance == 0.01
    notes = "\n".join(ir.notes)
    # bools don't fit Union[int, str]; a set has no type; keywords; `>`; 'v' is no int
    assert notes.count("the expected value not of the declared type") == 3
    assert "has no equivalent" in notes and "keyword" in notes and "not an equality test" in notes
    assert "table not of the declared type" in notes
    assert [e.call for e in ir.examples] == [Call(([1, 2], 2, {}), 3), Call(([0], 1.5, {}), "zero")]


def test_untranslatable_problems():
    with pytest.raises(Untranslatable, match="no function 'f'"):
        parse_problem(custom("def g(x):\n    pass\n", "def check(candidate):\n    assert candidate(1) == 1\n"))
    with pytest.raises(Untranslatable, match=r"\*args"):
        parse_problem(custom("def f(*xs):\n", "def check(candidate):\n    assert candidate(1) == 1\n"))
    with pytest.raises(Untranslatable, match="def check"):
        parse_problem(custom("def f(x):\n", "assert f(1) == 1\n"))
    with pytest.raises(Untranslatable, match="unknown type hint 'Foo'"):
        parse_problem(custom("def f(x: Foo):\n", "def check(candidate):\n    assert candidate(1) == 1\n"))


def test_prose_examples():
    doc = ('Examples\n    bf("Jupiter", "Neptune") ==> ("Saturn", "Uranus")\n'
           'check({"a": 1}) should return True.\n    f(1) = 2\n    f(3) -> 4\n    f(x) == 5\n')
    assert [e.call for e in parse_examples(doc, "bf")] == [Call(("Jupiter", "Neptune"), ("Saturn", "Uranus"))]
    assert [e.call for e in parse_examples(doc, "check")] == [Call(({"a": 1},), True)]
    assert [e.call for e in parse_examples(doc, "f")] == [Call((1,), 2), Call((3,), 4)]


def test_fits_and_conform():
    assert fits(3, TFloat()) and not fits(True, TInt()) and fits(None, TOptional(TStr()))
    assert conform((1, 2), TList(TFloat())) == [1.0, 2.0]
    assert conform([1, "a"], TTuple((TFloat(), TStr()))) == (1.0, "a")
    assert conform(3, TUnion((TInt(), TFloat()))) == 3
    assert isinstance(conform(3, TUnion((TStr(), TFloat()))), float)
