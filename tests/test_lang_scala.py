"""Scala (MultiPL-E "scala"): the emitter alone, on a FunctionIR built by hand (no container).

It checks MultiPL-E's shapes (reworded terms, typed literals, Option); the generic checks run
through the sandbox in test_conformance.py.
"""

from __future__ import annotations


def test_emitter_follows_multipl_e_shapes() -> None:
    from benchmarks.translate.ir import (
        Call,
        DocExample,
        FunctionIR,
        Param,
        TDict,
        TFloat,
        TInt,
        TList,
        TOptional,
        TStr,
    )
    from benchmarks.translate.lang_scala import TRANSLATOR
    from benchmarks.translate.parse import documented

    function = FunctionIR(
        name="HumanEval_900_f", entry_point="by_key",
        params=(Param("xs", TList(TFloat())), Param("d", TDict(TStr(), TList(TInt())))),
        returns=TOptional(TStr()),
        description="Return None for an empty dictionary.\n>>> by_key([1], {})\nNone",
        examples=(DocExample(Call(([1], {}), None), ">>> by_key([1], {})\nNone"),),
        tests=(Call(([1.5, 2], {"k": [3]}), "k"),),
        float_tolerance=None,
    )
    out = TRANSLATOR.translate(documented(function))
    lines = out.prompt.splitlines()
    assert lines[:3] == ["import scala.math._", "import scala.collection.mutable._", "object Problem {"]
    assert lines[3] == "    // Return None for an empty map."
    # an example keeps its Python int where a float is declared, as upstream writes it
    assert lines[4] == "    // >>> byKey((List[Float](1l.toLong)), (Map[String,List[Long]]()))"
    assert lines[5] == "    // None"
    assert lines[-1] == "    def byKey(xs : List[Float], d : Map[String,List[Long]]) : Option[String] = {"
    assert out.tests.splitlines()[2] == ('    assert(byKey((List[Float](1.5f.toFloat, 2l.toFloat)), '
                                         '(Map[String,List[Long]]("k" -> List[Long](3l.toLong)))).equals(Some("k")));')
    assert out.stub_completion == "        None"
