"""The four ways our language families used to reword docstrings and rewrite their doctests.

Kept only so that moving every language onto the generic translator changes no output; the
next change replaces them by MultiPL-E's one transform in ``generic.py``. A translator
picks one with its ``doctest_style``: ``typed`` (C++, D, Go, Rust, Swift), ``class`` (Java,
C#, Scala), ``script`` (JavaScript, TypeScript, Lua, PHP, Ruby) or ``raw`` (Perl, R, Julia,
Racket, Bash).
"""

from __future__ import annotations

import ast
import re
from typing import TYPE_CHECKING, Any

from benchmarks.translate.ir import Call, DocExample, FunctionIR, TAny, Type, Untranslatable
from benchmarks.translate.terms import reword

if TYPE_CHECKING:
    from benchmarks.translate.generic import Translator


def describe(translator: Translator, function: FunctionIR) -> str:
    style = getattr(translator, "doctest_style", "typed")
    return {"typed": _typed, "class": _class, "script": _script, "raw": _raw}[style](translator, function)


def _render(translator: Translator, function: FunctionIR, call: Call) -> tuple[str, str]:
    return (translator.render_call(function, call, translator.name(function)),
            translator.expected(call.expected, function.returns))


# --- typed: examples from the IR, matched by their first line ------------------------------

def _typed(translator: Translator, function: FunctionIR) -> str:
    language = translator.language
    doctests: dict[str, DocExample] = {}
    for example in function.examples:
        if example.text.startswith(">>>"):
            doctests.setdefault(example.text.splitlines()[0].strip(), example)
    lines = function.description.splitlines()
    out: list[str] = []
    prose: list[str] = []
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if not stripped.startswith(">>>"):
            prose.append(lines[i])
            i += 1
            continue
        if prose:
            out.append(reword("\n".join(prose), language))
            prose = []
        example = doctests.get(stripped)
        rendered = None
        if example is not None:
            try:
                rendered = _render(translator, function, example.call)
            except Untranslatable:
                rendered = None
        if example is not None:
            result_lines = max(len(example.text.splitlines()) - 1, 1)
        else:
            following = lines[i + 1].strip() if i + 1 < len(lines) else ">>>"
            result_lines = 0 if following.startswith(">>>") else 1
        if rendered is None:
            out.extend(lines[i:i + 1 + result_lines])
        else:
            indent = lines[i][: len(lines[i]) - len(lines[i].lstrip())]
            out.append(f"{indent}>>> {rendered[0]}\n{indent}{rendered[1]}")
        i += 1 + result_lines
    if prose:
        out.append(reword("\n".join(prose), language))
    return "\n".join(out)


# --- class: examples from the IR, matched by their call text ------------------------------

_DOCTEST = re.compile(r">>>.*\n.*\n")


def _doctest_key(line: str) -> str:
    return line.strip().lstrip(">").strip()


def _class(translator: Translator, function: FunctionIR) -> str:
    description = function.description if function.description.endswith("\n") else function.description + "\n"
    out, last = [], 0
    for match in _DOCTEST.finditer(description):
        out.append(reword(description[last:match.start()], translator.language))
        out.append(match.group(0))
        last = match.end()
    out.append(reword(description[last:], translator.language))
    text = "".join(out)
    by_call = {_doctest_key(ex.text.strip().splitlines()[0]): ex for ex in function.examples if ex.text.strip()}
    out, last = [], 0
    for match in _DOCTEST.finditer(text):
        out.append(text[last:match.start()])
        last = match.end()
        example = by_call.get(_doctest_key(match.group(0).split("\n")[0]))
        if example is None:
            out.append(match.group(0))
            continue
        call, result = _render(translator, function, example.call)
        out.append(">>> " + call + "\n    " + result + "\n")
    out.append(text[last:])
    return "".join(out)


# --- script: the docstring re-parsed, values spelled by their Python shape ----------------

_DOCTEST_OPTIONAL_OUTPUT = re.compile(r">>>.*\n(?:.*\n)?")


def _expr(translator: Translator, function: FunctionIR, node: ast.expr) -> str:
    if isinstance(node, ast.Constant):
        return translator.value(node.value, TAny())
    if (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant) and isinstance(node.operand.value, (int, float))):
        return translator.value(-node.operand.value, TAny())
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.List):
        return translator.list_([_expr(translator, function, e) for e in node.elts])  # type: ignore[attr-defined]
    if isinstance(node, ast.Tuple):
        return translator.tuple_([_expr(translator, function, e) for e in node.elts])  # type: ignore[attr-defined]
    if isinstance(node, ast.Dict) and all(k is not None for k in node.keys):
        return translator.dict_([(_expr(translator, function, k), _expr(translator, function, v))  # type: ignore[attr-defined, arg-type]
                                 for k, v in zip(node.keys, node.values, strict=True)])
    if isinstance(node, ast.Call) and not node.keywords:
        return translator.call(_expr(translator, function, node.func),
                               [_expr(translator, function, a) for a in node.args], function)
    raise ValueError(f"no translation for {ast.unparse(node)}")


def script_doctest(translator: Translator, function: FunctionIR, text: str) -> str | None:
    """One doctest in the language, or None to keep it (``>>> call == expected`` read as call and output)."""
    call_line, output_line = [*text.split("\n"), ""][:2]
    try:
        call = ast.parse(call_line.strip().strip(">").strip(), mode="eval").body
        if (isinstance(call, ast.Compare) and len(call.ops) == 1 and isinstance(call.ops[0], ast.Eq)
                and isinstance(call.left, ast.Call)):
            rest = output_line + "\n" if output_line else ""
            later = script_doctest(translator, function, rest) if rest.lstrip().startswith(">>>") else None
            return (">>> " + _expr(translator, function, call.left) + "\n    "
                    + _expr(translator, function, call.comparators[0]) + "\n"
                    + (later if later is not None else rest))
        if text.count("\n") < 2:
            return None
        output_text = output_line.strip()
        output = ast.parse(output_text, mode="eval").body if output_text else ast.Constant(None)
        return ">>> " + _expr(translator, function, call) + "\n    " + _expr(translator, function, output) + "\n"
    except (SyntaxError, ValueError, Untranslatable):
        return None


def _script(translator: Translator, function: FunctionIR) -> str:
    text = function.description.strip("\n") + "\n"
    out: list[str] = []
    pos = 0
    for match in _DOCTEST_OPTIONAL_OUTPUT.finditer(text):
        out.append(reword(text[pos:match.start()], translator.language))
        translated = script_doctest(translator, function, match.group(0))
        out.append(translated if translated is not None else match.group(0))
        pos = match.end()
    out.append(reword(text[pos:], translator.language))
    return "".join(out)


# --- raw: the docstring's HumanEval layout rebuilt, doctests re-parsed ---------------------

def raw_docstring(description: str) -> str:
    """The docstring laid out as in a HumanEval prompt (body indented 4, closing quotes indented)."""
    lines = description.split("\n")
    body = [lines[0]] + [("    " + line) if line.strip() else "" for line in lines[1:]]
    return "\n".join(body) + "\n    "


def _literal(node: ast.expr) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant) and isinstance(node.operand.value, (int, float))):
        return -node.operand.value
    if isinstance(node, ast.List):
        return [_literal(e) for e in node.elts]
    if isinstance(node, ast.Tuple):
        return tuple(_literal(e) for e in node.elts)
    if isinstance(node, ast.Dict):
        if any(k is None for k in node.keys):
            raise Untranslatable("doctest value with ** unpacking")
        return {_literal(k): _literal(v) for k, v in zip(node.keys, node.values, strict=True)}  # type: ignore[arg-type]
    raise Untranslatable(f"doctest value is not a literal: {ast.unparse(node)[:60]}")


def _parse_doctest(text: str) -> tuple[str, tuple[Any, ...], Any]:
    lines = text.split("\n")
    try:
        call = ast.parse(lines[0].strip("> ")).body[0]
        result = ast.parse(lines[1].strip()).body[0]
    except (SyntaxError, IndexError):
        raise Untranslatable(f"doctest is not a call and a value: {lines[0][:60]!r}") from None
    if not (isinstance(call, ast.Expr) and isinstance(call.value, ast.Call)
            and isinstance(call.value.func, ast.Name) and not call.value.keywords):
        raise Untranslatable(f"doctest is not a plain call: {lines[0][:60]!r}")
    if not isinstance(result, ast.Expr):
        raise Untranslatable(f"doctest result is not a value: {lines[1][:60]!r}")
    args = tuple(_literal(a) for a in call.value.args)
    return call.value.func.id, args, _literal(result.value)


def _raw(translator: Translator, function: FunctionIR) -> str:
    text = raw_docstring(function.description)
    out: list[str] = []
    pos = 0
    for match in _DOCTEST.finditer(text):
        out.append(reword(text[pos:match.start()], translator.language))
        try:
            name, args, result = _parse_doctest(match.group(0))
            own = name == function.entry_point and len(args) == len(function.params)
            types: tuple[Type | None, ...] = tuple(p.type for p in function.params) if own else (None,) * len(args)
            call_text = translator.call(name, [translator.argument(a, t) for a, t in zip(args, types, strict=True)],  # type: ignore[arg-type]
                                        function)
            result_text = translator.doctest_result(  # type: ignore[attr-defined]
                result, function.returns if name == function.entry_point else None)
            out.append(">>> " + call_text + "\n    " + result_text + "\n")
        except Untranslatable:
            out.append(match.group(0))
        pos = match.end()
    out.append(reword(text[pos:], translator.language))
    return "".join(out)
