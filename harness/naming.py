"""Names people read: what a run's model is called in the terminal, run.json, the report and the gate.

A hub id or a served model name is itself; a local checkpoint is its folder name (with
its parent when the folder is only a training-step marker such as `checkpoint-500`, so
runs of one training run still share a trend line); a file of replayed samples is its
name without extensions. `--name` overrides all of these.
"""

from __future__ import annotations

import re
from pathlib import Path

#: a folder named only by a training step, as trainers write them: `checkpoint-500`, `step_1200`
_STEP_FOLDER = re.compile(r"^(?:global[-_]?)?(?:step|checkpoint|ckpt|iter)[-_]?\d+$", re.IGNORECASE)
_SAMPLE_SUFFIXES = (".gz", ".jsonl", ".json")


def looks_like_path(model: str) -> bool:
    """A hub id is `name` or `org/name`; anything else is meant as a local path."""
    return model.startswith((".", "/", "~")) or model.count("/") > 1 or "\\" in model


def model_name(model: str) -> str:
    """How people call the checkpoint `model` (a hub id, served name, local folder or file)."""
    text = model.strip()
    path = Path(text).expanduser()
    if not text or not (looks_like_path(text) or path.exists()):
        return text
    path = Path(*path.parts)  # drops a trailing separator
    name = path.name or str(path)
    if path.is_file() or not path.exists():
        for suffix in _SAMPLE_SUFFIXES:
            name = name.removesuffix(suffix)
    if _STEP_FOLDER.match(name) and path.parent.name:
        return f"{path.parent.name}/{name}"
    return name
