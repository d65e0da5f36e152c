"""The backend interface: jobs (one prompt, some sample slots) in, samples out, as they finish."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from benchmarks.problem import Problem
from harness.errors import UsageError
from harness.generation.prompts import TEMPLATES, RenderedPrompt
from harness.samples import Sample


@dataclass(frozen=True)
class GenerationParams:
    """Sampling parameters; they go into run.json, so two runs compare only when they match."""

    n_samples: int | None = 1
    temperature: float = 0.0
    top_p: float = 1.0
    max_new_tokens: int = 512
    seed: int = 0
    prompt_template: str = "completion"

    def __post_init__(self) -> None:
        if self.n_samples is not None and self.n_samples < 1:
            raise UsageError(f"--n-samples must be >= 1, got {self.n_samples}")
        if self.temperature < 0:
            raise UsageError(f"--temperature must be >= 0, got {self.temperature}")
        if not 0 < self.top_p <= 1:
            raise UsageError(f"--top-p must be in (0, 1], got {self.top_p}")
        if self.max_new_tokens < 1:
            raise UsageError(f"--max-new-tokens must be >= 1, got {self.max_new_tokens}")
        if self.prompt_template not in TEMPLATES:
            raise UsageError(f"--prompt-template: unknown template {self.prompt_template!r} "
                             f"(known: {', '.join(TEMPLATES)})")

    @property
    def greedy(self) -> bool:
        return self.temperature == 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Job:
    """One rendered prompt to complete for the (sample index, seed) slots listed."""

    problem: Problem
    rendered: RenderedPrompt
    slots: tuple[tuple[int, int], ...]
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def prompt(self) -> str:
        return self.rendered.text

    @property
    def stops(self) -> tuple[str, ...]:
        return self.rendered.stops

    def sample(self, index: int, seed: int, completion: str, finish_reason: str | None,
               tokens: int | None) -> Sample:
        return Sample(
            name=self.problem.name, language=self.problem.language, sample=index,
            completion=completion, finish_reason=finish_reason, tokens=tokens, seed=seed,
            benchmark=self.problem.benchmark,
        )


Emit = Callable[[Sample], None]


class Backend(Protocol):
    """What every backend does. `generate` calls `emit` once per finished sample, in any order."""

    name: str
    #: samples per problem when --n-samples is not given (None: all that `available` offers)
    default_n_samples: int | None
    #: at temperature 0, generate one sample per problem and copy it to the other slots
    #: (False for backends whose samples differ anyway, such as replayed files)
    copies_greedy: bool

    def prepare(self, problems: Sequence[Problem], params: GenerationParams) -> None:
        """Load the model / check the server / read the files for `problems`, raising
        UsageError or InfraError with one line."""

    def render(self, problem: Problem, params: GenerationParams) -> RenderedPrompt:
        """What the model is given for one problem, and how its output becomes a completion."""

    def available(self, problem: Problem) -> int | None:
        """How many samples this backend can give for `problem` (None: as many as asked)."""

    def generate(self, jobs: Sequence[Job], params: GenerationParams, emit: Emit) -> None: ...

    def describe(self) -> dict[str, Any]:
        """The run.json `generation` section, less `params`."""
