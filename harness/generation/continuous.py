"""The `hf` backend's second engine: transformers' continuous batching (`init_continuous_batching`).

Every sample is one streamed request to transformers' paged-attention scheduler, which
admits new sequences as soon as others finish. Stop strings are still ours: each streamed
update is decoded (generated text only), and a request whose text holds a stop string is
cut there and cancelled, so it stops costing compute at once.

What it cannot do: transformers samples every request from one RNG, so a sample's text
does not depend on its own seed only. Greedy runs are unaffected (and give the same tokens
as the loop engine); sampled runs are not reproducible sample by sample. That is why the
loop engine stays the default; run.json records which engine made a run.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from harness.errors import InfraError, UsageError
from harness.generation.base import Emit, GenerationParams
from harness.generation.sequences import Finished, LoadedModel, PendingSample, SequenceReader

#: seconds to wait for one streamed update before checking the scheduler thread is alive
POLL_S = 1.0
#: share of RAM the paged KV cache may take when running on CPU
CPU_MEMORY_FRACTION = 0.05


def supported(model: Any) -> bool:
    """Whether this transformers build and model can run continuous batching at all."""
    return callable(getattr(model, "init_continuous_batching", None))


def generate(loaded: LoadedModel, reader: SequenceReader, rows: Sequence[PendingSample],
             params: GenerationParams, emit: Emit) -> None:
    """Sample every row through one continuous-batching session; emit each as it finishes."""
    from transformers import ContinuousBatchingConfig, GenerationConfig

    model = loaded.model
    if not supported(model):
        raise UsageError("--hf-engine continuous: this transformers version has no continuous batching")
    eos = sorted(loaded.eos_ids) or [-1]
    sampling = {} if params.greedy else {"temperature": params.temperature, "top_p": params.top_p}
    config = GenerationConfig(
        max_new_tokens=params.max_new_tokens, do_sample=not params.greedy, eos_token_id=eos,
        pad_token_id=loaded.pad_id, **sampling,
    )
    from transformers.generation.continuous_batching.utils import WorkloadHints

    hints = WorkloadHints(
        max_prompt_length=max(len(row.prompt_ids) for row in rows),
        max_generated_length=params.max_new_tokens, num_requests=len(rows),
    )
    batching = ContinuousBatchingConfig(seed=params.seed)
    if loaded.device.type == "cpu":  # sized from all of RAM otherwise: seconds spent zeroing it
        batching.max_memory_percent = CPU_MEMORY_FRACTION
    warmup = loaded.device.type == "cuda"  # CUDA graphs; nothing to capture on CPU
    by_id = {f"row{number}": row for number, row in enumerate(rows)}
    quiet = logging.getLogger("transformers.generation.continuous_batching")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # it logs each cancelled request's leftover token at WARNING
    try:
        with model.continuous_batching_context_manager(
            generation_config=config, continuous_batching_config=batching, warmup=warmup, block=True,
            workload_hints=hints,
        ) as manager:
            for request_id, row in by_id.items():
                manager.add_request(
                    row.prompt_ids, request_id=request_id, max_new_tokens=params.max_new_tokens,
                    streaming=True, eos_token_id=eos,
                )
            _collect(loaded, reader, manager, by_id, emit, params.max_new_tokens)
    finally:
        quiet.setLevel(level)


def _collect(loaded: LoadedModel, reader: SequenceReader, manager: Any, by_id: dict[str, PendingSample],
             emit: Emit, max_new_tokens: int) -> None:
    pending = set(by_id)
    while pending:
        update = manager.get_result(timeout=POLL_S)
        if update is None:
            if not manager.is_running():
                raise InfraError("continuous batching: the generation thread stopped with requests pending")
            continue
        if update.request_id not in pending:
            continue  # a late update for a request already cut at a stop string
        if update.error is not None:
            raise InfraError(f"continuous batching: request failed: {str(update.error).splitlines()[0]}")
        row = by_id[update.request_id]
        tokens = list(update.generated_tokens)
        ended_by_eos = bool(tokens) and tokens[-1] in loaded.eos_ids
        row.ids = tokens[:-1] if ended_by_eos else tokens
        finished = reader.finished(row, ended_by_eos, max_new_tokens)
        if finished is None and update.is_finished():  # ended for a reason of its own (e.g. cache full)
            finished = Finished(reader.text(row), "length")
        if finished is None:
            continue
        if not update.is_finished():
            manager.cancel_request(update.request_id)
        pending.discard(update.request_id)
        emit(row.sample(finished))
