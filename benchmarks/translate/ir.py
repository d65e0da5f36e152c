"""The language-neutral form of a HumanEval-style Python problem, which each language emits.

The parser (``benchmarks.translate.parse``) turns a Python ``Problem`` into a ``FunctionIR``;
each ``benchmarks.translate.lang_<language>`` module turns a ``FunctionIR`` into that
language's prompt, tests and stop tokens, following MultiPL-E's conventions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# --- types -------------------------------------------------------------------------------

@dataclass(frozen=True)
class TInt:
    pass


@dataclass(frozen=True)
class TFloat:
    pass


@dataclass(frozen=True)
class TStr:
    pass


@dataclass(frozen=True)
class TBool:
    pass


@dataclass(frozen=True)
class TNone:
    """Python's None as a type (only inside TOptional, or as a function returning nothing)."""


@dataclass(frozen=True)
class TList:
    """A list; ``variadic`` when the hint was ``Tuple[T, ...]`` (a tuple of any length), which
    MultiPL-E's builders spell apart: Go as a tuple, D and Rust not at all."""

    elem: Type
    variadic: bool = field(default=False, repr=False)


@dataclass(frozen=True)
class TTuple:
    elems: tuple[Type, ...]


@dataclass(frozen=True)
class TDict:
    key: Type
    value: Type


@dataclass(frozen=True)
class TOptional:
    inner: Type


@dataclass(frozen=True)
class TUnion:
    """A union other than Optional; most languages drop such problems."""

    options: tuple[Type, ...]


@dataclass(frozen=True)
class TAny:
    """Unknown or untyped (``Any``, ``list`` of mixed values); most languages drop such problems."""


Type = TInt | TFloat | TStr | TBool | TNone | TList | TTuple | TDict | TOptional | TUnion | TAny


class LiteralDict(dict):  # type: ignore[type-arg]
    """A dict literal as written in a doctest, repeated keys included: ``items()`` gives every
    pair in written order (MultiPL-E translates the literal's text, ``{"a": 1, 8: 2, "a": 1}``),
    while lookups see Python's dict (the last value of a key)."""

    def __init__(self, pairs: list[tuple[Any, Any]]) -> None:
        super().__init__(pairs)
        self.pairs = tuple(pairs)

    def items(self):  # type: ignore[override]
        return list(self.pairs)


# --- the function under test ------------------------------------------------------------

@dataclass(frozen=True)
class Param:
    name: str
    type: Type


@dataclass(frozen=True)
class Call:
    """One call of the entry point with Python values, and the value it must return.

    The values are as the Python test wrote them, which the declared types allow: an ``int``
    where the type is ``TFloat``, a ``tuple`` where it is ``TList`` (varying-length tuples).
    Render each value by its type, or take ``conform(value, type)`` first.
    """

    args: tuple[Any, ...]
    expected: Any


@dataclass(frozen=True)
class DocExample:
    """A doctest-style example from the docstring (``>>> f(1)`` / ``2``)."""

    call: Call
    text: str  # the original lines, kept for languages that leave examples as they are


@dataclass(frozen=True)
class Doctest:
    """One doctest as MultiPL-E's builder finds it: a ``>>>`` line and the line after it.

    ``start``/``end`` delimit it in ``FunctionIR.docstring``. ``call`` holds its arguments and
    output as the literal Python values written there, whatever their types, or is None when
    they are not literals (the doctest then stays as written).
    """

    start: int
    end: int
    callee: str = ""
    call: Call | None = None


@dataclass(frozen=True)
class FunctionIR:
    name: str  # MultiPL-E name, e.g. HumanEval_0_has_close_elements
    entry_point: str
    params: tuple[Param, ...]
    returns: Type
    description: str  # the docstring, examples included, cleaned (inspect.cleandoc)
    examples: tuple[DocExample, ...]
    tests: tuple[Call, ...]
    float_tolerance: float | None = None  # set when the Python tests compare with abs(x - y) < tol
    source: str = ""  # where the Python problem came from (Problem.source)
    notes: tuple[str, ...] = ()  # what the parser left out (dropped tests, helpers), and why
    imports: tuple[str, ...] = ()  # Python imports the prompt makes, other than typing (`import math`)
    docstring: str = ""  # the docstring exactly as the prompt has it (indentation, blank lines)
    doctests: tuple[Doctest, ...] = ()  # its doctests, as MultiPL-E finds them
    #: the annotations as written (``ast.unparse``, "" where missing): each parameter's, then
    #: the return's. MultiPL-E's translators read these, not the inferred types, and some
    #: refuse a form (``Tuple[str, ...]``, ``Union[..., None]``) whose type ours can write.
    hints: tuple[str, ...] = ()


def fits(value: Any, type_: Type) -> bool:
    """Whether a Python value can be written as a value of `type_` (ints fit floats)."""
    if isinstance(type_, TAny):
        return True
    if isinstance(type_, TOptional):
        return value is None or fits(value, type_.inner)
    if isinstance(type_, TUnion):
        return any(fits(value, option) for option in type_.options)
    if isinstance(type_, TNone):
        return value is None
    if isinstance(type_, TBool):
        return isinstance(value, bool)
    if isinstance(type_, TInt):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(type_, TFloat):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(type_, TStr):
        return isinstance(value, str)
    if isinstance(type_, TList):
        return isinstance(value, (list, tuple)) and all(fits(v, type_.elem) for v in value)
    if isinstance(type_, TTuple):
        return (
            isinstance(value, (tuple, list)) and len(value) == len(type_.elems)
            and all(fits(v, t) for v, t in zip(value, type_.elems, strict=False))
        )
    if isinstance(type_, TDict):
        return isinstance(value, dict) and all(
            fits(k, type_.key) and fits(v, type_.value) for k, v in value.items()
        )
    return False


def conform(value: Any, type_: Type) -> Any:
    """`value` in the Python shape of `type_`: ints become floats under ``TFloat``, tuples
    become lists under ``TList`` and lists tuples under ``TTuple``, recursively.

    In a ``TUnion`` the first option the value fits wins, an exact kind first (so an int
    stays an int in ``Union[int, float]``).
    """
    if isinstance(type_, TOptional):
        return None if value is None else conform(value, type_.inner)
    if isinstance(type_, TUnion):
        exact = {bool: TBool, int: TInt, float: TFloat, str: TStr, list: TList, tuple: TTuple, dict: TDict}
        for option in type_.options:
            if isinstance(option, exact.get(type(value), TAny)) and fits(value, option):
                return conform(value, option)
        for option in type_.options:
            if fits(value, option):
                return conform(value, option)
        return value
    if isinstance(type_, TFloat) and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(type_, TList) and isinstance(value, (list, tuple)):
        return [conform(v, type_.elem) for v in value]
    if isinstance(type_, TTuple) and isinstance(value, (list, tuple)):
        return tuple(conform(v, t) for v, t in zip(value, type_.elems, strict=False))
    if isinstance(type_, TDict) and isinstance(value, dict):
        pairs = [(conform(k, type_.key), conform(v, type_.value)) for k, v in value.items()]
        return LiteralDict(pairs) if isinstance(value, LiteralDict) else dict(pairs)
    return value


class Untranslatable(Exception):
    """A problem a language can't express; the message is the recorded reason for dropping it."""
