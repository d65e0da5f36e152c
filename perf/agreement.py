"""Agreement of polypass's verdicts with MultiPL-E's recorded ones (a thin wrapper over
``polypass agreement``), by default on ../shared/multipl-e/real-completions.jsonl:

    python perf/agreement.py [PATH ...] [--pool-size N] [--no-cache] [--out FILE.jsonl]

Every program runs in the real sandboxes (images are built on first use); the table gives,
per language, how many of our pass/fail verdicts agree with the recorded ones.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness.cli import main  # noqa: E402

#: ``../shared`` of the checkout (or of the folder holding git worktrees)
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if p.is_dir()), ROOT.parent / "shared")
DEFAULT = SHARED / "multipl-e" / "real-completions.jsonl"


if __name__ == "__main__":
    argv = sys.argv[1:]
    if not any(Path(a).exists() for a in argv if not a.startswith("-")):
        argv = [str(DEFAULT), *argv]
    sys.exit(main(["agreement", *argv]))
