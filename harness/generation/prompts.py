"""Prompt templates: base-model completion (default) and two for chat models.

`chat` follows MultiPL-E's and EvalPlus's chat modes: the tokenizer's chat template wraps
an instruction, and the assistant turn is prefilled with an opened code block holding the
problem's prompt, so the model continues the function; the code block's closing fence is
one more stop string, which extracts the code.

`instruct` lets the model answer the same instruction in its own words: the assistant turn
starts with an opened code fence only (so the reply is code from its first token), the
model writes the whole function, and the completion is what follows the prompt's lines in
that code (`completion_from_reply`). Small instruct models that close a prefilled block at
once (SmolLM2-135M-Instruct does) write real functions this way.

Either way the completion still fits `prompt + completion + tests`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from benchmarks.problem import Problem
from harness.errors import UsageError
from harness.generation.stops import cut_at_stop

TEMPLATES = ("completion", "chat", "instruct")

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
    """The text to feed the model, the stop strings, whether the tokenizer adds BOS etc., and
    how the generated text becomes the completion of the problem's prompt."""

    text: str
    stops: tuple[str, ...]
    add_special_tokens: bool
    #: the generated text is a chat reply to extract the code from (else it continues the prompt)
    reply: bool = False
    #: the start of the reply that `text` already holds (an opened code fence)
    reply_start: str = ""

    def completion(self, problem: Problem, generated: str) -> str:
        """The completion that follows `problem.prompt`, from the text the model generated."""
        if not self.reply:
            return generated
        return reply_completion(problem, self.reply_start + generated)


def chat_messages(problem: Problem) -> list[dict[str, str]]:
    fence, display = FENCES.get(problem.language, (problem.language, problem.language))
    instruction = (
        f"Complete the following {display} function so that it passes its tests. "
        f"Reply with the code only, in one code block.\n{CODE_FENCE}{fence}\n{problem.prompt}\n{CODE_FENCE}"
    )
    return [{"role": "user", "content": instruction}]


def render(problem: Problem, template: str, tokenizer: Any | None = None) -> RenderedPrompt:
    """The model input for `problem` under `template` (checked by GenerationParams; chat and
    instruct need a tokenizer with a chat template)."""
    if template == "completion":
        return RenderedPrompt(problem.prompt, tuple(problem.stop_tokens), add_special_tokens=True)
    if tokenizer is None or not getattr(tokenizer, "chat_template", None):
        raise UsageError(f"--prompt-template {template}: the model's tokenizer has no chat template")
    head = tokenizer.apply_chat_template(chat_messages(problem), tokenize=False, add_generation_prompt=True)
    if template == "instruct":
        start = reply_start(problem)
        return RenderedPrompt(f"{head}{start}", (CODE_FENCE,), add_special_tokens=False,
                              reply=True, reply_start=start)
    text = f"{head}{chat_prefill(problem)}"
    return RenderedPrompt(text, chat_stops(problem), add_special_tokens=False)


def reply_completion(problem: Problem, reply: str) -> str:
    """The completion in a chat reply: the code after the restated prompt, cut at the first stop
    token (as a base model's completion is: what follows the function is not part of it)."""
    return cut_at_stop(completion_from_reply(problem.prompt, reply, problem.entry_point), problem.stop_tokens)[0]


def reply_start(problem: Problem) -> str:
    """The instruct template's start of the assistant turn: an opened code fence, nothing else."""
    return f"{CODE_FENCE}{FENCES.get(problem.language, (problem.language, ''))[0]}\n"


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


def completion_from_reply(prompt: str, reply: str, entry_point: str | None = None) -> str:
    """What follows `prompt` in a chat reply that did not continue a prefilled code block.

    The code block's body is taken. When the model restated the prompt whole, the
    completion is what follows it. Otherwise it starts after the last prompt line the
    model repeated (whitespace aside; the k-th occurrence for a line the prompt holds k
    times), not counting a Python prompt's docstring, which models rewrite: after the
    `def` line, the model's own docstring is a harmless string expression. When no line
    is repeated as is (`function f(a, b)` for `local function f(a, b)`), it starts after
    the first line that defines `entry_point` (in any case, with or without underscores).
    Python imports the model wrote above its function move into the body. A reply that
    restates nothing is taken as the function body itself.
    """
    code = code_block(reply)
    head = prompt.strip()
    at = code.find(head) if head else -1
    if at != -1 and not code[:at].strip():
        return _drop_line_end(code[at + len(head):], prompt)
    code_lines = code.splitlines(keepends=True)
    keys = [_key(line) for line in code_lines]
    anchor = _restated_line(prompt, keys)
    if anchor is None and entry_point:
        anchor = _definition_line(entry_point, code_lines)
    if anchor is None:
        return code
    body = "".join(code_lines[anchor + 1:])
    if code_lines[anchor].lstrip().startswith(("def ", "async def ")):
        body = _python_imports(code_lines[:anchor]) + body
    return body


def _key(line: str) -> str:
    """A line compared whitespace aside (`f(a, b){` and `f(a, b) {` are the same line)."""
    return "".join(line.split())


def _restated_line(prompt: str, keys: list[str]) -> int | None:
    """Index in the reply's code of the last prompt line it repeats (None: none)."""
    prompt_keys = _without_docstring([_key(line) for line in prompt.splitlines()])
    for line in reversed(prompt_keys):
        if not line or line in _CLOSERS or line not in keys:
            continue
        wanted = prompt_keys.count(line)
        hits = [i for i, other in enumerate(keys) if other == line]
        return hits[min(wanted, len(hits)) - 1]
    return None


def _without_docstring(keys: list[str]) -> list[str]:
    """The prompt's lines less a docstring it ends with (Python prompts do)."""
    end = len(keys)
    while end and not keys[end - 1]:
        end -= 1
    if not end:
        return keys
    last = keys[end - 1]
    quote = next((q for q in ('"""', "'''") if last.endswith(q)), None)
    if quote is None:
        return keys
    if last.count(quote) >= 2 and not last.startswith(quote * 2):  # a one-line docstring
        return keys[: end - 1]
    for start in range(end - 2, -1, -1):
        if quote in keys[start]:
            return keys[:start]
    return keys


_COMMENT_STARTS = ("#", "//", "--", ";", "/*", "*", ">>>")


def _definition_line(entry_point: str, lines: list[str]) -> int | None:
    """The first code line that names `entry_point` before `(` (or after it, in Lisp style)."""
    name = re.escape(entry_point.replace("_", "").lower())
    pattern = re.compile(rf"(?<![a-z0-9]){name}\s*\(|\(\s*{name}(?![a-z0-9])")
    for index, line in enumerate(lines):
        flat = line.replace("_", "").lower().strip()
        if flat and not flat.startswith(_COMMENT_STARTS) and pattern.search(flat):
            return index
    return None


def _python_imports(lines: list[str]) -> str:
    """Top-level imports among `lines`, indented into a function body."""
    found = [line.strip() for line in lines if re.match(r"(import |from \S+ import )", line)]
    return "".join(f"    {line}\n" for line in found)


def _drop_line_end(rest: str, prompt: str) -> str:
    """`rest` follows the prompt's last character; the prompt's own newline is already there."""
    if prompt.endswith("\n") and rest.startswith("\n"):
        return rest[1:]
    return rest
