"""Java (MultiPL-E "java"): the emitter alone, on a FunctionIR built by hand (no container).

It checks MultiPL-E's shapes (reworded terms, boxed generics, Optional/Pair) and what Java
can't type; the generic checks run through the sandbox in test_conformance.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from benchmarks.translate.ir import (
    Call,
    DocExample,
    FunctionIR,
    Param,
    TAny,
    TDict,
    TFloat,
    TInt,
    TList,
    TOptional,
    TStr,
    TTuple,
    TUnion,
    Untranslatable,
)
from benchmarks.translate.lang_java import TRANSLATOR
from benchmarks.translate.parse import documented


def _function(**changes: Any) -> FunctionIR:
    doc = "Given a list of lists, be happy.\n>>> get_pairs([[1]], {'a': 0.5})\n(1, 'x')"
    fields = dict(
        name="HumanEval_900_get_pairs", entry_point="get_pairs",
        params=(Param("xs", TList(TList(TInt()))), Param("d", TDict(TStr(), TFloat()))),
        returns=TOptional(TTuple((TInt(), TStr()))), description=doc,
        examples=(DocExample(Call(([[1]], {"a": 0.5}), (1, "x")), ">>> get_pairs([[1]], {'a': 0.5})\n(1, 'x')"),),
        tests=(Call(([[1, 2], []], {}), None), Call(([], {"b": 2}), (-3, 'q"'))),
    )
    fields.update(changes)
    return documented(FunctionIR(**fields))


def test_emitter_follows_multipl_e_shapes() -> None:
    out = TRANSLATOR.translate(_function())
    lines = out.prompt.splitlines()
    # MultiPL-E's reworded terms, faithfully: "a list" -> "an array list", then every "list"
    # again, and "py" inside words too (its Java prompts say "hapjava").
    assert lines[8] == "    // Given an array array list of array lists, be hapjava."
    assert lines[9] == ("    // >>> getPairs((new ArrayList<ArrayList<Long>>(Arrays.asList((ArrayList<Long>)new "
                        "ArrayList<Long>(Arrays.asList((long)1l))))), (new HashMap<String,Float>(Map.of(\"a\", 0.5f))))")
    assert lines[10] == '    // Optional.of(Pair.with(1l, "x"))'
    assert lines[-1] == ("    public static Optional<Pair<Long, String>> getPairs(ArrayList<ArrayList<Long>> xs, "
                         "HashMap<String,Float> d) {")
    test_lines = out.tests.splitlines()
    assert test_lines[2].endswith("(new HashMap<String,Float>())).equals(Optional.empty()));")  # empty, as upstream
    assert test_lines[3] == ('    assert(getPairs((new ArrayList<ArrayList<Long>>(Arrays.asList())), '
                             '(new HashMap<String,Float>(Map.of("b", (float)2l)))).equals(Optional.of(Pair.with(-3l, "q\\""))));')
    assert out.tests.endswith("    }\n\n}\n")
    # the stub's value differs from the first test's expected value (None here)
    assert out.stub_completion == '        return Optional.of(Pair.with(0l, ""));'


def test_emitter_drops_what_java_cannot_type() -> None:
    with pytest.raises(Untranslatable, match="does not fit"):
        TRANSLATOR.translate(_function(params=(Param("xs", TList(TAny())), Param("d", TInt()))))
    with pytest.raises(Untranslatable, match="union"):
        TRANSLATOR.translate(_function(returns=TUnion((TInt(), TList(TInt())))))
