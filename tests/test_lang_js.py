"""The shared script-language emitter (js, ts, rb, lua, php) on a hand-built IR, no container:
MultiPL-E's rewording of terms and its doctest transformation, which the generic checks
in test_conformance.py only see through HumanEval's own problems.
"""

from __future__ import annotations


def test_rewording_and_doctests_follow_multipl_e() -> None:
    """Unit test of the shared script-language emitter (no container)."""
    from benchmarks.translate.generic import translator_for
    from benchmarks.translate.ir import (
        Call,
        FunctionIR,
        Param,
        TInt,
        TList,
        TOptional,
        TStr,
        TUnion,
    )
    from benchmarks.translate.parse import documented
    from benchmarks.translate.terms import reword

    # terms.csv: plain substring replacement (hence MultiPL-E's "hapjs"), a/an fixed before the term.
    assert reword("Return a list of Python values, or None if happy.", "js") == (
        "Return an array of JavaScript values, or undefined if hapjs."
    )
    assert reword("a dictionary and a tuple", "rb") == "a hash and an array"
    function = documented(FunctionIR(
        name="HumanEval_9_f", entry_point="f", params=(Param("N", TList(TInt())),),
        returns=TOptional(TUnion((TInt(), TStr()))),
        description="Take a list.\n\n    >>> f([1, 2])\n    (1, 'a')\n>>> f([])\n\nMore text, True.",
        examples=(), tests=(Call(([1, -2],), None),),
    ))
    js = translator_for("js").translate(function)
    assert js.prompt == (
        # an empty output line is None, as Python's doctest prints it (HumanEval 12)
        "//Take an array.\n// >>> f([1, 2])\n// [1, \"a\"]\n// >>> f([])\n// undefined\n// More text, true.\n"
        "function f(N){\n"
    )
    assert js.tests.splitlines()[5] == "  assert.deepEqual(candidate([1, -2]),undefined);"
    assert js.stub_completion == "  return 0;\n}"  # differs from the first test's undefined
    ts = translator_for("ts").translate(function)
    assert ts.prompt.endswith("function f(N: number[]): number | string | undefined {\n")
    rb = translator_for("rb").translate(function)
    assert "# >>> f.call([1, 2])\n# [1, \"a\"]\n" in rb.prompt and rb.prompt.endswith("def f(n)\n")
    lua = translator_for("lua").translate(function)
    assert "-- >>> f({1, 2})\n-- {1, 'a'}\n" in lua.prompt
    php = translator_for("php").translate(function)
    assert php.prompt.startswith("<?php\n// Take an array.\n// >>> f(array(1, 2))\n// array(1, \"a\")\n")
    # "call == expected" doctests (HumanEval 108, 116, 145, 156) become call and output lines.
    compared = documented(function, "Count.\n    >>> f([1]) == 2\n    >>> f([]) == 0\n    ")
    assert translator_for("lua").translate(compared).prompt.startswith("-- Count.\n-- >>> f({1})\n-- 2\n-- >>> f({})\n-- 0\n")
