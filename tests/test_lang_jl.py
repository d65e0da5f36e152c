"""Julia (MultiPL-E "jl"): the emitter alone, on a hand-built IR (no container), writes
MultiPL-E's conventions; the generic checks run through the sandbox in test_conformance.py.
"""

from __future__ import annotations

import pytest
from conformance_kit import PICK, documented

from benchmarks.translate import ir
from benchmarks.translate.generic import translator_for
from benchmarks.translate.lang_jl import TRANSLATOR


def test_emitter_writes_multipl_e_conventions() -> None:
    out = TRANSLATOR.translate(PICK)
    assert out.prompt.endswith("function pick(xs::Vector{Int64}, names::Dict{String, Float64})::Tuple{Union{Int64, Nothing}, String} \n")
    # MultiPL-E's layout: the docstring's first line keeps its space, the rest is dedented.
    assert out.prompt.startswith('""" Pick from a vector and a dictionary; true when nothing.\n')
    assert '>>> pick([1], Dict("a" => 0.5))\n(nothing, "a")"""\n' in out.prompt
    assert '\t@test(candidate([1, 2], Dict("a" => 0.5)) == (nothing, "a"))' in out.tests
    assert '\t@test(candidate(Vector{Int64}([]), Dict{String, Float64}()) == (3, ""))' in out.tests
    assert out.tests.startswith("using Test\n\n@testset begin\n\ncandidate = pick;\n")
    assert out.stub_completion == '    return (0, "")\nend'  # differs from the first test's (nothing, "a")


def _one(params: tuple[ir.Param, ...], returns: ir.Type, *tests: ir.Call, doc: str = " Doc.\n    ") -> ir.FunctionIR:
    return documented(ir.FunctionIR(
        name="HumanEval_901_f", entry_point="f", params=params, returns=returns,
        description=doc.strip(), examples=(), tests=tests,
    ), doc)


def test_arguments_are_written_by_shape_where_julia_dispatches_on_them() -> None:
    # As MultiPL-E: by shape; [4.0, 3] is a Vector{Float64}, an empty list a typed vector.
    floats = _one((ir.Param("xs", ir.TList(ir.TFloat())),), ir.TFloat(), ir.Call(([4.0, 3],), 3), ir.Call(([],), 0))
    tests = TRANSLATOR.translate(floats).tests
    assert "\t@test(candidate([4.0, 3]) == 3)\n" in tests  # an expected value compares by ==
    assert "\t@test(candidate(Vector{Float64}([])) == 0)\n" in tests
    # Where a literal would not dispatch (no completion could pass: HumanEval 92 95 87), by type;
    # the official form stays under upstream_bugs.
    cases = [
        (ir.TFloat(), 2, "2.0", "2"),
        (ir.TDict(ir.TStr(), ir.TStr()), {}, "Dict{String, String}()", "Dict()"),
        (ir.TList(ir.TList(ir.TInt())), [[], [1]], "Vector{Int64}[Vector{Int64}([]), [1]]", "[[], [1]]"),
        (ir.TList(ir.TAny()), [4, {}, [], 2.5, "a"], '[4, Dict(), [], 2.5, "a"]', '[4, Dict(), [], 2.5, "a"]'),
        (ir.TList(ir.TOptional(ir.TInt())), [1, None], "[1, nothing]", "[1, nothing]"),
    ]
    upstream = translator_for("jl", upstream_bugs=True)
    for declared, value, ours, theirs in cases:
        function = _one((ir.Param("x", declared),), ir.TBool(), ir.Call((value,), True))
        assert f"\t@test(candidate({ours}) == true)" in TRANSLATOR.translate(function).tests
        assert f"\t@test(candidate({theirs}) == true)" in upstream.translate(function).tests


def test_upstream_bugs_in_the_prompt_are_fixed_and_selectable() -> None:
    function = _one((ir.Param("d", ir.TDict(ir.TStr(), ir.TStr())),), ir.TStr(), ir.Call(({"a": "b"},), "x$\n"),
                    doc=' Doc.\n    >>> f({"a": "b"})\n    "b"\n    ')
    ours, theirs = TRANSLATOR.translate(function), translator_for("jl", upstream_bugs=True).translate(function)
    assert ours.prompt.endswith('"b\\""""\nfunction f(d::Dict{String, String})::String \n')
    assert theirs.prompt.endswith('"b""""\nfunction f(d::Dict{String, String}>)::String \n')
    assert '\t@test(candidate(Dict("a" => "b")) == "x\\$\n")' in ours.tests  # $ escaped, newline as is


def test_a_union_stub_is_a_value_of_one_option() -> None:
    # HumanEval 125: `return []` (a Vector{Any}) can't convert to the declared union and raised
    function = _one((ir.Param("s", ir.TStr()),), ir.TUnion((ir.TInt(), ir.TList(ir.TStr()))), ir.Call(("a b",), ["a", "b"]))
    assert TRANSLATOR.translate(function).stub_completion == "    return Vector{String}([])\nend"


def test_what_multipl_e_cannot_type_in_julia_is_dropped() -> None:
    none_in_union = ir.TOptional(ir.TUnion((ir.TInt(), ir.TStr())))  # Union[int, str, None]: HumanEval 137
    variadic = ir.TList(ir.TStr(), variadic=True)  # Tuple[str, ...]: HumanEval 148
    for returns in (none_in_union, variadic):
        with pytest.raises(ir.Untranslatable):
            TRANSLATOR.translate(_one((ir.Param("s", ir.TStr()),), returns, ir.Call(("a",), None)))
