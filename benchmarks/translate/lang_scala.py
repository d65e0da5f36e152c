"""Scala, as MultiPL-E's ``humaneval_to_scala`` writes it: ``object Problem``, ``assert`` in ``main``."""

from __future__ import annotations

from typing import Any

from benchmarks.translate.ir import (
    FunctionIR,
    TBool,
    TDict,
    TFloat,
    TInt,
    TList,
    TOptional,
    TStr,
    TTuple,
    Type,
    Untranslatable,
)
from benchmarks.translate.lang_java import (
    ClassTranslator,
    c_string,
    float_literal,
)

SCALA_TERMS = {
    "Python": "Scala", "py": "scala", "array": "list", "list": "list", "tuple": "tuple",
    "dictionary": "map", "None": "None", "True": "true", "False": "false",
}
SCALA_IMPORTS = "import scala.math._\nimport scala.collection.mutable._\n"
SCALA_KEYWORDS = {"operator": "op", "strlen": "string_length"}


def scala_type(t: Type) -> str:
    if isinstance(t, TInt):
        return "Long"
    if isinstance(t, TFloat):
        return "Float"
    if isinstance(t, TBool):
        return "Boolean"
    if isinstance(t, TStr):
        return "String"
    if isinstance(t, TList):
        return f"List[{scala_type(t.elem)}]"
    if isinstance(t, TDict):
        return f"Map[{scala_type(t.key)},{scala_type(t.value)}]"
    if isinstance(t, TTuple):
        if not 2 <= len(t.elems) <= 22:
            raise Untranslatable(f"Scala has no {len(t.elems)}-tuple literal")
        return f"Tuple{len(t.elems)}[{', '.join(scala_type(e) for e in t.elems)}]"
    if isinstance(t, TOptional):
        return f"Option[{scala_type(t.inner)}]"
    raise Untranslatable(f"Scala has no type for {t}")


def _element(value: Any, t: Type) -> str:
    """A list element: MultiPL-E converts numbers with ``.toLong`` / ``.toFloat``."""
    text = scala_value(value, t)
    if isinstance(t, TInt):
        return text + ".toLong"
    if isinstance(t, TFloat):
        return text + ".toFloat"
    return text


def scala_value(value: Any, t: Type) -> str:
    """A Scala expression for a Python value of type `t`, shaped as MultiPL-E writes it."""
    if isinstance(t, TBool):
        return "true" if value else "false"
    if isinstance(t, TInt):
        return f"{value}l"
    if isinstance(t, TFloat):
        return float_literal(value)
    if isinstance(t, TStr):
        return c_string(value)
    if isinstance(t, TList):
        return f"{scala_type(t)}(" + ", ".join(_element(v, t.elem) for v in value) + ")"
    if isinstance(t, TDict):
        pairs = ", ".join(f"{scala_value(k, t.key)} -> {scala_value(v, t.value)}" for k, v in value.items())
        return f"{scala_type(t)}({pairs})"
    if isinstance(t, TTuple):
        return "(" + ", ".join(scala_value(v, e) for v, e in zip(value, t.elems)) + ")"
    if isinstance(t, TOptional):
        return "None" if value is None else f"Some({scala_value(value, t.inner)})"
    raise Untranslatable(f"Scala has no value of type {t}")


class ScalaTranslator(ClassTranslator):
    language = "scala"
    display_name = "Scala"
    terms = SCALA_TERMS
    imports = SCALA_IMPORTS
    container = "object Problem"
    main_header = "def main(args: Array[String]) = {"
    abs_call = "abs"

    def value(self, value: Any, t: Type) -> str:
        return scala_value(value, t)

    def method(self, name: str, function: FunctionIR) -> str:
        formal = ", ".join(f"{SCALA_KEYWORDS.get(p.name, p.name)} : {scala_type(p.type)}" for p in function.params)
        return f"def {name}({formal}) : {scala_type(function.returns)} ="

    def stub_line(self, value: str) -> str:
        return value


TRANSLATOR = ScalaTranslator()
