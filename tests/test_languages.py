"""Every registered language has all its parts, and nothing unregistered has any.

A language's parts: its entry in benchmarks/languages.py, a translator module
(benchmarks/translate/lang_<name>.py with a TRANSLATOR for that language), a sandbox folder
(sandboxes/<name>/ with Dockerfile and lang.toml, same display name), conformance data
(tests/conformance/<name>/: variants.toml with an [expect] table, official.json and at least 20
reference solutions), and a row in the terms table MultiPL-E's builder rewords docstrings with.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest
import tomllib
from conformance_kit import CONFORMANCE_DIR, CONFORMANCE_LANGUAGES, reference_solutions, variants

from benchmarks import multiple
from benchmarks.languages import (
    LANGUAGES,
    from_builder_ext,
    language,
    translated_languages,
)
from benchmarks.problem import LANGUAGES as PROBLEM_LANGUAGES
from benchmarks.translate import terms
from benchmarks.translate.generic import translator_for
from sandboxes.spec import SANDBOXES_DIR, available_languages, load_spec

TRANSLATE_DIR = Path(importlib.import_module("benchmarks.translate").__file__).parent  # type: ignore[arg-type]


def test_one_list_of_languages() -> None:
    assert LANGUAGES[0] == "py" and len(LANGUAGES) == len(set(LANGUAGES)) == 19
    assert PROBLEM_LANGUAGES is LANGUAGES
    assert translated_languages() == list(LANGUAGES) == multiple.translated_languages()
    assert sorted(available_languages()) == sorted(LANGUAGES), "sandboxes/*/lang.toml and the registry disagree"
    assert set(CONFORMANCE_LANGUAGES) == set(LANGUAGES) - {"py"}
    assert from_builder_ext("go_test.go") is language("go") and from_builder_ext("go") is None


def test_nothing_unregistered_has_parts() -> None:
    modules = {p.stem.removeprefix("lang_") for p in TRANSLATE_DIR.glob("lang_*.py")}
    assert modules == set(LANGUAGES), "translator modules without a registry entry (or the reverse)"
    folders = {p.parent.name for p in SANDBOXES_DIR.glob("*/Dockerfile")}
    assert folders == set(LANGUAGES), "sandbox folders without a registry entry (or the reverse)"
    data = {p.name for p in CONFORMANCE_DIR.iterdir() if p.is_dir()}
    assert data == set(CONFORMANCE_LANGUAGES), "conformance folders without a registry entry (or the reverse)"
    assert set(terms.TERMS) == set(LANGUAGES), "terms.csv rows and the registry disagree"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_language_has_all_its_parts(lang: str) -> None:
    entry = language(lang)
    translator = translator_for(lang)
    assert translator.language == lang and translator.stop_tokens
    assert importlib.import_module(entry.translator_module).TRANSLATOR is translator
    assert (entry.sandbox_dir / "Dockerfile").is_file() and (entry.sandbox_dir / "lang.toml").is_file()
    spec = load_spec(lang)
    assert spec.name == lang and spec.display_name == entry.display_name
    assert terms.TERMS[lang]["Python"] == entry.display_name
    if entry.conformance_dir is None:
        return
    assert entry.conformance_dir.is_dir()
    expect = tomllib.loads((entry.conformance_dir / "variants.toml").read_text()).get("expect")
    assert isinstance(expect, dict), f"{lang}: variants.toml has no [expect] table"
    assert variants(lang).loop and variants(lang).broken
    row = json.loads((entry.conformance_dir / "official.json").read_text())["row"]
    assert row["language"] == entry.builder_ext, "official.json's row is not as MultiPL-E's builder writes it"
    assert len(reference_solutions(lang)) >= 20
