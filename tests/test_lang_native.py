"""C++, D, Go and Rust: MultiPL-E's shape-based literals, Any and unions, and the upstream bugs
each fixes by default and keeps under ``upstream_bugs`` (no container; the sandbox checks run
in test_conformance.py)."""

from __future__ import annotations

from benchmarks.problem import Problem
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
    Untranslatable,
)
from benchmarks.translate.parse import documented
from benchmarks.translate.pipeline import translate_problems


def _function(params: tuple[Param, ...], returns, tests: tuple[Call, ...], doc: str = "Do it.\n") -> FunctionIR:
    return documented(FunctionIR(
        name="HumanEval_900_f", entry_point="f", params=params, returns=returns,
        description="", examples=(), tests=tests,
    ), doc)


def test_literals_keep_their_python_shape_and_are_converted_as_upstream_converts() -> None:
    """An int where a float is declared stays an int (``float(3)``, ``3L``, ``3`` in Go), and is
    converted where MultiPL-E converts: C++'s leading constructor, Rust's ``.0``."""
    function = _function((Param("xs", TList(TFloat())),), TFloat(), (Call(([4.0, 3],), 3),))
    tests = {lang: translator_for(lang).translate(function).tests.splitlines() for lang in ("cpp", "d", "go", "rs")}
    assert tests["cpp"][3] == "    assert(candidate((std::vector<float>({(float)4.0f, (float)3}))) == (float(3)));"
    assert tests["d"][4] == "    assert(candidate([4.0, 3L]) == 3L);"
    assert "candidate([]float64{4.0, 3}), expected: 3 }" in tests["go"][7]
    assert tests["rs"][4] == "    assert_eq!(candidate(vec![4.0, 3.0]), 3.0);"


def test_doctest_arguments_are_not_converted_in_rust_and_go_types_them_by_their_elements() -> None:
    function = _function((Param("xs", TList(TFloat())),), TInt(), (Call(([1.5],), 1),),
                         "Sum.\n>>> f([1, 3])\n4\n>>> f([])\n0\n")
    assert ">>> f(vec![1, 3])\n/// 4\n/// >>> f(vec![])\n/// 0" in translator_for("rs").translate(function).prompt
    assert ">>> f([]int{1, 3})\n// 4\n// >>> f([]float64{})\n// 0" in translator_for("go").translate(function).prompt


def test_cpp_writes_any_and_unions_as_multipl_e_declares_them() -> None:
    cpp = translator_for("cpp")
    anys = cpp.translate(_function((Param("values", TList(TAny())),), TList(TInt()),
                                   (Call(([4, {}, [], 2.5, "a"],), [4]),)))
    assert anys.prompt.endswith("std::vector<long> f(std::vector<std::any> values) {\n")
    assert ('assert(candidate((std::vector<std::any>({4, std::map<long,long>(), std::vector<long>(), 2.5f, "a"})))'
            " == (std::vector<long>({(long)4})));") in anys.tests
    union = cpp.translate(_function((Param("n", TInt()),), TUnion((TStr(), TInt())), (Call((1,), "0b1"), Call((7,), -1))))
    assert union.prompt.startswith("#include<assert.h>\n#include<bits/stdc++.h>\nunion Union_std_string_long{\n"
                                   "    std::string f0;\n    long f1;    Union_std_string_long(std::string _f0) : f0(_f0) {}\n")
    assert union.prompt.endswith("Union_std_string_long f(long n) {\n")
    assert union.tests.splitlines()[3:5] == ['    assert(candidate((1)) == "0b1");', "    assert(candidate((7)) == -1);"]
    # the stub must compile: a union has no default constructor, so it returns a wrong member
    assert union.stub_completion == '    return Union_std_string_long((std::string)(""));'


def test_a_cpp_union_that_cannot_compile_is_dropped_unless_upstream_bugs_are_kept() -> None:
    """HumanEval 137: None as a member (std::nullopt is no type) and long with float."""
    either = TUnion((TInt(), TFloat(), TStr()))
    function = _function((Param("a", either),), TOptional(either), (Call((1,), None),))
    try:
        translator_for("cpp").translate(function)
    except Untranslatable as exc:
        assert "can't compile" in str(exc)
    else:
        raise AssertionError("137's union was translated")
    kept = translator_for("cpp", upstream_bugs=True).translate(function)
    assert "std::nullopt f3;" in kept.prompt and "Union_long_float_std_string_std_nullopt f(" in kept.prompt


def test_go_keeps_compiling_where_upstream_guesses_a_nested_tuple_is_an_int_slice() -> None:
    """HumanEval 87: upstream types a list of tuples ``[][]int{[]interface{}{0, 0}}`` (no compile)."""
    function = _function((Param("lst", TList(TList(TInt()))),), TList(TTuple((TInt(), TInt()))),
                         (Call(([[], [1]],), [(0, 0)]),))
    ours = translator_for("go").translate(function).tests
    assert "candidate([][]int{[]int{}, []int{1}}), expected: [][]interface{}{[]interface{}{0, 0}} }" in ours
    upstream = translator_for("go", upstream_bugs=True).translate(function).tests
    assert "candidate([]interface{}{[]interface{}{}, []int{1}}), expected: [][]int{[]interface{}{0, 0}} }" in upstream


def test_variadic_tuples_are_go_tuples_and_dropped_in_d_and_rust() -> None:
    function = _function((Param("a", TStr()),), TList(TStr(), variadic=True), (Call(("x",), ("y",)),))
    assert translator_for("go").translate(function).prompt.endswith("func f(a string) []interface{} {\n")
    assert "(std::vector<std::string>({(std::string)\"y\"}))" in translator_for("cpp").translate(function).tests
    for lang in ("d", "rs"):
        try:
            translator_for(lang).translate(function)
        except Untranslatable:
            continue
        raise AssertionError(f"{lang} translated Tuple[str, ...]")


def _problem(number: int, returns: str) -> Problem:
    return Problem(
        benchmark="humaneval", language="py", name=f"HumanEval_{number}_f", entry_point="f",
        prompt=f"from typing import Tuple\n\ndef f(x: int) -> {returns}:\n    \"\"\"Do it.\n    \"\"\"\n",
        tests="def check(candidate):\n    assert candidate(1) == " + ("(1, 1)" if "Tuple" in returns else "1") + "\n",
        stop_tokens=(), source="test",
    )


def test_d_imports_typecons_everywhere_unless_upstreams_state_is_kept() -> None:
    """Upstream's D translator adds std.typecons at the first tuple or Optional it meets, reading
    files in path order (HumanEval_0, HumanEval_100, …): the prompts before lack it."""
    problems = [_problem(1, "Tuple[int, int]"), _problem(100, "int"), _problem(0, "int"), _problem(107, "Tuple[int, int]")]
    fixed = translate_problems(problems, "d").problems
    assert all("import std.typecons;" in p.prompt for p in fixed)
    kept = translate_problems(problems, "d", upstream_bugs=True).problems
    assert [p.name for p in kept] == [p.name for p in problems]  # the input's order
    assert {p.name: "import std.typecons;" in p.prompt for p in kept} == {
        "HumanEval_1_f": True, "HumanEval_100_f": False, "HumanEval_0_f": False, "HumanEval_107_f": True,
    }


def test_d_doctests_write_null_and_typed_empty_dicts_unless_upstream_bugs_are_kept() -> None:
    """Upstream leaves Python's ``None`` and its ``___null_dict___`` placeholder in D comments."""
    from benchmarks.translate.ir import TDict

    function = _function((Param("s", TStr()),), TOptional(TInt()), (Call(("",), None),), "Do it.\n>>> f('')\nNone\n")
    assert ">>> f(\"\")\n    null\n" in translator_for("d").translate(function).prompt
    assert ">>> f(\"\")\n    None\n" in translator_for("d", upstream_bugs=True).translate(function).prompt
    counts = _function((Param("s", TStr()),), TDict(TStr(), TInt()), (Call(("",), {}),), "Do it.\n>>> f('')\n{}\n")
    assert ">>> f(\"\")\n    Nullable!(long[string]).init\n" in translator_for("d").translate(counts).prompt
    assert ">>> f(\"\")\n    ___null_dict___\n" in translator_for("d", upstream_bugs=True).translate(counts).prompt
    assert "assert(result.isNull);" in translator_for("d").translate(counts).tests
