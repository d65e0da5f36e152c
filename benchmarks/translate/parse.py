"""Parse a HumanEval-style Python problem into the language-neutral ``FunctionIR``.

Works on any problem whose prompt holds one function signature with a docstring and whose
tests are ``def check(candidate): assert candidate(...) == ...`` style, not only HumanEval.
Types come from the Python hints, refined from the test values where hints are missing or
bare (``list``, ``dict``). Tests that are not simple calls (loops, random values, helper
calls, variables) are dropped one by one with the reason kept in ``FunctionIR.notes``; a
problem with no test left raises ``Untranslatable``.
"""

from __future__ import annotations

import ast
import inspect
import operator
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from benchmarks.problem import Problem
from benchmarks.translate.ir import (
    Call,
    DocExample,
    Doctest,
    FunctionIR,
    LiteralDict,
    Param,
    TAny,
    TBool,
    TDict,
    TFloat,
    TInt,
    TList,
    TNone,
    TOptional,
    TStr,
    TTuple,
    TUnion,
    Type,
    Untranslatable,
    fits,
)

# --- values -------------------------------------------------------------------------------

_BINOPS: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
    ast.Pow: operator.pow,
}


class NotAValue(Exception):
    """An expression that is not a constant Python value (a variable, a call, ...)."""


def evaluate(node: ast.expr) -> Any:
    """The value of a constant expression: literals, plus arithmetic on literals (``2.0/3.0``).

    Sets are refused: no target language has them in MultiPL-E's type system.
    """
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        pass
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        left, right = evaluate(node.left), evaluate(node.right)
        if isinstance(right, int) and isinstance(node.op, ast.Pow) and abs(right) > 64:
            raise NotAValue("exponent too large")
        try:
            return _BINOPS[type(node.op)](left, right)
        except Exception as exc:
            raise NotAValue(f"cannot evaluate {ast.unparse(node)}: {exc}") from None
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        value = evaluate(node.operand)
        if isinstance(value, (int, float)):
            return -value if isinstance(node.op, ast.USub) else +value
    if isinstance(node, (ast.List, ast.Tuple)):
        items = [evaluate(e) for e in node.elts]
        return items if isinstance(node, ast.List) else tuple(items)
    if isinstance(node, ast.Dict) and None not in node.keys:
        return {evaluate(k): evaluate(v) for k, v in zip(node.keys, node.values, strict=False)}  # type: ignore[arg-type]
    raise NotAValue(f"not a constant value: {_short(ast.unparse(node))}")


def _check_value(value: Any) -> None:
    """Refuse values no target type can hold (sets, bytes, complex, ...)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return
    if isinstance(value, (list, tuple)):
        for item in value:
            _check_value(item)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            _check_value(key)
            _check_value(item)
        return
    raise NotAValue(f"value of Python type {type(value).__name__} has no equivalent")


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


# --- types from values --------------------------------------------------------------------

_KIND_ORDER = (TBool, TInt, TFloat, TStr, TList, TTuple, TDict)


@dataclass(frozen=True)
class _Empty:
    """The element type of an empty container while inferring: fits anything, says nothing.

    Never leaves this module: ``refine`` turns what is left of it into ``TAny``.
    """


def type_of(value: Any) -> Type:
    """The type of one Python value (element types merged across the container)."""
    if value is None:
        return TNone()
    if isinstance(value, bool):
        return TBool()
    if isinstance(value, int):
        return TInt()
    if isinstance(value, float):
        return TFloat()
    if isinstance(value, str):
        return TStr()
    if isinstance(value, list):
        return TList(merge(type_of(v) for v in value))  # [] gives TList(_Empty)
    if isinstance(value, tuple):
        return TTuple(tuple(type_of(v) for v in value))
    if isinstance(value, dict):
        return TDict(merge(type_of(k) for k in value), merge(type_of(v) for v in value.values()))
    return TAny()


def merge(types: Iterable[Type]) -> Type:
    """The narrowest type that holds all `types`: ints with floats give float, values with
    None give Optional, different kinds give a Union; nothing known gives TAny."""
    pending = [t for t in types if not isinstance(t, _Empty)]
    optional = any(isinstance(t, TNone) for t in pending)
    flat: list[Type] = []
    for t in pending:
        if isinstance(t, TOptional):
            optional = True
            t = t.inner
        if isinstance(t, TUnion):
            flat.extend(t.options)
        elif not isinstance(t, TNone):
            flat.append(t)
    if any(isinstance(t, TAny) for t in flat):
        return TAny()
    result = _merge_kinds(flat)
    if result is None:
        return TNone() if optional else _Empty()  # type: ignore[return-value]
    return TOptional(result) if optional else result


def _merge_kinds(flat: list[Type]) -> Type | None:
    if not flat:
        return None
    kinds = {type(t) for t in flat}
    if kinds <= {TInt, TFloat}:
        return TFloat() if TFloat in kinds else TInt()
    if len(kinds) == 1:
        kind = kinds.pop()
        if kind is TList:
            return TList(merge(t.elem for t in flat))  # type: ignore[union-attr]
        if kind is TDict:
            return TDict(merge(t.key for t in flat), merge(t.value for t in flat))  # type: ignore[union-attr]
        if kind is TTuple:
            lengths = {len(t.elems) for t in flat}  # type: ignore[union-attr]
            if len(lengths) == 1:
                return TTuple(tuple(merge(col) for col in zip(*(t.elems for t in flat), strict=False)))  # type: ignore[union-attr]
            # Tuples of varying length hold a sequence (HumanEval 148's planets): Tuple[T, ...].
            return TList(merge(e for t in flat for e in t.elems), variadic=True)  # type: ignore[union-attr]
        return flat[0]
    options = []
    for kind in _KIND_ORDER:
        same = [t for t in flat if type(t) is kind]
        if same:
            options.append(_merge_kinds(same))
    return TUnion(tuple(o for o in options if o is not None))


def _settle(t: Type) -> Type:
    """Replace what inference left unknown (empty containers only) by TAny."""
    if isinstance(t, _Empty):
        return TAny()
    if isinstance(t, TList):
        return TList(_settle(t.elem), t.variadic)
    if isinstance(t, TDict):
        return TDict(_settle(t.key), _settle(t.value))
    if isinstance(t, TTuple):
        return TTuple(tuple(_settle(e) for e in t.elems))
    if isinstance(t, TOptional):
        return TOptional(_settle(t.inner))
    if isinstance(t, TUnion):
        return TUnion(tuple(_settle(o) for o in t.options))
    return t


def refine(hint: Type, observed: Type) -> Type:
    """Fill the holes of a hint (``list``, ``dict``, missing) with what the values show."""
    if isinstance(hint, _Empty):
        return observed
    if isinstance(hint, TList) and isinstance(observed, TList):
        return TList(refine(hint.elem, observed.elem), hint.variadic)
    if isinstance(hint, TDict) and isinstance(observed, TDict):
        return TDict(refine(hint.key, observed.key), refine(hint.value, observed.value))
    if isinstance(hint, TTuple) and isinstance(observed, TTuple) and len(hint.elems) == len(observed.elems):
        return TTuple(tuple(refine(h, o) for h, o in zip(hint.elems, observed.elems, strict=False)))
    if isinstance(hint, TOptional):
        inner = observed.inner if isinstance(observed, TOptional) else observed
        return TOptional(refine(hint.inner, inner))
    return hint


def _mixed(t: Type) -> bool:
    """Whether inference had to give up (TAny) or unite different kinds somewhere in `t`."""
    if isinstance(t, (TAny, TUnion)):
        return True
    if isinstance(t, TList):
        return _mixed(t.elem)
    if isinstance(t, TDict):
        return _mixed(t.key) or _mixed(t.value)
    if isinstance(t, TTuple):
        return any(_mixed(e) for e in t.elems)
    if isinstance(t, TOptional):
        return _mixed(t.inner)
    return False


#: Share of the tests whose values must agree before the others count as outliers.
MAJORITY = 0.75


def infer(hint: Type, values: Sequence[Any], drop_outliers: bool = True) -> tuple[Type, set[int]]:
    """The type of a parameter (or return) from its hint and the test values, and the
    indexes of outlier tests to drop: where a few tests (at most 1 - MAJORITY) pass values
    of another kind than all the others (``candidate([])`` for a string parameter), the
    type follows the majority, as MultiPL-E's cleaned-up originals do."""
    if not _has_hole(hint):
        return hint, set()
    observed = [type_of(v) for v in values]
    merged = _settle(refine(hint, merge(observed)))
    if not drop_outliers or not _mixed(merged) or _mixed(hint):  # an explicit Any or Union stands
        return merged, set()
    best: tuple[int, Type, set[int]] | None = None
    for candidate in {t for t in observed if not _mixed(_settle(t))}:
        agreeing = {i for i, t in enumerate(observed) if not _mixed(_settle(merge([candidate, t])))}
        if best is None or len(agreeing) > best[0]:
            group = merge(observed[i] for i in agreeing)
            best = (len(agreeing), group, set(range(len(values))) - agreeing)
    if best is None or best[0] < MAJORITY * len(values) or best[0] == len(values):
        return merged, set()
    return _settle(refine(hint, best[1])), best[2]


def _has_hole(t: Type) -> bool:
    if isinstance(t, _Empty):
        return True
    if isinstance(t, TList):
        return _has_hole(t.elem)
    if isinstance(t, TDict):
        return _has_hole(t.key) or _has_hole(t.value)
    if isinstance(t, TTuple):
        return any(_has_hole(e) for e in t.elems)
    if isinstance(t, TOptional):
        return _has_hole(t.inner)
    return False


# --- types from hints ---------------------------------------------------------------------

_NAMES: dict[str, Type] = {
    "int": TInt(), "float": TFloat(), "str": TStr(), "bool": TBool(), "None": TNone(),
    "Any": TAny(), "object": TAny(),
    "list": TList(_Empty()), "List": TList(_Empty()), "Sequence": TList(_Empty()),  # type: ignore[arg-type]
    "dict": TDict(_Empty(), _Empty()), "Dict": TDict(_Empty(), _Empty()),  # type: ignore[arg-type]
    "tuple": TTuple(()), "Tuple": TTuple(()),
}


class BadHint(Exception):
    pass


def hint_type(node: ast.expr | None) -> Type:
    """The IR type of a Python annotation; a missing hint or a bare container leaves holes
    (``_Empty``) for the test values to fill, while an explicit ``Any`` stays ``TAny``."""
    if node is None:
        return _Empty()  # type: ignore[return-value]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return hint_type(ast.parse(node.value, mode="eval").body)
    if isinstance(node, ast.Constant) and node.value is None:
        return TNone()
    if isinstance(node, ast.Attribute):  # typing.List
        return hint_type(ast.Name(id=node.attr))
    if isinstance(node, ast.Name):
        if node.id not in _NAMES:
            raise BadHint(f"unknown type hint {node.id!r}")
        found = _NAMES[node.id]
        # a bare tuple: unknown length, filled from the values
        return _Empty() if isinstance(found, TTuple) else found  # type: ignore[return-value]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.BitOr):
        return merge([hint_type(node.left), hint_type(node.right)])
    if isinstance(node, ast.Subscript):
        base = node.value.attr if isinstance(node.value, ast.Attribute) else getattr(node.value, "id", "")
        args = list(node.slice.elts) if isinstance(node.slice, ast.Tuple) else [node.slice]
        if base in ("List", "list", "Sequence") and len(args) == 1:
            return TList(hint_type(args[0]))
        if base in ("Dict", "dict") and len(args) == 2:
            return TDict(hint_type(args[0]), hint_type(args[1]))
        if base in ("Tuple", "tuple"):
            if len(args) == 2 and isinstance(args[1], ast.Constant) and args[1].value is Ellipsis:
                return TList(hint_type(args[0]), variadic=True)
            return TTuple(tuple(hint_type(a) for a in args))
        if base == "Optional" and len(args) == 1:
            inner = hint_type(args[0])
            return inner if isinstance(inner, TOptional) else TOptional(inner)
        if base == "Union":
            options = [hint_type(a) for a in args]
            if any(isinstance(o, TAny) for o in options):
                return TAny()
            non_none = [o for o in options if not isinstance(o, TNone)]
            union: Type = non_none[0] if len(non_none) == 1 else TUnion(tuple(non_none))
            return TOptional(union) if len(non_none) < len(options) else union
    raise BadHint(f"unsupported type hint {ast.unparse(node)!r}")


# --- docstring examples -------------------------------------------------------------------

_ARROWS = ("==>", "=>", "➞", "->", "→", "==", "=", "should return", "returns", "return", "gives")


def parse_examples(doc: str, entry_point: str) -> list[DocExample]:
    """Examples ``>>> f(x)`` / result, and the common prose forms ``f(x) ➞ y``, ``f(x) == y``,
    ``f(x) should return y``. Lines that don't parse as a call and a constant are ignored."""
    lines = doc.splitlines()
    examples: list[DocExample] = []
    i = 0
    while i < len(lines):
        stripped = lines[i].strip()
        if stripped.startswith(">>>"):
            source = stripped[3:].strip()
            result_lines: list[str] = []
            j = i + 1
            while j < len(lines) and lines[j].strip() and not lines[j].strip().startswith(">>>"):
                result_lines.append(lines[j].strip())
                j += 1
            example = _example_from_doctest(source, " ".join(result_lines), entry_point)
            if example is not None:
                text = "\n".join(line.strip() for line in lines[i:j])
                examples.append(DocExample(example, text))
            i = j
            continue
        example = _example_from_prose(stripped, entry_point)
        if example is not None:
            examples.append(DocExample(example, stripped))
        i += 1
    return examples


def _call_of(node: ast.expr, name: str) -> tuple[Any, ...] | None:
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == name and not node.keywords:
        try:
            args = tuple(evaluate(a) for a in node.args)
            for arg in args:
                _check_value(arg)
            return args
        except NotAValue:
            return None
    return None


def _parse_expr(text: str) -> ast.expr | None:
    try:
        return ast.parse(text.strip(), mode="eval").body
    except SyntaxError:
        return None


def _constant(text: str) -> tuple[bool, Any]:
    node = _parse_expr(text.rstrip(".").strip()) or _parse_expr(text)
    if node is None:
        return False, None
    try:
        value = evaluate(node)
        _check_value(value)
        return True, value
    except NotAValue:
        return False, None


def _example_from_doctest(source: str, result: str, name: str) -> Call | None:
    node = _parse_expr(source)
    if node is None:
        return None
    if isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.Eq) and not result:
        args = _call_of(node.left, name)
        ok, value = _constant(ast.unparse(node.comparators[0]))
        return Call(args, value) if args is not None and ok else None
    args = _call_of(node, name)
    if args is None:
        return None
    ok, value = _constant(result)
    return Call(args, value) if ok else None


def _example_from_prose(line: str, name: str) -> Call | None:
    if not line.startswith(name + "(") and not re.match(rf"^\W*{re.escape(name)}\(", line):
        return None
    start = line.index(name + "(")
    text = line[start:]
    # Try each arrow at each position: the call must parse, and what follows must be a constant.
    for arrow in _ARROWS:
        position = text.find(arrow)
        while position != -1:
            args = None
            node = _parse_expr(text[:position])
            if node is not None:
                args = _call_of(node, name)
            if args is not None:
                ok, value = _constant(text[position + len(arrow):])
                if ok:
                    return Call(args, value)
            position = text.find(arrow, position + 1)
    return None


#: A doctest as MultiPL-E's builder finds it: the ``>>>`` line and the next line, its output
#: (here the next line is optional, for ``>>> call == output`` lines).
_DOCTEST_LINE = re.compile(r"(>>>.*)\n(?:(.*)\n)?")


def _literal(node: ast.expr) -> Any:
    """A literal as MultiPL-E's ``translate_expr`` reads one (no arithmetic, no names)."""
    if isinstance(node, ast.Constant):
        return node.value
    if (isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub)
            and isinstance(node.operand, ast.Constant) and isinstance(node.operand.value, (int, float))):
        return -node.operand.value
    if isinstance(node, ast.List):
        return [_literal(e) for e in node.elts]
    if isinstance(node, ast.Tuple):
        return tuple(_literal(e) for e in node.elts)
    if isinstance(node, ast.Dict) and None not in node.keys:
        return LiteralDict([(_literal(k), _literal(v)) for k, v in zip(node.keys, node.values, strict=True)])  # type: ignore[arg-type]
    raise NotAValue(f"not a literal: {_short(ast.unparse(node))}")


def _doctest_call(text: str) -> tuple[str, tuple[Any, ...]] | None:
    """(callee, literal arguments) of a doctest's call, or None."""
    node = _parse_expr(text)
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and not node.keywords):
        return None
    try:
        args = tuple(_literal(a) for a in node.args)
        for arg in args:
            _check_value(arg)
    except NotAValue:
        return None
    return node.func.id, args


def _doctest_value(text: str) -> tuple[bool, Any]:
    node = _parse_expr(text)
    try:
        if node is None:
            raise NotAValue("not an expression")
        value = _literal(node)
        _check_value(value)
        return True, value
    except NotAValue:
        return False, None


def parse_doctests(docstring: str) -> tuple[Doctest, ...]:
    """The doctests of a raw docstring where MultiPL-E's builder finds them (``_DOCTEST_LINE``).

    Its builder strips ``>`` and spaces around the call line and reads the next line as the
    output; both must be literals (a call of literals), or it drops the whole problem. We
    keep such a doctest as written instead (``call`` None). Two forms of HumanEval as
    published that MultiPL-E's cleaned copy rewrote by hand are read as its copy has them: a
    ``>>> call == output`` line is a doctest of its own line, and an empty output line is None.
    """
    found: list[Doctest] = []
    position = 0
    while (match := _DOCTEST_LINE.search(docstring, position)) is not None:
        first = match.group(1)
        source = first.strip("> ")
        node = _parse_expr(source)
        if (isinstance(node, ast.Compare) and len(node.ops) == 1 and isinstance(node.ops[0], ast.Eq)
                and isinstance(node.left, ast.Call)):
            end = match.start() + len(first) + 1
            call = _doctest_call(ast.unparse(node.left))
            ok, value = _doctest_value(ast.unparse(node.comparators[0]))
            found.append(Doctest(match.start(), end, *((call[0], Call(call[1], value)) if call and ok else ("", None))))
            position = end
            continue
        position = match.end()
        if match.group(2) is None:  # no line after it: not a doctest for MultiPL-E either
            continue
        call = _doctest_call(source)
        # Python's doctest prints nothing for None: an empty output line is None (HumanEval 12),
        # as MultiPL-E's cleaned copy of HumanEval writes it.
        output = match.group(2).strip()
        ok, value = _doctest_value(output) if output else (True, None)
        found.append(Doctest(match.start(), match.end(), *((call[0], Call(call[1], value)) if call and ok else ("", None))))
    return tuple(found)


def documented(function: FunctionIR, docstring: str | None = None) -> FunctionIR:
    """`function` with `docstring` (default: its description, ending in a newline as a
    prompt's docstring does) as its raw docstring and the doctests found there: for a
    FunctionIR built by hand rather than parsed."""
    raw = function.description.rstrip("\n") + "\n" if docstring is None else docstring
    return replace(function, docstring=raw, description=inspect.cleandoc(raw), doctests=parse_doctests(raw))


# --- tests --------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Test:
    call: Call
    tolerance: float | None
    text: str


_CONVERSIONS = ("tuple", "list")


def _unwrap_conversion(left: ast.expr, right: ast.expr) -> tuple[ast.expr, ast.expr]:
    """``tuple(candidate(x)) == tuple([1, 2])`` compares the same things as without tuple()."""
    while (
        isinstance(left, ast.Call) and isinstance(right, ast.Call)
        and isinstance(left.func, ast.Name) and isinstance(right.func, ast.Name)
        and left.func.id == right.func.id and left.func.id in _CONVERSIONS
        and len(left.args) == 1 and len(right.args) == 1
    ):
        left, right = left.args[0], right.args[0]
    return left, right


def _is_candidate_call(node: ast.expr, candidate: str) -> bool:
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == candidate


def _call_args(node: ast.Call) -> tuple[Any, ...]:
    if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
        raise NotAValue("call with keyword or starred arguments")
    args = tuple(evaluate(a) for a in node.args)
    for arg in args:
        _check_value(arg)
    return args


def _test_from_assert(test: ast.expr, candidate: str) -> _Test | str:
    """One ``assert`` as a call and its expected value, or the reason it is not one."""
    text = _short(ast.unparse(test), 80)
    expected: Any
    tolerance: float | None = None
    call_node: ast.expr | None = None
    if _is_candidate_call(test, candidate):
        call_node, expected = test, True
    elif isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not) and _is_candidate_call(test.operand, candidate):
        call_node, expected = test.operand, False
    elif isinstance(test, ast.Compare) and len(test.ops) == 1:
        op, left, right = test.ops[0], test.left, test.comparators[0]
        if isinstance(op, (ast.Eq, ast.Is)):
            left, right = _unwrap_conversion(left, right)
            if _is_candidate_call(right, candidate) and not _is_candidate_call(left, candidate):
                left, right = right, left
            if not _is_candidate_call(left, candidate):
                return f"not a call of the function: {text}"
            if isinstance(op, ast.Is) and not (isinstance(right, ast.Constant) and right.value in (True, False, None)):
                return f"identity comparison: {text}"
            try:
                expected = evaluate(right)
                _check_value(expected)
            except NotAValue as exc:
                return f"expected value is not a constant ({exc}): {text}"
            call_node = left
        elif isinstance(op, (ast.Lt, ast.LtE)):
            found = _tolerance_test(left, right, candidate)
            if found is None:
                return f"not a simple comparison: {text}"
            call_node, expected, tolerance = found
        else:
            return f"not an equality test: {text}"
    else:
        return f"not a simple call test: {text}"
    assert isinstance(call_node, ast.Call)
    try:
        args = _call_args(call_node)
    except NotAValue as exc:
        return f"arguments are not constants ({exc}): {text}"
    return _Test(Call(args, expected), tolerance, text)


def _tolerance_test(left: ast.expr, right: ast.expr, candidate: str) -> tuple[ast.expr, Any, float] | None:
    """``abs(candidate(x) - y) < tol`` (or ``math.fabs``, either order of the difference)."""
    is_abs = isinstance(left, ast.Call) and len(left.args) == 1 and (
        (isinstance(left.func, ast.Name) and left.func.id in ("abs", "fabs"))
        or (isinstance(left.func, ast.Attribute) and left.func.attr == "fabs")
    )
    if not is_abs:
        return None
    assert isinstance(left, ast.Call)
    diff = left.args[0]
    if not (isinstance(diff, ast.BinOp) and isinstance(diff.op, ast.Sub)):
        return None
    a, b = diff.left, diff.right
    if _is_candidate_call(b, candidate):
        a, b = b, a
    if not _is_candidate_call(a, candidate):
        return None
    try:
        expected, tolerance = evaluate(b), evaluate(right)
    except NotAValue:
        return None
    if not isinstance(expected, (int, float)) or not isinstance(tolerance, (int, float)):
        return None
    return a, expected, float(tolerance)


def _inert(stmt: ast.stmt) -> bool:
    """Statements that test nothing: pass, bare strings, print."""
    if isinstance(stmt, ast.Pass):
        return True
    if not isinstance(stmt, ast.Expr):
        return False
    value = stmt.value
    target = value.func if isinstance(value, ast.Call) else value
    return isinstance(value, ast.Constant) or (isinstance(target, ast.Name) and target.id == "print")


def _statement_tests(body: Sequence[ast.stmt], candidate: str, notes: list[str]) -> list[_Test]:
    tests: list[_Test] = []
    for stmt in body:
        if isinstance(stmt, ast.Assert):
            if isinstance(stmt.test, ast.Constant):  # `assert True`: checks nothing
                continue
            found = _test_from_assert(stmt.test, candidate)
            if isinstance(found, str):
                notes.append(f"test dropped, {found}")
            else:
                tests.append(found)
        elif _inert(stmt):
            continue
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            modules = [a.name for a in stmt.names] if isinstance(stmt, ast.Import) else [stmt.module or ""]
            if any(m.split(".")[0] in ("random", "numpy") for m in modules):
                notes.append("test dropped, randomised tests: " + _short(ast.unparse(stmt)))
        elif isinstance(stmt, (ast.For, ast.While)):
            notes.append("test dropped, loop-generated tests: " + _short(ast.unparse(stmt).splitlines()[0]))
        else:
            notes.append("test dropped, not a simple call: " + _short(ast.unparse(stmt).splitlines()[0]))
    return tests


def _check_function(tests_source: str, name: str) -> ast.FunctionDef:
    try:
        module = ast.parse(tests_source)
    except SyntaxError as exc:
        raise Untranslatable(f"tests are not valid Python: line {exc.lineno}: {exc.msg}") from None
    for node in module.body:
        if isinstance(node, ast.FunctionDef) and node.name == "check":
            if len(node.args.args) != 1:
                raise Untranslatable("check() must take exactly one argument (the candidate)")
            return node
    raise Untranslatable(f"{name}: tests have no `def check(candidate):`")


# --- the problem --------------------------------------------------------------------------

def _docstring_and_imports(function: ast.FunctionDef) -> tuple[str, list[str]]:
    """The raw docstring, also where imports come before it (HumanEval 115), and those imports."""
    imports: list[str] = []
    for stmt in function.body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            imports.append(ast.unparse(stmt))
            continue
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant) and isinstance(stmt.value.value, str):
            return stmt.value.value, imports
        break
    return "", imports


def _module_imports(prompt: str) -> list[str]:
    try:
        module = ast.parse(prompt + "    pass\n")
    except SyntaxError:
        return []
    return [
        ast.unparse(node) for node in module.body
        if isinstance(node, ast.Import) or (isinstance(node, ast.ImportFrom) and node.module not in ("typing", "__future__"))
    ]


def _entry_function(prompt: str, entry_point: str, notes: list[str]) -> ast.FunctionDef:
    try:
        module = ast.parse(prompt + "    pass\n")
    except SyntaxError:
        try:
            module = ast.parse(prompt)
        except SyntaxError as exc:
            raise Untranslatable(f"prompt is not valid Python: line {exc.lineno}: {exc.msg}") from None
    entry: ast.FunctionDef | None = None
    for node in module.body:
        if isinstance(node, ast.FunctionDef) and node.name == entry_point:
            entry = node
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            notes.append(f"helper {node.name}() dropped from the prompt (MultiPL-E keeps only the function to write)")
        elif isinstance(node, (ast.Import, ast.ImportFrom, ast.Expr)):
            continue
        else:
            notes.append("prompt statement dropped: " + _short(ast.unparse(node).splitlines()[0]))
    if entry is None:
        raise Untranslatable(f"the prompt defines no function {entry_point!r}")
    return entry


def parse_problem(problem: Problem) -> FunctionIR:
    """The ``FunctionIR`` of a HumanEval-style Python problem; ``Untranslatable`` if none."""
    if problem.language != "py":
        raise Untranslatable(f"only Python problems can be translated, not {problem.language!r}")
    notes: list[str] = []
    function = _entry_function(problem.prompt, problem.entry_point, notes)
    arguments = function.args
    if arguments.vararg or arguments.kwarg or arguments.kwonlyargs or arguments.posonlyargs:
        raise Untranslatable("*args, **kwargs, keyword-only or positional-only parameters")
    names = [a.arg for a in arguments.args]
    try:
        hints = [hint_type(a.annotation) for a in arguments.args]
        return_hint = hint_type(function.returns)
    except (BadHint, SyntaxError) as exc:
        raise Untranslatable(str(exc)) from None
    docstring, body_imports = _docstring_and_imports(function)
    description = inspect.cleandoc(docstring)
    imports = [*_module_imports(problem.prompt), *body_imports]

    check = _check_function(problem.tests, problem.name)
    candidate = check.args.args[0].arg
    tests = _statement_tests(check.body, candidate, notes)
    kept: list[_Test] = []
    for test in tests:
        if len(test.call.args) != len(names):
            notes.append(f"test dropped, {len(test.call.args)} arguments for {len(names)} parameters: {test.text}")
        else:
            kept.append(test)
    if not kept:
        dropped = [n.removeprefix("test dropped, ") for n in notes if n.startswith("test dropped")]
        raise Untranslatable("no test left: " + ("; ".join(dropped[:3]) or "check() asserts nothing"))

    while True:  # infer the types; drop outlier tests and infer again without them
        params: list[Param] = []
        outliers: set[int] = set()
        for index, (name, hint) in enumerate(zip(names, hints, strict=True)):
            param_type, odd = infer(hint, [t.call.args[index] for t in kept])
            outliers |= odd
            params.append(Param(name, param_type))
        # A return of different kinds is the point of the problem (-1 or a string), never noise.
        returns = infer(return_hint, [t.call.expected for t in kept], drop_outliers=False)[0]
        if not outliers:
            break
        for index in sorted(outliers):
            notes.append(f"test dropped, its values are of another type than the other tests': {kept[index].text}")
        kept = [t for i, t in enumerate(kept) if i not in outliers]

    calls: list[Call] = []
    for test in kept:
        bad = [p.name for p, value in zip(params, test.call.args, strict=False) if not fits(value, p.type)]
        if not fits(test.call.expected, returns):
            bad.append("the expected value")
        if bad:
            notes.append(f"test dropped, {', '.join(bad)} not of the declared type: {test.text}")
        else:
            calls.append(test.call)
    if not calls:
        raise Untranslatable("no test has values of the declared types" + (f" ({notes[-1]})" if notes else ""))

    tolerances = [t.tolerance for t in kept if t.tolerance is not None]
    examples = [
        e for e in parse_examples(description, problem.entry_point)
        if len(e.call.args) == len(params)
        and all(fits(v, p.type) for v, p in zip(e.call.args, params, strict=False))
        and fits(e.call.expected, returns)
    ]
    return FunctionIR(
        name=problem.name,
        entry_point=problem.entry_point,
        params=tuple(params),
        returns=returns,
        description=description,
        examples=tuple(examples),
        tests=tuple(calls),
        float_tolerance=max(tolerances) if tolerances else None,
        source=problem.source,
        notes=tuple(notes),
        imports=tuple(dict.fromkeys(imports)),
        docstring=docstring,
        doctests=parse_doctests(docstring),
        hints=tuple(ast.unparse(node) if node is not None else ""
                    for node in [*(a.annotation for a in arguments.args), function.returns]),
    )
