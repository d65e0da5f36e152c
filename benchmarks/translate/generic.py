"""The generic translator: MultiPL-E's algorithm (``dataset_builder/generic_translator.py``), once.

MultiPL-E's builder is one generic translator and one small module per language. The generic
part rewords the docstring (``terms.py``), rewrites its doctests into the language, lays the
docstring out, and turns each test ``assert candidate(...) == expected`` into one assertion
between a prefix and a suffix; the language module only spells: types, values, calls, the
prompt around the docstring, the test statements, the stub. This module is that generic part;
``lang_<name>.py`` subclasses ``Translator`` and fills in the spelling hooks.

Unlike MultiPL-E, which re-parses Python text with per-language hacks, our languages get the
problem as a typed ``FunctionIR`` (``parse.py``): values arrive as Python values with their
declared type, so a language spells a value by its type.
"""

from __future__ import annotations

import copy
import importlib
import math
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from benchmarks.languages import language as registered
from benchmarks.translate.ir import (
    Call,
    Doctest,
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
    fits,
)
from benchmarks.translate.terms import reword


@dataclass(frozen=True)
class Translation:
    """A problem in one language: the program that runs is prompt + completion + "\\n" + tests."""

    prompt: str
    tests: str
    stop_tokens: tuple[str, ...]
    stub_completion: str  # a type-correct body returning a wrong value: compiles, tests fail


# --- types ----------------------------------------------------------------------------------

#: A container's spelling: a format string ({elem}, {elems}, {key}, {value}, {inner}, {options})
#: or, where a format can't say it (arity-named tuples, conditional wrappers), a function.
Form = str | Callable[["TypeSyntax", Type], str]


@dataclass(frozen=True)
class TypeSyntax:
    """How a language spells the IR's types: its primitives' names and a form per container.

    A type with no spelling is ``Untranslatable``. ``nested`` spells the types inside
    containers where they differ (Java's boxed ``Long`` in ``ArrayList<Long>``). Call it with
    a type.
    """

    language: str
    int: str
    float: str
    str: str
    bool: str
    none: str | None = None
    any: str | None = None
    list: Form | None = None
    tuple: Form | None = None
    dict: Form | None = None
    optional: Form | None = None
    union: Form | None = None
    nested: TypeSyntax | None = None

    def inner(self, t: Type) -> str:
        """`t` spelled inside a container."""
        return (self.nested or self)(t)

    def __call__(self, t: Type) -> str:
        primitive = {TInt: self.int, TFloat: self.float, TStr: self.str, TBool: self.bool,
                     TNone: self.none, TAny: self.any}
        if type(t) in primitive:
            spelled = primitive[type(t)]
            if spelled is None:
                raise Untranslatable(f"type {t} has no {self.language} translation")
            return spelled
        forms: dict[type, tuple[Form | None, Callable[[], dict[str, str]]]] = {
            TList: (self.list, lambda: {"elem": self.inner(t.elem)}),  # type: ignore[union-attr]
            TTuple: (self.tuple, lambda: {"elems": ", ".join(self.inner(e) for e in t.elems)}),  # type: ignore[union-attr]
            TDict: (self.dict, lambda: {"key": self.inner(t.key), "value": self.inner(t.value)}),  # type: ignore[union-attr]
            TOptional: (self.optional, lambda: {"inner": self.inner(t.inner)}),  # type: ignore[union-attr]
            TUnion: (self.union, lambda: {"options": ", ".join(self.inner(o) for o in t.options)}),  # type: ignore[union-attr]
        }
        form, parts = forms.get(type(t), (None, dict))
        if form is None:
            raise Untranslatable(f"type {t} has no {self.language} translation")
        return form(self, t) if callable(form) else form.format(**parts())


def children(t: Type) -> tuple[Type, ...]:
    if isinstance(t, TList):
        return (t.elem,)
    if isinstance(t, TTuple):
        return t.elems
    if isinstance(t, TDict):
        return (t.key, t.value)
    if isinstance(t, TOptional):
        return (t.inner,)
    if isinstance(t, TUnion):
        return t.options
    return ()


def walk(t: Type) -> list[Type]:
    """`t` and every type inside it."""
    return [t] + [inner for child in children(t) for inner in walk(child)]


def signature_types(function: FunctionIR) -> list[tuple[str, Type]]:
    """(where, type) of every parameter and the return, for messages."""
    return [(p.name, p.type) for p in function.params] + [("return", function.returns)]


# --- the docstring ---------------------------------------------------------------------------

def dedent_docstring(text: str) -> str:
    """MultiPL-E's docstring layout: blank lines dropped, then every line that starts with the
    second line's indentation loses it (the first line keeps its leading space)."""
    lines = [line for line in text.split("\n") if line.strip()]
    indent = len(lines[1]) - len(lines[1].lstrip()) if len(lines) > 1 else 0
    return "\n".join(
        line[indent:] if line[indent:].lstrip() == line.lstrip() else line for line in lines
    )


# --- the stub's value -----------------------------------------------------------------------

def wrong_value(t: Type, expected: Any, tolerance: float | None = None) -> Any:
    """A plain value of type `t` that differs from `expected`, so a stub returning it fails."""
    if isinstance(t, TBool):
        return not expected if isinstance(expected, bool) else False
    if isinstance(t, TInt):
        return 0 if expected != 0 else 1
    if isinstance(t, TFloat):
        if not isinstance(expected, (int, float)) or isinstance(expected, bool):
            return 0.0
        return 0.0 if abs(float(expected)) > max(1.0, 10 * (tolerance or 0)) else 1000.0
    if isinstance(t, TStr):
        return "" if expected != "" else "x"
    if isinstance(t, TList):
        return [] if expected else [wrong_value(t.elem, None)]
    if isinstance(t, TTuple):
        first = expected[0] if expected else None
        return tuple([wrong_value(t.elems[0], first)] + [wrong_value(e, None) for e in t.elems[1:]])
    if isinstance(t, TDict):
        return {} if expected else {wrong_value(t.key, None): wrong_value(t.value, None)}
    if isinstance(t, TOptional):
        return None if expected is not None else wrong_value(t.inner, None)
    if isinstance(t, TUnion):
        option = next((o for o in t.options if fits(expected, o)), t.options[0])
        return wrong_value(option, expected if fits(expected, option) else None, tolerance)
    if isinstance(t, (TAny, TNone)):
        return None if expected is not None else 0
    raise Untranslatable(f"no default value for type {t}")


# --- the translator ---------------------------------------------------------------------------

class Translator(ABC):
    """One target language. ``translate`` is MultiPL-E's algorithm; the rest are spelling hooks.

    Hooks a language must give: ``value`` (a literal of a type, MultiPL-E's ``gen_literal``,
    ``gen_list``, ``gen_tuple``, ``gen_dict``), ``prompt`` (``translate_prompt``: the
    docstring's comment and the signature), ``test_prefix`` / ``test_suffix``
    (``test_suite_prefix_lines`` / ``suffix``), ``equality`` (``deep_equality``) and ``stub``.
    Optional: ``check`` (refuse what the language can't express), ``argument`` / ``expected``
    (MultiPL-E's ``finalize`` of a left / right-hand side), ``call`` (``gen_call``), ``name``
    (``gen_var`` of the function), ``near`` (tests within a tolerance), ``test_line``.

    Raise ``Untranslatable(reason)`` for a problem the language can't express: it is dropped
    with that reason.
    """

    language: str  # MultiPL-E short name (the registry's)
    version: str = "1"  # bump when the output changes; recorded in run.json
    stop_tokens: tuple[str, ...] = ()
    #: Reproduce the official build's known bugs (the README lists them) instead of fixing
    #: them, so a user can reproduce published numbers exactly. Set by ``translator_for``.
    upstream_bugs: bool = False
    #: The language spells a value by its own Python shape (an int literal stays an int, a
    #: list's element type comes from its elements) and then converts it to the declared type,
    #: as MultiPL-E's typed builders do; its doctests then get the declared types even where
    #: the values don't fit them (HumanEval 95's ``{8: ...}`` in a ``Dict[str, str]``).
    shape_values: bool = False

    # --- the algorithm ------------------------------------------------------------------------

    def translate(self, function: FunctionIR) -> Translation:
        self.check(function)
        prompt = self.prompt(function, self.description(function))
        tests = self.test_suite(function)
        return Translation(prompt, tests, tuple(self.stop_tokens), self.stub(function))

    def description(self, function: FunctionIR) -> str:
        """The docstring as MultiPL-E's builder hands it to ``translate_prompt``: its prose
        reworded (``terms.py``), its doctests in the language, blank lines dropped and the
        body dedented by the indentation of its second line."""
        text = function.docstring
        parts: list[str] = []
        position = 0
        for doctest in function.doctests:
            parts.append(reword(text[position:doctest.start], self.language))
            parts.append(self.doctest(function, doctest, text[doctest.start:doctest.end]))
            position = doctest.end
        parts.append(reword(text[position:], self.language))
        return dedent_docstring("".join(parts))

    def doctest(self, function: FunctionIR, doctest: Doctest, text: str) -> str:
        """``>>> call`` and the output on the next line indented by 4, in the language.

        As MultiPL-E's typed translators do, the values are spelled by the function's declared
        types, position by position, whatever function the doctest calls; where they don't
        fit, with the types unknown (``TAny``), which only a language that spells values by
        their shape can write. What the language can't write stays as it was.
        """
        call = doctest.call
        if call is None:
            return text
        params = function.params
        arity = len(call.args) == len(params)
        typed = arity and (self.shape_values or all(fits(v, p.type) for v, p in zip(call.args, params, strict=False)))
        types = [p.type for p in params] if typed else [TAny()] * len(call.args)
        returns = function.returns if self.shape_values or fits(call.expected, function.returns) else TAny()
        try:
            callee = self.name(doctest.callee)
            args = [self.doctest_argument(v, t) for v, t in zip(call.args, types, strict=True)]
            written = self.call(callee, args, function)
            output = self.doctest_output(call.expected, returns)
        except Untranslatable:
            return text
        return ">>> " + written + "\n    " + output + "\n"

    def test_suite(self, function: FunctionIR) -> str:
        """The test prefix, one assertion per test, the suffix, one per line. A test the
        language can't write drops the problem, as MultiPL-E's builder does by default."""
        if not function.tests:
            raise Untranslatable("no test can be written: no tests")
        lines = [self.test_line(function, test) for test in function.tests]
        return "\n".join([*self.test_prefix(function), *lines, *self.test_suffix(function)])

    def test_line(self, function: FunctionIR, test: Call) -> str:
        actual = self.render_call(function, test, self.test_callee(function))
        expected = self.expected(test.expected, function.returns)
        tolerance = function.float_tolerance
        if tolerance is not None and isinstance(function.returns, TFloat):
            near = self.near(actual, expected, tolerance, function)
            if near is not None:
                return near
        return self.equality(actual, expected, function)

    def render_call(self, function: FunctionIR, call: Call, callee: str) -> str:
        """A call of the function with the call's arguments, each spelled by its parameter's type."""
        args = [self.argument(v, p.type) for v, p in zip(call.args, function.params, strict=True)]
        return self.call(callee, args, function)

    def default_value(self, function: FunctionIR) -> str:
        """A literal of the return type that differs from the first test's expected value."""
        first = function.tests[0].expected if function.tests else None
        wrong = wrong_value(function.returns, first, function.float_tolerance)
        return self.value(wrong, function.returns)

    # --- spelling hooks -------------------------------------------------------------------------

    def check(self, function: FunctionIR) -> None:  # noqa: B027 - optional hook
        """Raise Untranslatable for what the language can't express (nothing, by default)."""

    def value(self, value: Any, type_: Type) -> str:
        """A literal of `type_` holding the Python value (as the Python test wrote it).

        By default spelled by the value's Python shape, as MultiPL-E's ``translate_expr``
        does, through ``string``, ``boolean``, ``none``, ``number``, ``list_``, ``tuple_``,
        ``dict_``; a typed language spells by `type_` instead and overrides this.
        """
        if isinstance(value, bool):
            return self.boolean(value)
        if value is None:
            return self.none()
        if isinstance(value, (int, float)):
            return self.number(value)
        if isinstance(value, str):
            return self.string(value)
        if isinstance(value, list):
            return self.list_([self.value(v, TAny()) for v in value])
        if isinstance(value, tuple):
            return self.tuple_([self.value(v, TAny()) for v in value])
        if isinstance(value, dict):
            return self.dict_([(self.value(k, TAny()), self.value(v, TAny())) for k, v in value.items()])
        raise Untranslatable(f"{self.language} can't write the value {value!r}")

    def string(self, value: str) -> str:
        raise NotImplementedError(f"{self.language}: no string literals")

    def boolean(self, value: bool) -> str:
        return "true" if value else "false"

    def none(self) -> str:
        raise NotImplementedError(f"{self.language}: no None literal")

    def number(self, value: int | float) -> str:
        if isinstance(value, float) and not math.isfinite(value):
            raise Untranslatable(f"{self.language} has no literal for {value!r}")
        return repr(value)

    def list_(self, items: list[str]) -> str:
        raise NotImplementedError(f"{self.language}: no list literals")

    def tuple_(self, items: list[str]) -> str:
        return self.list_(items)

    def dict_(self, pairs: list[tuple[str, str]]) -> str:
        raise NotImplementedError(f"{self.language}: no dict literals")

    def argument(self, value: Any, type_: Type) -> str:
        """An argument as the tests pass it (MultiPL-E's ``finalize(..., "lhs")`` of its parts)."""
        return self.value(value, type_)

    def expected(self, value: Any, type_: Type) -> str:
        """An expected value as the tests write it (MultiPL-E's ``finalize(..., "rhs")``)."""
        return self.value(value, type_)

    def doctest_argument(self, value: Any, type_: Type) -> str:
        """A doctest's argument (by default as the tests pass one)."""
        return self.argument(value, type_)

    def doctest_output(self, value: Any, type_: Type) -> str:
        """A doctest's output (by default as the tests write an expected value)."""
        return self.expected(value, type_)

    def name(self, name: str) -> str:
        """A Python function's name in the language (MultiPL-E's ``gen_var``)."""
        return name

    def test_callee(self, function: FunctionIR) -> str:
        """What the tests call: ``candidate``, or the function itself."""
        return "candidate"

    def call(self, callee: str, args: list[str], function: FunctionIR) -> str:
        """A call (MultiPL-E's ``gen_call``)."""
        return f"{callee}({', '.join(args)})"

    @abstractmethod
    def prompt(self, function: FunctionIR, description: str) -> str:
        """Everything before the completion: imports, the docstring as a comment, the signature."""

    @abstractmethod
    def test_prefix(self, function: FunctionIR) -> list[str]: ...

    @abstractmethod
    def test_suffix(self, function: FunctionIR) -> list[str]: ...

    @abstractmethod
    def equality(self, actual: str, expected: str, function: FunctionIR) -> str:
        """One test: actual equals expected, deeply."""

    def near(self, actual: str, expected: str, tolerance: float, function: FunctionIR) -> str | None:
        """One test: |actual - expected| < tolerance (None: the language compares exactly)."""
        return None

    @abstractmethod
    def stub(self, function: FunctionIR) -> str:
        """A completion that compiles and returns a wrong value (``default_value``), closing the function."""


def translator_for(language: str, *, upstream_bugs: bool = False) -> Translator:
    """The translator of `language`: the TRANSLATOR of its module in the registry; with
    `upstream_bugs`, a copy that writes the official build's known bugs as upstream does."""
    module = importlib.import_module(registered(language).translator_module)
    translator: Translator = module.TRANSLATOR
    if not upstream_bugs:
        return translator
    faithful = copy.copy(translator)
    faithful.upstream_bugs = True
    return faithful
