"""A hash per HumanEval problem × language of what our translator writes, to catch any change.

Each entry hashes (prompt, tests, stop tokens) of a translated problem, or the drop reason
of a dropped one. ``tests/translation_snapshot.json`` holds the hashes of the last output
changed on purpose; ``tests/test_translation_snapshot.py`` fails on any difference.

Regenerate it after a deliberate change (and say why in the commit)::

    PYTHONPATH=. python tests/translation_snapshot.py --update
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

SNAPSHOT = Path(__file__).with_name("translation_snapshot.json")


def _hash(parts: list[object]) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()[:12]


def current() -> dict[str, object]:
    """The snapshot of the translator as it is now: {"source", "languages": {lang: {number: hash}}}."""
    from benchmarks import humaneval
    from benchmarks.languages import translated_languages
    from benchmarks.translate.pipeline import translate_problems

    problems = humaneval.load()
    languages: dict[str, dict[str, str]] = {}
    for language in translated_languages():
        result = translate_problems(problems, language)
        entries = {p.name: _hash(["translated", p.prompt, p.tests, list(p.stop_tokens)]) for p in result.problems}
        entries.update({d.name: _hash(["dropped", d.reason]) for d in result.dropped})
        languages[language] = {
            name.split("_")[1]: entries[name] for name in sorted(entries, key=lambda n: int(n.split("_")[1]))
        }
    return {"source": problems[0].source, "languages": languages}


def stored() -> dict[str, object]:
    return json.loads(SNAPSHOT.read_text(encoding="utf-8"))


def write(snapshot: dict[str, object]) -> None:
    languages = snapshot["languages"]
    assert isinstance(languages, dict)
    lines = ["{", f'  "source": {json.dumps(snapshot["source"])},', '  "languages": {']
    for index, (language, entries) in enumerate(languages.items()):
        comma = "," if index < len(languages) - 1 else ""
        lines.append(f"    {json.dumps(language)}: {json.dumps(entries, separators=(',', ':'))}{comma}")
    lines += ["  }", "}", ""]
    SNAPSHOT.write_text("\n".join(lines), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="write the current hashes to the snapshot file")
    args = parser.parse_args(argv)
    now = current()
    if args.update:
        write(now)
        print(f"wrote {SNAPSHOT}")
        return 0
    before = stored()
    changed = [
        f"{lang} {number}"
        for lang in sorted(set(now["languages"]) | set(before["languages"]))  # type: ignore[arg-type]
        for number in sorted(
            set(now["languages"].get(lang, {})) | set(before["languages"].get(lang, {})), key=int  # type: ignore[union-attr]
        )
        if now["languages"].get(lang, {}).get(number) != before["languages"].get(lang, {}).get(number)  # type: ignore[union-attr]
    ]
    print(f"{len(changed)} changed: {' '.join(changed)}")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
