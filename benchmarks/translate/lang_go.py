"""Go as MultiPL-E writes it (humaneval-go): a ``_test.go`` file run by ``go test``.

Types: int -> ``int``, float -> ``float64``, str -> ``string``, list -> slice, dict -> map,
tuple -> ``[]interface{}``; Optional, unions and ``Any`` are dropped, as MultiPL-E does. Tests
compare ``fmt.Sprintf("%v")`` of actual and expected in a table of subtests. The prompt ends at
the opening brace and the completion closes the function (stop tokens ``\\nfunc`` ...).
"""

from __future__ import annotations

from typing import Any

from benchmarks.translate.base import LanguageTranslator, Translation, TypeSyntax
from benchmarks.translate.ir import (
    Call,
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
from benchmarks.translate.lang_cpp import (
    check_types,
    float_literal,
    line_comment,
    no_any_or_union,
    quote,
    rewrite_description,
    walk,
)

#: Parameter names that are Go's predeclared type names (MultiPL-E's renaming).
RENAMES = {"string": "myString", "int": "myInt", "float": "myFloat", "bool": "myBool"}


go_type = TypeSyntax(
    "Go", int="int", float="float64", str="string", bool="bool", list_form="[]{elem}", tuple_form="[]interface{{}}",
    dict_form="map[{key}]{value}",
)



def go_value(value: Any, type_: Type) -> str:
    """A Go composite literal of `type_` (``[]int{1, 2}``, ``map[string]int{"a": 1}``)."""
    if isinstance(type_, TBool):
        return "true" if value else "false"
    if isinstance(type_, TInt):
        return repr(int(value))
    if isinstance(type_, TFloat):
        return float_literal(value)
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


def go_arg(value: Any, type_: Type) -> str:
    return go_value(conform(value, type_), type_)


class GoTranslator(LanguageTranslator):
    language = "go"
    version = "1"
    stop_tokens = ("\nfunc", "struct", "\n// ")

    def translate(self, function: FunctionIR) -> Translation:
        check_types(
            function,
            lambda t: no_any_or_union(t) and not any(isinstance(x, (TOptional, TNone)) for x in walk(t)),
        )
        name = function.entry_point
        param_types = [p.type for p in function.params]

        def call(c: Call, callee: str) -> str:
            return f"{callee}(" + ", ".join(go_arg(v, t) for v, t in zip(c.args, param_types, strict=True)) + ")"

        description = rewrite_description(
            function, "go", lambda c: (call(c, name), go_arg(c.expected, function.returns))
        )
        params = ", ".join(f"{RENAMES.get(p.name, p.name)} {go_type(p.type)}" for p in function.params)
        returns = go_type(function.returns)
        tolerant = function.float_tolerance is not None and isinstance(function.returns, TFloat)
        extra_import = '    "math"\n' if tolerant else ""
        prompt = (
            f'package {name}_test\n\nimport (\n    "testing"\n    "fmt"\n{extra_import})\n\n'
            f"{line_comment(description, '//')}func {name}({params}) {returns} {{\n"
        )
        lines = [
            f"func Test{name.title()}(t *testing.T) {{",
            f"  candidate := {name}",
            "\ttype test struct {",
            "\t\tactual   interface{}",
            "\t\texpected interface{}",
            "\t}",
            "   tests := []test{",
        ]
        tolerance = function.float_tolerance if isinstance(function.returns, TFloat) else None
        for test in function.tests:
            actual, expected = call(test, "candidate"), go_arg(test.expected, function.returns)
            if tolerance is not None:  # %v can't compare within a tolerance: compare a bool
                actual, expected = f"math.Abs({actual} - {expected}) < {tolerance!r}", "true"
            lines.append(f"     {{ actual: {actual}, expected: {expected} }},")
        lines += [
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
        return Translation(
            prompt=prompt,
            tests="\n".join(lines),
            stop_tokens=self.stop_tokens,
            stub_completion=f"\tvar zero {returns}\n\treturn zero\n}}\n",
        )


TRANSLATOR = GoTranslator()
