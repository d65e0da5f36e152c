"""Tokens/s of polypass's `hf` backend against the common baseline, same model and prompts, one run.

Baseline (how bigcode-evaluation-harness samples): one prompt at a time, `model.generate`
with `num_return_sequences=n`, a stopping criterion that ends the batch only when every
sequence holds a stop string, so the batch waits for its slowest member. Ours: prompts
batched across problems with left padding, one prefill per prompt, finished sequences
dropped at once. Also measured: `--hf-engine continuous` (transformers' continuous batching).
Every way counts the same thing: tokens of the completions kept (up to the stop), and the
baseline's counting happens after its clock stops.

Two set-ups:
- CPU (default): a tiny random Llama with a real code tokenizer, HumanEval prompts.
- GPU: `--arch qwen2-1.5b --fixed-length` builds a randomly initialised model of
  Qwen2.5-Coder-1.5B's architecture (bf16; speed does not depend on the weights' values)
  and makes every completion exactly `--max-new-tokens` long (no EOS, no stop strings), so
  both sides do the same work and only batching differs.

    python perf/generation.py [--problems 8] [--n 8] [--max-new-tokens 64] [--arch llama]
    python perf/generation.py --arch qwen2-1.5b --fixed-length --problems 32 --n 20 \
        --max-new-tokens 256 --batch-size 320        # on a GPU
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from pathlib import Path

#: Qwen2.5-Coder-1.5B's architecture (its config.json), randomly initialised here.
QWEN2_1_5B = {
    "vocab_size": 151936, "hidden_size": 1536, "intermediate_size": 8960, "num_hidden_layers": 28,
    "num_attention_heads": 12, "num_key_value_heads": 2, "max_position_embeddings": 32768,
    "rope_theta": 1000000.0, "rms_norm_eps": 1e-6, "tie_word_embeddings": True,
}


def make_model(folder: Path, args: argparse.Namespace) -> Path:
    from harness.generation.tiny import make_tiny_model

    if args.arch in ("llama", "gpt2"):
        return make_tiny_model(folder, args.arch, hidden=args.hidden, layers=args.layers)
    import torch
    from transformers import AutoModelForCausalLM, Qwen2Config

    from harness.generation.tiny import EOS, train_code_tokenizer

    tokenizer = train_code_tokenizer()  # its ids are a subset of the model's; others decode to ""
    eos_id = tokenizer.convert_tokens_to_ids(EOS)
    config = Qwen2Config(**QWEN2_1_5B, bos_token_id=eos_id, eos_token_id=eos_id, pad_token_id=eos_id)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.manual_seed(0)
    with torch.device(device):
        model = AutoModelForCausalLM.from_config(config, dtype=torch.bfloat16)
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    del model
    return folder


def baseline(folder: Path, problems, args: argparse.Namespace) -> tuple[int, float]:
    import torch
    from transformers import (
        AutoModelForCausalLM,
        AutoTokenizer,
        StoppingCriteria,
        StoppingCriteriaList,
    )

    device = "cuda" if torch.cuda.is_available() else "cpu"
    tokenizer = AutoTokenizer.from_pretrained(folder)
    model = AutoModelForCausalLM.from_pretrained(folder, dtype="auto").to(device).eval()

    class EndOfFunction(StoppingCriteria):
        """bigcode-evaluation-harness's criterion: stop when all sequences have a stop string."""

        def __init__(self, start: int, stops):
            self.start, self.stops = start, stops

        def __call__(self, input_ids, scores, **kwargs):
            texts = tokenizer.batch_decode(input_ids[:, self.start:])
            done = all(any(s in t for s in self.stops) for t in texts)
            return torch.full((input_ids.shape[0],), done, dtype=torch.bool, device=input_ids.device)

    outputs = []
    sync()
    started = time.perf_counter()
    for problem in problems:
        ids = tokenizer(problem.prompt, return_tensors="pt").to(device)
        start = ids["input_ids"].shape[1]
        torch.manual_seed(0)
        fixed = {"min_new_tokens": args.max_new_tokens} if args.fixed_length else {
            "stopping_criteria": StoppingCriteriaList([EndOfFunction(start, problem.stop_tokens)])}
        with torch.inference_mode():
            out = model.generate(
                **ids, do_sample=True, temperature=args.temperature, top_p=args.top_p,
                max_new_tokens=args.max_new_tokens, num_return_sequences=args.n,
                pad_token_id=tokenizer.eos_token_id, **fixed,
            )
        outputs.append((problem, out[:, start:].tolist()))
    sync()
    seconds = time.perf_counter() - started
    del model
    if args.fixed_length:
        return sum(len(row) for _, rows in outputs for row in rows), seconds
    kept = sum(useful_tokens(tokenizer, row, p.stop_tokens) for p, rows in outputs for row in rows)
    return kept, seconds


def useful_tokens(tokenizer, row: list[int], stops) -> int:
    """Tokens up to and including the one that completes the first stop string (or EOS)."""
    for k in range(1, len(row) + 1):
        if row[k - 1] == tokenizer.eos_token_id:
            return k - 1
        if any(s in tokenizer.decode(row[:k]) for s in stops):
            return k
    return len(row)


def ours(folder: Path, problems, args: argparse.Namespace, engine: str = "loop") -> tuple[int, float]:
    from harness.generation import GenerationParams, generate_run
    from harness.generation.hf import HFBackend

    backend = HFBackend(str(folder), batch_size=args.batch_size, engine=engine)
    params = GenerationParams(n_samples=args.n, temperature=args.temperature, top_p=args.top_p,
                              max_new_tokens=args.max_new_tokens)
    backend.prepare(problems, params)
    if args.fixed_length:
        backend.eos_ids = set()
        problems = [dataclasses.replace(p, stop_tokens=()) for p in problems]
    with tempfile.TemporaryDirectory() as run_dir:
        sync()
        started = time.perf_counter()
        summary = generate_run(Path(run_dir), problems, backend, params)
        sync()
        seconds = time.perf_counter() - started
    del backend
    return summary.tokens, seconds


def sync() -> None:
    import torch

    if torch.cuda.is_available():
        torch.cuda.synchronize()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--problems", type=int, default=8)
    parser.add_argument("--n", type=int, default=8)
    parser.add_argument("--max-new-tokens", type=int, default=64)
    parser.add_argument("--temperature", type=float, default=0.8)
    parser.add_argument("--top-p", type=float, default=0.95)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--arch", default="llama", choices=("llama", "gpt2", "qwen2-1.5b"))
    parser.add_argument("--hidden", type=int, default=256, help="tiny models only")
    parser.add_argument("--layers", type=int, default=4, help="tiny models only")
    parser.add_argument("--fixed-length", action="store_true",
                        help="every completion exactly --max-new-tokens long (no EOS, no stop strings)")
    parser.add_argument("--skip-continuous", action="store_true", help="leave out the continuous engine")
    args = parser.parse_args()

    import torch

    from benchmarks import humaneval

    problems = list(humaneval.load()[: args.problems])
    device = torch.cuda.get_device_name() if torch.cuda.is_available() else "cpu"
    with tempfile.TemporaryDirectory() as tmp:
        folder = make_model(Path(tmp) / "model", args)
        base_tokens, base_s = baseline(folder, problems, args)
        our_tokens, our_s = ours(folder, problems, args)
        cb = None if args.skip_continuous else ours(folder, problems, args, engine="continuous")
    base_rate, our_rate = base_tokens / base_s, our_tokens / our_s
    model = args.arch if args.arch == "qwen2-1.5b" else f"tiny {args.arch} (hidden {args.hidden}, {args.layers} layers)"
    lengths = "exactly" if args.fixed_length else "<="
    print(f"device: {device}; model: {model}, {len(problems)} HumanEval prompts x {args.n} samples, "
          f"{lengths} {args.max_new_tokens} new tokens")
    print(f"baseline (one prompt at a time, num_return_sequences): {base_tokens} tokens in {base_s:.1f}s "
          f"= {base_rate:.0f} tok/s")
    print(f"polypass hf (batch {args.batch_size}): {our_tokens} tokens in {our_s:.1f}s = {our_rate:.0f} tok/s")
    if cb is not None:
        cb_rate = cb[0] / cb[1]
        print(f"polypass hf --hf-engine continuous: {cb[0]} tokens in {cb[1]:.1f}s = {cb_rate:.0f} tok/s "
              f"({cb_rate / base_rate:.2f}x baseline)")
    print(f"ratio: {our_rate / base_rate:.2f}x")


if __name__ == "__main__":
    main()
