"""C#, as MultiPL-E's ``humaneval_to_cs`` writes it: class ``Problem``, ``Debug.Assert`` in ``Main``.

One deliberate difference: MultiPL-E compares non-primitive results with ``.Equals``, which
for ``List``/``Dictionary`` is reference equality (a correct answer can never pass) and
throws on a ``null`` string. For those return types the tests call a small structural
``PolypassDeepEquals`` helper, put in the class before ``Main``; everything else is unchanged.
"""

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
    is_primitive,
)

CS_TERMS = {
    "Python": "C#", "py": "cs", "array": "list", "list": "list", "tuple": "tuple",
    "dictionary": "dictionary", "None": "null", "True": "true", "False": "false",
}
CS_IMPORTS = (
    "using System;\n"
    "using System.Numerics;\n"
    "using System.Diagnostics;\n"
    "using System.Collections.Generic;\n"
    "using System.Linq;\n"
    "using System.Text;\n"
    "using System.Security.Cryptography;\n"
)
#: MultiPL-E's renames for C# (keywords and names its C++ base renames).
CS_KEYWORDS = {"operator": "op", "strlen": "string_length", "string": "str", "base": "numBase",
               "decimal": "decimalNum"}
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


def cs_type(t: Type) -> str:
    if isinstance(t, TInt):
        return "long"
    if isinstance(t, TFloat):
        return "float"
    if isinstance(t, TBool):
        return "bool"
    if isinstance(t, TStr):
        return "string"
    if isinstance(t, TList):
        return f"List<{cs_type(t.elem)}>"
    if isinstance(t, TDict):
        return f"Dictionary<{cs_type(t.key)},{cs_type(t.value)}>"
    if isinstance(t, TTuple):
        if not 1 <= len(t.elems) <= 7:
            raise Untranslatable(f"C# Tuple.Create has no {len(t.elems)}-tuple")
        return f"Tuple<{', '.join(cs_type(e) for e in t.elems)}>"
    if isinstance(t, TOptional):
        # MultiPL-E: Nullable<T> for value types, the type itself (nullable already) otherwise.
        inner = cs_type(t.inner)
        return f"Nullable<{inner}>" if is_primitive(t.inner) else inner
    raise Untranslatable(f"C# has no type for {t}")


def cs_value(value: Any, t: Type) -> str:
    """A C# expression for a Python value of type `t`, shaped as MultiPL-E writes it."""
    if isinstance(t, TBool):
        return "true" if value else "false"
    if isinstance(t, TInt):
        return f"{value}L"
    if isinstance(t, TFloat):
        return float_literal(value)
    if isinstance(t, TStr):
        return c_string(value)
    if isinstance(t, TList):
        if not value:
            return f"new {cs_type(t)}()"
        elem = cs_type(t.elem)
        items = ", ".join(f"({elem}){cs_value(v, t.elem)}" for v in value)
        return f"new {cs_type(t)}(new {elem}[]{{{items}}})"
    if isinstance(t, TDict):
        pairs = ", ".join(f"{{{cs_value(k, t.key)}, {cs_value(v, t.value)}}}" for k, v in value.items())
        return f"new {cs_type(t)}(){{{pairs}}}" if pairs else f"new {cs_type(t)}()"
    if isinstance(t, TTuple):
        # As MultiPL-E: a Nullable element is cast, or Tuple.Create can't infer its type.
        items = [f"({cs_type(e)}){cs_value(v, e)}" if isinstance(e, TOptional) and is_primitive(e.inner)
                 else cs_value(v, e) for v, e in zip(value, t.elems)]
        return "Tuple.Create(" + ", ".join(items) + ")"
    if isinstance(t, TOptional):
        return "null" if value is None else cs_value(value, t.inner)
    raise Untranslatable(f"C# has no value of type {t}")


def needs_deep_equals(t: Type) -> bool:
    """Return types for which C#'s Equals is not a structural comparison (or throws on null)."""
    if isinstance(t, (TList, TDict)):
        return True
    if isinstance(t, TOptional):
        return not is_primitive(t.inner)
    if isinstance(t, TTuple):
        return any(needs_deep_equals(e) for e in t.elems)
    return False


class CSharpTranslator(ClassTranslator):
    language = "cs"
    display_name = "C#"
    terms = CS_TERMS
    imports = CS_IMPORTS
    main_header = "public static void Main(string[] args) {"
    capitalize_name = True
    assert_call = "Debug.Assert"
    abs_call = "Math.Abs"
    equals = ".Equals"

    def value(self, value: Any, t: Type) -> str:
        return cs_value(value, t)

    def arg(self, value: Any, t: Type) -> str:
        """As MultiPL-E passes a value: parenthesised, except null and Nullable<T> values."""
        text = cs_value(value, t)
        if value is None or (isinstance(t, TOptional) and is_primitive(t.inner)):
            return text
        return f"({text})"

    def method(self, name: str, function: FunctionIR) -> str:
        formal = ", ".join(f"{cs_type(p.type)} {CS_KEYWORDS.get(p.name, p.name)}" for p in function.params)
        return f"public static {cs_type(function.returns)} {name}({formal})"

    def helpers(self, function: FunctionIR) -> list[str]:
        return [DEEP_EQUALS.rstrip("\n")] if needs_deep_equals(function.returns) else []

    def compare(self, call: str, right: str, function: FunctionIR) -> str:
        if needs_deep_equals(function.returns):
            return f"PolypassDeepEquals({call}, {right})"
        return super().compare(call, right, function)


TRANSLATOR = CSharpTranslator()
