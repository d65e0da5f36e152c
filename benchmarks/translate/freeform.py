"""Free-form examples in a HumanEval-style docstring, rewritten as ``>>>`` doctests.

MultiPL-E's builder translates doctests only, so MultiPL-E translates its own cleaned copy of
HumanEval, in which examples written as prose (``f(x) == y``, ``f(x) ➞ y``, ``Input: …
Output: …``, "For lst = … the output should be …") were rewritten as doctests by hand. This
module holds the general rules behind those edits, so that any HumanEval-style prompt gets
the same treatment: patterns of example notation, never a table of problems. What no rule
recognises stays exactly as written, and a docstring already in doctest form is left alone
(the cleaned copy is a fixed point).

The layout is the cleaned copy's: ``>>> call`` at the docstring's indentation and the output
on the next line at the same indentation; calls and values as written (``[2,3]``, ``6.00``),
except ``true``/``false``, which become ``True``/``False``, and bare-word arguments, which
become strings. Pure functions of the prompt text.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from enum import Enum
from itertools import pairwise

from benchmarks.problem import Problem

#: Bump when a rule changes what a prompt becomes; it is part of the translator's source tag.
VERSION = "1"
TAG = f"freeform-doctests v{VERSION}"


class Rule(str, Enum):
    """The kinds of free-form example the rewrite knows, each one a notation, not a problem."""

    ARROW = "arrow"  # f(x) ➞ y, f(x) == y, f(x) => y, f(x) returns y, f(x) # => y, ...
    FOR_OUTPUT = "for-output"  # For x = v[, …] the output/result should be y
    INPUT_OUTPUT = "input-output"  # Input: x (or a = v, b = w, or one "name : value" a line) / Output: y
    ASSIGN_RETURN = "assign-return"  # x = v / -> worked steps / return y
    INLINE_OUTPUT = "inline-output"  # >>> f(x) == y, >>> f(x) y
    EMPTY_OUTPUT = "empty-output"  # >>> f(x) with nothing after it: None
    WRAPPED_OUTPUT = "wrapped-output"  # >>> f(x) whose output spans lines: joined


@dataclass(frozen=True)
class Rewritten:
    prompt: str
    rules: tuple[Rule, ...] = ()  # one entry per example rewritten, in docstring order


# --- scanning ------------------------------------------------------------------------------

_OPENING, _CLOSING = "([{", ")]}"


def _depths(text: str, start: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, bracket depth after it) of each character of `text` from `start`
    that is outside string literals."""
    depth = 0
    quote = ""
    escaped = False
    for i in range(start, len(text)):
        char = text[i]
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
            continue
        if char in "'\"":
            quote = char
            continue
        depth += (char in _OPENING) - (char in _CLOSING)
        yield i, char, depth


def _closing(text: str, start: int) -> int | None:
    """Index of the bracket that closes the one at `start`, or None."""
    return next((i for i, char, depth in _depths(text, start) if depth == 0 and char in _CLOSING), None)


def _unclosed(text: str) -> bool:
    """`text` leaves a bracket open (an expression that goes on on the next line)."""
    return sum((c in _OPENING) - (c in _CLOSING) for _, c, _ in _depths(text)) > 0


def _join(text: str, more: str) -> str:
    """A wrapped expression put on one line, as the cleaned copy does: a space after a comma."""
    return text + (" " if text.endswith(",") else "") + more


def _is_literal(text: str) -> bool:
    """`text` is one Python literal and nothing else (no comment either)."""
    text = text.strip()
    try:
        ast.literal_eval(text)
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError, tokenize.TokenError):
        return False
    return bool(text) and not any(t.type == tokenize.COMMENT for t in tokens)


_BOOLEAN = re.compile(r"(true|false)\b")


def _capitalised(text: str) -> str:
    """``true``/``false`` written as a whole value (JavaScript-style prose) as Python's."""
    match = _BOOLEAN.match(text)
    return text if match is None else text[0].upper() + text[1:]


def _leading_literal(text: str, accept: Callable[[str], bool]) -> tuple[str, str] | None:
    """The shortest literal at the start of `text` whose remainder `accept` takes, as written,
    and that remainder."""
    for end in range(1, len(text) + 1):
        rest = text[end:]
        if accept(rest) and _is_literal(text[:end]):
            return text[:end].rstrip(), rest
    return None


def _remark(rest: str) -> bool:
    """What may follow a stated value: nothing, a full stop, a comment, a remark in parentheses."""
    rest = rest.strip()
    return not rest or rest == "." or rest[0] in "#("


def _next_item(rest: str) -> bool:
    return not rest or rest[0] in ", \t"


def _arithmetic(text: str) -> bool:
    """Arithmetic on number literals (``19 - 5 - 6``, ``1 + (2 / 2)``)."""
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        return False
    if not isinstance(node, (ast.BinOp, ast.UnaryOp)):
        return False
    return all(
        isinstance(n, (ast.BinOp, ast.UnaryOp, ast.operator, ast.unaryop))
        or (isinstance(n, ast.Constant) and isinstance(n.value, (int, float)) and not isinstance(n.value, bool))
        for n in ast.walk(node)
    )


def _value(text: str) -> str | None:
    """The expected value a free-form example states, as written, or None.

    What may follow it: nothing, a full stop, a comment (``# sum of 21 + 3``) or a remark in
    parentheses. A worked derivation (``19 - 5 - 6 = 8``) states its last value.
    """
    text = _capitalised(text.strip())
    if text.endswith(".") and _is_literal(text[:-1]):
        return text[:-1].rstrip()
    found = _leading_literal(text, _remark)
    if found is not None:
        return found[0]
    if "=" in text:
        worked, _, last = text.rpartition("=")
        if _arithmetic(worked):
            return _value(last)
    return None


# --- calls ---------------------------------------------------------------------------------

#: A line that starts with a call, after an optional bullet or a leading "for" / "assert".
_CALL_LINE = re.compile(r"(?:[*•-]\s*|for\s+|assert\s+)?(?P<name>[A-Za-z_]\w*)\(")
#: What separates a call from its result in prose, with an optional "#" before it.
_SEPARATOR = re.compile(r"\s*(?:#\s*)?(?:==>|=>|==|->|➞|→|=|should return|returns|return)(?![=>])\s*")
#: The most lines a wrapped call or output may span.
_MAX_WRAP = 12


def _call(text: str, bare_words: bool) -> str | None:
    """The call `text` as the doctest writes it: itself when its arguments are literals;
    with `bare_words`, bare-word arguments (``is_happy(abcd)``) become strings; else None."""
    try:
        node = ast.parse(text, mode="eval").body
    except SyntaxError:
        return None
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords):
        return None
    try:
        for arg in node.args:
            ast.literal_eval(arg)
        return text
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        pass
    if bare_words and node.args and all(isinstance(a, ast.Name) for a in node.args):
        words = [f'"{a.id}"' for a in node.args]  # type: ignore[attr-defined]
        return f"{node.func.id}({', '.join(words)})"
    return None


def _leading_call(text: str) -> tuple[str, str] | None:
    """A call of literals at the start of `text` (as written), and what follows it."""
    match = re.match(r"[A-Za-z_]\w*\(", text)
    close = _closing(text, match.end() - 1) if match else None
    if close is None:
        return None
    call = _call(text[: close + 1], bare_words=False)
    return None if call is None else (call, text[close + 1:])


@dataclass(frozen=True)
class _Example:
    call: str
    value: str
    last: int  # index of the example's last line


def _wrapped(lines: list[str], i: int, text: str) -> tuple[str, int] | None:
    """`text` (from line `i`) with the following lines joined until its brackets close."""
    j = i
    while _unclosed(text):
        j += 1
        if j >= len(lines) or j - i > _MAX_WRAP or not lines[j].strip():
            return None
        text = _join(text, lines[j].strip())
    return text, j


def _prose_example(lines: list[str], i: int) -> _Example | None:
    """``f(x) SEP y`` starting at line `i` (the call may wrap onto the next lines)."""
    stripped = lines[i].strip()
    match = _CALL_LINE.match(stripped)
    if match is None:
        return None
    text = stripped[match.start("name"):]
    close = _closing(text, len(match.group("name")))
    j = i
    while close is None:
        j += 1
        if j >= len(lines) or j - i > _MAX_WRAP or not lines[j].strip():
            return None
        text = _join(text, lines[j].strip())
        close = _closing(text, len(match.group("name")))
    call = _call(text[: close + 1], bare_words=True)
    separator = _SEPARATOR.match(text, close + 1)
    if call is None or separator is None:
        return None
    value = _value(text[separator.end():])
    return None if value is None else _Example(call, value, j)


# --- the rules -----------------------------------------------------------------------------

_NAME = r"[A-Za-z_]\w*"
_ASSIGNMENT = re.compile(rf"({_NAME})\s*=\s*")
_INPUT = re.compile(r"[Ii]nput\s*:\s*(.*)$")
_OUTPUT = re.compile(r"[Oo]utput\s*:\s*(.*)$")
_NAMED_INPUT = re.compile(rf"({_NAME})\s*[:=]\s*(.+)$")
_FOR = re.compile(r"[Ff]or\s+(.*)$")
_SHOULD_BE = re.compile(r"\bthe (?:output|result) should be\s+(.*)$")
_RETURN = re.compile(r"return\s*=?\s*(.*)$")


def _assignments(text: str) -> tuple[list[tuple[str, str]], str]:
    """Leading ``name = value`` pairs separated by commas (``arr = [1, 2], k = 3``), and the rest."""
    pairs: list[tuple[str, str]] = []
    rest = text
    while (match := _ASSIGNMENT.match(rest)) is not None:
        found = _leading_literal(rest[match.end():], _next_item)
        if found is None:
            break
        value, rest = found
        pairs.append((match.group(1), value))
        rest = rest.lstrip()
        if not rest.startswith(","):
            break
        rest = rest[1:].lstrip()
    return pairs, rest


def _top_level_parts(text: str) -> list[str]:
    """`text` split at its commas outside brackets and strings."""
    cuts = [i for i, char, depth in _depths(text) if char == "," and depth == 0]
    bounds = [-1, *cuts, len(text)]
    return [text[x + 1:y].strip() for x, y in pairwise(bounds)]


def _input_arguments(text: str) -> list[str] | None:
    """The arguments an ``Input:`` line gives: ``a = v, b = w`` or the bare values."""
    pairs, rest = _assignments(text.strip())
    if pairs:
        return [v for _, v in pairs] if not rest.strip() else None
    parts = _top_level_parts(text.strip())
    return parts if all(_is_literal(p) for p in parts) else None


class _Docstring:
    """The lines of one docstring, rewritten rule by rule into a new list of lines."""

    def __init__(self, lines: list[str], indent: str, entry_point: str, params: list[str], closing: str):
        self.lines = lines
        self.closing = closing  # what stands before the closing quotes on their line (``True``)
        self.indent = indent
        self.entry_point = entry_point
        self.params = params
        self.out: list[str] = []
        self.rules: list[Rule] = []
        self.has_doctests = any(line.lstrip().startswith(">>>") for line in lines)

    def emit(self, call: str, value: str, rule: Rule, *, indent: str | None = None,
             call_line: int | None = None, value_line: int | None = None) -> None:
        """The doctest; each of its two lines keeps the trailing space of the line it came from."""
        prefix = self.indent if indent is None else indent
        self.out += [f"{prefix}>>> {call}{self.tail(call_line)}", f"{prefix}{value}{self.tail(value_line)}"]
        self.rules.append(rule)

    def tail(self, index: int | None) -> str:
        if index is None:
            return ""
        line = self.lines[index]
        return line[len(line.rstrip()):]

    def rewrite(self) -> list[str]:
        i = 0
        while i < len(self.lines):
            stripped = self.lines[i].strip()
            if stripped.startswith(">>>"):
                i = self.doctest(i)
            elif self.has_doctests:
                # A docstring that writes its examples as doctests: its other lines are prose.
                self.out.append(self.lines[i])
                i += 1
            else:
                for rule in (self.arrow_run, self.for_output, self.input_output, self.assign_return):
                    after = rule(i)
                    if after is not None:
                        i = after
                        break
                else:
                    self.out.append(self.lines[i])
                    i += 1
        return self.out

    # --- existing doctests -----------------------------------------------------------------

    def doctest(self, i: int) -> int:
        """A ``>>>`` line: its output inline (``>>> f(x) == y``), missing (None), or wrapped."""
        line = self.lines[i]
        indent = line[: len(line) - len(line.lstrip())]
        last = i + 1 == len(self.lines)
        following = self.closing if last else self.lines[i + 1]
        split = _leading_call(line.strip()[3:].strip())
        if split is None:
            self.out.append(line)
            return i + 1
        call, rest = split
        if rest.strip():
            # With an output line after it, `>>> f(x) == y` is a doctest that prints a bool.
            alone = not following.strip() or following.lstrip().startswith(">>>")
            separator = _SEPARATOR.match(rest)
            value = _value(rest[separator.end():] if separator else rest)
            if alone and value is not None:
                self.emit(call, value, Rule.INLINE_OUTPUT, indent=indent, value_line=i)
            else:
                self.out.append(line)
            return i + 1
        if not following.strip():
            # Python's doctest prints nothing for None; MultiPL-E reads the next line as the output.
            self.emit(call, "None", Rule.EMPTY_OUTPUT, indent=indent)
            return i + 1 if last else i + 2
        joined = _wrapped(self.lines, i + 1, following.rstrip()) if not last and _unclosed(following) else None
        if joined is None:
            self.out.append(line)
            return i + 1
        self.out += [line, joined[0]]
        self.rules.append(Rule.WRAPPED_OUTPUT)
        return joined[1] + 1

    # --- prose -----------------------------------------------------------------------------

    def arrow_run(self, i: int) -> int | None:
        """A run of consecutive lines that start with a call. Converted only if every one is
        an example (a call of literals, a separator, a literal): a run with a formula in it
        (``tri(n) = 1 + n / 2``) defines rather than exemplifies, and stays as written."""
        if _CALL_LINE.match(self.lines[i].strip()) is None:
            return None
        examples: list[_Example] = []
        j = i
        whole = True
        while j < len(self.lines) and _CALL_LINE.match(self.lines[j].strip()):
            example = _prose_example(self.lines, j)
            if example is None:
                whole = False
                j += 1
            else:
                examples.append(example)
                j = example.last + 1
        if whole:
            for example in examples:
                self.emit(example.call, example.value, Rule.ARROW, value_line=example.last)
        else:
            self.out.extend(self.lines[i:j])
        return j

    def for_output(self, i: int) -> int | None:
        """``For lst = [1,2,3] the output should be 6`` (the names are the parameters)."""
        match = _FOR.match(self.lines[i].strip())
        if match is None:
            return None
        pairs, rest = _assignments(match.group(1))
        should = _SHOULD_BE.search(rest)
        if not pairs or [n for n, _ in pairs] != self.params or should is None:
            return None
        value = _value(should.group(1))
        if value is None:
            return None
        self.emit(f"{self.entry_point}({', '.join(v for _, v in pairs)})", value, Rule.FOR_OUTPUT, value_line=i)
        return i + 1

    def input_output(self, i: int) -> int | None:
        """``Input: <arguments>`` (or ``Input:`` then one ``name : value`` a line), the next
        line ``Output: <value>``."""
        match = _INPUT.match(self.lines[i].strip())
        if match is None:
            return None
        j = i + 1
        if match.group(1).strip():
            args = _input_arguments(match.group(1))
        else:
            args = []
            while j < len(self.lines) and (named := _NAMED_INPUT.match(self.lines[j].strip())):
                if _OUTPUT.match(self.lines[j].strip()) or not _is_literal(named.group(2)):
                    break
                args.append(named.group(2).strip())
                j += 1
        if not args or len(args) != len(self.params) or j >= len(self.lines):
            return None
        output = _OUTPUT.match(self.lines[j].strip())
        value = _value(output.group(1)) if output else None
        if value is None:
            return None
        self.emit(f"{self.entry_point}({', '.join(args)})", value, Rule.INPUT_OUTPUT,
                  call_line=i if j == i + 1 else None, value_line=j)
        return j + 1

    def assign_return(self, i: int) -> int | None:
        """``arr = [2, 1]`` (every parameter, by name), optional worked steps that start with
        ``->``, then ``return <value>``."""
        pairs, rest = _assignments(self.lines[i].strip())
        if not pairs or rest.strip() or [n for n, _ in pairs] != self.params:
            return None
        j = i + 1
        while j < len(self.lines) and self.lines[j].strip().startswith("->"):
            j += 1
        returned = _RETURN.match(self.lines[j].strip()) if j < len(self.lines) else None
        value = _value(returned.group(1)) if returned else None
        if value is None:
            return None
        self.emit(f"{self.entry_point}({', '.join(v for _, v in pairs)})", value, Rule.ASSIGN_RETURN,
                  call_line=i, value_line=j)
        return j + 1


# --- the entry points ----------------------------------------------------------------------

def _entry_function(prompt: str, entry_point: str) -> ast.FunctionDef | None:
    for text in (prompt, prompt + "\n    pass\n"):
        try:
            module = ast.parse(text)
        except SyntaxError:
            continue
        found = [n for n in module.body if isinstance(n, ast.FunctionDef) and n.name == entry_point]
        return found[-1] if found else None
    return None


def _docstring_node(function: ast.FunctionDef) -> ast.Expr | None:
    """The docstring, also where imports come before it (``import math`` first, HumanEval 115)."""
    for stmt in function.body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            continue
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
            return stmt
        return None
    return None


def rewrite_prompt(prompt: str, entry_point: str) -> Rewritten:
    """`prompt` with the free-form examples of `entry_point`'s docstring as doctests."""
    function = _entry_function(prompt, entry_point)
    if function is None or not function.body:
        return Rewritten(prompt)
    first = _docstring_node(function)
    if first is None:
        return Rewritten(prompt)
    lines = prompt.split("\n")
    start, end = first.lineno - 1, (first.end_lineno or first.lineno) - 1
    if end - start < 2:
        return Rewritten(prompt)
    opening = lines[start]
    indent = opening[: len(opening) - len(opening.lstrip())]
    params = [a.arg for a in function.args.args]
    closing = lines[end][: max(lines[end].rfind('"""'), lines[end].rfind("'''"), 0)]
    docstring = _Docstring(lines[start + 1:end], indent, entry_point, params, closing)
    body = docstring.rewrite()
    if not docstring.rules:
        return Rewritten(prompt)
    rewritten = "\n".join([*lines[: start + 1], *body, *lines[end:]])
    if _entry_function(rewritten, entry_point) is None:  # never hand on a prompt we broke
        return Rewritten(prompt)
    return Rewritten(rewritten, tuple(docstring.rules))


def rewrite_problem(problem: Problem) -> Problem:
    """`problem` with its prompt rewritten (Python problems only; others as they are)."""
    if problem.language != "py":
        return problem
    rewritten = rewrite_prompt(problem.prompt, problem.entry_point)
    return problem if rewritten.prompt == problem.prompt else replace(problem, prompt=rewritten.prompt)
