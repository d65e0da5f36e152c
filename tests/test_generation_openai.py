"""The `openai` backend against real HTTP servers (started here) serving a real tiny model.

Runtime: about 30 s.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from benchmarks import humaneval
from harness.cli import main
from harness.generation.stops import cut_at_stop
from harness.generation.tiny import make_tiny_model


class TinyCompletionsServer:
    """An OpenAI `/v1/completions` server backed by transformers' `generate` on a tiny GPT-2."""

    def __init__(self, folder: Path, fail_first: int = 0, prefill: bool = True):
        import torch
        from transformers import AutoModelForCausalLM, AutoTokenizer

        self.torch = torch
        self.tokenizer = AutoTokenizer.from_pretrained(folder)
        self.model = AutoModelForCausalLM.from_pretrained(folder).eval()
        self.model_lock = threading.Lock()
        self.count_lock = threading.Lock()
        self.in_flight = 0
        self.max_in_flight = 0
        self.bodies: list[dict] = []
        self.fail_left = fail_first
        self.prefill = prefill  # False: refuse continue_final_message, as OpenAI's own API does
        self.rendered: list[str] = []
        self.replies: dict[str, str] = {}  # last user message -> first choice's content
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, code: int, data: dict) -> None:
                payload = json.dumps(data).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def do_GET(self):
                if self.path == "/v1/models":
                    self.reply(200, {"object": "list", "data": [{"id": "tiny", "object": "model"}]})
                else:
                    self.reply(404, {"error": "not found"})

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with server.count_lock:
                    server.in_flight += 1
                    server.max_in_flight = max(server.max_in_flight, server.in_flight)
                    fail = server.fail_left > 0
                    server.fail_left -= fail
                try:
                    time.sleep(0.05)  # requests overlap, as with a real batching server
                    if fail:
                        self.reply(503, {"error": "warming up"})
                        return
                    if self.path == "/v1/chat/completions":
                        if "continue_final_message" in body and not server.prefill:
                            self.reply(400, {"error": "Unrecognized request argument: continue_final_message"})
                            return
                        server.bodies.append(body)
                        self.reply(200, server.chat(body))
                        return
                    server.bodies.append(body)
                    self.reply(200, server.complete(body))
                finally:
                    with server.count_lock:
                        server.in_flight -= 1

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"

    def chat(self, body: dict) -> dict:
        """vLLM's chat handling: the chat template, continuing the last message when asked."""
        cont = bool(body.get("continue_final_message"))
        text = self.tokenizer.apply_chat_template(
            body["messages"], tokenize=False, continue_final_message=cont,
            add_generation_prompt=body.get("add_generation_prompt", True),
        )
        self.rendered.append(text)
        reply = self.complete({**body, "prompt": text}, add_special_tokens=False)
        for choice in reply["choices"]:
            choice["message"] = {"role": "assistant", "content": choice.pop("text")}
        self.replies[body["messages"][0]["content"]] = reply["choices"][0]["message"]["content"]
        return {**reply, "object": "chat.completion"}

    def complete(self, body: dict, add_special_tokens: bool = True) -> dict:
        torch = self.torch
        inputs = self.tokenizer(body["prompt"], return_tensors="pt", add_special_tokens=add_special_tokens)
        sample = body.get("temperature", 1.0) > 0
        with self.model_lock, torch.inference_mode():
            torch.manual_seed(body.get("seed", 0))
            out = self.model.generate(
                **inputs, do_sample=sample, temperature=body["temperature"] if sample else None,
                top_p=body.get("top_p", 1.0) if sample else None, max_new_tokens=body["max_tokens"],
                num_return_sequences=body.get("n", 1), pad_token_id=self.tokenizer.eos_token_id,
            )
        choices = []
        for index, row in enumerate(out[:, inputs["input_ids"].shape[1]:]):
            text = self.tokenizer.decode(row, skip_special_tokens=True)
            text, stopped = cut_at_stop(text, body.get("stop") or [])
            ended = self.tokenizer.eos_token_id in row.tolist()
            choices.append({"index": index, "text": text, "logprobs": None,
                            "finish_reason": "stop" if stopped or ended else "length"})
        return {"id": "cmpl-test", "object": "text_completion", "model": body["model"], "choices": choices,
                "usage": {"prompt_tokens": int(inputs["input_ids"].shape[1]),
                          "completion_tokens": int(out.shape[1] - inputs["input_ids"].shape[1])}}

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    folder = make_tiny_model(tmp_path_factory.mktemp("tiny") / "gpt2", "gpt2")
    started = [TinyCompletionsServer(folder, fail_first=2), TinyCompletionsServer(folder)]
    yield started
    for server in started:
        server.close()


def test_many_requests_in_flight_across_replicas_with_retries(servers, tmp_path):
    run_dir = tmp_path / "run"
    code = main([
        "generate", "--backend", "openai", "--model", "tiny", "--base-url", servers[0].url,
        "--base-url", servers[1].url.removesuffix("/v1"), "--limit", "6", "--n-samples", "2",
        "--temperature", "0.8", "--max-new-tokens", "8", "--concurrency", "8", "--out", str(run_dir),
    ])
    assert code == 0
    lines = [json.loads(x) for x in (run_dir / "generations.jsonl").read_text().splitlines()]
    assert len(lines) == 12 and len({(r["name"], r["sample"]) for r in lines}) == 12
    assert len({r["seed"] for r in lines}) == 12
    assert servers[0].fail_left == 0, "the failing replica was not retried"
    bodies = servers[0].bodies + servers[1].bodies
    assert len(bodies) == 12 and servers[0].bodies and servers[1].bodies
    assert max(s.max_in_flight for s in servers) >= 2
    stops = list(humaneval.PYTHON_STOP_TOKENS)
    assert all(b["max_tokens"] == 8 and b["n"] == 1 and b["stop"] == stops for b in bodies)
    assert sorted(b["seed"] for b in bodies) == sorted(r["seed"] for r in lines)
    assert {r["finish_reason"] for r in lines} <= {"stop", "length"}
    assert all(not any(s in r["completion"] for s in stops) for r in lines)
    gen = json.loads((run_dir / "run.json").read_text())["generation"]
    assert gen["backend"] == "openai" and gen["base_urls"] == [servers[0].url, servers[1].url]


def test_n_per_request_and_greedy_copies(servers, tmp_path):
    from harness.generation import GenerationParams, generate_run
    from harness.generation.openai import OpenAIBackend

    before = len(servers[1].bodies)
    backend = OpenAIBackend("tiny", [servers[1].url], samples_per_request=3)
    problems = list(humaneval.load()[:2])
    summary = generate_run(tmp_path / "n3", problems, backend,
                           GenerationParams(n_samples=3, temperature=0.8, max_new_tokens=6))
    assert summary.generated == 6 and [b["n"] for b in servers[1].bodies[before:]] == [3, 3]
    before = len(servers[1].bodies)
    summary = generate_run(tmp_path / "greedy", problems, backend,
                           GenerationParams(n_samples=5, temperature=0.0, max_new_tokens=6))
    assert summary.generated == 2 and summary.copied == 8 and len(servers[1].bodies) - before == 2


def test_unreachable_server_is_one_line_exit_3(tmp_path, capsys):
    code = main(["generate", "--backend", "openai", "--model", "tiny", "--base-url", "http://127.0.0.1:9/v1",
                 "--limit", "1", "--out", str(tmp_path / "r")])
    assert code == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["polypass: error: --base-url: cannot reach http://127.0.0.1:9/v1: Connection refused"]


def test_chat_mode_prefills_the_code_block_or_extracts_it(tmp_path):
    """Chat over /v1/chat/completions: prefilled like the hf backend, or, on a server that refuses
    the prefill, a plain instruction whose reply's code block is extracted."""
    from harness.generation import GenerationParams, generate_run
    from harness.generation.hf import HFBackend
    from harness.generation.openai import OpenAIBackend
    from harness.generation.prompts import chat_messages, reply_completion

    folder = make_tiny_model(tmp_path / "llama", "llama")
    problems = list(humaneval.load()[:3])
    params = GenerationParams(temperature=0.0, max_new_tokens=10, prompt_template="chat")
    hf = HFBackend(str(folder))
    hf.prepare(problems, params)
    prefilling, refusing = TinyCompletionsServer(folder), TinyCompletionsServer(folder, prefill=False)
    instructed = TinyCompletionsServer(folder)  # takes a prefill, but instruct never sends one
    try:
        generate_run(tmp_path / "prefill", problems, OpenAIBackend("tiny", [prefilling.url]), params)
        generate_run(tmp_path / "plain", problems, OpenAIBackend("tiny", [refusing.url]), params)
        # instruct: the plain instruction from the start, even to a server that takes a prefill
        instruct = GenerationParams(temperature=0.0, max_new_tokens=10, prompt_template="instruct")
        generate_run(tmp_path / "instruct", problems, OpenAIBackend("tiny", [instructed.url]), instruct)
    finally:
        prefilling.close()
        refusing.close()
        instructed.close()
    asked = instructed.bodies
    assert len(asked) == 3 and all(len(b["messages"]) == 1 and "continue_final_message" not in b for b in asked)
    gen = json.loads((tmp_path / "instruct" / "run.json").read_text())["generation"]
    assert gen["chat_prefill"] is False and gen["api"] == "chat/completions"

    gen = json.loads((tmp_path / "prefill" / "run.json").read_text())["generation"]
    assert gen["api"] == "chat/completions" and gen["chat_prefill"] is True
    bodies = prefilling.bodies[1:]  # the first is the one-token probe
    assert len(bodies) == 3 and all(b["continue_final_message"] and b["stop"][-1] == "```" for b in bodies)
    # the server saw what the hf backend feeds its model (some templates strip trailing space)
    assert sorted(t.rstrip() for t in prefilling.rendered[1:]) == sorted(
        hf.render(p, params).text.rstrip() for p in problems)
    generate_run(tmp_path / "hf", problems, hf, params)
    by_name = {}
    for run in ("prefill", "hf"):
        lines = (tmp_path / run / "generations.jsonl").read_text().splitlines()
        by_name[run] = {r["name"]: r["completion"] for r in map(json.loads, lines)}
    assert len(by_name["hf"]) == 3 and by_name["prefill"] == by_name["hf"]  # greedy: same model, same text

    gen = json.loads((tmp_path / "plain" / "run.json").read_text())["generation"]
    assert gen["chat_prefill"] is False
    plain = [b for b in refusing.bodies if "continue_final_message" not in b]
    assert len(plain) == 3 and all(len(b["messages"]) == 1 and "stop" not in b for b in plain)
    instructions = {p.name: chat_messages(p)[0]["content"] for p in problems}
    assert sorted(b["messages"][0]["content"] for b in plain) == sorted(instructions.values())
    lines = (tmp_path / "plain" / "generations.jsonl").read_text().splitlines()
    records = {r["name"]: r["completion"] for r in map(json.loads, lines)}
    assert len(records) == 3
    for problem in problems:
        reply = refusing.replies[instructions[problem.name]]
        wanted = reply_completion(problem, reply)
        assert records[problem.name] == wanted
