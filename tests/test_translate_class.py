"""Java, C#, Scala and Swift as MultiPL-E's builder writes them (no container).

Each test pins one rule of upstream's typed builders on a hand-written problem, in the default
translation and, where upstream has a bug, under ``upstream_bugs`` (the official form). The
translation snapshot pins the output on HumanEval; the conformance suite runs it.
"""

from __future__ import annotations

import pytest

from benchmarks.translate.generic import translator_for
from benchmarks.translate.ir import (
    Call,
    FunctionIR,
    Param,
    TAny,
    TFloat,
    TInt,
    TList,
    TOptional,
    TStr,
    TTuple,
    TUnion,
    Type,
    Untranslatable,
)
from benchmarks.translate.parse import documented


def _function(params: tuple[Param, ...], returns: Type, tests: tuple[Call, ...], doc: str = "Doc.\n",
              entry: str = "f") -> FunctionIR:
    return documented(FunctionIR(
        name=f"HumanEval_900_{entry}", entry_point=entry, params=params, returns=returns,
        description="", examples=(), tests=tests,
    ), doc)


def _tests(language: str, function: FunctionIR, upstream_bugs: bool = False) -> str:
    return translator_for(language, upstream_bugs=upstream_bugs).translate(function).tests


def test_an_int_where_a_float_is_declared_keeps_its_kind() -> None:
    """MultiPL-E spells the literal by its Python kind and casts it to the declared type."""
    function = _function((Param("x", TFloat()),), TFloat(), (Call((2,), 3),))
    assert "assert(f((float)2l) == (float)3l);" in _tests("java", function)
    assert "Debug.Assert(F((float)2L) == (float)3L);" in _tests("cs", function)
    assert "assert(f(2l) == 3l);" in _tests("scala", function)  # Scala widens a Long
    assert "assert(f(x: 2) == 3)" in _tests("swift", function)  # Swift reads 2 as a Double
    listed = _function((Param("xs", TList(TFloat())),), TInt(), (Call(([1.5, 2],), 1),))
    assert "new ArrayList<Float>(Arrays.asList((float)1.5f, (float)2l))" in _tests("java", listed)
    assert "List[Float](1.5f.toFloat, 2l.toFloat)" in _tests("scala", listed)


def test_a_float_list_of_ints_is_cast_as_upstream_only_where_it_compiles() -> None:
    """Upstream casts a list's elements to its first element's kind: javac and csc refuse a
    ``long`` in a list of floats, so tests fix that unless upstream's bugs are asked for."""
    function = _function((Param("xs", TList(TFloat())),), TInt(), (Call(([1, 2],), 3),))
    assert "Arrays.asList((float)1l, (float)2l)" in _tests("java", function)
    assert "Arrays.asList((long)1l, (long)2l)" in _tests("java", function, upstream_bugs=True)
    assert "new List<float>(new float[]{(float)1L, (float)2L})" in _tests("cs", function)
    assert "new List<float>(new long[]{(long)1L, (long)2L})" in _tests("cs", function, upstream_bugs=True)


def test_doctest_callees_are_named_as_upstream_names_them() -> None:
    doc = "Doc.\n    >>> strlen('ab')\n    2\n    >>> other('a')\n    1\n"
    function = _function((Param("string", TStr()),), TInt(), (Call(("ab",), 2),), doc, entry="strlen")
    java = translator_for("java").translate(function).prompt
    assert "// >>> stringLength((\"ab\"))" in java and "public static long strlen(String string)" in java
    assert "// >>> StringLength((\"ab\"))" in translator_for("cs").translate(function).prompt
    swift = translator_for("swift").translate(function).prompt
    assert "/// >>> strlen(string: \"a\")" in swift  # Swift always calls the function itself


def test_a_doctest_that_does_not_fit_is_coerced_or_drops_the_problem() -> None:
    doc = "Doc.\n    >>> f('a')\n    'b'\n"
    function = _function((Param("s", TStr()),), TList(TStr()), (Call(("a",), ["b"]),), doc)
    assert "// (ArrayList<String>(\"b\"))" in translator_for("java").translate(function).prompt
    assert "// (List[String](\"b\"))" in translator_for("scala").translate(function).prompt
    with pytest.raises(Untranslatable, match="doctest"):
        translator_for("swift").translate(function)


def test_cs_compares_lists_structurally_unless_upstreams_bug_is_asked_for() -> None:
    function = _function((Param("xs", TList(TInt())),), TList(TInt()), (Call(([1],), [1]),))
    assert "PolypassDeepEquals(F(" in _tests("cs", function)
    upstream = _tests("cs", function, upstream_bugs=True)
    assert "PolypassDeepEquals" not in upstream and ".Equals((new List<long>(new long[]{(long)1L})))" in upstream


def test_a_tuple_of_optionals_is_only_wrapped_again_under_upstream_bugs() -> None:
    pair = TTuple((TOptional(TInt()), TOptional(TInt())))
    doc = "Doc.\n    >>> f(1)\n    (None, 1)\n"
    function = _function((Param("n", TInt()),), pair, (Call((1,), (None, 1)), Call((2,), (2, 1))), doc)
    java = translator_for("java").translate(function)
    assert ".equals((Pair.with(Optional.empty(), Optional.of(1l))))" in java.tests
    assert "// Pair.with(Optional.of(Optional.empty()), Optional.of(1l))" in java.prompt  # as published
    upstream = _tests("java", function, upstream_bugs=True)
    assert ".equals(Optional.of(Pair.with(2l, 1l)))" in upstream
    assert ".Equals((Tuple.Create((Nullable<long>)null, (Nullable<long>)1L)))" in _tests("cs", function)
    assert ".Equals(Tuple.Create((Nullable<long>)null, 1L))" in _tests("cs", function, upstream_bugs=True)
    assert ".equals(((Some(2l), Some(1l))))" in _tests("scala", function)
    assert ".equals((2l, 1l))" in _tests("scala", function, upstream_bugs=True)


def test_any_lists_are_spelled_by_shape_in_each_language() -> None:
    function = _function((Param("values", TList(TAny())),), TList(TInt()),
                         (Call(([], ), []), Call(([4, {}, "a"],), [4])))
    java = _tests("java", function)
    assert "filterIntegers" not in java and "f((new ArrayList<Object>(Arrays.asList())))" in java
    assert "new ArrayList<Object>(Arrays.asList(4l, new HashMap<Long,Long>(Map.of()), \"a\"))" in java
    cs = _tests("cs", function)
    assert "new List<object>(new object[]{4L, new Dictionary<long,long>(), \"a\"})" in cs
    # upstream's greedy match swallows the map (HumanEval 22): only under upstream_bugs
    assert "new List<object>(new object[]{4L, \"a\"})" not in cs
    assert "List[Any](4l, Map[Long,Long](), \"a\")" in _tests("scala", function)
    swift = _tests("swift", function)
    assert "f(values: [] as [AnyHashable])" in swift and "[4, [:] as [AnyHashable : AnyHashable], \"a\"]" in swift


def test_unions_are_either_in_scala_and_result_or_an_enum_in_swift() -> None:
    two = _function((Param("n", TInt()),), TUnion((TStr(), TInt())), (Call((1,), "a"), Call((2,), -1)))
    scala = _tests("scala", two)
    assert ".equals((Left(\"a\")))" in scala and ".equals((Right(-1l)))" in scala
    assert ".equals(\"a\")" in _tests("scala", two, upstream_bugs=True)  # never equal: upstream's bug
    swift = translator_for("swift").translate(two)
    assert swift.prompt.startswith("\nextension Int: Error {}\n        \n///")
    assert "-> Result<String, Int> {" in swift.prompt and "== .failure(-1))" in swift.tests
    three = TUnion((TInt(), TFloat(), TStr()))
    many = _function((Param("a", three),), TOptional(three), (Call((1,), 2.5), Call(("x",), None)))
    swift = translator_for("swift").translate(many)
    assert "enum Value: Equatable, Hashable {\n    case intValue(Int)\n    case doubleValue(Double)" in swift.prompt
    assert "func f(a: Value) -> Value? {" in swift.prompt
    assert "assert(f(a: .intValue(1)) == .doubleValue(2.5))" in swift.tests and "== nil)" in swift.tests
    with pytest.raises(Untranslatable):
        translator_for("java").translate(two)
