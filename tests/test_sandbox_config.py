"""The sandbox containers and images are what DESIGN says they are (inspected on the real engine)."""

from __future__ import annotations

import pytest

from sandboxes import images
from sandboxes.pool import container_options
from sandboxes.spec import load_spec

pytestmark = pytest.mark.docker


def test_base_image_has_the_standard_name(docker_client, sandbox_image):
    sandbox_image("py")
    assert docker_client.images.get("debian:bookworm-slim")


def test_image_is_tagged_by_its_inputs_and_labelled_with_its_toolchain(docker_client, sandbox_image):
    info = sandbox_image("py")
    spec = load_spec("py")
    assert info.tag.startswith("polypass-sandbox-py:")
    assert info.toolchain.startswith("Python 3.")
    assert images.find_image(docker_client, spec) == info
    labels = docker_client.images.get(info.id).labels
    assert labels[images.LABEL_TOOLCHAIN] == info.toolchain
    assert labels[images.LABEL_INPUTS].startswith(info.tag.split(":")[1])


def test_prune_removes_images_of_older_inputs_only(docker_client, sandbox_image, capsys):
    from docker.errors import ImageNotFound

    from harness.cli import main

    info = sandbox_image("py")
    old = "polypass-sandbox-py:0123456789abcdef"  # as if built from an earlier Dockerfile
    docker_client.images.get(info.id).tag(old)
    assert images.stale_images(docker_client, load_spec("py")) == [old]
    assert main(["sandboxes", "prune", "py", "--dry-run"]) == 0
    assert docker_client.images.get(old) and f"would remove {old}" in capsys.readouterr().out
    assert main(["sandboxes", "prune", "py"]) == 0
    with pytest.raises(ImageNotFound):
        docker_client.images.get(old)
    assert docker_client.images.get(info.tag).id == info.id
    assert images.stale_images(docker_client, load_spec("py")) == []


def test_pool_containers_are_locked_down(docker_client, sandbox_pool):
    pool = sandbox_pool("py", size=1)
    container = pool._idle.queue[0].container
    container.reload()
    host = container.attrs["HostConfig"]
    spec = load_spec("py")
    assert host["NetworkMode"] == "none"
    assert host["ReadonlyRootfs"] is True
    assert host["CapDrop"] == ["ALL"]
    assert sorted(host["CapAdd"]) == ["KILL", "SETGID", "SETUID"]
    assert "no-new-privileges" in host["SecurityOpt"]
    assert host["Init"] is True
    assert host["LogConfig"]["Type"] == "none"
    assert host["Memory"] == spec.limits.memory_mb * 1024 * 1024
    assert host["PidsLimit"] == spec.limits.pids
    assert "/tmp" in host["Tmpfs"]
    assert any(u["Name"] == "fsize" for u in host["Ulimits"])
    assert container_options(spec, pool.image)["volumes"]


def test_file_size_limit_applies_to_jobs(sandbox_pool):
    pool = sandbox_pool("py", size=1)
    limit = load_spec("py").limits.file_size_mb * 1024 * 1024
    outcome = pool.run(f"with open('big', 'wb') as f:\n    f.write(b'x' * {limit + 1})\n")
    assert outcome.status == "runtime_error"
    assert "File too large" in outcome.stderr or "Errno 27" in outcome.stderr
