"""The `hf` backend: transformers checkpoints, sampled with our own batched decode loop.

Why our own loop rather than `model.generate`: we need a seed per *sample* (so a sample is
the same whatever batch it lands in and after a resume), stop strings checked per sequence
on the generated text only, and finished sequences dropped from the batch at once instead
of the batch waiting for its slowest member. Prompts are sorted by length and left-padded;
each distinct prompt is prefilled once and its KV cache copied to its samples.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.problem import Problem
from harness.errors import UsageError
from harness.generation import prompts
from harness.generation.base import Emit, GenerationParams, Job
from harness.generation.parallel import DistEnv
from harness.generation.prompts import RenderedPrompt
from harness.generation.sequences import LoadedModel, PendingSample, SequenceReader
from harness.naming import looks_like_path

DTYPES = ("auto", "float32", "float16", "bfloat16")
#: loop: our own batched decode loop (per-sample seeds); continuous: transformers' continuous batching
ENGINES = ("loop", "continuous")
WEIGHT_SUFFIXES = (".safetensors", ".bin", ".gguf", ".pt")


def sha256_files(paths: Sequence[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode() + b"\0")
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def checkpoint_sha256(folder: Path, gguf_file: str | None = None) -> str | None:
    """Hash of the weights and config in a local checkpoint folder (None for hub ids)."""
    if not folder.is_dir():
        return None
    if gguf_file:
        files = [folder / gguf_file]
    else:
        files = [p for p in folder.iterdir() if p.suffix in WEIGHT_SUFFIXES and p.is_file()]
        files += [p for p in (folder / "config.json", folder / "adapter_config.json") if p.exists()]
    return sha256_files(files) if files else None


def hub_reachable(timeout_s: float = 3.0) -> bool:
    """Whether the Hugging Face hub answers at all (avoids a minute of hub-client retries)."""
    import socket
    from urllib.parse import urlparse

    if os.environ.get("HF_HUB_OFFLINE", "0") not in ("0", "", "false", "False"):
        return False
    endpoint = urlparse(os.environ.get("HF_ENDPOINT", "https://huggingface.co"))
    port = endpoint.port or (443 if endpoint.scheme == "https" else 80)
    try:
        with socket.create_connection((endpoint.hostname or "huggingface.co", port), timeout=timeout_s):
            return True
    except OSError:
        return False


def pick_device(requested: str | None, cuda_count: int, dist: DistEnv) -> str:
    """The torch device: as asked, else CUDA when there is one; under data parallelism,
    `cuda` means this process's own GPU, `cuda:LOCAL_RANK` (modulo the GPUs it can see)."""
    device = requested or ("cuda" if cuda_count else "cpu")
    if dist.enabled and device == "cuda":
        device = f"cuda:{dist.local_rank % max(cuda_count, 1)}"
    return device


class HFBackend:
    """Local directory or hub id; safetensors/.bin/GGUF; dtype; PEFT adapter; remote code."""

    name = "hf"
    default_n_samples: int | None = 1
    copies_greedy = True

    def __init__(
        self,
        model: str,
        *,
        revision: str | None = None,
        dtype: str = "auto",
        peft: str | None = None,
        gguf_file: str | None = None,
        trust_remote_code: bool = False,
        device: str | None = None,
        batch_size: int = 16,
        engine: str = "loop",
    ):
        if engine not in ENGINES:
            raise UsageError(f"--hf-engine: unknown engine {engine!r} (known: {', '.join(ENGINES)})")
        if dtype not in DTYPES:
            raise UsageError(f"--dtype: unknown dtype {dtype!r} (known: {', '.join(DTYPES)})")
        if batch_size < 1:
            raise UsageError(f"--batch-size must be >= 1, got {batch_size}")
        self.model_id = model
        self.revision = revision
        self.dtype = dtype
        self.peft = peft
        self.gguf_file = gguf_file
        self.trust_remote_code = trust_remote_code
        self.device = device
        self.batch_size = batch_size
        self.engine = engine
        self.model: Any = None
        self.tokenizer: Any = None

    # -- loading -----------------------------------------------------------------------------

    def prepare(self, problems: Sequence[Problem], params: GenerationParams) -> None:
        if self.model is None:
            self.load()

    def load(self) -> None:
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()  # our own progress bar is the one to watch

        folder = Path(self.model_id).expanduser()
        if not folder.exists() and (looks_like_path(self.model_id) or self.gguf_file):
            raise UsageError(f"--model: no such checkpoint directory: {self.model_id}")
        if self.gguf_file and not (folder / self.gguf_file).is_file():
            raise UsageError(f"--gguf-file: no such file: {folder / self.gguf_file}")
        if folder.is_dir() and not self.gguf_file and not (folder / "config.json").exists():
            raise UsageError(f"--model: {folder} is not a checkpoint (no config.json)")
        if self.peft and not Path(self.peft, "adapter_config.json").exists():
            raise UsageError(f"--peft: no adapter_config.json in {self.peft}")
        common: dict[str, Any] = {"revision": self.revision, "trust_remote_code": self.trust_remote_code}
        if self.gguf_file:
            common["gguf_file"] = self.gguf_file
        source = str(folder) if folder.exists() else self.model_id
        if not folder.exists() and not hub_reachable():
            common["local_files_only"] = True  # cached hub models still load offline
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(source, **common)
            dtype: Any = "auto" if self.dtype == "auto" else getattr(torch, self.dtype)
            # transformers draws a tqdm bar of its own while it de-quantizes a GGUF file
            with contextlib.redirect_stderr(io.StringIO()) if self.gguf_file else contextlib.nullcontext():
                model = AutoModelForCausalLM.from_pretrained(source, dtype=dtype, **common)
            if self.peft:
                from peft import PeftModel

                model = PeftModel.from_pretrained(model, self.peft)
        except UsageError:
            raise
        except Exception as exc:  # transformers raises OSError, ValueError, EnvironmentError...
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            if common.get("local_files_only"):
                reason = "not a local directory, not in the Hugging Face cache, and the hub is unreachable"
            raise UsageError(f"--model: cannot load {self.model_id!r}: {reason}") from None
        cuda_count = torch.cuda.device_count() if torch.cuda.is_available() else 0
        device = pick_device(self.device, cuda_count, DistEnv.from_env())
        if device.startswith("cuda:"):
            torch.cuda.set_device(torch.device(device))
        self.model = model.to(device).eval()
        self.torch_device = torch.device(device)
        tok = self.tokenizer
        eos: set[int] = set()
        for source_ids in (tok.eos_token_id, getattr(model.generation_config, "eos_token_id", None)):
            if isinstance(source_ids, int):
                eos.add(source_ids)
            elif source_ids:
                eos.update(int(i) for i in source_ids)
        self.eos_ids = eos
        pad = tok.pad_token_id
        self.pad_id = pad if pad is not None else (min(eos) if eos else 0)

    def describe(self) -> dict[str, Any]:
        import torch
        import transformers

        folder = Path(self.model_id).expanduser()
        section: dict[str, Any] = {
            "backend": "hf",
            "backend_version": f"transformers {transformers.__version__}, torch {torch.__version__}",
            "model": self.model_id,
            "revision": self.revision,
            "checkpoint_sha256": checkpoint_sha256(folder, self.gguf_file),
            "gguf_file": self.gguf_file,
            "dtype": str(getattr(self.model, "dtype", self.dtype)).removeprefix("torch."),
            "peft": None,
            "device": str(getattr(self, "torch_device", self.device)),
            "batch_size": self.batch_size,
            "engine": self.engine,
        }
        if self.peft:
            section["peft"] = {"path": self.peft, "sha256": checkpoint_sha256(Path(self.peft))}
        return section

    # -- prompts -----------------------------------------------------------------------------

    def render(self, problem: Problem, params: GenerationParams) -> RenderedPrompt:
        return prompts.render(problem, params.prompt_template, self.tokenizer)

    def available(self, problem: Problem) -> int | None:
        return None

    # -- sampling ----------------------------------------------------------------------------

    @property
    def loaded(self) -> LoadedModel:
        """What the engines sample from (read at each call: tests adjust `eos_ids`)."""
        return LoadedModel(self.model, self.tokenizer, frozenset(self.eos_ids), self.pad_id, self.torch_device)

    @property
    def reader(self) -> SequenceReader:
        return SequenceReader(self.tokenizer)

    def generate(self, jobs: Sequence[Job], params: GenerationParams, emit: Emit) -> None:
        reader = self.reader
        pending = reader.pending(jobs)
        if self.engine == "continuous":
            from harness.generation import continuous

            continuous.generate(self.loaded, reader, pending, params, emit)
            return
        loaded = self.loaded
        for start in range(0, len(pending), self.batch_size):
            self._generate_batch(loaded, reader, pending[start : start + self.batch_size], params, emit)

    def _pick(self, logits: Any, generators: list[Any], params: GenerationParams) -> Any:
        """Next token per row: argmax at temperature 0, else top-p sampling with each row's RNG."""
        import torch

        if params.greedy:
            return logits.argmax(dim=-1)
        probs = torch.softmax(logits / params.temperature, dim=-1)
        if params.top_p < 1.0:
            probs, order = probs.sort(dim=-1, descending=True)
            cumulative = probs.cumsum(dim=-1)
            probs = probs.masked_fill(cumulative - probs > params.top_p, 0.0)
        else:
            order = None
        cdf = probs.cumsum(dim=-1)
        uniform = torch.stack([torch.rand((), generator=g, dtype=torch.float64) for g in generators])
        targets = (uniform.to(cdf.device, cdf.dtype) * cdf[:, -1]).unsqueeze(-1)
        choice = torch.searchsorted(cdf, targets).clamp(max=cdf.shape[-1] - 1)
        if order is not None:
            choice = order.gather(-1, choice)
        return choice.squeeze(-1)

    def _generate_batch(self, loaded: LoadedModel, reader: SequenceReader, rows: list[PendingSample],
                        params: GenerationParams, emit: Emit) -> None:
        """Our decode loop: one prefill per distinct prompt, then a step per token for the
        rows still running; a row leaves the batch as soon as it is finished."""
        import torch

        device = loaded.device
        unique: dict[int, int] = {}
        prompts_ids: list[list[int]] = []
        row_prompt: list[int] = []
        for row in rows:
            key = id(row.job)
            if key not in unique:
                unique[key] = len(prompts_ids)
                prompts_ids.append(row.prompt_ids)
            row_prompt.append(unique[key])
        width = max(len(ids) for ids in prompts_ids)
        input_ids = torch.full((len(prompts_ids), width), loaded.pad_id, dtype=torch.long)
        mask = torch.zeros((len(prompts_ids), width), dtype=torch.long)
        for i, ids in enumerate(prompts_ids):
            if ids:
                input_ids[i, width - len(ids):] = torch.tensor(ids, dtype=torch.long)
                mask[i, width - len(ids):] = 1
        positions = (mask.cumsum(-1) - 1).clamp(min=0)
        input_ids, mask, positions = input_ids.to(device), mask.to(device), positions.to(device)
        generators = [torch.Generator().manual_seed(row.seed) for row in rows]

        with torch.inference_mode():
            out = loaded.model(input_ids=input_ids, attention_mask=mask, position_ids=positions, use_cache=True)
            cache = out.past_key_values
            logits = out.logits[:, -1, :].float()
            select = torch.tensor(row_prompt, device=device)
            if len(rows) != len(prompts_ids):
                cache.reorder_cache(select)
            logits, mask = logits[select], mask[select]
            next_position = positions[select, -1] + 1
            active = list(range(len(rows)))
            while True:
                tokens = self._pick(logits, [generators[a] for a in active], params)
                keep = []
                for j, token in enumerate(tokens.tolist()):
                    row = rows[active[j]]
                    ended_by_eos = token in loaded.eos_ids
                    if not ended_by_eos:
                        row.ids.append(token)
                    finished = reader.finished(row, ended_by_eos, params.max_new_tokens)
                    if finished is None:
                        keep.append(j)
                    else:
                        emit(row.sample(finished))
                if not keep:
                    break
                if len(keep) != len(active):
                    kept = torch.tensor(keep, device=device)
                    cache.reorder_cache(kept)
                    mask, next_position, tokens = mask[kept], next_position[kept], tokens[kept]
                    active = [active[j] for j in keep]
                mask = torch.cat([mask, mask.new_ones((len(active), 1))], dim=1)
                out = loaded.model(
                    input_ids=tokens.unsqueeze(-1), attention_mask=mask,
                    position_ids=next_position.unsqueeze(-1), past_key_values=cache, use_cache=True,
                )
                cache = out.past_key_values
                logits = out.logits[:, -1, :].float()
                next_position = next_position + 1
