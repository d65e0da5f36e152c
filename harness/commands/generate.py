"""`polypass generate`: sample completions into RUN/generations.jsonl (resumable)."""

from __future__ import annotations

import argparse
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from rich.console import Console

from benchmarks.problem import Problem
from harness import rundir
from harness.commands.common import (
    add_problem_source_arguments,
    from_file_record,
    load_problems,
    parse_languages,
)
from harness.errors import UsageError
from harness.generation import GenerateSummary, GenerationParams, generate_run
from harness.generation.base import Backend
from harness.generation.parallel import DistEnv
from harness.generation.prompts import TEMPLATES
from harness.naming import model_name
from harness.rundir import GENERATIONS


def add_generation_arguments(parser: argparse.ArgumentParser) -> None:
    """Flags shared by `generate` and `run` (bigcode-evaluation-harness names where they exist)."""
    add = parser.add_argument
    add("--model", default=None,
        help="checkpoint dir or hub id (hf), served model name (openai), or samples file/dir (replay); "
             "default: the embedded SmolLM2-135M-Instruct GGUF")
    add("--backend", default="hf", choices=BACKENDS, help="generation backend (default: hf)")
    add("--name", default=None,
        help="how the model is named in the terminal, run.json, the report and the gate "
             "(default: the hub id, served model name, or local folder name)")
    add("--revision", default=None, help="hub revision (branch, tag or commit)")
    add("--benchmarks", "--benchmark", dest="benchmarks", default="humaneval",
        help="comma-separated problem sets (default: humaneval)")
    add("--languages", default=None, help="comma-separated MultiPL-E languages, or all (default)")
    add_problem_source_arguments(parser)
    add("--limit", type=int, default=None, help="only the first N problems of each benchmark and language")
    add("--n-samples", type=int, default=None, help="samples per problem (default: 1; replay: all in the file)")
    add("--temperature", type=float, default=0.0, help="0 = greedy (default)")
    add("--top-p", type=float, default=0.95, help="nucleus sampling (default: 0.95)")
    add("--max-new-tokens", type=int, default=512, help="new tokens per completion, prompt not counted (default: 512)")
    add("--seed", type=int, default=0, help="run seed; each sample's seed derives from it (default: 0)")
    add("--prompt-template", default="completion", choices=TEMPLATES,
        help="completion: the prompt as is (base models); chat: an instruction in the chat template, "
             "the answer's code block prefilled with the prompt; instruct: the same instruction, the model "
             "writes the whole function and the code is taken from its reply (small instruct models)")
    add("--batch-size", type=int, default=16, help="hf: sequences per batch (default: 16)")
    add("--hf-engine", default="loop", choices=("loop", "continuous"),
        help="hf: loop (ours: a seed per sample, default) or continuous (transformers' continuous batching; "
             "sampled runs not reproducible per sample)")
    add("--dtype", default="auto", help="hf: auto (the checkpoint's own), float32, float16, bfloat16")
    add("--device", default=None, help="hf: torch device (default: cuda if available, else cpu)")
    add("--peft", default=None, help="hf: PEFT adapter directory applied on the model")
    add("--gguf-file", default=None, help="hf: GGUF file name inside the --model directory")
    add("--trust-remote-code", action="store_true", help="hf: allow the checkpoint's own modelling code")
    add("--base-url", action="append", default=None,
        help="openai: server URL, e.g. http://host:8000/v1; repeat or comma-separate for replicas")
    add("--concurrency", type=int, default=32, help="openai: requests in flight (default: 32)")
    add("--replay-format", default="auto", choices=("auto", "human-eval", "bigcode", "multipl-e"),
        help="replay: input format (default: detect)")


def select_problems(args: argparse.Namespace) -> list[Problem]:
    problems = load_problems(args.benchmarks, parse_languages(args.languages), args.problems, args.from_file)
    if args.limit is not None:
        if args.limit < 1:
            raise UsageError(f"--limit must be >= 1, got {args.limit}")
        seen: dict[tuple[str, str], int] = {}
        limited = []
        for problem in problems:
            key = (problem.benchmark, problem.language)
            seen[key] = seen.get(key, 0) + 1
            if seen[key] <= args.limit:
                limited.append(problem)
        problems = limited
    if not problems:
        raise UsageError(f"no problems for --benchmarks {args.benchmarks} --languages {args.languages or 'all'}")
    return problems


def make_params(args: argparse.Namespace, backend: Backend) -> GenerationParams:
    n = args.n_samples if args.n_samples is not None else backend.default_n_samples
    return GenerationParams(
        n_samples=n, temperature=args.temperature, top_p=args.top_p,
        max_new_tokens=args.max_new_tokens, seed=args.seed, prompt_template=args.prompt_template,
    )


def make_backend(args: argparse.Namespace) -> Backend:
    return _FACTORIES[args.backend](args)


def _hf(args: argparse.Namespace) -> Backend:
    from harness.generation.hf import HFBackend

    model, gguf_file = args.model, args.gguf_file
    if model is None:
        from harness.generation.default_model import default_gguf

        folder, gguf_file = default_gguf()
        model = str(folder)
    return HFBackend(
        model, revision=args.revision, dtype=args.dtype, peft=args.peft, gguf_file=gguf_file,
        trust_remote_code=args.trust_remote_code, device=args.device, batch_size=args.batch_size,
        engine=args.hf_engine,
    )


def _openai(args: argparse.Namespace) -> Backend:
    from harness.generation.openai import OpenAIBackend

    urls = [u for value in (args.base_url or []) for u in value.split(",") if u.strip()]
    return OpenAIBackend(_required_model(args), urls, concurrency=args.concurrency,
                         api_key=os.environ.get("OPENAI_API_KEY"))


def _replay(args: argparse.Namespace) -> Backend:
    from harness.generation.replay import ReplayBackend

    return ReplayBackend(_required_model(args), args.replay_format)


def _required_model(args: argparse.Namespace) -> str:
    if args.model is None:
        raise UsageError(f"--backend {args.backend} needs --model")
    return args.model


_FACTORIES: dict[str, Callable[[argparse.Namespace], Backend]] = {"hf": _hf, "openai": _openai, "replay": _replay}
BACKENDS = tuple(_FACTORIES)


def run_name(args: argparse.Namespace) -> str:
    """The model's name as people say it: --name, else the embedded model's, else from --model."""
    if args.name:
        return args.name
    if args.model is None and args.backend == "hf":
        from harness.generation.default_model import NAME

        return NAME
    return model_name(args.model or "")


def default_out(args: argparse.Namespace) -> Path:
    if DistEnv.from_env().enabled:  # each rank would pick its own time stamp
        raise UsageError("--out is required when launched on several processes (WORLD_SIZE > 1)")
    label = re.sub(r"[^A-Za-z0-9._-]+", "-", run_name(args)).strip("-.") or "run"
    return Path("runs") / f"{label}-{datetime.now().strftime('%Y%m%d-%H%M%S')}"


def record_benchmark(run_dir: Path, args: argparse.Namespace, problems: list[Problem]) -> None:
    rundir.update_run_json(run_dir, "benchmark", {
        "name": args.benchmarks,
        "sources": sorted({p.source for p in problems}),
        "from": from_file_record(args.from_file),
        "languages": sorted({p.language for p in problems}),
        "problems": len(problems),
        "limit": args.limit,
    })


@dataclass(frozen=True)
class GenerationPlan:
    """What the generation flags ask for, checked before anything is written."""

    problems: list[Problem]
    params: GenerationParams
    backend: Backend


def plan_generation(args: argparse.Namespace) -> GenerationPlan:
    problems = select_problems(args)
    backend = make_backend(args)
    params = make_params(args, backend)
    backend.prepare(problems, params)  # a model that won't load, a bad samples file: before any write
    return GenerationPlan(problems, params, backend)


def run_generation(
    args: argparse.Namespace, plan: GenerationPlan, run_dir: Path, console: Console,
) -> GenerateSummary:
    """Generate into `run_dir`; rank 0 (or the only process) must own it (`rundir.own`)."""
    problems = plan.problems
    dist = DistEnv.from_env()
    if dist.is_main:
        record_benchmark(run_dir, args, problems)
    name = run_name(args)
    summary = generate_run(run_dir, problems, plan.backend, plan.params, name=name, console=console)
    reasons = " ".join(f"{r}={c}" for r, c in sorted(summary.finish_reasons.items()))
    console.print(
        f"{dist.label + ': ' if dist.enabled else ''}"
        f"[bold]{name}[/bold]: {summary.total} samples: {summary.already_done} already there, "
        f"{summary.generated} generated, {summary.copied} copied (greedy); "
        f"{summary.tokens} tokens in {summary.seconds:.1f}s ({summary.tokens_per_second:.0f} tok/s); {reasons}"
    )
    if summary.merged:
        console.print(f"merged {summary.merged} samples from the rank shards into {run_dir / GENERATIONS}")
    return summary


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "generate", help=f"sample completions into RUN/{GENERATIONS}",
        description="Sample completions from a checkpoint, a server or another harness's files. "
        "Run it again after a crash to resume: nothing is lost or repeated.",
    )
    add_generation_arguments(parser)
    parser.add_argument("--out", type=Path, default=None, help="run directory (default: runs/MODEL-TIME)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    console = Console(stderr=True)
    run_dir = args.out or default_out(args)
    plan = plan_generation(args)
    if not DistEnv.from_env().is_main:
        run_generation(args, plan, run_dir, console)
        return 0  # rank 0 merged the shards and says where they are
    with rundir.own(run_dir, "generate"):
        run_generation(args, plan, run_dir, console)
    console.print(f"samples: {run_dir / GENERATIONS}; next: polypass execute --out {run_dir}")
    return 0
