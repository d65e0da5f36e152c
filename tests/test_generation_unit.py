"""Pure pieces of generation: stop strings, seeds, parameters, replay formats, URLs. Runtime: ~2 s."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from benchmarks import humaneval, multiple
from harness.errors import UsageError
from harness.generation import GenerationParams, generate_run
from harness.generation.openai import normalize_base_url
from harness.generation.replay import ReplayBackend, detect_format, strip_prompt
from harness.generation.seeds import sample_seed
from harness.generation.stops import cut_at_stop, first_stop

PROBLEMS = list(humaneval.load()[:3])


def test_first_stop_is_the_earliest_of_all_stops():
    assert first_stop("a\nif x\ndef y", ("\ndef", "\nif")) == 1
    assert cut_at_stop("    return 1\n\ndef g():", ("\ndef", "\nclass")) == ("    return 1\n", True)
    assert cut_at_stop("    return 1", ("\ndef",)) == ("    return 1", False)
    assert first_stop("abc", ("", "zz")) is None


def test_seeds_depend_only_on_run_seed_problem_and_index():
    a = sample_seed(0, "humaneval", "py", "HumanEval_0_x", 3)
    assert a == sample_seed(0, "humaneval", "py", "HumanEval_0_x", 3)
    others = {sample_seed(1, "humaneval", "py", "HumanEval_0_x", 3), sample_seed(0, "humaneval", "py", "HumanEval_0_x", 4),
              sample_seed(0, "multipl-e", "py", "HumanEval_0_x", 3)}
    assert a not in others and len(others) == 3 and 0 <= a < 2**31


@pytest.mark.parametrize("bad", [dict(n_samples=0), dict(temperature=-1), dict(top_p=0), dict(max_new_tokens=0)])
def test_bad_params_are_usage_errors(bad):
    with pytest.raises(UsageError):
        GenerationParams(**bad)


def test_base_urls_normalised():
    assert normalize_base_url("http://h:8000") == "http://h:8000/v1"
    assert normalize_base_url("http://h:8000/v1/") == "http://h:8000/v1"
    with pytest.raises(UsageError):
        normalize_base_url("h:8000")


def replay(tmp_path, path, n=None):
    backend = ReplayBackend(str(path))
    run_dir = tmp_path / "run"
    generate_run(run_dir, PROBLEMS, backend, GenerationParams(n_samples=n))
    lines = [json.loads(x) for x in (run_dir / "generations.jsonl").read_text().splitlines()]
    return {(r["name"], r["sample"]): r["completion"] for r in lines}


def test_replay_human_eval_jsonl(tmp_path):
    path = tmp_path / "samples.jsonl"
    rows = [{"task_id": p.extra["task_id"], "completion": f"c{i}{j}"} for i, p in enumerate(PROBLEMS[:2]) for j in range(2)]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert detect_format(path) == "human-eval"
    got = replay(tmp_path, path)
    assert got == {(PROBLEMS[0].name, 0): "c00", (PROBLEMS[0].name, 1): "c01",
                   (PROBLEMS[1].name, 0): "c10", (PROBLEMS[1].name, 1): "c11"}


def test_replay_bigcode_strips_prompts_and_n_limits(tmp_path):
    path = tmp_path / "generations.json"
    data = [[p.prompt + f"    return {i}{j}\n" for j in range(3)] for i, p in enumerate(PROBLEMS)]
    path.write_text(json.dumps(data))
    assert detect_format(path) == "bigcode"
    got = replay(tmp_path, path, n=2)
    assert len(got) == 6 and got[(PROBLEMS[2].name, 1)] == "    return 21\n"
    assert strip_prompt("def f():\n    pass", "def f():\n") == "    pass"
    bad = tmp_path / "too_many.json"
    bad.write_text(json.dumps([*data, ["x"]]))
    with pytest.raises(UsageError, match="has 4 problems but the selection has 3"):
        ReplayBackend(str(bad)).prepare(PROBLEMS, GenerationParams())


def test_replay_multipl_e_completion_files(tmp_path):
    folder = tmp_path / "humaneval-py-model-0.2-reworded"
    folder.mkdir()
    for i, p in enumerate(PROBLEMS[:2]):
        record = {"name": p.name, "language": "py", "prompt": p.prompt, "tests": p.tests,
                  "stop_tokens": list(p.stop_tokens), "temperature": 0.2, "completions": [f"m{i}"]}
        with gzip.open(folder / f"{p.name}.json.gz", "wt") as handle:
            json.dump(record, handle)
    (folder / f"{PROBLEMS[0].name}.results.json.gz").write_bytes(gzip.compress(b'{"results": []}'))
    assert replay(tmp_path, folder) == {(PROBLEMS[0].name, 0): "m0", (PROBLEMS[1].name, 0): "m1"}


def test_replay_reads_the_builders_language_names(tmp_path):
    """MultiPL-E completion files copy the dataset's `language`: Go's is go_test.go."""
    (go,) = multiple.load(["go"], problems=str(Path(__file__).parent / "fixtures/multipl-e/official/go.jsonl"))
    record = {"name": go.name, "language": "go_test.go", "prompt": go.prompt, "tests": go.tests,
              "stop_tokens": list(go.stop_tokens), "completions": ["\treturn len(myString)\n}\n"]}
    (tmp_path / f"{go.name}.json").write_text(json.dumps(record))
    backend = ReplayBackend(str(tmp_path))
    backend.prepare([go], GenerationParams())
    assert backend.completions == {("multipl-e", "go", go.name): ["\treturn len(myString)\n}\n"]}


def test_replay_rejects_unknown_files(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"a": 1}')
    with pytest.raises(UsageError, match="not a human-eval JSONL"):
        ReplayBackend(str(path)).prepare(PROBLEMS, GenerationParams())
    with pytest.raises(UsageError, match="no such replay file"):
        ReplayBackend(str(tmp_path / "nope")).prepare(PROBLEMS, GenerationParams())


PY_PROMPT = 'def add(x: int, y: int) -> int:\n    """Add two numbers.\n    >>> add(2, 3)\n    5\n    """\n'


@pytest.mark.parametrize(("reply", "completion"), [
    # the prompt restated whole, with chatter around the code block
    ("Sure:\n```python\n" + PY_PROMPT + "    return x + y\n```\nHope it helps.", "    return x + y\n"),
    # the docstring left out: the body follows the signature
    ("```python\ndef add(x: int, y: int) -> int:\n    return x + y\n```", "    return x + y\n"),
    # the docstring rewritten: what follows the signature, a second string expression is harmless
    ('```python\ndef add(x: int, y: int) -> int:\n    """Adds."""\n    return x + y\n```',
     '    """Adds."""\n    return x + y\n'),
    # an unclosed block (the reply ran out of tokens)
    ("```python\n" + PY_PROMPT + "    return x", "    return x"),
    # the body alone, no code block
    ("    return x + y", "    return x + y"),
])
def test_chat_reply_code_extraction(reply, completion):
    from harness.generation.prompts import completion_from_reply

    assert completion_from_reply(PY_PROMPT, reply) == completion


def test_chat_reply_code_extraction_brace_language():
    from harness.generation.prompts import completion_from_reply

    assert completion_from_reply("function add(x, y) {\n", "```js\nfunction add(x, y) {\n  return x + y;\n}\n```") \
        == "  return x + y;\n}\n"
    # spacing differs from the prompt's: still the same line
    assert completion_from_reply("// Add.\nfunction add(x, y){\n", "function add(x, y) {\n  return x + y;\n}\n") \
        == "  return x + y;\n}\n"


def test_chat_reply_extraction_from_what_small_models_write():
    """Replies as SmolLM2-135M-Instruct writes them: a new docstring that opens on its own line,
    a signature without `local`, an import above the function."""
    import ast

    from harness.generation.prompts import completion_from_reply

    reply = ('```python\ndef add(x: int, y: int) -> int:\n    """\n    Adds x and y.\n    """\n'
             "    return x + y\n```")
    completion = completion_from_reply(PY_PROMPT, reply, "add")
    assert completion == '    """\n    Adds x and y.\n    """\n    return x + y\n'
    ast.parse(PY_PROMPT + completion)  # the prompt's docstring, then the model's: both parse

    lua = "-- Add.\nlocal function add(x, y)\n"
    assert completion_from_reply(lua, "```lua\nfunction add(x, y)\n  return x + y\nend\n```", "add") \
        == "  return x + y\nend\n"
    java = "    public static long addTwo(long x, long y) {\n"
    assert completion_from_reply(java, "static long addTwo(long x,long y)\n{\n  return x + y;\n}", "add_two") \
        == "{\n  return x + y;\n}"

    imported = "```python\nimport math\n\ndef add(x: int, y: int) -> int:\n    return math.fsum([x, y])\n```"
    completion = completion_from_reply(PY_PROMPT, imported, "add")
    assert completion == "    import math\n    return math.fsum([x, y])\n"
    ast.parse(PY_PROMPT + completion)


def test_after_prefill_drops_whitespace_the_template_stripped():
    from harness.generation.prompts import after_prefill

    assert after_prefill(PY_PROMPT, "\n    return x") == "    return x"  # the server continued prompt.rstrip()
    assert after_prefill(PY_PROMPT, "    return x") == "    return x"  # the server kept the newline


def test_device_per_rank_under_data_parallelism():
    from harness.generation.hf import pick_device
    from harness.generation.parallel import DistEnv

    alone, rank3 = DistEnv(), DistEnv(rank=3, world_size=4, local_rank=3)
    assert pick_device(None, 0, alone) == "cpu" and pick_device(None, 2, alone) == "cuda"
    assert pick_device(None, 8, rank3) == "cuda:3" and pick_device(None, 2, rank3) == "cuda:1"
    assert pick_device("cpu", 8, rank3) == "cpu" and pick_device("cuda:0", 8, rank3) == "cuda:0"
