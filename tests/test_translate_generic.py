"""The generic translator's docstring handling, as MultiPL-E's builder does it (no container).

MultiPL-E's ``generic_translator.py`` finds each doctest as a ``>>>`` line and the line after
it, rewords the prose around them (terms.csv), rewrites each doctest with the language's own
value printer, then drops blank lines and dedents by the second line's indentation. These
tests pin that algorithm on hand-written docstrings; the translation snapshot pins its output
on HumanEval.
"""

from __future__ import annotations

import pytest

from benchmarks.translate.generic import dedent_docstring, translator_for
from benchmarks.translate.ir import (
    Call,
    FunctionIR,
    LiteralDict,
    Param,
    TDict,
    TFloat,
    TInt,
    TList,
    TStr,
    Untranslatable,
)
from benchmarks.translate.parse import documented, parse_doctests

DOCSTRING = (
    " Return the list's sum, or None.\n"
    "    >>> total([1, 2])\n"
    "    3\n"
    "    # the sum of a list of ints\n"
    "\n"
    "    >>> total([x])\n"
    "    0\n"
    "    >>> total([1.5])\n"
    "    1.5\n"
    "        indented more\n"
    "    "
)


def _function(docstring: str = DOCSTRING) -> FunctionIR:
    return documented(FunctionIR(
        name="HumanEval_900_total", entry_point="total", params=(Param("xs", TList(TInt())),), returns=TInt(),
        description="", examples=(), tests=(Call(([1, 2],), 3),),
    ), docstring)


def test_doctests_are_found_as_multipl_e_finds_them() -> None:
    found = parse_doctests(DOCSTRING)
    assert [DOCSTRING[d.start:d.end] for d in found] == [
        ">>> total([1, 2])\n    3\n", ">>> total([x])\n    0\n", ">>> total([1.5])\n    1.5\n",
    ]
    assert [d.call for d in found] == [Call(([1, 2],), 3), None, Call(([1.5],), 1.5)]  # a name is no literal
    assert found[0].callee == "total"
    # HumanEval as published: `call == output` lines, and an empty output line for None
    compared = parse_doctests("    >>> f(1) == 'a'\n    >>> f(2)\n\n    ")
    assert [d.call for d in compared] == [Call((1,), "a"), Call((2,), None)]
    # a dict literal keeps its repeated keys (MultiPL-E translates the text: HumanEval 95)
    (doctest,) = parse_doctests('>>> f({"a": 1, 8: 2, "a": 1})\nFalse\n')
    assert doctest.call is not None and isinstance(doctest.call.args[0], LiteralDict)
    assert doctest.call.args[0].items() == [("a", 1), (8, 2), ("a", 1)]


def test_docstring_layout_drops_blank_lines_and_dedents_by_the_second_line() -> None:
    assert dedent_docstring(" First.\n    second\n\n      third\n  fourth\n    ") == " First.\nsecond\n  third\n  fourth"
    assert dedent_docstring("only") == "only"


def test_prose_is_reworded_and_doctests_spelled_by_the_language() -> None:
    cpp = translator_for("cpp").description(_function())
    assert cpp.splitlines() == [
        " Return the vector's sum, or None.",  # C++'s terms.csv row keeps None
        ">>> total((std::vector<long>({(long)1, (long)2})))",
        "(3)",
        "# the sum of a vector of ints",  # explanation lines stay, reworded
        ">>> total([x])",  # not a literal: as written
        "0",
        # what doesn't fit the declared types is spelled by its shape, then converted, as upstream does
        ">>> total((std::vector<long>({(float)1.5f})))",
        "(long(1.5f))",
        "    indented more",
    ]
    # a language that spells values by their shape writes what doesn't fit the types too
    js = translator_for("js").description(_function())
    assert ">>> total([1.5])\n1.5" in js and ">>> total([1, 2])\n3" in js and "the array's sum, or undefined" in js
    # Swift labels the arguments, and drops a problem whose doctest doesn't fit, as upstream;
    # Python keeps its own words and writes the docstring as upstream
    with pytest.raises(Untranslatable, match="doctest"):
        translator_for("swift").description(_function())
    fitting = _function(DOCSTRING.replace(">>> total([1.5])\n    1.5\n", ""))
    assert ">>> total(xs: [1, 2])\n3" in translator_for("swift").description(fitting)
    py = translator_for("py").translate(_function()).prompt
    assert py.endswith('    """ Return the list\'s sum, or None.\n>>> total([1, 2])\n3\n# the sum of a list of ints\n'
                       '>>> total([x])\n0\n>>> total([1.5])\n1.5\n    indented more"""\n')


def test_typed_doctests_use_the_declared_types_whatever_they_call() -> None:
    function = documented(FunctionIR(
        name="HumanEval_901_f", entry_point="f", params=(Param("d", TDict(TStr(), TFloat())),), returns=TFloat(),
        description="", examples=(), tests=(Call(({"a": 1.0},), 1.0),),
    ), "Sum.\n>>> g({'a': 1})\n1\n")
    # an int where a float is declared keeps its kind, cast as MultiPL-E casts it
    assert "// >>> g((new HashMap<String,Float>(Map.of(\"a\", (float)1l))))\n    // (float)1l" in (
        translator_for("java").translate(function).prompt
    )
