"""polypass in-container worker: runs one job at a time for the host, over stdin/stdout.

Runs as root inside a container that holds only CAP_SETUID, CAP_SETGID and CAP_KILL.
Each job's files are written, and its steps run, as the unprivileged job user; after a
job every process but this one and init is killed and the work dir is emptied, so one
job can never see another.

Protocol: one JSON object per line in each direction.
  request:  {"id", "files": {path: text}, "steps": [{"name", "argv", "cpu_s", "wall_s",
             "nonce"?: str, "server"?: {"argv", "arguments", "outputs", "max_jobs", "env"}}],
             "max_output_bytes", "tail_bytes", "env"?: {..}}
  response: {"id", "steps": [{"name", "exit_code", "signal", "timed_out", "limit",
             "output_exceeded", "oom", "duration_s", "cpu_s", "stdout", "stderr",
             "stdout_bytes", "stderr_bytes"}], "clean": bool, "error": str|None}

A step is limited by the CPU time its processes use (`cpu_s`, read from the container's
cgroup, so every process the step starts counts), with a wall-clock backstop (`wall_s`) for
programs that sleep or block: a busy machine slows a program down but does not make it use
more CPU, so it does not turn a correct program into a timeout. `limit` says which one
stopped the step ("cpu" or "wall").

A compile step with a "server" is handed to a resident compiler (`_CompileServer`) that this
worker keeps up between jobs, under a user of its own: the job's files are copied into the
server's private dir, compiled there, and the files it made that match "outputs" (glob
patterns) copied back into the job dir. It sees one job's files at a time, and the job, another user, can neither signal nor read it. What
the program itself runs stays a fresh process per job, as the job user. Whenever the server
cannot answer (it would not start, it died, it crashed), the step runs its own argv as a
plain process instead, so a server only ever saves time.

Standard library only, Python >= 3.9 (bullseye's python3), because this file is
bind-mounted into every language image.
"""

import fnmatch
import json
import os
import resource
import select
import selectors
import shutil
import signal
import stat
import subprocess
import sys
import time

JOB_UID = int(os.environ.get("POLYPASS_JOB_UID", "1000"))
JOB_GID = int(os.environ.get("POLYPASS_JOB_GID", "1000"))
COMPILER_UID = int(os.environ.get("POLYPASS_COMPILER_UID", "1001"))
WORK_ROOT = os.environ.get("POLYPASS_WORK_DIR", "/tmp")
JOB_DIR = os.path.join(WORK_ROOT, "job")
SCRATCH_DIRS = (WORK_ROOT, "/dev/shm", "/dev/mqueue")
#: The compile server's home, in the work tmpfs but owned by its own user; it outlives jobs.
SERVER_DIR = os.path.join(WORK_ROOT, "compiler")
SERVER_JOB_DIR = os.path.join(SERVER_DIR, "job")
FILE_SIZE_LIMIT = int(os.environ.get("POLYPASS_FSIZE_BYTES", str(64 * 1024 * 1024)))
BASE_ENV = {
    "PATH": os.environ.get("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"),
    "LANG": "C.UTF-8",
    "LC_ALL": "C.UTF-8",
    "HOME": JOB_DIR,
    "TMPDIR": JOB_DIR,
    "USER": "sandbox",
}
for _key in ("JAVA_TOOL_OPTIONS", "GOCACHE", "GOPATH", "GOFLAGS", "DOTNET_CLI_HOME"):
    if _key in os.environ:
        BASE_ENV[_key] = os.environ[_key]


class _AsJobUser:
    """Temporarily take the job user's effective ids, for file work in its directories.

    With a non-zero effective uid the worker's capabilities are off too (Linux clears the
    effective set), so what it does here it could do as that user only.
    """

    uid, gid = JOB_UID, JOB_GID

    def __enter__(self):
        os.setegid(self.gid)
        os.seteuid(self.uid)

    def __exit__(self, *exc):
        os.seteuid(0)
        os.setegid(0)
        return False


class _AsCompiler(_AsJobUser):
    uid, gid = COMPILER_UID, COMPILER_UID


def _oom_kills():
    """Count of OOM kills in this container's memory cgroup (v2 or v1), or -1."""
    for path, key in (("/sys/fs/cgroup/memory.events", "oom_kill"),
                      ("/sys/fs/cgroup/memory/memory.oom_control", "oom_kill")):
        try:
            with open(path) as handle:
                for line in handle:
                    parts = line.split()
                    if len(parts) == 2 and parts[0] == key:
                        return int(parts[1])
        except OSError:
            continue
    return -1


#: Where the container's cgroup reports the CPU its processes used: (file, key or None, seconds per unit).
CPU_SOURCES = (
    ("/sys/fs/cgroup/cpu.stat", "usage_usec", 1e-6),  # cgroup v2
    ("/sys/fs/cgroup/cpuacct/cpuacct.usage", None, 1e-9),  # cgroup v1
    ("/sys/fs/cgroup/cpu,cpuacct/cpuacct.usage", None, 1e-9),
)
#: Seconds between two looks at a running step's CPU time.
POLL_S = 0.05


def _read_cgroup_cpu(source):
    path, key, unit = source
    with open(path) as handle:
        if key is None:
            return int(handle.read().split()[0]) * unit
        for line in handle:
            parts = line.split()
            if len(parts) == 2 and parts[0] == key:
                return int(parts[1]) * unit
    raise ValueError("%s has no %s" % (path, key))


def _find_cpu_source():
    for source in CPU_SOURCES:
        try:
            _read_cgroup_cpu(source)
            return source
        except (OSError, ValueError, IndexError):
            continue
    return None


CPU_SOURCE = _find_cpu_source()


def _own_cpu():
    times = os.times()
    return times.user + times.system


class _CpuMeter:
    """CPU seconds used in this container since the meter started, the worker's own excluded.

    Without a readable cgroup it reads nothing (0.0) and `_demote` sets RLIMIT_CPU instead,
    which bounds each process rather than the step.
    """

    def __init__(self):
        self.start = self._total()

    def _total(self):
        if CPU_SOURCE is None:
            return 0.0
        return _read_cgroup_cpu(CPU_SOURCE) - _own_cpu()

    def used(self):
        return max(0.0, self._total() - self.start)


def _demote(cpu_rlimit=None, uid=JOB_UID, gid=JOB_GID, directory=JOB_DIR):
    """Run in the child between fork and exec: limits, OOM preference, then drop to the job user."""
    try:
        with open("/proc/self/oom_score_adj", "w") as handle:
            handle.write("1000" if uid == JOB_UID else "500")
    except OSError:
        pass
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if cpu_rlimit is not None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_rlimit, cpu_rlimit + 1))
    os.setgroups([])
    os.setgid(gid)
    os.setuid(uid)
    # Only the user may enter its dir (root here has no DAC override), so chdir last.
    os.chdir(directory)


class _Tail:
    """Keeps the last `keep` bytes of a stream and counts all of them."""

    def __init__(self, keep):
        self.keep = keep
        self.total = 0
        self.buffer = bytearray()

    def add(self, chunk):
        self.total += len(chunk)
        self.buffer += chunk
        if len(self.buffer) > 2 * self.keep:
            del self.buffer[: len(self.buffer) - self.keep]

    def text(self):
        return bytes(self.buffer[-self.keep:]).decode("utf-8", "replace")


def _run_step(step, env, max_output, tail_bytes):
    nonce = step.get("nonce")
    cpu_limit = float(step["cpu_s"])
    wall_limit = float(step["wall_s"])
    cpu_rlimit = None if CPU_SOURCE is not None else int(cpu_limit) + 1
    started = time.monotonic()
    oom_before = _oom_kills()
    meter = _CpuMeter()
    proc = subprocess.Popen(
        step["argv"],
        env=env,
        stdin=subprocess.PIPE if nonce else subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=lambda: _demote(cpu_rlimit),
        close_fds=True,
    )
    if nonce:
        try:
            proc.stdin.write((nonce + "\n").encode())
            proc.stdin.close()
        except OSError:
            pass
    out_tail, err_tail = _Tail(tail_bytes), _Tail(tail_bytes)
    tails = {proc.stdout.fileno(): out_tail, proc.stderr.fileno(): err_tail}
    selector = selectors.DefaultSelector()
    for stream in (proc.stdout, proc.stderr):
        os.set_blocking(stream.fileno(), False)
        selector.register(stream.fileno(), selectors.EVENT_READ)
    deadline = started + wall_limit

    limit = None
    output_exceeded = False
    open_streams = 2
    while open_streams:
        limit = _over_limit(deadline, meter, cpu_limit)
        if limit:
            break
        for key, _ in selector.select(timeout=POLL_S):
            try:
                chunk = os.read(key.fd, 1 << 16)
            except BlockingIOError:
                continue
            if not chunk:
                selector.unregister(key.fd)
                open_streams -= 1
                continue
            tails[key.fd].add(chunk)
        if out_tail.total + err_tail.total > max_output:
            output_exceeded = True
            break
    # Its outputs may close while the process lives on: keep both limits until it exits.
    while not limit and not output_exceeded and proc.poll() is None:
        limit = _over_limit(deadline, meter, cpu_limit)
        if not limit:
            time.sleep(POLL_S)
    if limit or output_exceeded:
        _kill_group(proc.pid)
    proc.wait()
    selector.close()
    proc.stdout.close()
    proc.stderr.close()
    code = proc.returncode
    if limit is None and code == -signal.SIGXCPU and cpu_rlimit is not None:
        limit = "cpu"
    return _step_result(step, code, limit, output_exceeded, oom_before, started, meter, out_tail, err_tail)


def _over_limit(deadline, meter, cpu_limit):
    """Which limit a running step has passed ("wall", "cpu"), or None."""
    if time.monotonic() >= deadline:
        return "wall"
    if meter.used() > cpu_limit:
        return "cpu"
    return None


def _step_result(step, code, limit, output_exceeded, oom_before, started, meter, out_tail, err_tail):
    oom_after = _oom_kills()
    return {
        "name": step.get("name", "run"),
        "exit_code": code if code is not None and code >= 0 else None,
        "signal": -code if code is not None and code < 0 else None,
        "timed_out": limit is not None,
        "limit": limit,
        "output_exceeded": output_exceeded,
        "oom": oom_before >= 0 and oom_after > oom_before,
        "duration_s": round(time.monotonic() - started, 4),
        "cpu_s": round(meter.used(), 4),
        "stdout": out_tail.text(),
        "stderr": err_tail.text(),
        "stdout_bytes": out_tail.total,
        "stderr_bytes": err_tail.total,
    }


class _CompileServer:
    """A resident compiler for the compile steps that name one (see the module docstring).

    Protocol: a request is one line, the job's dir and the compiler's arguments separated by
    tabs; the reply is "<exit code> <byte count>\n" and that many bytes of the compiler's
    diagnostics. It runs as COMPILER_UID in its own session, with SERVER_DIR as its home.
    """

    def __init__(self):
        self.proc = None
        self.identity = None  # the argv and env it was started with
        self.jobs = 0

    @property
    def pid(self):
        return self.proc.pid if self.alive() else None

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        if self.proc is None:
            return
        _kill_group(self.proc.pid)
        self.proc.wait()
        for stream in (self.proc.stdin, self.proc.stdout):
            try:
                stream.close()
            except OSError:
                pass
        self.proc = None

    def _start(self, config):
        identity = (list(config["argv"]), sorted(config.get("env", {}).items()))
        if self.alive() and self.identity == identity and self.jobs < int(config.get("max_jobs", 256)):
            return
        self.stop()
        with _AsCompiler():
            try:
                os.mkdir(SERVER_DIR, 0o700)
            except FileExistsError:
                pass
            info = os.lstat(SERVER_DIR)
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != COMPILER_UID:
            raise OSError("%s is not the compile server's" % SERVER_DIR)
        env = dict(BASE_ENV, HOME=SERVER_DIR, TMPDIR=SERVER_DIR, USER="compiler")
        env.update(config.get("env", {}))
        self.proc = subprocess.Popen(
            list(config["argv"]), env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            start_new_session=True, close_fds=True,
            preexec_fn=lambda: _demote(None, COMPILER_UID, COMPILER_UID, SERVER_DIR))
        self.identity = identity
        self.jobs = 0

    def compile(self, step, files, max_output, tail_bytes):
        """The step's result, or None when the server can't answer (then the step runs plainly)."""
        config = step["server"]
        try:
            self._start(config)
            _write_files(files, SERVER_JOB_DIR, _AsCompiler)
        except (OSError, ValueError, subprocess.SubprocessError):
            self.stop()
            self._clean()
            return None
        try:
            return self._compile(step, config, max_output, tail_bytes)
        finally:
            self._clean()

    def _compile(self, step, config, max_output, tail_bytes):
        started = time.monotonic()
        oom_before = _oom_kills()
        meter = _CpuMeter()
        self.jobs += 1
        request = "\t".join([SERVER_JOB_DIR] + list(config["arguments"])) + "\n"
        try:
            self.proc.stdin.write(request.encode("utf-8"))
            self.proc.stdin.flush()
        except OSError:
            self.stop()
            return None
        deadline = started + float(step["wall_s"])
        reply = bytearray()
        expected = None
        limit = None
        fd = self.proc.stdout.fileno()
        os.set_blocking(fd, False)
        while expected is None or len(reply) < expected:
            limit = _over_limit(deadline, meter, float(step["cpu_s"]))
            if limit or len(reply) > max_output:
                break
            ready, _, _ = select.select([fd], [], [], POLL_S)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 1 << 16)
            except BlockingIOError:
                continue
            if not chunk:  # it died mid-job: let the plain compiler give the verdict
                self.stop()
                return None
            reply += chunk
            if expected is None and b"\n" in reply:
                header, _, rest = bytes(reply).partition(b"\n")
                code_text, size_text = header.split()
                code, expected = int(code_text), int(size_text)
                reply = bytearray(rest)
        out_tail, err_tail = _Tail(tail_bytes), _Tail(tail_bytes)
        if limit or expected is None or len(reply) < expected:
            self.stop()
            if not limit:
                return None  # a reply larger than any compiler's: not ours to judge
            return _step_result(step, None, limit, False, oom_before, started, meter, out_tail, err_tail)
        err_tail.add(bytes(reply))
        if code == 0:
            with _AsCompiler():
                made = os.listdir(SERVER_JOB_DIR)
            for name in made:
                if any(fnmatch.fnmatchcase(name, pattern) for pattern in config.get("outputs", [])):
                    self._copy_out(name)
        return _step_result(step, code, None, False, oom_before, started, meter, out_tail, err_tail)

    def _copy_out(self, name):
        """An output file of the compiler, from its dir into the job's, owned by the job user."""
        with _AsCompiler():
            path = os.path.join(SERVER_JOB_DIR, name)
            if not stat.S_ISREG(os.lstat(path).st_mode):
                return
            with open(path, "rb") as handle:
                data = handle.read(FILE_SIZE_LIMIT)
        with _AsJobUser():
            target = os.path.join(JOB_DIR, name)
            with open(target, "wb") as handle:
                handle.write(data)
            os.chmod(target, 0o755)

    def _clean(self):
        with _AsCompiler():
            if os.path.isdir(SERVER_JOB_DIR):
                shutil.rmtree(SERVER_JOB_DIR, onerror=_make_writable_and_retry)


SERVER = _CompileServer()


def _kill_group(pgid):
    try:
        os.killpg(pgid, signal.SIGKILL)
    except OSError:
        pass


def _other_pids():
    me = os.getpid()
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        pid = int(entry)
        if pid in (1, me):
            continue
        try:
            with open("/proc/%d/stat" % pid) as handle:
                state = handle.read().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if state != "Z":
            pids.append(pid)
    return pids


def _reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _kill_everything(deadline_s=3.0):
    """Kill every process but init, this worker and its compile server; True when none is left."""
    end = time.monotonic() + deadline_s
    spare = SERVER.pid
    while True:
        if spare is None:
            _kill_all()
        else:
            # As the job user, kill(-1) reaches the job's processes only; anything else, by pid.
            with _AsJobUser():
                _kill_all()
            for pid in _other_pids():
                if pid != spare:
                    _kill_pid(pid)
        _reap()
        if not [pid for pid in _other_pids() if pid != spare]:
            return True
        if time.monotonic() > end:
            return False
        time.sleep(0.005)


def _kill_all():
    try:
        os.kill(-1, signal.SIGKILL)
    except ProcessLookupError:
        pass


def _kill_pid(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def _remove_tree_entries(directory):
    try:
        entries = os.listdir(directory)
    except OSError:
        return
    for entry in entries:
        path = os.path.join(directory, entry)
        try:
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path, onerror=_make_writable_and_retry)
            else:
                os.unlink(path)
        except OSError:
            pass


def _make_writable_and_retry(func, path, _exc):
    try:
        os.chmod(os.path.dirname(path), 0o700)
        if os.path.isdir(path):
            os.chmod(path, 0o700)
        func(path)
    except OSError:
        pass


def _clean_scratch():
    """Empty the scratch dirs as the job user (root here has no DAC override)."""
    with _AsJobUser():
        for directory in SCRATCH_DIRS:
            _remove_tree_entries(directory)
    return not any(_leftovers(d) for d in SCRATCH_DIRS)


def _listdir(directory):
    try:
        return os.listdir(directory)
    except OSError:
        return []


def _leftovers(directory):
    """What a job left in a scratch dir (the compile server's own dir is not a job's)."""
    left = []
    for entry in _listdir(directory):
        path = os.path.join(directory, entry)
        if path == SERVER_DIR:
            try:
                if os.lstat(path).st_uid == COMPILER_UID:
                    continue
            except OSError:
                continue
        left.append(entry)
    return left


def _write_files(files, directory=JOB_DIR, as_user=_AsJobUser):
    with as_user():
        os.mkdir(directory, 0o700)
        for rel, text in files.items():
            path = os.path.normpath(os.path.join(directory, rel))
            if not path.startswith(directory + os.sep):
                raise ValueError("file path escapes the job dir: %r" % rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text)


def run_job(job):
    env = dict(BASE_ENV)
    env.update(job.get("env") or {})
    max_output = int(job.get("max_output_bytes", 1 << 20))
    tail_bytes = int(job.get("tail_bytes", 4096))
    results = []
    files = job.get("files", {})
    _write_files(files)
    for step in job["steps"]:
        result = SERVER.compile(step, files, max_output, tail_bytes) if step.get("server") else None
        if result is None:
            result = _run_step(step, env, max_output, tail_bytes)
        results.append(result)
        failed = (result["exit_code"] != 0 or result["timed_out"]
                  or result["output_exceeded"] or result["oom"])
        if failed and step.get("stop_on_failure", True):
            break
    return results


def main():
    inbox = sys.stdin.buffer
    outbox = sys.stdout.buffer
    # Start clean even if a previous worker in this container died mid-job.
    _kill_everything()
    _clean_scratch()
    hello = {"ready": True, "oom_counter": _oom_kills() >= 0,
             "cpu_meter": "cgroup" if CPU_SOURCE is not None else "rlimit"}
    outbox.write(json.dumps(hello).encode() + b"\n")
    outbox.flush()
    for line in inbox:
        if not line.strip():
            continue
        job = {}
        try:
            job = json.loads(line)
            steps = run_job(job)
            error = None
        except Exception as exc:  # report, never die: the host decides what to do
            steps, error = [], "%s: %s" % (type(exc).__name__, exc)
        clean = _kill_everything() and _clean_scratch()
        reply = {"id": job.get("id"), "steps": steps, "clean": clean, "error": error}
        outbox.write(json.dumps(reply).encode() + b"\n")
        outbox.flush()


if __name__ == "__main__":
    main()
