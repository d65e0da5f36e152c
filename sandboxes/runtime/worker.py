"""polypass in-container worker: runs one job at a time for the host, over stdin/stdout.

Runs as root inside a container that holds only CAP_SETUID, CAP_SETGID and CAP_KILL.
Each job's files are written, and its steps run, as the unprivileged job user; after a
job every process but this one and init is killed and the work dir is emptied, so one
job can never see another.

Protocol: one JSON object per line in each direction.
  request:  {"id", "files": {path: text}, "steps": [{"name", "argv", "cpu_s", "wall_s",
             "nonce"?: str}], "max_output_bytes", "tail_bytes", "env"?: {..}}
  response: {"id", "steps": [{"name", "exit_code", "signal", "timed_out", "limit",
             "output_exceeded", "oom", "duration_s", "cpu_s", "stdout", "stderr",
             "stdout_bytes", "stderr_bytes"}], "clean": bool, "error": str|None}

A step is limited by the CPU time its processes use (`cpu_s`, read from the container's
cgroup, so every process the step starts counts), with a wall-clock backstop (`wall_s`) for
programs that sleep or block: a busy machine slows a program down but does not make it use
more CPU, so it does not turn a correct program into a timeout. `limit` says which one
stopped the step ("cpu" or "wall").

Standard library only, Python >= 3.9 (bullseye's python3), because this file is
bind-mounted into every language image.
"""

import json
import os
import resource
import selectors
import shutil
import signal
import subprocess
import sys
import time

JOB_UID = int(os.environ.get("POLYPASS_JOB_UID", "1000"))
JOB_GID = int(os.environ.get("POLYPASS_JOB_GID", "1000"))
WORK_ROOT = os.environ.get("POLYPASS_WORK_DIR", "/tmp")
JOB_DIR = os.path.join(WORK_ROOT, "job")
SCRATCH_DIRS = (WORK_ROOT, "/dev/shm", "/dev/mqueue")
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
    """Temporarily take the job user's effective ids, for file work in its directories."""

    def __enter__(self):
        os.setegid(JOB_GID)
        os.seteuid(JOB_UID)

    def __exit__(self, *exc):
        os.seteuid(0)
        os.setegid(0)
        return False


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


def _demote(cpu_rlimit=None):
    """Run in the child between fork and exec: limits, OOM preference, then drop to the job user."""
    try:
        with open("/proc/self/oom_score_adj", "w") as handle:
            handle.write("1000")
    except OSError:
        pass
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if cpu_rlimit is not None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_rlimit, cpu_rlimit + 1))
    os.setgroups([])
    os.setgid(JOB_GID)
    os.setuid(JOB_UID)
    # Only the job user may enter its dir (root here has no DAC override), so chdir last.
    os.chdir(JOB_DIR)


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

    def over_limit():
        if time.monotonic() >= deadline:
            return "wall"
        if meter.used() > cpu_limit:
            return "cpu"
        return None

    limit = None
    output_exceeded = False
    open_streams = 2
    while open_streams:
        limit = over_limit()
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
        limit = over_limit()
        if not limit:
            time.sleep(POLL_S)
    if limit or output_exceeded:
        _kill_group(proc.pid)
    proc.wait()
    selector.close()
    proc.stdout.close()
    proc.stderr.close()
    duration = time.monotonic() - started
    cpu_used = meter.used()
    code = proc.returncode
    if limit is None and code == -signal.SIGXCPU and cpu_rlimit is not None:
        limit = "cpu"
    oom_after = _oom_kills()
    return {
        "name": step.get("name", "run"),
        "exit_code": code if code is not None and code >= 0 else None,
        "signal": -code if code is not None and code < 0 else None,
        "timed_out": limit is not None,
        "limit": limit,
        "output_exceeded": output_exceeded,
        "oom": oom_before >= 0 and oom_after > oom_before,
        "duration_s": round(duration, 4),
        "cpu_s": round(cpu_used, 4),
        "stdout": out_tail.text(),
        "stderr": err_tail.text(),
        "stdout_bytes": out_tail.total,
        "stderr_bytes": err_tail.total,
    }


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
    """Kill every process but init and this worker; True when none is left."""
    end = time.monotonic() + deadline_s
    while True:
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _reap()
        if not _other_pids():
            return True
        if time.monotonic() > end:
            return False
        time.sleep(0.005)


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
    return not any(_listdir(d) for d in SCRATCH_DIRS)


def _listdir(directory):
    try:
        return os.listdir(directory)
    except OSError:
        return []


def _write_files(files):
    with _AsJobUser():
        os.mkdir(JOB_DIR, 0o700)
        for rel, text in files.items():
            path = os.path.normpath(os.path.join(JOB_DIR, rel))
            if not path.startswith(JOB_DIR + os.sep):
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
    _write_files(job.get("files", {}))
    for step in job["steps"]:
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
