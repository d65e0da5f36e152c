"""Data-parallel generation over processes started by `torchrun` or `accelerate launch`.

When WORLD_SIZE > 1, rank r of w takes every w-th unit of work (a problem at temperature 0,
where one sample is generated and copied to the others; a (problem, sample) slot otherwise),
counted in the order of the problem list, so the share depends only on the problems, the
parameters and w. Each rank appends to its own shard, `generations.rank-R-of-W.jsonl`
(resumable like the main file). After a barrier (torch.distributed, gloo), rank 0 merges every
shard into `generations.jsonl` in problem order and removes the shards; samples are seeded per
sample, so the merged file does not depend on the number of processes. Shards left by a run
that died are read as done by the next run, whatever its process count, and merged by it.
The shard files, their reading and merging live in `harness.rundir`; each rank locks its shard
while it writes, and rank 0 owns the run directory.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta

from harness.errors import UsageError
from harness.rundir import shard_name

#: how long a finished rank waits at the barrier for the slowest one (env POLYPASS_DIST_TIMEOUT_S).
DEFAULT_TIMEOUT_S = 7 * 24 * 3600


@dataclass(frozen=True)
class DistEnv:
    """This process's place among the data-parallel workers (rank 0 of 1 when launched alone)."""

    rank: int = 0
    world_size: int = 1
    local_rank: int = 0

    @classmethod
    def from_env(cls) -> DistEnv:
        try:
            world = int(os.environ.get("WORLD_SIZE", "1"))
            rank = int(os.environ.get("RANK", "0"))
            local = int(os.environ.get("LOCAL_RANK", str(rank)))
        except ValueError:
            raise UsageError("RANK / WORLD_SIZE / LOCAL_RANK must be integers") from None
        if world < 1 or not 0 <= rank < world:
            raise UsageError(f"bad distributed environment: RANK={rank} WORLD_SIZE={world}")
        return cls(rank, world, local)

    @property
    def enabled(self) -> bool:
        return self.world_size > 1

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    def owns(self, unit: int) -> bool:
        return unit % self.world_size == self.rank

    @property
    def shard_name(self) -> str:
        return shard_name(self.rank, self.world_size)

    @property
    def label(self) -> str:
        return f"rank {self.rank}/{self.world_size}" if self.enabled else ""


class ProcessGroup:
    """A gloo process group for the final barrier (one made by accelerate is reused)."""

    def __init__(self, env: DistEnv):
        self.env = env
        self.created = False

    def __enter__(self) -> ProcessGroup:
        import torch.distributed as dist

        if not dist.is_available():
            raise UsageError("WORLD_SIZE > 1 but this torch build has no torch.distributed")
        if not dist.is_initialized():
            missing = [v for v in ("MASTER_ADDR", "MASTER_PORT") if not os.environ.get(v)]
            if missing:
                raise UsageError(
                    f"WORLD_SIZE={self.env.world_size} but {', '.join(missing)} unset: "
                    "launch with torchrun or accelerate launch"
                )
            timeout = float(os.environ.get("POLYPASS_DIST_TIMEOUT_S", DEFAULT_TIMEOUT_S))
            dist.init_process_group("gloo", rank=self.env.rank, world_size=self.env.world_size,
                                    timeout=timedelta(seconds=timeout))
            self.created = True
        return self

    def barrier(self) -> None:
        import torch.distributed as dist

        group = dist.new_group(backend="gloo") if dist.get_backend() != "gloo" else None
        dist.barrier(group=group)

    def __exit__(self, *exc: object) -> None:
        import torch.distributed as dist

        if self.created and dist.is_initialized():
            dist.destroy_process_group()
