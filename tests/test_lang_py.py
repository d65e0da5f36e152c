"""Python (MultiPL-E "py"): the emitter alone, on a hand-built IR (no container), writes
MultiPL-E's conventions; the real sandbox runs them in test_translate_py_sandbox.py.
"""

from __future__ import annotations

from dataclasses import replace

from conformance_kit import PICK

from benchmarks.translate import ir
from benchmarks.translate.generic import translator_for
from benchmarks.translate.lang_py import TRANSLATOR


def test_emitter_writes_multipl_e_conventions() -> None:
    out = TRANSLATOR.translate(PICK)
    # typing names in the order the signature first uses them, as MultiPL-E's translate_type
    assert out.prompt.startswith(
        "from typing import List, Dict, Tuple, Optional\n\n"
        "def pick(xs: List[int], names: Dict[str, float]) -> Tuple[Optional[int], str]:\n")
    assert ">>> pick([1], { 'a': 0.5 })\n(None, 'a')\"\"\"\n" in out.prompt  # dicts as MultiPL-E's gen_dict
    assert "    assert candidate([], {  }) == (3, '')" in out.tests


def test_an_optional_union_is_one_union() -> None:
    returns = ir.TOptional(ir.TUnion((ir.TInt(), ir.TStr())))
    out = TRANSLATOR.translate(replace(PICK, returns=returns, tests=(ir.Call(([1], {}), None),)))
    assert "-> Union[int, str, None]:" in out.prompt and "Optional" not in out.prompt


def test_the_prompt_keeps_the_problems_imports_unless_upstream_bugs() -> None:
    # HumanEval 115 imports math for its canonical solution; upstream drops the import
    needs_math = replace(PICK, imports=("import math",))
    assert TRANSLATOR.translate(needs_math).prompt.startswith("import math\nfrom typing import")
    assert translator_for("py", upstream_bugs=True).translate(needs_math).prompt.startswith("from typing import")
