"""C#, as MultiPL-E's ``humaneval_to_cs`` writes it: class ``Problem``, ``Debug.Assert`` in ``Main``.

One deliberate difference: MultiPL-E compares non-primitive results with ``.Equals``, which
for ``List``/``Dictionary`` is reference equality (a correct answer can never pass) and
throws on a ``null`` string. For those return types the tests call a small structural
``PolypassDeepEquals`` helper, put in the class before ``Main``; everything else is unchanged.
"""

from __future__ import annotations

import re
from typing import Any

from benchmarks.translate.generic import Translator, TypeSyntax
from benchmarks.translate.ir import (
    FunctionIR,
    TAny,
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
    fits,
)
from benchmarks.translate.spelling import (
    c_string,
    camel_case,
    check_static_types,
    check_values,
    line_comment,
    number,
    same_kind,
)

IMPORTS = (
    "using System;\n"
    "using System.Numerics;\n"
    "using System.Diagnostics;\n"
    "using System.Collections.Generic;\n"
    "using System.Linq;\n"
    "using System.Text;\n"
    "using System.Security.Cryptography;\n"
)
#: MultiPL-E's renames for C# (keywords and names its C++ base renames).
KEYWORDS = {"operator": "op", "strlen": "string_length", "string": "str", "base": "numBase",
            "decimal": "decimalNum"}
INDENT = "    "
#: MultiPL-E types Python floats as 32-bit ``float``; a Python tolerance test keeps at least this.
FLOAT32_TOLERANCE = 1e-4
DEEP_EQUALS = """\
    static bool PolypassDeepEquals(object a, object b) {
        if (a == null || b == null) return a == null && b == null;
        if (a is string || !(a is System.Collections.IEnumerable) || !(b is System.Collections.IEnumerable)) return a.Equals(b);
        var da = a as System.Collections.IDictionary;
        if (da != null) {
            var db = b as System.Collections.IDictionary;
            if (db == null || da.Count != db.Count) return false;
            foreach (System.Collections.DictionaryEntry e in da) {
                if (!db.Contains(e.Key) || !PolypassDeepEquals(e.Value, db[e.Key])) return false;
            }
            return true;
        }
        var ea = ((System.Collections.IEnumerable)a).GetEnumerator();
        var eb = ((System.Collections.IEnumerable)b).GetEnumerator();
        while (true) {
            bool ma = ea.MoveNext(), mb = eb.MoveNext();
            if (ma != mb) return false;
            if (!ma) return true;
            if (!PolypassDeepEquals(ea.Current, eb.Current)) return false;
        }
    }
"""


def is_primitive(t: Type) -> bool:
    return isinstance(t, (TInt, TFloat, TBool))


def _tuple(syntax: TypeSyntax, t: Type) -> str:
    assert isinstance(t, TTuple)
    if not 1 <= len(t.elems) <= 7:
        raise Untranslatable(f"C# Tuple.Create has no {len(t.elems)}-tuple")
    return f"Tuple<{', '.join(syntax(e) for e in t.elems)}>"


def _optional(syntax: TypeSyntax, t: Type) -> str:
    """MultiPL-E: Nullable<T> for value types, the type itself (nullable already) otherwise."""
    assert isinstance(t, TOptional)
    inner = syntax(t.inner)
    return f"Nullable<{inner}>" if is_primitive(t.inner) else inner


cs_type = TypeSyntax(
    "C#", int="long", float="float", str="string", bool="bool", list="List<{elem}>",
    dict="Dictionary<{key},{value}>", tuple=_tuple, optional=_optional, any="object",
)


def cs_shape(value: Any) -> str:
    """A value spelled by its own Python shape, where it doesn't fit the declared type."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value}L"
    if isinstance(value, float):
        return repr(value) + "f"
    if isinstance(value, str):
        return c_string(value)
    if value is None:
        return "null"
    raise Untranslatable(f"C#: no spelling of {value!r} outside its type")


_PRIMITIVES = ("long", "float", "bool")


def cs_shaped(value: Any, faithful: bool = False) -> tuple[str, str]:
    """(text, C# type) of an untyped value, by its own shape, as MultiPL-E's C# writes it.

    A list's type is its first element's; its elements are cast to it when all are of it
    (`faithful`: or are primitives, ``(string)3.14f``), else it is a list of ``object``
    without casts. An empty list or map is one of longs.
    """
    if isinstance(value, bool) or value is None or not isinstance(value, (list, dict)):
        kind = {bool: "bool", int: "long", float: "float", str: "string"}.get(type(value))
        if kind is None:
            raise Untranslatable(f"C#: no untyped spelling of {value!r}")
        return cs_shape(value), kind
    if isinstance(value, list):
        if not value:
            return "new List<long>()", "List<long>"
        items = [cs_shaped(v, faithful) for v in value]
        first = items[0][1]
        if all(t == first or (faithful and t in _PRIMITIVES) for _, t in items):
            body, elem = ", ".join(f"({first}){x}" for x, _ in items), first
        else:
            body, elem = ", ".join(x for x, _ in items), "object"
        return f"new List<{elem}>(new {elem}[]{{{body}}})", f"List<{first}>"
    if not value:
        return "new Dictionary<long,long>()", "Dictionary<long,long>"
    pairs = [(cs_shaped(k, faithful), cs_shaped(v, faithful)) for k, v in value.items()]
    kind = f"Dictionary<{pairs[0][0][1]},{pairs[0][1][1]}>"
    return f"new {kind}(){{{', '.join(f'{{{k}, {v}}}' for (k, _), (v, _) in pairs)}}}", kind


def cs_coerced(value: Any, t: Type, faithful: bool = False) -> str:
    """An untyped value converted to the declared type as MultiPL-E's ``update_type`` does:
    its outer ``new T(`` becomes the declared type's. `faithful`: found as upstream finds it,
    the first ``Dictionary<..>(`` if any, greedily (an upstream bug: in HumanEval 22 it
    swallows a ``{}`` element of the list)."""
    text, kind = cs_shaped(value, faithful)
    declared = cs_type(t)
    if kind == declared:
        return text
    found = (faithful and re.findall(r"Dictionary<.+,.+>\(", text)) or re.findall(r"new (.+?\()", text)
    if not found:
        return text
    if faithful:
        return text.replace(found[0], declared + "(").replace("(())", "()")
    return text.replace(found[0], declared + "(", 1)


def cs_value(value: Any, t: Type, faithful: bool = False) -> str:
    """A C# expression for a Python value of type `t`, shaped as MultiPL-E writes it.

    Numbers keep their Python kind: an int where a float is declared is ``(float)3L``.
    `faithful`: a float list whose first element is an int is a ``long[]`` (``new
    List<float>(new long[]{(long)1L})``, which csc refuses; MultiPL-E writes it in prompts).
    """
    if isinstance(t, TAny):
        return cs_shaped(value, faithful)[0]
    if isinstance(t, TList) and isinstance(t.elem, TAny):
        return cs_coerced(value, t, faithful)
    if not fits(value, t) and not same_kind(value, t):
        if isinstance(t, (TList, TDict, TTuple)) and not isinstance(value, (list, tuple, dict)):
            return f"{cs_type(t)}({cs_shape(value)})"  # MultiPL-E's coercion of a scalar
        return cs_shape(value)
    if isinstance(t, TBool):
        return "true" if value else "false"
    if isinstance(t, TInt):
        return f"{value}L"
    if isinstance(t, TFloat):
        return repr(value) + "f" if isinstance(value, float) else f"(float){value}L"
    if isinstance(t, TStr):
        return c_string(value)
    if isinstance(t, TList):
        if not value:
            return f"new {cs_type(t)}()"
        elem = cs_type(t.elem)
        if faithful and isinstance(t.elem, TFloat) and not isinstance(value[0], float):
            items = ", ".join(f"(long){cs_shape(v)}" for v in value)
            return f"new {cs_type(t)}(new long[]{{{items}}})"
        items = ", ".join(cs_value(v, t.elem) if isinstance(t.elem, TFloat) and number(v) and not isinstance(v, float)
                          else f"({elem}){cs_value(v, t.elem, faithful)}" for v in value)
        return f"new {cs_type(t)}(new {elem}[]{{{items}}})"
    if isinstance(t, TDict):
        pairs = ", ".join(f"{{{cs_value(k, t.key, faithful)}, {cs_value(v, t.value, faithful)}}}" for k, v in value.items())
        return f"new {cs_type(t)}(){{{pairs}}}" if pairs else f"new {cs_type(t)}()"
    if isinstance(t, TTuple):
        # As MultiPL-E: a Nullable element is cast, or Tuple.Create can't infer its type.
        items = [f"({cs_type(e)}){cs_value(v, e, faithful)}" if isinstance(e, TOptional) and is_primitive(e.inner)
                 else cs_value(v, e, faithful) for v, e in zip(value, t.elems, strict=True)]
        return "Tuple.Create(" + ", ".join(items) + ")"
    if isinstance(t, TOptional):
        return "null" if value is None else cs_value(value, t.inner, faithful)
    raise Untranslatable(f"C# has no value of type {t}")


def optional_tuple(value: Any, t: Type) -> str | None:
    """MultiPL-E's spelling of a tuple of Nullables, an upstream bug: only the nulls are cast
    (``Tuple.Create((Nullable<long>)null, 1L)``, a ``Tuple<long?, long>``, equal to no answer)."""
    if not (isinstance(t, TTuple) and any(isinstance(e, TOptional) for e in t.elems)
            and isinstance(value, (list, tuple))):
        return None
    items = [f"({cs_type(e)})null" if v is None else cs_shape(v) for v, e in zip(value, t.elems, strict=True)]
    return "Tuple.Create(" + ", ".join(items) + ")"


def needs_deep_equals(t: Type) -> bool:
    """Return types for which C#'s Equals is not a structural comparison (or throws on null)."""
    if isinstance(t, (TList, TDict)):
        return True
    if isinstance(t, TOptional):
        return not is_primitive(t.inner)
    if isinstance(t, TTuple):
        return any(needs_deep_equals(e) for e in t.elems)
    return False


class CSharpTranslator(Translator):
    language = "cs"
    version = "2"
    stop_tokens = ("\n    }\n",)

    def check(self, function: FunctionIR) -> None:
        check_static_types(function, "C#", allow_any=True)
        check_values(function)

    shape_values = True

    def value(self, value: Any, type_: Type) -> str:
        return cs_value(value, type_)

    def _passed(self, value: Any, type_: Type, faithful: bool) -> str:
        """As MultiPL-E passes a value: parenthesised, except null, Nullable<T> values and
        cast ints."""
        if faithful and (odd := optional_tuple(value, type_)) is not None:
            return odd
        text = cs_value(value, type_, faithful)
        if value is None or (isinstance(type_, TOptional) and is_primitive(type_.inner)):
            return text
        if isinstance(type_, TFloat) and number(value) and not isinstance(value, float):
            return text
        return f"({text})"

    def argument(self, value: Any, type_: Type) -> str:
        return self._passed(value, type_, self.upstream_bugs)

    expected = argument

    def doctest_argument(self, value: Any, type_: Type) -> str:
        """Examples are comments: upstream's spelling, its bugs included, as published."""
        return self._passed(value, type_, True)

    doctest_output = doctest_argument

    def name(self, name: str) -> str:
        """A doctest's callee: MultiPL-E renames it as a variable first (``StringLength``)."""
        return camel_case(KEYWORDS.get(name, name), capitalize_first=True)

    def test_callee(self, function: FunctionIR) -> str:
        return camel_case(function.entry_point, capitalize_first=True)

    def prompt(self, function: FunctionIR, description: str) -> str:
        formal = ", ".join(f"{cs_type(p.type)} {KEYWORDS.get(p.name, p.name)}" for p in function.params)
        method = f"public static {cs_type(function.returns)} {camel_case(function.entry_point, capitalize_first=True)}({formal})"
        return f"{IMPORTS}class Problem {{\n{line_comment(description, INDENT + '//')}{INDENT}{method} {{\n"

    def test_prefix(self, function: FunctionIR) -> list[str]:
        helpers = [DEEP_EQUALS.rstrip("\n")] if self._deep(function) else []
        return [INDENT + "}", *helpers, INDENT + "public static void Main(string[] args) {"]

    def test_suffix(self, function: FunctionIR) -> list[str]:
        return [INDENT + "}\n", "}\n"]

    def _deep(self, function: FunctionIR) -> bool:
        """Our structural comparison, unless upstream's reference-equality ``.Equals``
        (upstream #71: no plain correct answer passes) is asked for."""
        return needs_deep_equals(function.returns) and not self.upstream_bugs

    def equality(self, actual: str, expected: str, function: FunctionIR) -> str:
        if is_primitive(function.returns):
            return f"{INDENT}Debug.Assert({actual} == {expected});"
        if self._deep(function):
            return f"{INDENT}Debug.Assert(PolypassDeepEquals({actual}, {expected}));"
        return f"{INDENT}Debug.Assert({actual}.Equals({expected}));"

    def near(self, actual: str, expected: str, tolerance: float, function: FunctionIR) -> str:
        return f"{INDENT}Debug.Assert(Math.Abs({actual} - {expected}) < {max(tolerance, FLOAT32_TOLERANCE)!r});"

    def stub(self, function: FunctionIR) -> str:
        return f"{INDENT * 2}return {self.default_value(function)};"


TRANSLATOR = CSharpTranslator()
