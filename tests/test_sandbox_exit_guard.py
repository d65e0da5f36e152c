"""A completion that exits with status 0 before its tests run is not a pass, in any language.

MultiPL-E judges by exit status, so `exit(0)` in the function body passes there. Each
language's `[guard]` (lang.toml) prints a nonce from stdin after the tests; the verdict
requires it. Go (`go test` fails a test that calls os.Exit), Lua (luaunit traps os.exit)
and Bash (tests call the function in a subshell) catch this themselves: checked here too.
Python has its runner (tests/test_sandbox_hostile.py). Runtime: about 2 minutes.
"""

from __future__ import annotations

import pytest

from benchmarks import humaneval
from benchmarks.translate.pipeline import translate_problems
from sandboxes.spec import Guard, SpecError, load_spec, parse_spec
from tests.conformance_kit import reference_solutions

pytestmark = pytest.mark.docker

#: a statement that ends the process with status 0, as a completion's first line
EXIT_NOW = {
    "cpp": "    exit(0);\n", "cs": "        System.Environment.Exit(0);\n",
    "d": "    { import core.stdc.stdlib : exit; exit(0); }\n", "java": "        System.exit(0);\n",
    "jl": "    exit(0)\n", "js": "  process.exit(0);\n", "lua": "  os.exit(0)\n", "php": "  exit(0);\n",
    "pl": "    exit(0);\n", "r": "  quit(status = 0)\n", "rb": "  exit(0)\n", "rkt": "  (exit 0)\n",
    "rs": "    std::process::exit(0);\n", "scala": "        sys.exit(0)\n", "sh": "    exit 0\n",
    "swift": "    exit(0)\n", "ts": "  (globalThis as any).process.exit(0);\n",
}
#: what the program needs before it can call exit (Swift's exit lives in Foundation)
PREAMBLE = {"swift": "import Foundation\n"}
GUARDED = sorted(set(EXIT_NOW) - {"lua", "sh"})


def exiting_completion(language: str, stub: str) -> str:
    if stub.startswith("{"):  # D: the completion opens the body
        return "{\n" + EXIT_NOW[language] + stub[1:]
    if stub.startswith("\n"):  # R: the prompt ends with the opening brace
        return "\n" + EXIT_NOW[language] + stub
    return EXIT_NOW[language] + stub


@pytest.mark.parametrize("language", sorted(EXIT_NOW))
def test_exit_zero_before_the_tests_is_not_a_pass(sandbox_pool, language):
    (problem,) = translate_problems(humaneval.load()[:1], language).problems
    stub = problem.extra["stub_completion"]
    reference = reference_solutions(language)[problem.name]
    preamble = PREAMBLE.get(language, "")
    pool = sandbox_pool(language, 1)
    exited = pool.run(preamble + problem.program(exiting_completion(language, stub)))
    assert exited.status not in ("pass", "compile_error"), (exited.status, exited.stderr[-500:])
    if language in GUARDED:
        assert exited.detail == "the program stopped before its tests finished", exited
    # the guard costs nothing to honest programs: a right answer passes, a wrong one fails
    assert pool.run(preamble + problem.program(reference)).status == "pass"
    assert pool.run(preamble + problem.program(stub)).status == "fail"


def test_guarded_languages_declare_a_guard():
    for language in GUARDED:
        spec = load_spec(language)
        assert spec.guard is not None and spec.verdict.require_nonce, language


def test_guard_goes_before_the_last_anchor_match():
    guard = Guard(code="PRINT;", anchor=r"\}\s*\}\s*\Z")
    assert guard.apply("class P { void main() { a; }\n}\n") == "class P { void main() { a; PRINT;}\n}\n"
    assert guard.apply("no braces") is None
    assert Guard(code="\nPRINT").apply("tests();") == "tests();\nPRINT"


def test_bad_guard_is_a_spec_error(tmp_path):
    path = tmp_path / "lang.toml"
    base = 'name = "x"\nfile_name = "x"\nrun = ["x"]\n'
    path.write_text(base + '[guard]\ncode = "p"\n')
    with pytest.raises(SpecError, match="require_nonce"):
        parse_spec(path)
    path.write_text(base + '[verdict]\nrequire_nonce = true\n[guard]\ncode = "p"\nanchor = "("\n')
    with pytest.raises(SpecError, match=r"guard\.anchor"):
        parse_spec(path)
