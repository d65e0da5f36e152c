"""The `openai` backend: any OpenAI-compatible server (vLLM, TGI, SGLang), completions or chat.

Many requests are in flight at once (a thread pool; the server batches them), spread
round-robin over several base URLs (replicas). Each request carries `n`, `stop`, a `seed`
and always `max_tokens`; 429/5xx answers and connection errors are retried with
exponential backoff. Completions are cut again at the first stop string here, so a server
that returns the stop string (or ignores some of them) gives the same samples.

Chat mode (`--prompt-template chat`, `/v1/chat/completions`) sends the same instruction as
the `hf` backend's chat mode and prefills the assistant turn with an opened code block
holding the prompt (`continue_final_message`, which vLLM and SGLang accept), so the model
continues the function. A server that refuses the prefill (HTTP 4xx on a one-token probe,
as OpenAI's own API does) gets the plain instruction instead, and the completion is
extracted from the reply's code block; `--prompt-template instruct` asks that way from the
start. run.json records which way was used.
"""

from __future__ import annotations

import random
import time
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from importlib import metadata
from typing import Any

import requests

from benchmarks.problem import Problem
from harness.errors import InfraError, UsageError
from harness.generation import prompts
from harness.generation.base import Emit, GenerationParams, Job
from harness.generation.prompts import RenderedPrompt
from harness.generation.stops import cut_at_stop

RETRY_STATUS = {408, 409, 429, 500, 502, 503, 504}
#: vLLM / SGLang chat parameters: continue the final (assistant) message instead of opening a new turn
PREFILL_FLAGS = {"continue_final_message": True, "add_generation_prompt": False}


def normalize_base_url(url: str) -> str:
    """`http://host:8000` and `http://host:8000/v1/` both mean `http://host:8000/v1`."""
    url = url.strip().rstrip("/")
    if not url.startswith(("http://", "https://")):
        raise UsageError(f"--base-url: expected http(s)://host[:port][/v1], got {url!r}")
    scheme_host = url.split("://", 1)[1]
    if "/" not in scheme_host:
        url += "/v1"
    return url


class OpenAIBackend:
    name = "openai"
    default_n_samples: int | None = 1
    copies_greedy = True

    def __init__(
        self,
        model: str,
        base_urls: Sequence[str],
        *,
        concurrency: int = 32,
        samples_per_request: int = 1,
        max_retries: int = 6,
        backoff_s: float = 0.5,
        timeout_s: float = 600.0,
        api_key: str | None = None,
    ):
        if not base_urls:
            raise UsageError("--backend openai needs --base-url")
        if concurrency < 1 or samples_per_request < 1:
            raise UsageError("--concurrency and samples per request must be >= 1")
        self.model = model
        self.base_urls = [normalize_base_url(u) for u in base_urls]
        self.concurrency = concurrency
        self.samples_per_request = samples_per_request
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.timeout_s = timeout_s
        self.session = requests.Session()
        if api_key:
            self.session.headers["Authorization"] = f"Bearer {api_key}"
        self.session.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=concurrency))
        self.session.mount("https://", requests.adapters.HTTPAdapter(pool_maxsize=concurrency))
        self.requests_sent = 0
        self.chat = False
        #: whether the servers continue a prefilled assistant turn (chat mode; found by a probe)
        self.chat_prefill: bool | None = None

    def prepare(self, problems: Sequence[Problem], params: GenerationParams) -> None:
        """Fail fast, with one line, when a server cannot be reached."""
        self.chat = params.prompt_template in ("chat", "instruct")
        if params.prompt_template == "instruct":
            self.chat_prefill = False  # the model answers the instruction; the code is taken from its reply
        for url in self.base_urls:
            try:
                response = self.session.get(f"{url}/models", timeout=10)
            except requests.RequestException as exc:
                raise InfraError(f"--base-url: cannot reach {url}: {_reason(exc)}") from None
            if response.status_code >= 500:
                raise InfraError(f"--base-url: {url}/models answered HTTP {response.status_code}")
        if self.chat and self.chat_prefill is None:
            self.chat_prefill = self._probe_prefill(self.base_urls[0])

    def _probe_prefill(self, url: str) -> bool:
        """One-token chat request with a prefilled assistant turn: does the server take it?"""
        body = {
            "model": self.model, "max_tokens": 1, "temperature": 0.0,
            "messages": [{"role": "user", "content": "Write a Python function."},
                         {"role": "assistant", "content": "```python\ndef"}],
            **PREFILL_FLAGS,
        }
        try:
            response = self.session.post(f"{url}/chat/completions", json=body, timeout=self.timeout_s)
        except requests.RequestException as exc:
            raise InfraError(f"--base-url: cannot reach {url}/chat/completions: {_reason(exc)}") from None
        if response.status_code == 200:
            return True
        if 400 <= response.status_code < 500 and response.status_code not in (401, 403, 404):
            return False
        raise InfraError(f"{url}/chat/completions answered HTTP {response.status_code}: "
                         f"{response.text[:200]}".replace("\n", " "))
    def describe(self) -> dict[str, Any]:
        return {
            "backend": "openai",
            "backend_version": f"requests {metadata.version('requests')} -> OpenAI completions API",
            "model": self.model,
            "revision": None,
            "checkpoint_sha256": None,
            "base_urls": self.base_urls,
            "api": "chat/completions" if self.chat else "completions",
            "chat_prefill": self.chat_prefill,
        }

    def render(self, problem: Problem, params: GenerationParams) -> RenderedPrompt:
        """The completions prompt, or for chat the prefill (the messages are built per request)."""
        if params.prompt_template == "chat":
            return RenderedPrompt(prompts.chat_prefill(problem), prompts.chat_stops(problem), True)
        if params.prompt_template == "instruct":
            return RenderedPrompt("", (), True, reply=True)
        return prompts.render(problem, params.prompt_template)

    def available(self, problem: Problem) -> int | None:
        return None

    def _requests(self, jobs: Sequence[Job]) -> list[tuple[Job, tuple[tuple[int, int], ...]]]:
        out = []
        for job in jobs:
            for start in range(0, len(job.slots), self.samples_per_request):
                out.append((job, job.slots[start : start + self.samples_per_request]))
        return out

    def generate(self, jobs: Sequence[Job], params: GenerationParams, emit: Emit) -> None:
        work = self._requests(jobs)
        with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
            pending: dict[Future[list[dict[str, Any]]], tuple[Job, tuple[tuple[int, int], ...]]] = {}
            queue = iter(enumerate(work))
            try:
                for number, item in queue:
                    url = self.base_urls[number % len(self.base_urls)]
                    pending[pool.submit(self._complete, url, item[0], item[1], params)] = item
                    if len(pending) >= self.concurrency * 2:
                        self._drain(pending, emit)
                while pending:
                    self._drain(pending, emit)
            except BaseException:
                for future in pending:
                    future.cancel()
                raise

    def _drain(self, pending: dict, emit: Emit) -> None:
        done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
        for future in done:
            job, slots = pending.pop(future)
            choices = future.result()
            for (index, seed), choice in zip(slots, choices, strict=False):
                text, stopped = self._completion(job, choice.get("text") or "")
                reason = choice.get("finish_reason")
                reason = "stop" if stopped or reason == "stop" else "length" if reason == "length" else reason
                emit(job.sample(index, seed, text, reason, choice.get("_tokens")))

    def _completion(self, job: Job, text: str) -> tuple[str, bool]:
        """(completion of the problem's prompt, whether a stop string ended it) from a choice's text."""
        if not self.chat:
            return cut_at_stop(text, job.stops)
        if self.chat_prefill:
            return cut_at_stop(prompts.after_prefill(job.problem.prompt, text), job.stops)
        return prompts.reply_completion(job.problem, text), False

    def _body(self, job: Job) -> dict[str, Any]:
        """The request's prompt part: a plain prompt, or chat messages (prefilled when the server can)."""
        if not self.chat:
            return {"prompt": job.prompt, "stop": list(job.stops)}
        messages = prompts.chat_messages(job.problem)
        if not self.chat_prefill:  # the stop strings would cut a restated prompt: cut after extraction
            return {"messages": messages}
        prefill = {"role": "assistant", "content": job.prompt}
        return {"messages": [*messages, prefill], "stop": list(job.stops), **PREFILL_FLAGS}

    def _complete(self, url: str, job: Job, slots: tuple[tuple[int, int], ...],
                  params: GenerationParams) -> list[dict[str, Any]]:
        endpoint = "chat/completions" if self.chat else "completions"
        body: dict[str, Any] = {
            "model": self.model,
            **self._body(job),
            "max_tokens": params.max_new_tokens,
            "temperature": params.temperature,
            "top_p": params.top_p,
            "n": len(slots),
            "seed": slots[0][1],
        }
        attempt = 0
        while True:
            self.requests_sent += 1
            try:
                response = self.session.post(f"{url}/{endpoint}", json=body, timeout=self.timeout_s)
            except requests.RequestException as exc:
                problem = f"{url}: {_reason(exc)}"
            else:
                if response.status_code == 200:
                    return self._choices(f"{url}/{endpoint}", response, len(slots))
                problem = f"{url}/{endpoint} answered HTTP {response.status_code}: {response.text[:200]}"
                if response.status_code not in RETRY_STATUS:
                    raise UsageError(problem.replace("\n", " "))
            attempt += 1
            if attempt > self.max_retries:
                raise InfraError(f"gave up after {self.max_retries} retries: {problem}".replace("\n", " "))
            time.sleep(self.backoff_s * 2 ** (attempt - 1) * (0.5 + random.random()))

    @staticmethod
    def _choices(endpoint: str, response: requests.Response, n: int) -> list[dict[str, Any]]:
        try:
            data = response.json()
            choices = sorted(data["choices"], key=lambda c: c.get("index", 0))
            for choice in choices:
                if "message" in choice:  # chat: the text is the message's content
                    choice["text"] = choice["message"].get("content") or ""
        except (ValueError, KeyError, TypeError, AttributeError):
            raise InfraError(f"{endpoint}: answer is not an OpenAI completions response") from None
        if len(choices) != n:
            raise InfraError(f"{endpoint}: asked for n={n}, got {len(choices)} choices")
        usage = data.get("usage") or {}
        if n == 1 and isinstance(usage.get("completion_tokens"), int):
            choices[0]["_tokens"] = usage["completion_tokens"]
        return choices


def _reason(exc: BaseException) -> str:
    text = str(exc)
    for marker in ("Connection refused", "Name or service not known", "timed out", "No route to host"):
        if marker in text:
            return marker
    return text.splitlines()[0][:200] if text else type(exc).__name__
