"""What run.json starts with: polypass version and host (read and written by `harness.rundir`)."""

from __future__ import annotations

import os
import platform
from importlib import metadata
from pathlib import Path
from typing import Any


def host_cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def base_sections() -> dict[str, Any]:
    return {
        "polypass": {"version": metadata.version("polypass")},
        "host": {"cpu": host_cpu(), "cores": os.cpu_count(), "platform": platform.platform()},
    }
