"""TypeScript (MultiPL-E "ts"): the image starts tsc from a snapshot, to be fast; it must
judge programs exactly as MultiPL-E's plain `tsc --target esnext` does.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from conformance_kit import by_name, official, run_all, stub, variants
from docker import DockerClient

from benchmarks.problem import Problem
from benchmarks.translate.pipeline import translate_problems
from sandboxes.images import ImageInfo
from sandboxes.pool import ContainerPool
from sandboxes.spec import load_spec

LANG = "ts"


def test_snapshot_compiler_judges_like_plain_tsc(
    docker_client: DockerClient, sandbox_image: Callable[[str], ImageInfo]
) -> None:
    """The image's snapshot-started tsc gives the verdicts of MultiPL-E's plain `tsc --target esnext`."""
    spec = load_spec(LANG)
    plain = dataclasses.replace(spec, compile=("tsc", "--target", "esnext", "main.ts"))
    assert spec.compile != plain.compile
    first = by_name(LANG)["HumanEval_0_has_close_elements"]
    clash = (
        "function close(x: number): number {\n  return x;\n}\n"  # lib.dom.d.ts declares close()
        "declare var require: any;\nconst assert = require('node:assert');\nassert.deepEqual(close(1), 1);\n"
    )
    programs = [
        first.program(official(LANG).completion),               # pass
        first.program(stub(first)),                              # fail
        first.program("  return 1;\n}"),                         # type error: compile_error
        first.program(stub(first) + variants(LANG).broken),     # syntax error: compile_error
        clash,                                                   # a global shared with the library
    ]
    statuses: dict[str, list[str]] = {}
    for name, which in (("snapshot", spec), ("tsc", plain)):
        pool = ContainerPool(docker_client, which, sandbox_image(LANG), 2)
        try:
            statuses[name] = [o.status for o in run_all(pool, programs)]
        finally:
            pool.close()
    assert statuses["snapshot"] == ["pass", "fail", "compile_error", "compile_error", "compile_error"]
    assert statuses["snapshot"] == statuses["tsc"]


def test_hint_forms_upstream_cannot_write_drop_the_problem() -> None:
    """MultiPL-E's TypeScript translator reads the hints as written: ``Tuple[str, ...]`` and a
    ``None`` inside ``Union[...]`` drop the problem (its HumanEval 137 and 148), ``Optional``
    does not; unions are spelled in the hint's order with " | "."""
    def problem(number: int, signature: str, test: str) -> Problem:
        return Problem(benchmark="humaneval", language="py", name=f"HumanEval_{number}_f", prompt=f"{signature}\n    \"\"\"Doc.\"\"\"\n",
                       tests=f"def check(candidate):\n    assert {test}\n", entry_point="f", stop_tokens=(), source="test")

    typing = "from typing import List, Optional, Tuple, Union\n\n"
    result = translate_problems([
        problem(1, typing + "def f(a: str) -> Tuple[str, ...]:", "candidate('x') == ('x',)"),
        problem(2, typing + "def f(a: Union[int, str]) -> Union[int, str, None]:", "candidate(1) is None"),
        problem(3, typing + "def f(a: List[int]) -> Optional[int]:", "candidate([]) == None"),
        problem(4, typing + "def f(a: int) -> Union[str, int]:", "candidate(1) == 'a'"),
    ], LANG)
    assert [d.name for d in result.dropped] == ["HumanEval_1_f", "HumanEval_2_f"]
    assert all("MultiPL-E's TypeScript translator has no type" in d.reason for d in result.dropped)
    prompts = [p.prompt.splitlines()[-1] for p in result.problems]
    assert prompts == ["function f(a: number[]): number | undefined {", "function f(a: number): string | number {"]
