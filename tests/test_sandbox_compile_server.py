"""The resident compiler (lang.toml [compile_server]), through real C# containers.

C# keeps Mono's mcs loaded between jobs (sandboxes/cs/McsServer.cs). These tests hold it to
what the worker promises: the same verdicts as the cold compiler, one server serving every job
of a container under a user of its own, out of the job's reach, and never a verdict that
depends on it being up: killed or missing, the compile runs as a plain process.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import tomllib

from sandboxes.pool import ContainerPool
from sandboxes.spec import CompileServer, SpecError, load_spec, parse_spec
from sandboxes.verdict import Status

HOSTILE = Path(__file__).parent / "hostile" / "cs.toml"

PROGRAM = """using System;
using System.Diagnostics;
class Problem {{
    public static long Add(long x, long y) {{
        {body}
    }}
    public static void Main(string[] args) {{
        Debug.Assert(Add(2L, 3L) == 5L);
        Debug.Assert(Add(-1L, 1L) == 0L);
    }}
}}
"""
PASSING = PROGRAM.format(body="return x + y;")
FAILING = PROGRAM.format(body="return x - y;")
NOT_CSHARP = PROGRAM.format(body="return x +* y;")
# Lists the compile server's dir, then passes: the listing must be refused.
PEEKS = PROGRAM.format(body="""try {
            System.IO.Directory.GetFiles("/tmp/compiler");
            Console.WriteLine("POLYPASS_ESCAPED");
        } catch (UnauthorizedAccessException) {
            Console.WriteLine("POLYPASS_BLOCKED");
        }
        return x + y;""")

#: Run by `docker exec`: "pid uid" of every process whose command line names the server.
SERVER_PROCESSES = """
import os
for pid in filter(str.isdigit, os.listdir('/proc')):
    if int(pid) == os.getpid():
        continue
    try:
        cmd = open('/proc/%s/cmdline' % pid, 'rb').read()
        uid = [l.split()[1] for l in open('/proc/%s/status' % pid) if l.startswith('Uid:')][0]
    except OSError:
        continue
    if b'mcs-server.exe' in cmd:
        print(pid, uid)
"""

pytestmark = pytest.mark.docker


def test_a_compile_server_needs_a_compile_command_and_a_list_of_strings(tmp_path: Path) -> None:
    base = 'name = "x"\nfile_name = "x.cs"\nrun = ["mono", "x.exe"]\n'
    no_compile = tmp_path / "a.toml"
    no_compile.write_text(base + '[compile_server]\nargv = ["mono", "s.exe"]\n')
    with pytest.raises(SpecError, match=r"a\.toml: a \[compile_server\] needs a compile command"):
        parse_spec(no_compile)
    bad_argv = tmp_path / "b.toml"
    bad_argv.write_text(base + 'compile = ["mcs", "x.cs"]\n[compile_server]\nargv = "mono s.exe"\n')
    with pytest.raises(SpecError, match=r"b\.toml: compile_server\.argv: expected a list of strings"):
        parse_spec(bad_argv)
    good = tmp_path / "c.toml"
    good.write_text(base + 'compile = ["mcs", "x.cs"]\n[compile_server]\nargv = ["mono", "s.exe"]\n'
                           'outputs = ["x.exe"]\n')
    assert parse_spec(good).compile_server == CompileServer(("mono", "s.exe"), ("x.exe",))


def server_processes(docker_client: Any, pool: ContainerPool) -> list[tuple[str, str]]:
    (held,) = [c for c in list(pool._idle.queue) if c is not None]
    listing = docker_client.containers.get(held.container.id).exec_run(
        ["python3", "-c", SERVER_PROCESSES], user="0")
    assert listing.exit_code == 0, listing.output
    return [tuple(line.split()) for line in listing.output.decode().splitlines()]


@pytest.fixture(scope="module")
def cs_pool(docker_client, sandbox_image):
    with ContainerPool(docker_client, load_spec("cs"), sandbox_image("cs"), 1) as pool:
        yield pool


def test_one_server_compiles_every_job_with_the_cold_compilers_verdicts(cs_pool, docker_client) -> None:
    expected = [(PASSING, Status.PASS), (FAILING, Status.FAIL), (NOT_CSHARP, Status.COMPILE_ERROR),
                (PASSING, Status.PASS), (FAILING, Status.FAIL)]
    servers = []
    for program, status in expected:
        outcome = cs_pool.run(program)
        assert outcome.status == status, outcome.detail
        servers.append(server_processes(docker_client, cs_pool))
    # One server, under the compiler's own user (not root, not the job's 1000), for all five.
    assert len(servers[0]) == 1, servers[0]
    assert servers[0][0][1] == "1001", servers[0]
    assert all(s == servers[0] for s in servers), servers


def test_the_job_can_neither_read_nor_kill_the_server(cs_pool, docker_client) -> None:
    before = server_processes(docker_client, cs_pool)
    outcome = cs_pool.run(PEEKS)
    assert outcome.status == Status.PASS, outcome.detail
    assert "POLYPASS_BLOCKED" in outcome.stdout and "POLYPASS_ESCAPED" not in outcome.stdout
    signal_attack = tomllib.loads(HOSTILE.read_text())["signal"]
    outcome = cs_pool.run(signal_attack)
    assert outcome.status == Status.PASS, outcome.detail
    assert server_processes(docker_client, cs_pool) == before


def test_a_killed_server_is_replaced_and_no_verdict_changes(cs_pool, docker_client) -> None:
    cs_pool.run(PASSING)
    ((pid, _),) = server_processes(docker_client, cs_pool)
    (held,) = [c for c in list(cs_pool._idle.queue) if c is not None]
    killed = docker_client.containers.get(held.container.id).exec_run(
        ["python3", "-c", f"import os; os.kill({pid}, 9)"], user="0")
    assert killed.exit_code == 0, killed.output
    assert cs_pool.run(FAILING).status == Status.FAIL
    assert cs_pool.run(PASSING).status == Status.PASS
    ((new_pid, _),) = server_processes(docker_client, cs_pool)
    assert new_pid != pid


def test_without_a_server_the_plain_compiler_gives_the_same_verdicts(cs_pool, docker_client, sandbox_image) -> None:
    spec = load_spec("cs")
    broken = replace(spec, compile_server=replace(spec.compile_server, argv=("/nonexistent/compiler",)))
    with ContainerPool(docker_client, broken, sandbox_image("cs"), 1) as pool:
        for program, status in [(PASSING, Status.PASS), (FAILING, Status.FAIL),
                                (NOT_CSHARP, Status.COMPILE_ERROR), (PASSING, Status.PASS)]:
            outcome = pool.run(program)
            assert outcome.status == status, outcome.detail
        assert server_processes(docker_client, pool) == []
        # The server's diagnostics are the cold mcs's, word for word.
        plain = pool.run(NOT_CSHARP).stderr
    served = cs_pool.run(NOT_CSHARP).stderr
    assert "error CS0193" in plain
    assert served == plain


def test_a_server_is_replaced_after_max_jobs(docker_client, sandbox_image) -> None:
    spec = load_spec("cs")
    short_lived = replace(spec, compile_server=replace(spec.compile_server, max_jobs=2))
    with ContainerPool(docker_client, short_lived, sandbox_image("cs"), 1) as pool:
        pids = []
        for program, status in [(PASSING, Status.PASS), (FAILING, Status.FAIL), (PASSING, Status.PASS)]:
            assert pool.run(program).status == status
            ((pid, _),) = server_processes(docker_client, pool)
            pids.append(pid)
        assert pids[0] == pids[1] != pids[2], pids
