"""Prompt templates: base-model completion (default) and chat models.

Chat mode follows MultiPL-E's and EvalPlus's chat modes: the tokenizer's chat template wraps
an instruction, and the assistant turn is prefilled with an opened code block holding the
problem's prompt, so the model continues the function; the code block's closing fence is
one more stop string, which extracts the code. The completion therefore still fits
`prompt + completion + tests`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from benchmarks.problem import Problem
from harness.errors import UsageError

TEMPLATES = ("completion", "chat")

#: Markdown fence names and display names of the MultiPL-E languages.
FENCES: dict[str, tuple[str, str]] = {
    "py": ("python", "Python"), "cpp": ("cpp", "C++"), "cs": ("csharp", "C#"), "d": ("d", "D"),
    "go": ("go", "Go"), "java": ("java", "Java"), "jl": ("julia", "Julia"),
    "js": ("javascript", "JavaScript"), "lua": ("lua", "Lua"), "php": ("php", "PHP"),
    "pl": ("perl", "Perl"), "r": ("r", "R"), "rb": ("ruby", "Ruby"), "rkt": ("racket", "Racket"),
    "rs": ("rust", "Rust"), "scala": ("scala", "Scala"), "sh": ("bash", "Bash"),
    "swift": ("swift", "Swift"), "ts": ("typescript", "TypeScript"),
}
CODE_FENCE = "```"


@dataclass(frozen=True)
class RenderedPrompt:
    """The text to feed the model, the stop strings, and whether the tokenizer adds BOS etc."""

    text: str
    stops: tuple[str, ...]
    add_special_tokens: bool


def chat_messages(problem: Problem) -> list[dict[str, str]]:
    fence, display = FENCES.get(problem.language, (problem.language, problem.language))
    instruction = (
        f"Complete the following {display} function so that it passes its tests. "
        f"Reply with the code only, in one code block.\n{CODE_FENCE}{fence}\n{problem.prompt}\n{CODE_FENCE}"
    )
    return [{"role": "user", "content": instruction}]


def render(problem: Problem, template: str, tokenizer: Any | None = None) -> RenderedPrompt:
    """The model input for `problem` under `template` (checked by GenerationParams; chat needs a
    tokenizer with a chat template)."""
    if template == "completion":
        return RenderedPrompt(problem.prompt, tuple(problem.stop_tokens), add_special_tokens=True)
    if tokenizer is None or not getattr(tokenizer, "chat_template", None):
        raise UsageError("--prompt-template chat: the model's tokenizer has no chat template")
    head = tokenizer.apply_chat_template(chat_messages(problem), tokenize=False, add_generation_prompt=True)
    text = f"{head}{chat_prefill(problem)}"
    return RenderedPrompt(text, chat_stops(problem), add_special_tokens=False)


def chat_prefill(problem: Problem) -> str:
    """The assistant turn's start: an opened code block holding the prompt."""
    fence = FENCES.get(problem.language, (problem.language, ""))[0]
    return f"{CODE_FENCE}{fence}\n{problem.prompt}"


def chat_stops(problem: Problem) -> tuple[str, ...]:
    return (*problem.stop_tokens, CODE_FENCE)


def after_prefill(prompt: str, continuation: str) -> str:
    """The completion of `prompt` given a server's continuation of the prefilled assistant turn.

    Chat templates (transformers' `continue_final_message`, hence vLLM's) strip trailing
    whitespace off the final message, so the model continued `prompt.rstrip()`; the
    whitespace it then wrote again is not part of the completion.
    """
    trailing = prompt[len(prompt.rstrip()):]
    if trailing and continuation.startswith(trailing):
        return continuation[len(trailing):]
    if trailing.endswith("\n") and continuation.startswith("\n"):
        return continuation[1:]
    return continuation


_CODE_BLOCK = re.compile(r"```[^\n`]*\n(.*?)(?:```|\Z)", re.S)
_CLOSERS = frozenset({"}", ")", "]", "};", "end"})


def code_block(reply: str) -> str:
    """The body of the first fenced code block in a chat reply (to the end if unclosed), else the reply."""
    match = _CODE_BLOCK.search(reply)
    return match.group(1) if match else reply


def completion_from_reply(prompt: str, reply: str) -> str:
    """What follows `prompt` in a chat reply that did not continue a prefilled code block.

    The code block's body is taken; when the model restated the prompt (whole, or with
    its docstring changed or left out), the completion starts after the last prompt line
    it repeated (the k-th occurrence for a line the prompt holds k times). A reply
    that restates nothing is taken as the function body itself.
    """
    code = code_block(reply)
    head = prompt.strip()
    at = code.find(head) if head else -1
    if at != -1 and not code[:at].strip():
        return _drop_line_end(code[at + len(head):], prompt)
    prompt_lines = [line.strip() for line in prompt.splitlines()]
    code_lines = code.splitlines(keepends=True)
    stripped = [line.strip() for line in code_lines]
    for line in reversed(prompt_lines):
        if not line or line in _CLOSERS or line not in stripped:
            continue
        wanted = prompt_lines.count(line)
        hits = [i for i, other in enumerate(stripped) if other == line]
        last = hits[min(wanted, len(hits)) - 1]
        return "".join(code_lines[last + 1:])
    return code


def _drop_line_end(rest: str, prompt: str) -> str:
    """`rest` follows the prompt's last character; the prompt's own newline is already there."""
    if prompt.endswith("\n") and rest.startswith("\n"):
        return rest[1:]
    return rest
