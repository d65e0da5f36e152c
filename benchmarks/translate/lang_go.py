"""Go as MultiPL-E writes it (humaneval-go): a ``_test.go`` file run by ``go test``.

Types: int -> ``int``, float -> ``float64``, str -> ``string``, list -> slice, dict -> map,
tuple -> ``[]interface{}``; Optional, unions and ``Any`` are dropped, as MultiPL-E does. Tests
compare ``fmt.Sprintf("%v")`` of actual and expected in a table of subtests. The prompt ends at
the opening brace and the completion closes the function (stop tokens ``\\nfunc`` ...).
"""

from __future__ import annotations

from typing import Any

from benchmarks.translate.generic import Translator, TypeSyntax, walk
from benchmarks.translate.ir import (
    FunctionIR,
    TBool,
    TDict,
    TFloat,
    TInt,
    TList,
    TNone,
    TOptional,
    TStr,
    TTuple,
    Type,
    Untranslatable,
    conform,
)
from benchmarks.translate.spelling import (
    check_types,
    finite_float,
    line_comment,
    no_any_or_union,
    quote,
)

#: Parameter names that are Go's predeclared type names (MultiPL-E's renaming).
RENAMES = {"string": "myString", "int": "myInt", "float": "myFloat", "bool": "myBool"}


go_type = TypeSyntax(
    "Go", int="int", float="float64", str="string", bool="bool", list="[]{elem}", tuple="[]interface{{}}",
    dict="map[{key}]{value}",
)


def go_value(value: Any, type_: Type) -> str:
    """A Go composite literal of `type_` (``[]int{1, 2}``, ``map[string]int{"a": 1}``)."""
    if isinstance(type_, TBool):
        return "true" if value else "false"
    if isinstance(type_, TInt):
        return repr(int(value))
    if isinstance(type_, TFloat):
        return finite_float(value)
    if isinstance(type_, TStr):
        return quote(value)
    if isinstance(type_, TList):
        return go_type(type_) + "{" + ", ".join(go_value(v, type_.elem) for v in value) + "}"
    if isinstance(type_, TTuple):
        return "[]interface{}{" + ", ".join(go_value(v, t) for v, t in zip(value, type_.elems, strict=True)) + "}"
    if isinstance(type_, TDict):
        pairs = ", ".join(f"{go_value(k, type_.key)}: {go_value(v, type_.value)}" for k, v in value.items())
        return go_type(type_) + "{" + pairs + "}"
    raise Untranslatable(f"type {type_} has no Go value")


class GoTranslator(Translator):
    language = "go"
    version = "2"
    stop_tokens = ("\nfunc", "struct", "\n// ")

    def check(self, function: FunctionIR) -> None:
        check_types(
            function,
            lambda t: no_any_or_union(t) and not any(isinstance(x, (TOptional, TNone)) for x in walk(t)),
        )

    def value(self, value: Any, type_: Type) -> str:
        return go_value(conform(value, type_), type_)

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
