"""Free-form examples -> doctests (``benchmarks/translate/freeform.py``), on prompts of our own.

Each rule on a small example, the layout MultiPL-E's cleaned copy uses, and the two
properties that make the rewrite safe to apply to any input: prompts it has no rule for are
left alone, and prompts already in doctest form are a fixed point.
"""

from __future__ import annotations

import pytest

from benchmarks.problem import Problem
from benchmarks.translate.freeform import TAG, Rule, rewrite_problem, rewrite_prompt
from benchmarks.translate.pipeline import translate_problems


def prompt_with(body: str, signature: str = "def f(x):", quotes: str = '"""') -> str:
    """A prompt whose docstring holds `body` (lines already indented by 4)."""
    return f"\n{signature}\n    {quotes}Do something.\n{body}    {quotes}\n"


def rewritten(body: str, signature: str = "def f(x):", entry_point: str = "f") -> str:
    return rewrite_prompt(prompt_with(body, signature), entry_point).prompt


# --- one free-form line -> one doctest ------------------------------------------------------

@pytest.mark.parametrize("line", [
    "f(1) == 2",
    "f(1) ➞ 2",
    "f(1) => 2",
    "f(1) ==> 2",
    "f(1)==>2",
    "f(1) -> 2",
    "f(1) = 2",
    "f(1) should return 2.",
    "f(1) returns 2",
    "f(1)   # returns 2",
    "f(1) # => 2",
    "* f(1) => 2",
    "for f(1) == 2",
    "assert f(1) => 2",
    "f(1) == 2 # the only one",
    "f(1) == 2 (as one would expect)",
    "f(1) -> 3 - 1 = 2",
    "f(1) == 1 + 1 = 2",
])
def test_arrow_notations_become_one_doctest(line: str) -> None:
    result = rewrite_prompt(prompt_with(f"    Example:\n    {line}\n"), "f")
    assert result.prompt == prompt_with("    Example:\n    >>> f(1)\n    2\n")
    assert result.rules == (Rule.ARROW,)


def test_arrow_values_are_kept_as_written_but_booleans_capitalised() -> None:
    body = "    f([1,2]) => [2,3]\n    f(3) == 6.00\n    f('a') => true\n    f('b') => false\n"
    assert rewritten(body) == prompt_with(
        "    >>> f([1,2])\n    [2,3]\n    >>> f(3)\n    6.00\n    >>> f('a')\n    True\n    >>> f('b')\n    False\n"
    )


def test_examples_move_to_the_docstring_indentation_and_keep_trailing_space() -> None:
    body = "    Examples:\n        f(1) ➞ True \n        f(2) ➞ False\n"
    assert rewritten(body) == prompt_with("    Examples:\n    >>> f(1)\n    True \n    >>> f(2)\n    False\n")


def test_a_call_wrapped_over_lines_is_joined_with_a_space_after_each_comma() -> None:
    body = "    f([\n      [1, 2],\n      [3]\n    ]) == 3\n"
    assert rewritten(body) == prompt_with("    >>> f([[1, 2], [3]])\n    3\n")


def test_bare_word_arguments_become_strings() -> None:
    assert rewritten("    f(abc) => True\n    f(aa) => False\n") == prompt_with(
        '    >>> f("abc")\n    True\n    >>> f("aa")\n    False\n'
    )


def test_the_callee_is_kept_as_written() -> None:
    assert rewritten("    helper([1, 2]) ==> 3\n") == prompt_with("    >>> helper([1, 2])\n    3\n")


def test_a_run_with_a_formula_in_it_is_a_definition_and_stays() -> None:
    body = (
        "    The sequence is defined by:\n"
        "    f(1) = 3\n"
        "    f(n) = 1 + n / 2, if n is even.\n"
        "    For example:\n"
        "    f(2) = 1 + (2 / 2) = 2\n"
        "    f(3) = f(2) + f(1)\n"
        "    Examples:\n"
        "    f(3) = [1, 3, 2, 8]\n"
    )
    expected = body.replace("    f(3) = [1, 3, 2, 8]\n", "    >>> f(3)\n    [1, 3, 2, 8]\n")
    assert rewritten(body) == prompt_with(expected)


# --- the other notations --------------------------------------------------------------------

def test_for_name_equals_value_the_output_should_be() -> None:
    body = (
        '    For lst = [1,2,3] the output should be 6.\n'
        '    For lst = [],  the sum is nothing, the output should be "0".\n'
    )
    assert rewritten(body, "def total(lst):", "total") == prompt_with(
        '    >>> total([1,2,3])\n    6\n    >>> total([])\n    "0"\n', "def total(lst):"
    )


def test_for_with_two_parameters_and_the_result_should_be() -> None:
    body = '    For s = "abc", c = "b", the result should be (\'ac\',False)\n'
    signature = "def cut(s, c):"
    assert rewritten(body, signature, "cut") == prompt_with("    >>> cut(\"abc\", \"b\")\n    ('ac',False)\n", signature)


def test_for_needs_the_parameter_names() -> None:
    body = "    For n = 3 the output should be 6.\n"  # the parameter is x
    assert rewritten(body) == prompt_with(body)


@pytest.mark.parametrize(("inputs", "call"), [
    ("    Input: [4,2,3]\n", "f([4,2,3])"),
    ("    Input: x = [4, 2], k = 3\n", "f([4, 2], 3)"),
    ("    Input: \n        grid : [[0,1], [1,0]]\n        bucket : 2\n", "f([[0,1], [1,0]], 2)"),
])
def test_input_then_output(inputs: str, call: str) -> None:
    signature = "def f(x):" if "k =" not in inputs and "grid" not in inputs else "def f(x, k):"
    body = f"    Example 1:\n{inputs}        Output: [2, 1] # the smallest\n        Explanation: why.\n"
    result = rewrite_prompt(prompt_with(body, signature), "f")
    assert result.prompt == prompt_with(f"    Example 1:\n    >>> {call}\n    [2, 1]\n        Explanation: why.\n", signature)
    assert result.rules == (Rule.INPUT_OUTPUT,)


def test_input_without_output_stays() -> None:
    body = "    Input: [4,2,3]\n    Explanation: no output line.\n"
    assert rewritten(body) == prompt_with(body)


def test_assignment_worked_steps_and_return() -> None:
    body = (
        "    For example:\n"
        "      x = [2, 1, 3]\n"
        "            -> sort x -> [1, 2, 3]\n"
        "      return [\"One\", \"Two\", \"Three\"]\n"
        "      x = []\n"
        "      return = []\n"
    )
    result = rewrite_prompt(prompt_with(body), "f")
    assert result.prompt == prompt_with('    For example:\n    >>> f([2, 1, 3])\n    ["One", "Two", "Three"]\n    >>> f([])\n    []\n')
    assert result.rules == (Rule.ASSIGN_RETURN, Rule.ASSIGN_RETURN)


# --- doctests written the free way ---------------------------------------------------------

def test_a_doctest_with_its_output_on_the_same_line() -> None:
    body = "    >>> f([1, 0]) == [0, 1]\n    >>> f([]) []\n"
    result = rewrite_prompt(prompt_with(body), "f")
    assert result.prompt == prompt_with("    >>> f([1, 0])\n    [0, 1]\n    >>> f([])\n    []\n")
    assert result.rules == (Rule.INLINE_OUTPUT, Rule.INLINE_OUTPUT)


def test_a_comparison_doctest_with_an_output_line_prints_a_bool_and_stays() -> None:
    body = "    >>> f(1) == 2\n    True\n"
    assert rewritten(body) == prompt_with(body)


def test_a_doctest_without_output_returns_none() -> None:
    body = "    >>> f([])\n\n    >>> f([1])\n    1\n"
    assert rewritten(body) == prompt_with("    >>> f([])\n    None\n    >>> f([1])\n    1\n")


def test_a_doctest_output_wrapped_over_lines_is_joined() -> None:
    body = '    >>> f(2)\n    ["one",\n     "two"]\n'
    assert rewritten(body) == prompt_with('    >>> f(2)\n    ["one", "two"]\n')


# --- what must not change ------------------------------------------------------------------

DOCTEST_PROMPTS = [
    prompt_with("    >>> f(1)\n    2\n    >>> f([1, 2])\n    [2, 3]\n"),
    # the closing quotes on the last output's line, as MultiPL-E's Python prompts have them
    '\ndef f(x):\n    """Do something.\n>>> f(1)\n2\n>>> f(2)\n3"""\n',
    # beside real doctests, an example in prose stays prose (it is said again as a doctest)
    prompt_with("    f(1) returns 2 # twice one\n    >>> f(1)\n    2\n"),
    prompt_with("    >>> f(1) == 2\n    True\n", quotes="'''"),
]

PLAIN_PROMPTS = [
    prompt_with(""),
    prompt_with("    Return the sum of x and 1.\n    If x is None, return 0 = nothing.\n"),
    prompt_with("    brazilian(n) = n! * (n-1)! * ... * 1!\n    where n > 0\n"),
    prompt_with("    f(x) should return the doubled value.\n    Input: a list\n    Output: a number\n"),
    prompt_with("    For example, x = 3 gives 6.\n    n = 5\n    return the answer\n"),
    '\ndef f(x):\n    """One line: f(1) == 2"""\n',
    "\ndef f(x):\n    pass\n",
    "not python at all (\n",
]


@pytest.mark.parametrize("prompt", DOCTEST_PROMPTS + PLAIN_PROMPTS)
def test_prompts_without_free_form_examples_are_left_alone(prompt: str) -> None:
    result = rewrite_prompt(prompt, "f")
    assert result.prompt == prompt
    assert result.rules == ()


def test_rewriting_is_idempotent() -> None:
    body = "    Examples:\n        f(1) ➞ 2\n\n    Input: 3\n    Output: 4\n    >>> f(5) == 6\n"
    once = rewritten(body)
    assert once != prompt_with(body)
    assert rewrite_prompt(once, "f").prompt == once


def test_only_the_entry_functions_docstring_is_rewritten() -> None:
    helper = 'def g(x):\n    """Helper.\n    g(1) == 2\n    """\n    return x + 1\n\n'
    prompt = helper + prompt_with("    f(1) == 2\n").lstrip("\n")
    assert rewrite_prompt(prompt, "f").prompt == helper + prompt_with("    >>> f(1)\n    2\n").lstrip("\n")


def test_a_docstring_after_imports_in_the_body_is_rewritten() -> None:
    prompt = '\ndef f(x):\n    import math\n    """Do something.\n    f(1) == 2\n    """\n'
    assert rewrite_prompt(prompt, "f").prompt == '\ndef f(x):\n    import math\n    """Do something.\n    >>> f(1)\n    2\n    """\n'


def test_only_python_problems_are_rewritten() -> None:
    problem = Problem(benchmark="mine", language="js", name="Mine_1_f", prompt=prompt_with("    f(1) == 2\n"),
                      tests="", entry_point="f", stop_tokens=(), source="test")
    assert rewrite_problem(problem) is problem


# --- the hook in the translator -------------------------------------------------------------

def test_the_translator_rewrites_first_and_says_so_in_its_source() -> None:
    problem = Problem(
        benchmark="mine", language="py", name="Mine_1_add_one", entry_point="add_one", stop_tokens=(), source="test",
        prompt='def add_one(x):\n    """Add one to x.\n    Examples:\n        add_one(1) ==> 2\n    """\n',
        tests="def check(candidate):\n    assert candidate(1) == 2\n    assert candidate(5) == 6\n",
    )
    on = translate_problems([problem], "js").problems[0]
    off = translate_problems([problem], "js", freeform_examples=False).problems[0]
    assert "// >>> add_one(1)\n// 2\n" in on.prompt
    assert "// add_one(1) ==> 2\n" in off.prompt
    assert on.source.endswith(TAG)
    assert TAG not in off.source
