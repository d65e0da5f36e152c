"""C# (MultiPL-E "cs"): the emitter alone, on a FunctionIR built by hand (no container).

It checks MultiPL-E's shapes (renames, nullable tuples) and that lists and dictionaries compare
structurally; the generic checks run through the sandbox in test_conformance.py.
"""

from __future__ import annotations


def test_emitter_follows_multipl_e_shapes() -> None:
    from benchmarks.translate.ir import (
        Call,
        DocExample,
        FunctionIR,
        Param,
        TInt,
        TList,
        TOptional,
        TStr,
        TTuple,
    )
    from benchmarks.translate.lang_cs import TRANSLATOR
    from benchmarks.translate.parse import documented

    function = FunctionIR(
        name="HumanEval_900_min_path", entry_point="minPath",
        params=(Param("string", TList(TStr())), Param("base", TInt())),
        returns=TTuple((TOptional(TInt()), TOptional(TInt()))),
        description="Return None or a tuple, for a list.\n>>> minPath(['a'], 2)\n(None, 1)",
        examples=(DocExample(Call((["a"], 2), (None, 1)), ">>> minPath(['a'], 2)\n(None, 1)"),),
        tests=(Call(([], 3), (None, None)),),
    )
    out = TRANSLATOR.translate(documented(function))
    lines = out.prompt.splitlines()
    assert lines[8] == "    // Return null or a tuple, for a list."
    assert lines[9] == '    // >>> Minpath((new List<string>(new string[]{(string)"a"})), (2L))'
    # an example's tuple of optionals is written as upstream writes it (only null is cast)
    assert lines[10] == "    // Tuple.Create((Nullable<long>)null, 1L)"
    # MultiPL-E's C# renames: PascalCase via str.title(), keywords string/base
    assert lines[-1] == ("    public static Tuple<Nullable<long>, Nullable<long>> Minpath(List<string> str, "
                         "long numBase) {")
    assert out.tests.splitlines()[2] == ("    Debug.Assert(Minpath((new List<string>()), (3L)).Equals("
                                         "(Tuple.Create((Nullable<long>)null, (Nullable<long>)null))));")
    assert "PolypassDeepEquals" not in out.tests  # Tuple.Equals is structural already


def test_lists_and_dictionaries_compare_structurally() -> None:
    """List/Dictionary.Equals is reference equality in .NET: those results use the helper."""
    from benchmarks.translate.ir import Call, FunctionIR, Param, TDict, TInt, TList, TStr
    from benchmarks.translate.lang_cs import TRANSLATOR
    from benchmarks.translate.parse import documented

    function = FunctionIR(
        name="HumanEval_901_f", entry_point="f", params=(Param("x", TInt()),),
        returns=TList(TDict(TStr(), TInt())), description="", examples=(),
        tests=(Call((1,), [{"a": 1}]),),
    )
    out = TRANSLATOR.translate(documented(function))
    assert ('    Debug.Assert(PolypassDeepEquals(F((1L)), (new List<Dictionary<string,long>>('
            'new Dictionary<string,long>[]{(Dictionary<string,long>)new Dictionary<string,long>(){{"a", 1L}}}))));'
            ) in out.tests
    assert "    static bool PolypassDeepEquals(object a, object b) {" in out.tests
    assert out.tests.endswith("    }\n\n}\n")
