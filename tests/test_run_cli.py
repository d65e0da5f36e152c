"""`polypass run` end to end: generate -> execute in the real Python sandbox -> score.

Runtime: about 1 minute (the py image must be built; conftest builds it on first use).
"""

from __future__ import annotations

import json

from benchmarks import humaneval
from harness.cli import main
from harness.generation.tiny import make_tiny_model

PROBLEMS = list(humaneval.load()[:3])


def test_run_replays_known_samples_to_exact_scores(tmp_path, sandbox_image, capsys):
    sandbox_image("py")  # fails the test, saying what is missing, when there is no engine/image
    samples = tmp_path / "samples.jsonl"
    rows = []
    for p in PROBLEMS:
        rows.append({"task_id": p.extra["task_id"], "completion": p.canonical_solution})
        rows.append({"task_id": p.extra["task_id"], "completion": "    return None\n"})
    samples.write_text("".join(json.dumps(r) + "\n" for r in rows))
    run_dir = tmp_path / "replay"
    code = main(["run", "--backend", "replay", "--model", str(samples), "--limit", "3",
                 "--k", "1,2", "--out", str(run_dir), "--db", "none", "--name", "canonical-and-stub"])
    assert code == 0
    assert "polypass scores: canonical-and-stub" in capsys.readouterr().out
    scores = json.loads((run_dir / "scores.json").read_text())
    (result,) = [r for r in scores["results"] if r["subset"] == "all"]
    assert result["problems"] == 3 and result["samples_per_problem"] == 2
    assert result["pass_at_k"]["1"]["estimate"] == 0.5 and result["pass_at_k"]["2"]["estimate"] == 1.0
    assert scores["fingerprint"]["generation"]["backend"] == "replay"
    assert scores["fingerprint"]["generation"]["name"] == "canonical-and-stub"

    # one sample as it ran: a pass by default, a failure on request
    assert main(["show", str(run_dir)]) == 0
    shown = capsys.readouterr().out
    assert "verdict: pass" in shown and PROBLEMS[0].canonical_solution.strip().splitlines()[0] in shown
    assert "written by canonical-and-stub" in shown
    assert main(["show", str(run_dir), "--status", "fail", "--problem", "HumanEval_2"]) == 0
    shown = capsys.readouterr().out
    assert "verdict: fail" in shown and "return None" in shown and "truncate_number" in shown
    assert main(["show", str(run_dir), "--status", "timeout"]) == 2


def test_run_from_a_checkpoint(tmp_path, sandbox_image, capsys):
    sandbox_image("py")
    model = make_tiny_model(tmp_path / "llama", "llama")
    run_dir = tmp_path / "run"
    argv = ["run", "--model", str(model), "--limit", "2", "--n-samples", "2", "--temperature", "0.8",
            "--max-new-tokens", "8", "--out", str(run_dir), "--db", "none"]
    assert main(argv) == 0
    printed = capsys.readouterr()
    assert "llama: 4 samples" in printed.err and "polypass scores: llama (run run)" in printed.out
    scores = json.loads((run_dir / "scores.json").read_text())
    (result,) = [r for r in scores["results"] if r["subset"] == "all"]
    assert result["problems"] == 2 and result["samples_per_problem"] == 2
    assert sum(result["status_counts"].values()) == 4 and result["pass_at_k"]["1"]["estimate"] == 0.0
    assert list(result["pass_at_k"]) == ["1"]
    fingerprint = scores["fingerprint"]
    assert fingerprint["generation"]["params"]["n_samples"] == 2 and "py" in fingerprint["sandboxes"]
    verdicts = (run_dir / "executions.jsonl").read_text().splitlines()
    assert len(verdicts) == 4
    # running it again resumes: nothing generated or executed twice
    assert main(argv) == 0
    assert len((run_dir / "executions.jsonl").read_text().splitlines()) == 4
    assert len((run_dir / "generations.jsonl").read_text().splitlines()) == 4
    # the checkpoint is named by its folder in run.json, the report and the gate, not by its path
    assert fingerprint["generation"]["name"] == "llama" and fingerprint["generation"]["model"] == str(model)
    assert main(["report", str(run_dir), "--out", str(tmp_path / "site")]) == 0
    assert "Latest: **llama** (run `run`)" in (tmp_path / "site" / "leaderboard.md").read_text()
    capsys.readouterr()
    main(["gate", "--candidate", str(run_dir), "--baseline", str(run_dir)])
    assert "candidate llama (run run) vs baseline llama (run run)" in capsys.readouterr().out
