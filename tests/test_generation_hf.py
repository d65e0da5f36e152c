"""The `hf` backend on real tiny checkpoints (Llama and GPT-2, made here) and the embedded GGUF.

Runtime: about 2-3 minutes on 2 busy cores (the GGUF load is ~15-30 s of it).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks import humaneval
from harness.cli import main
from harness.generation import GenerationParams, Job, generate_run
from harness.generation.hf import HFBackend
from harness.generation.prompts import RenderedPrompt
from harness.generation.tiny import make_tiny_adapter, make_tiny_model, train_code_tokenizer

REPO = Path(__file__).resolve().parents[1]
PROBLEMS = list(humaneval.load()[:8])


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("tiny")
    tokenizer = train_code_tokenizer()
    out = {
        "llama": make_tiny_model(root / "llama", "llama", tokenizer=tokenizer),
        "gpt2": make_tiny_model(root / "gpt2", "gpt2", tokenizer=tokenizer),
        "llama-bf16": make_tiny_model(root / "llama-bf16", "llama", tokenizer=tokenizer, dtype="bfloat16"),
    }
    out["adapter"] = make_tiny_adapter(out["llama"], root / "adapter")
    return out


def read(run_dir: Path) -> dict[tuple[str, int], dict]:
    lines = [json.loads(x) for x in (run_dir / "generations.jsonl").read_text().splitlines()]
    keys = [(r["name"], r["sample"]) for r in lines]
    assert len(keys) == len(set(keys)), "a sample was written twice"
    return {(r["name"], r["sample"]): r for r in lines}


class Spy:
    """Records the tokens the real backend picks at each step (row order as in the batch)."""

    def __init__(self, backend: HFBackend):
        self.steps: list[list[int]] = []
        original = backend._pick

        def pick(logits, generators, params):
            tokens = original(logits, generators, params)
            self.steps.append(tokens.tolist())
            return tokens

        backend._pick = pick  # type: ignore[method-assign]


def one(backend: HFBackend, stops: tuple[str, ...], max_new: int, problem=PROBLEMS[0]):
    params = GenerationParams(temperature=0.0, max_new_tokens=max_new)
    backend.prepare([problem], params)
    out = []
    backend.generate([Job(problem, RenderedPrompt(problem.prompt, stops, True), ((0, 1),))], params, out.append)
    return out[0]


@pytest.mark.parametrize("arch", ["llama", "gpt2"])
def test_greedy_same_for_batch_sizes_1_and_8(models, tmp_path, arch):
    params = GenerationParams(n_samples=3, temperature=0.0, max_new_tokens=16)
    results = {}
    for batch_size in (1, 8):
        run_dir = tmp_path / f"bs{batch_size}"
        summary = generate_run(run_dir, PROBLEMS, HFBackend(str(models[arch]), batch_size=batch_size), params)
        assert summary.generated == len(PROBLEMS) and summary.copied == 2 * len(PROBLEMS)
        results[batch_size] = {k: r["completion"] for k, r in read(run_dir).items()}
    assert len(results[1]) == 3 * len(PROBLEMS)
    assert results[1] == results[8]
    assert len({results[1][(p.name, 0)] for p in PROBLEMS}) > 1  # the prompts matter


def test_max_new_tokens_counts_new_tokens_only(models, tmp_path):
    backend = HFBackend(str(models["llama"]), batch_size=8)
    spy = Spy(backend)
    params = GenerationParams(n_samples=1, max_new_tokens=7)
    generate_run(tmp_path, PROBLEMS, backend, params)  # prompts of very different lengths
    records = read(tmp_path).values()
    assert {r["tokens"] for r in records} == {7} and {r["finish_reason"] for r in records} == {"length"}
    assert len(spy.steps) == 7


def test_stop_string_split_across_tokens_and_prompt_ignored(models):
    backend = HFBackend(str(models["llama"]), batch_size=1)
    spy = Spy(backend)
    full = one(backend, (), 12)
    ids = [step[0] for step in spy.steps]
    pieces = [backend.reader.decode(backend.tokenizer(PROBLEMS[0].prompt)["input_ids"][-4:] + ids[:k]) for k in range(13)]
    # a boundary where both neighbouring tokens have text: stop = last char before + first char after
    k = next(k for k in range(1, 11) if pieces[k] != pieces[k - 1] and pieces[k + 1] != pieces[k])
    boundary = len(pieces[k]) - len(pieces[0])
    stop = full.completion[boundary - 1 : boundary + 1]
    cut = one(backend, (stop,), 12)
    assert cut.finish_reason == "stop"
    assert cut.completion == full.completion[: full.completion.find(stop)]
    assert cut.tokens <= k + 1
    # a stop string that is only in the prompt never cuts anything
    prompt_only = PROBLEMS[0].prompt.splitlines()[0]
    assert prompt_only not in full.completion
    kept = one(backend, (prompt_only,), 12)
    assert kept.completion == full.completion and kept.finish_reason == "length"


def test_eos_ends_a_sequence(models):
    backend = HFBackend(str(models["gpt2"]), batch_size=1)
    spy = Spy(backend)
    full = one(backend, (), 10)
    ids = [step[0] for step in spy.steps]
    target = ids[4]
    first = ids.index(target)
    backend.eos_ids = {target}
    spy.steps.clear()
    ended = one(backend, (), 10)
    assert ended.finish_reason == "eos" and ended.tokens == first
    assert full.completion.startswith(ended.completion) and len(ended.completion) < len(full.completion)


def test_sampling_reproducible_per_sample_seed(models, tmp_path):
    params = GenerationParams(n_samples=4, temperature=0.8, top_p=0.95, max_new_tokens=12, seed=7)
    runs = []
    for batch_size in (3, 8):
        run_dir = tmp_path / f"bs{batch_size}"
        generate_run(run_dir, PROBLEMS[:3], HFBackend(str(models["gpt2"]), batch_size=batch_size), params)
        runs.append(read(run_dir))
    assert {k: r["completion"] for k, r in runs[0].items()} == {k: r["completion"] for k, r in runs[1].items()}
    samples = [runs[0][(PROBLEMS[0].name, i)] for i in range(4)]
    assert len({s["completion"] for s in samples}) > 1, "samples of one problem should differ"
    assert len({s["seed"] for s in samples}) == 4
    other = tmp_path / "seed8"
    generate_run(other, PROBLEMS[:3], HFBackend(str(models["gpt2"])), GenerationParams(
        n_samples=4, temperature=0.8, top_p=0.95, max_new_tokens=12, seed=8))
    assert {k: r["completion"] for k, r in read(other).items()} != {k: r["completion"] for k, r in runs[0].items()}


def test_peft_adapter_and_dtype(models, tmp_path):
    params = GenerationParams(max_new_tokens=12)
    generate_run(tmp_path / "base", PROBLEMS[:4], HFBackend(str(models["llama"])), params)
    generate_run(tmp_path / "lora", PROBLEMS[:4], HFBackend(str(models["llama"]), peft=str(models["adapter"])), params)
    base, lora = read(tmp_path / "base"), read(tmp_path / "lora")
    assert [r["completion"] for r in base.values()] != [r["completion"] for r in lora.values()]
    gen = json.loads((tmp_path / "lora" / "run.json").read_text())["generation"]
    assert gen["peft"]["path"] == str(models["adapter"]) and len(gen["peft"]["sha256"]) == 64
    assert len(gen["checkpoint_sha256"]) == 64 and gen["dtype"] == "float32"

    generate_run(tmp_path / "bf16", PROBLEMS[:1], HFBackend(str(models["llama-bf16"])), params)
    assert json.loads((tmp_path / "bf16" / "run.json").read_text())["generation"]["dtype"] == "bfloat16"
    generate_run(tmp_path / "f32", PROBLEMS[:1], HFBackend(str(models["llama-bf16"]), dtype="float32"), params)
    assert json.loads((tmp_path / "f32" / "run.json").read_text())["generation"]["dtype"] == "float32"


def test_chat_template_prefills_the_code_block(models, tmp_path):
    backend = HFBackend(str(models["llama"]))
    params = GenerationParams(max_new_tokens=8, prompt_template="chat")
    backend.prepare(PROBLEMS, params)
    rendered = backend.render(PROBLEMS[0], params)
    assert rendered.text.startswith("<|user|>\n")
    assert rendered.text.endswith("<|assistant|>\n```python\n" + PROBLEMS[0].prompt)
    assert rendered.stops[-1] == "```" and not rendered.add_special_tokens and not rendered.reply
    generate_run(tmp_path, PROBLEMS[:2], backend, params)
    assert len(read(tmp_path)) == 2


def test_instruct_template_opens_a_fence_and_extracts_the_code(models, tmp_path):
    """instruct: the model writes the whole function after an opened fence; the completion is the
    code after the restated signature, cut at the problem's stop tokens."""
    backend = HFBackend(str(models["llama"]))
    params = GenerationParams(max_new_tokens=8, prompt_template="instruct")
    backend.prepare(PROBLEMS, params)
    rendered = backend.render(PROBLEMS[0], params)
    assert rendered.text.endswith("<|assistant|>\n```python\n") and rendered.stops == ("```",)
    assert rendered.reply and rendered.reply_start == "```python\n" and not rendered.add_special_tokens
    reply = "def has_close_elements(numbers, threshold):\n    return False\n\nprint(1)\n"
    assert rendered.completion(PROBLEMS[0], reply) == "    return False\n"
    summary = generate_run(tmp_path, PROBLEMS[:2], backend, params)
    assert summary.generated == 2 and len(read(tmp_path)) == 2
    assert json.loads((tmp_path / "run.json").read_text())["generation"]["params"]["prompt_template"] == "instruct"


def test_continuous_engine_same_greedy_tokens_and_stops_as_loop(models, tmp_path):
    """transformers' continuous batching, with our stop strings cut and cancelled per request."""
    loop, cont = HFBackend(str(models["llama"])), HFBackend(str(models["llama"]), engine="continuous")
    params = GenerationParams(temperature=0.0, max_new_tokens=16)
    full = one(loop, (), 16)
    stop = full.completion[5:7]
    outputs = {}
    for name, backend in (("loop", loop), ("continuous", cont)):
        backend.prepare(PROBLEMS, params)
        out: list = []
        jobs = [Job(p, RenderedPrompt(p.prompt, (stop,) if i == 0 else (), True), ((0, 1), (1, 2)))
                for i, p in enumerate(PROBLEMS[:4])]
        backend.generate(jobs, params, out.append)
        outputs[name] = {(s.name, s.sample): (s.completion, s.finish_reason, s.tokens) for s in out}
    assert len(outputs["loop"]) == 8 and outputs["continuous"] == outputs["loop"]
    cut = outputs["continuous"][(PROBLEMS[0].name, 0)]
    assert cut[1] == "stop" and cut[0] == full.completion[: full.completion.find(stop)]
    assert {v[1] for k, v in outputs["continuous"].items() if k[0] != PROBLEMS[0].name} == {"length"}

    sampled = GenerationParams(n_samples=3, temperature=0.8, top_p=0.95, max_new_tokens=8)
    summary = generate_run(tmp_path, PROBLEMS[:3], cont, sampled)
    assert summary.generated == 9 and len(read(tmp_path)) == 9
    assert json.loads((tmp_path / "run.json").read_text())["generation"]["engine"] == "continuous"


def test_cli_resumes_after_kill_without_loss_or_repeat(models, tmp_path):
    args = ["generate", "--model", str(models["gpt2"]), "--limit", "4", "--n-samples", "3",
            "--temperature", "0.8", "--max-new-tokens", "24", "--batch-size", "2", "--seed", "3"]
    killed = tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen([sys.executable, "-m", "harness", *args, "--out", str(killed)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    path = killed / "generations.jsonl"
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        if path.exists() and path.read_text().count("\n") >= 3:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    before = path.read_text().splitlines()
    assert 3 <= len(before) < 12
    assert main([*args, "--out", str(killed)]) == 0
    after = path.read_text().splitlines()
    assert after[: len(before)] == before, "lines written before the kill changed"
    resumed = read(killed)
    assert len(resumed) == 12 and len(after) == 12
    assert main([*args, "--out", str(tmp_path / "whole")]) == 0
    whole = read(tmp_path / "whole")
    assert {k: r["completion"] for k, r in resumed.items()} == {k: r["completion"] for k, r in whole.items()}
    # a finished run regenerates nothing
    assert main([*args, "--out", str(killed)]) == 0
    assert path.read_text().splitlines() == after


def test_bad_input_is_one_line_exit_2(models, tmp_path, capsys):
    assert main(["generate", "--model", str(tmp_path / "missing"), "--out", str(tmp_path / "r")]) == 2
    assert main(["generate", "--model", str(models["llama"]), "--dtype", "float7", "--out", str(tmp_path / "r")]) == 2
    assert main(["generate", "--model", str(models["llama"]), "--peft", str(tmp_path), "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and all(line.startswith("polypass: error: --") for line in err), err
    assert "no such checkpoint" in err[0] and "float7" in err[1] and "adapter_config.json" in err[2]
    # mixing models in one run dir is refused
    small = ["generate", "--limit", "1", "--max-new-tokens", "2", "--out", str(tmp_path / "mix")]
    assert main([*small, "--model", str(models["llama"])]) == 0
    assert main([*small, "--model", str(models["gpt2"])]) == 2
    assert "holds samples made with a different model" in capsys.readouterr().err


def test_embedded_gguf_default_generates(tmp_path):
    run_dir = tmp_path / "gguf"
    code = main(["generate", "--limit", "2", "--max-new-tokens", "4", "--batch-size", "2", "--out", str(run_dir)])
    assert code == 0
    records = read(run_dir)
    assert len(records) == 2 and all(r["tokens"] <= 4 for r in records.values())
    assert any(r["completion"].strip() for r in records.values()) or any(r["finish_reason"] == "stop" for r in records.values())
    gen = json.loads((run_dir / "run.json").read_text())["generation"]
    assert gen["gguf_file"].endswith(".gguf") and gen["backend"] == "hf" and len(gen["checkpoint_sha256"]) == 64
