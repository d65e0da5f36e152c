"""Julia (MultiPL-E "jl"): the emitter alone, on a hand-built IR (no container), writes
MultiPL-E's conventions; the generic checks run through the sandbox in test_conformance.py.
"""

from __future__ import annotations

from conformance_kit import PICK

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
