"""Our translator's output on HumanEval changes only on purpose.

``tests/translation_snapshot.json`` holds a hash per problem × language of (prompt, tests,
stop tokens) or the drop reason. After a deliberate change, regenerate it with
``PYTHONPATH=. python tests/translation_snapshot.py --update`` and say why in the commit.
"""

from __future__ import annotations

from translation_snapshot import current, stored

REGENERATE = "PYTHONPATH=. python tests/translation_snapshot.py --update"


def test_translations_are_unchanged_since_the_snapshot() -> None:
    now, before = current(), stored()
    assert now["source"] == before["source"], (
        f"the snapshot was taken on {before['source']}, HumanEval here is {now['source']}"
    )
    assert sorted(now["languages"]) == sorted(before["languages"]), "the set of translated languages changed"
    changed: dict[str, list[str]] = {}
    for language, entries in now["languages"].items():
        old = before["languages"][language]
        numbers = sorted(set(entries) | set(old), key=int)
        diff = [n for n in numbers if entries.get(n) != old.get(n)]
        if diff:
            changed[language] = diff
    assert not changed, (
        "translations changed (language: HumanEval numbers): "
        + "; ".join(f"{lang}: {' '.join(numbers)}" for lang, numbers in changed.items())
        + f". If on purpose, regenerate with: {REGENERATE}"
    )
