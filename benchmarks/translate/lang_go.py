"""Go as MultiPL-E writes it (humaneval-go): a ``_test.go`` file run by ``go test``.

Types: int -> ``int``, float -> ``float64``, str -> ``string``, list -> slice, dict -> map,
tuple -> ``[]interface{}``; Optional, unions and ``Any`` are dropped, as MultiPL-E does. Tests
compare ``fmt.Sprintf("%v")`` of actual and expected in a table of subtests. The prompt ends at
the opening brace and the completion closes the function (stop tokens ``\\nfunc`` ...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from benchmarks.translate.generic import (
    Translator,
    TypeSyntax,
    children,
    lists_for_tuples,
    signature_types,
)
from benchmarks.translate.ir import (
    FunctionIR,
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
)
from benchmarks.translate.spelling import (
    finite_float,
    line_comment,
    quote,
)

#: Parameter names that are Go's predeclared type names (MultiPL-E's renaming).
RENAMES = {"string": "myString", "int": "myInt", "float": "myFloat", "bool": "myBool"}


go_type = TypeSyntax(
    "Go", int="int", float="float64", str="string", bool="bool", any="interface{}",
    list=lambda syntax, t: "[]interface{}" if t.variadic else "[]" + syntax(t.elem),  # type: ignore[union-attr]
    tuple=lambda syntax, t: "[]interface{}",  # whatever is inside, Optional included
    dict="map[{key}]{value}",
)

_NUMBERS = ("int", "float64")
_SLICE_TEXT = re.compile(r"^\[\].*{.*\}$")


@dataclass(frozen=True)
class GoLiteral:
    """A Go literal written from a Python value's own shape, and its Go type (None: an empty
    container whose type the context gives)."""

    text: str
    type: str | None


class GoValues:
    """Go literals by shape, as MultiPL-E's builder writes them: a composite literal's element
    type is guessed from its elements, and an empty one takes the declared type of where it
    stands (``[]interface{}{}`` inside another literal).

    ``upstream`` guesses as MultiPL-E does, from the elements' text: every nested slice (a
    tuple's ``[]interface{}`` too) counts as ``[]int``, booleans, nil and maps as unknown, and
    the first element is left out when counting numbers; so ``[]interface{}`` literals end up
    in ``[][]int`` (HumanEval 87) and the program doesn't compile. Without it the element
    types are the elements' own, and an empty element takes its siblings' type.
    """

    def __init__(self, upstream: bool) -> None:
        self.upstream = upstream

    def literal(self, value: Any) -> GoLiteral:
        if value is None:
            return GoLiteral("nil", "nil")
        if isinstance(value, bool):
            return GoLiteral("true" if value else "false", "bool")
        if isinstance(value, int):
            return GoLiteral(repr(value), "int")
        if isinstance(value, float):
            return GoLiteral(finite_float(value), "float64")
        if isinstance(value, str):
            return GoLiteral(quote(value), "string")
        if isinstance(value, (list, tuple)) and not value:
            return GoLiteral("[]interface{}{}", None) if isinstance(value, list) else GoLiteral("[]interface{}{}", "[]interface{}")
        if isinstance(value, dict) and not value:
            return GoLiteral("map[interface{}]interface{}{}", None)
        if isinstance(value, tuple):
            return GoLiteral("[]interface{}{" + ", ".join(self.literal(v).text for v in value) + "}", "[]interface{}")
        if isinstance(value, list):
            elem, texts = self.elements([self.literal(v) for v in value])
            return GoLiteral(f"[]{elem}{{{', '.join(texts)}}}", f"[]{elem}")
        if isinstance(value, dict):
            pairs_ = list(value.items())  # a doctest's literal keeps repeated keys
            key, keys = self.elements([self.literal(k) for k, _ in pairs_])
            item, items = self.elements([self.literal(v) for _, v in pairs_])
            pairs = ", ".join(f"{k}: {v}" for k, v in zip(keys, items, strict=True))
            return GoLiteral(f"map[{key}]{item}{{{pairs}}}", f"map[{key}]{item}")
        raise Untranslatable(f"Go can't write the value {value!r}")

    def elements(self, items: list[GoLiteral]) -> tuple[str, list[str]]:
        """The element type of a composite literal and its elements' text."""
        if self.upstream:
            return self._guess([self._upstream_kind(item) for item in items]), [item.text for item in items]
        known = [item.type for item in items if item.type is not None]
        elem = self._merge(known)
        composite = elem.startswith(("[]", "map["))
        return elem, [item.text if item.type is not None or not composite else elem + "{}" for item in items]

    @staticmethod
    def _merge(kinds: list[str]) -> str:
        if kinds and all(kind == kinds[0] for kind in kinds):
            return kinds[0] if kinds[0] != "nil" else "interface{}"
        if kinds and all(kind in _NUMBERS for kind in kinds):
            return "float64"
        return "interface{}"

    @staticmethod
    def _upstream_kind(item: GoLiteral) -> str:
        if item.type in ("int", "float64", "string"):
            return item.type
        return "[]int" if item.type is not None and _SLICE_TEXT.match(item.text) else "UNKNOWN"

    @staticmethod
    def _guess(kinds: list[str]) -> str:
        first, rest = kinds[0], kinds[1:]
        if all(kind == first for kind in rest):
            return first
        numbers = sum(kind in _NUMBERS for kind in rest)
        return "float64" if numbers == len(rest) else "interface{}"

    def value(self, value: Any, type_: Type | None) -> str:
        """The literal where `type_` is declared: an empty list or dict takes that type."""
        if isinstance(value, (list, dict)) and not value:
            if type_ is None or isinstance(type_, TAny):
                return self.literal(value).text
            return go_type(type_) + "{}"
        return self.literal(value).text


def float_slices(value: Any, type_: Type) -> Any:
    """`value` with every list of ints that `type_` declares a list of floats made floats: a
    composite literal takes its elements' type (``[]int``), an untyped constant does not."""
    if isinstance(type_, TList) and not type_.variadic and isinstance(value, list):
        if isinstance(type_.elem, TFloat) and value and all(type(v) is int for v in value):
            return [float(v) for v in value]
        return [float_slices(v, type_.elem) for v in value]
    if isinstance(type_, TDict) and isinstance(value, dict):
        return {k: float_slices(v, type_.value) for k, v in value.items()}
    return value


def go_check(t: Type, where: str) -> None:
    """What MultiPL-E's Go builder refuses: unions, Optional (except inside a tuple, which is
    ``[]interface{}`` whatever it holds), dicts of containers."""
    if isinstance(t, TUnion):
        raise Untranslatable(f"Go can't express a union type ({where})")
    if isinstance(t, (TOptional, TNone)):
        raise Untranslatable(f"Go has no Optional type ({where})")
    if isinstance(t, TTuple):
        return
    if isinstance(t, TDict) and not all(isinstance(k, (TInt, TFloat, TStr, TBool, TAny)) for k in (t.key, t.value)):
        raise Untranslatable(f"Go: a dict of containers ({where})")
    for child in children(t):
        go_check(child, where)


class GoTranslator(Translator):
    language = "go"
    version = "3"
    stop_tokens = ("\nfunc", "struct", "\n// ")

    shape_values = True

    def check(self, function: FunctionIR) -> None:
        for where, type_ in signature_types(function):
            go_check(type_, where)

    def value(self, value: Any, type_: Type) -> str:
        return GoValues(self.upstream_bugs).value(lists_for_tuples(value, type_), type_)

    def argument(self, value: Any, type_: Type) -> str:
        """A test's argument must compile: a slice of ints where the parameter holds floats is
        written as floats (upstream writes ``[]int{1, 2, 3}`` for ``[]float64``, and HumanEval
        133 and 151 as published never compile). Doctests keep the value's own shape, as upstream."""
        if not self.upstream_bugs:
            value = float_slices(value, type_)
        return self.value(value, type_)

    def doctest_argument(self, value: Any, type_: Type) -> str:
        return self.value(value, type_)

    def prompt(self, function: FunctionIR, description: str) -> str:
        name = function.entry_point
        params = ", ".join(f"{RENAMES.get(p.name, p.name)} {go_type(p.type)}" for p in function.params)
        tolerant = function.float_tolerance is not None and isinstance(function.returns, TFloat)
        extra_import = '    "math"\n' if tolerant else ""
        return (
            f'package {name}_test\n\nimport (\n    "testing"\n    "fmt"\n{extra_import})\n\n'
            f"{line_comment(description, '//')}func {name}({params}) {go_type(function.returns)} {{\n"
        )

    def test_prefix(self, function: FunctionIR) -> list[str]:
        name = function.entry_point
        return [
            f"func Test{name.title()}(t *testing.T) {{",
            f"  candidate := {name}",
            "\ttype test struct {",
            "\t\tactual   interface{}",
            "\t\texpected interface{}",
            "\t}",
            "   tests := []test{",
        ]

    def test_suffix(self, function: FunctionIR) -> list[str]:
        return [
            "   }\n",
            "\tfor i, tc := range tests {",
            '\t\tt.Run(fmt.Sprintf("test num % d", i), func(t *testing.T) {',
            '\t\t\tif fmt.Sprintf("%v", tc.actual) != fmt.Sprintf("%v", tc.expected) {',
            "\t\t\t\tt.Errorf(\"expected '%s', got '%s'\", tc.expected, tc.actual)",
            "\t\t\t}",
            "\t\t})",
            "\t}",
            "}\n",
        ]

    def equality(self, actual: str, expected: str, function: FunctionIR) -> str:
        return f"     {{ actual: {actual}, expected: {expected} }},"

    def near(self, actual: str, expected: str, tolerance: float, function: FunctionIR) -> str:
        """``%v`` can't compare within a tolerance: the test compares a bool."""
        return self.equality(f"math.Abs({actual} - {expected}) < {tolerance!r}", "true", function)

    def stub(self, function: FunctionIR) -> str:
        return f"\tvar zero {go_type(function.returns)}\n\treturn zero\n}}\n"


TRANSLATOR = GoTranslator()
