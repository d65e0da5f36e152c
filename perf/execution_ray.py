"""Execution on Ray against the local path, in one run; then a leaderboard run on a cluster, simulated.

1. local: `LocalExecutor` (this machine's engine, a pool of one container per CPU per language);
2. ray: `RayExecutor` on a two-node Ray cluster started here (each node 1 CPU, so a pool of one
   container per language per node: the same containers in all, on the same two cores);
   the same programs, result cache off, warm pools, local and ray in turn (the order swapped
   every other pass) to share the noise of a busy machine.
   Prints both throughputs, their ratio, the fixed start-up cost and the work per node.
3. simulation: `sandboxes.workqueue.simulate` (the driver's own dispatch policy) of a leaderboard
   run — n = 50 samples x 161 problems x 19 languages at the measured per-language costs — on 1,
   4 and 16 nodes of 32 cores, with the driver's per-verdict cost measured here.

Programs: real model completions from ../shared/multipl-e/real-completions.jsonl (those whose
recorded verdict is not a timeout), HumanEval canonical solutions for py.
Usage: python perf/execution_ray.py [--languages js,lua,r,py] [--per-language 30] [--passes 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks import humaneval  # noqa: E402
from sandboxes import engine  # noqa: E402
from sandboxes.cache import ResultCache, cache_key  # noqa: E402
from sandboxes.executors import LocalExecutor  # noqa: E402
from sandboxes.program import Program, program_sha256  # noqa: E402
from sandboxes.verdict import Outcome  # noqa: E402
from sandboxes.workqueue import PRIOR_COST_S, simulate  # noqa: E402
from tests.ray_cluster import LocalRayCluster  # noqa: E402

#: The reference data beside the checkout (../shared), or beside the worktree folder's parent.
REAL = next((p for p in (REPO.parent / "shared", REPO.parent.parent / "shared")
             if (p / "multipl-e").is_dir()), REPO.parent / "shared") / "multipl-e" / "real-completions.jsonl"
LEADERBOARD_PER_LANGUAGE = 50 * 161
CLUSTERS = (1, 4, 16)
CORES = 32


def load_programs(languages: list[str], per_language: int) -> list[Program]:
    programs: dict[str, list[str]] = {language: [] for language in languages}
    if "py" in programs:
        programs["py"] = [p.program(p.canonical_solution) for p in humaneval.load()]
    if REAL.exists():
        for line in REAL.read_text().splitlines():
            record = json.loads(line)
            language = record["language"]
            if language in programs and language != "py" and "timeout" not in str(record.get("ref_status", "")).lower():
                programs[language].append(record["program"])
    missing = [language for language, texts in programs.items() if not texts]
    if missing:
        raise SystemExit(f"no programs for {','.join(missing)} (real completions: {REAL})")
    chosen = []
    for language, texts in programs.items():
        unique = list(dict.fromkeys(texts))[:per_language]
        chosen += [Program(language, text) for text in unique]
    return chosen


def host_cpu_s(pids: list[int]) -> float:
    """CPU seconds this process and `pids` have used (the sandboxes' own work is dockerd's, in neither)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    total = usage.ru_utime + usage.ru_stime
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


@dataclass
class Pass:
    wall_s: float
    host_cpu_s: float
    statuses: dict[str, int]


def timed_run(executor, programs: list[Program], pids: Callable[[], list[int]] = list) -> Pass:
    statuses: dict[str, int] = {}

    def on_result(result) -> None:
        statuses[result.outcome.status] = statuses.get(result.outcome.status, 0) + 1

    watched = pids()
    cpu = host_cpu_s(watched)
    started = time.perf_counter()
    executor.run(programs, on_result)
    wall = time.perf_counter() - started
    return Pass(wall, host_cpu_s(watched) - cpu, statuses)


def local_pass(programs: list[Program], languages: list[str]) -> Pass:
    with LocalExecutor(engine.connect()) as executor:
        for language in languages:
            executor.prepare(language)  # as the execute stage does before running (run.json)
            executor.start_pool(language)  # warm, as the Ray nodes are once they are told the languages
        return timed_run(executor, programs)


def ray_pass(cluster: LocalRayCluster, programs: list[Program], languages: list[str]):
    from sandboxes.ray_executor import RayExecutor

    started = time.perf_counter()
    with RayExecutor(cluster.address, languages=languages, log=lambda _m: None) as executor:
        startup = time.perf_counter() - started
        executor.wait_until_warm()  # as the local pass starts its pools before it is timed
        measured = timed_run(executor, programs, lambda: [p for n in cluster.nodes.values() for p in n.pids()])
        return startup, measured, executor.node_stats


def driver_cost_per_verdict(n: int = 3000, batch: int = 50) -> float:
    """What the driver spends per verdict: cache writes (one transaction per batch) and a JSONL line."""
    outcome = Outcome("pass", 0, 0.1, "x" * 200, "", "")
    with tempfile.TemporaryDirectory() as tmp:
        cache = ResultCache(Path(tmp) / "c.sqlite")
        out = (Path(tmp) / "executions.jsonl").open("a")
        started = time.perf_counter()
        for start in range(0, n, batch):
            keys = [cache_key("ctx", program_sha256(str(i))) for i in range(start, start + batch)]
            cache.put_many([(key, outcome) for key in keys])
            for key in keys:
                out.write(json.dumps({"key": key, **outcome.to_dict()}) + "\n")
                out.flush()
        elapsed = time.perf_counter() - started
        cache.close()
        out.close()
    return elapsed / n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--languages", default="js,lua,r,py")
    parser.add_argument("--per-language", type=int, default=30)
    parser.add_argument("--passes", type=int, default=2)
    args = parser.parse_args()
    languages = args.languages.split(",")
    programs = load_programs(languages, args.per_language)
    print(f"{len(programs)} distinct programs ({', '.join(languages)}), {args.passes} passes per path")

    started = time.perf_counter()
    with LocalRayCluster(cpus_per_node=1).start(["node_a", "node_b"]) as cluster:
        cluster_s = time.perf_counter() - started
        idle = [p for n in cluster.nodes.values() for p in n.pids()]
        before = host_cpu_s(idle) - host_cpu_s([])
        time.sleep(10)
        idle_share = (host_cpu_s(idle) - host_cpu_s([]) - before) / 10 / (os.cpu_count() or 1)
        locals_, rays, startups, splits = [], [], [], []
        for index in range(args.passes):
            if index % 2:  # every other pass the Ray path goes first, so a drifting load hits both
                startup, ray_run, stats = ray_pass(cluster, programs, languages)
                local_run = local_pass(programs, languages)
            else:
                local_run = local_pass(programs, languages)
                startup, ray_run, stats = ray_pass(cluster, programs, languages)
            locals_.append(local_run)
            rays.append(ray_run)
            startups.append(startup)
            splits.append(stats)
            print(f"pass {index + 1}: local {len(programs) / local_run.wall_s:.2f} programs/s, "
                  f"ray {len(programs) / ray_run.wall_s:.2f} programs/s (start-up {startup:.1f} s)")
            if local_run.statuses != ray_run.statuses:
                print(f"  statuses differ: local {local_run.statuses}, ray {ray_run.statuses}")
    local_walls = [p.wall_s for p in locals_]
    ray_walls = [p.wall_s for p in rays]
    local_tput = len(programs) / (sum(local_walls) / len(local_walls))
    ray_tput = len(programs) / (sum(ray_walls) / len(ray_walls))
    ratios = sorted(local / ray for local, ray in zip(local_walls, ray_walls))
    median = statistics.median(ratios)
    print(f"\nlocal path: {local_tput:.2f} programs/s   ray path (2 nodes): {ray_tput:.2f} programs/s   "
          f"ratio ray/local {ray_tput / local_tput:.3f} overall, per pass {', '.join(f'{r:.3f}' for r in ratios)} "
          f"(median {median:.3f}: {(1 - median) * 100:+.1f} % overhead)")
    cores = os.cpu_count() or 1

    def share(passes: list[Pass]) -> float:
        return sum(p.host_cpu_s for p in passes) / (sum(p.wall_s for p in passes) * cores)

    print(f"host-side CPU while executing (polypass and Ray processes, not the sandboxes; does not "
          f"depend on the load): local {share(locals_) * 100:.1f} % of this machine, ray "
          f"{share(rays) * 100:.1f} % ({sum(p.host_cpu_s for p in rays) / len(rays) / len(programs) * 1e3:.1f} ms "
          f"per program; the idle cluster alone {idle_share * 100:.1f} %)")
    print(f"fixed costs: starting the 2-node cluster {cluster_s:.1f} s; executor start-up "
          f"(join, actors, image check) {sum(startups) / len(startups):.1f} s per run")
    for index, stats in enumerate(splits):
        print(f"pass {index + 1} split: " + "; ".join(
            f"{s.name}: {s.programs} programs, {s.batches} batches, {s.busy_s:.1f} s of work" for s in stats))

    per_verdict = driver_cost_per_verdict()
    startup = sum(startups) / len(startups)
    counts = {language: LEADERBOARD_PER_LANGUAGE for language in PRIOR_COST_S}
    total = sum(counts.values())
    work = sum(n * PRIOR_COST_S[language] for language, n in counts.items())
    print(f"\nleaderboard run, simulated: {total} executions ({len(counts)} languages x 50 x 161), "
          f"{work / 3600:.1f} core-hours at the measured per-language costs; driver {per_verdict * 1e3:.3f} ms "
          f"per verdict, start-up {startup:.0f} s")
    for nodes in CLUSTERS:
        run = simulate(counts, PRIOR_COST_S, [CORES] * nodes, driver_s_per_program=per_verdict, startup_s=startup)
        ideal = work / (nodes * CORES)
        print(f"  {nodes:>2} node(s) x {CORES} cores: {run.wall_s / 60:6.1f} min "
              f"(ideal {ideal / 60:.1f} min, efficiency {ideal / run.wall_s * 100:.0f} %, nodes finish within "
              f"{max(run.finish_s) - min(run.finish_s):.1f} s of each other)")


if __name__ == "__main__":
    main()
