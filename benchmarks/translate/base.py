"""What every target language provides to the translator (one module ``lang_<name>.py`` each)."""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field

from benchmarks.languages import language as registered
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


@dataclass(frozen=True)
class Translation:
    """A problem in one language: the program that runs is prompt + completion + "\\n" + tests."""

    prompt: str
    tests: str
    stop_tokens: tuple[str, ...]
    stub_completion: str  # a type-correct body returning a default value: compiles, tests fail


@dataclass(frozen=True)
class TypeSyntax:
    """How a statically typed language spells the IR's types: the primitives' names and
    format strings for containers ({elem}, {elems}, {key}, {value}, {inner}); a type with
    no spelling is Untranslatable. Call it with a type."""

    language: str
    int: str
    float: str
    str: str
    bool: str
    list_form: str | None = None
    tuple_form: str | None = None
    dict_form: str | None = None
    optional_form: str | None = None
    others: Mapping[type, str] = field(default_factory=dict)

    def __call__(self, t: Type) -> str:
        primitive = {TInt: self.int, TFloat: self.float, TStr: self.str, TBool: self.bool, **self.others}
        if type(t) in primitive:
            return primitive[type(t)]
        if isinstance(t, TList) and self.list_form is not None:
            return self.list_form.format(elem=self(t.elem))
        if isinstance(t, TTuple) and self.tuple_form is not None:
            return self.tuple_form.format(elems=", ".join(self(e) for e in t.elems))
        if isinstance(t, TDict) and self.dict_form is not None:
            return self.dict_form.format(key=self(t.key), value=self(t.value))
        if isinstance(t, TOptional) and self.optional_form is not None:
            return self.optional_form.format(inner=self(t.inner))
        raise Untranslatable(f"type {t} has no {self.language} translation")


class LanguageTranslator(ABC):
    """Turns a FunctionIR into one language, as MultiPL-E's translator for it does.

    Raise ``Untranslatable(reason)`` for problems the language can't express (mixed types,
    unions it can't type, ...). Docstrings become comments in the language's style with the
    examples rewritten into the language ("reworded" prompt terminology). For languages with
    braces (cpp rs sh swift java cs scala ...) the prompt ends inside the function body, the
    completion stops before the closing brace, and the tests start by closing it.
    """

    language: str  # MultiPL-E short name
    version: str = "1"  # bump when the output changes; recorded in run.json

    @abstractmethod
    def translate(self, function: FunctionIR) -> Translation: ...


def translator_for(language: str) -> LanguageTranslator:
    """The translator of `language`: the TRANSLATOR of its module in the registry."""
    module = importlib.import_module(registered(language).translator_module)
    return module.TRANSLATOR
