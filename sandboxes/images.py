"""Language images: built from ``sandboxes/<lang>/Dockerfile``, tagged by the hash of their inputs."""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass

import docker
from docker.errors import BuildError, DockerException, ImageNotFound

from sandboxes.bootstrap import ensure_base_image
from sandboxes.spec import LanguageSpec

LABEL_TOOLCHAIN = "org.polypass.toolchain"
LABEL_LANGUAGE = "org.polypass.language"
LABEL_INPUTS = "org.polypass.inputs-sha256"
REPOSITORY = "polypass-sandbox"


class ImageError(RuntimeError):
    pass


@dataclass(frozen=True)
class ImageInfo:
    language: str
    tag: str
    id: str
    toolchain: str

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def base_images(dockerfile_text: str) -> list[str]:
    """Base images named in FROM lines (stage aliases excluded)."""
    names: list[str] = []
    aliases: set[str] = set()
    for match in re.finditer(r"^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?", dockerfile_text, re.I | re.M):
        image, alias = match.group(1), match.group(2)
        if image not in aliases and image not in names:
            names.append(image)
        if alias:
            aliases.add(alias)
    return names


def inputs_sha256(spec: LanguageSpec, base_ids: list[str]) -> str:
    """Hash of everything the image is built from: its folder's files and its base images."""
    digest = hashlib.sha256()
    for path in sorted(p for p in spec.folder.rglob("*") if p.is_file() and p.name != "lang.toml"):
        digest.update(str(path.relative_to(spec.folder)).encode() + b"\0" + path.read_bytes())
    for base_id in base_ids:
        digest.update(base_id.encode())
    return digest.hexdigest()


def image_tag(spec: LanguageSpec, inputs: str) -> str:
    return f"{REPOSITORY}-{spec.name}:{inputs[:16]}"


def _info(spec: LanguageSpec, tag: str, image: docker.models.images.Image) -> ImageInfo:
    labels = image.labels or {}
    return ImageInfo(spec.name, tag, image.id, labels.get(LABEL_TOOLCHAIN, ""))


def find_image(client: docker.DockerClient, spec: LanguageSpec) -> ImageInfo | None:
    """The built image for the current inputs, if any (never builds)."""
    dockerfile = spec.dockerfile.read_text()
    base_ids = []
    for name in base_images(dockerfile):
        try:
            base_ids.append(client.images.get(name).id)
        except ImageNotFound:
            return None
    tag = image_tag(spec, inputs_sha256(spec, base_ids))
    try:
        return _info(spec, tag, client.images.get(tag))
    except ImageNotFound:
        return None


def _toolchain_version(client: docker.DockerClient, image_id: str, spec: LanguageSpec) -> str:
    if not spec.toolchain_version:
        return ""
    output = client.containers.run(
        image_id, list(spec.toolchain_version), remove=True, network_mode="none",
        stdout=True, stderr=True, user="0:0",
    )
    text = output.decode("utf-8", "replace").strip()
    return " ".join(text.splitlines()[:2])[:200]


def ensure_image(
    client: docker.DockerClient,
    spec: LanguageSpec,
    log: Callable[[str], None] = print,
    rebuild: bool = False,
) -> ImageInfo:
    """Build the language's image unless one for the same inputs exists."""
    dockerfile = spec.dockerfile.read_text()
    base_ids = [ensure_base_image(client, name, log) for name in base_images(dockerfile)]
    inputs = inputs_sha256(spec, base_ids)
    tag = image_tag(spec, inputs)
    if not rebuild:
        try:
            return _info(spec, tag, client.images.get(tag))
        except ImageNotFound:
            pass
    log(f"building {tag}")
    try:
        stage, _ = client.images.build(
            path=str(spec.folder), network_mode="host", rm=True, forcerm=True, pull=False,
        )
        toolchain = _toolchain_version(client, stage.id, spec)
        labels = {LABEL_TOOLCHAIN: toolchain, LABEL_LANGUAGE: spec.name, LABEL_INPUTS: inputs}
        final, _ = client.images.build(
            fileobj=io.BytesIO(f"FROM {stage.id}\n".encode()), tag=tag, labels=labels, rm=True,
            network_mode="none",
        )
    except BuildError as exc:
        lines = [str(item.get("stream", item.get("error", ""))).strip() for item in exc.build_log]
        tail = " | ".join(line for line in lines if line)[-600:]
        raise ImageError(f"building the {spec.name} image from {spec.dockerfile} failed: {tail}") from None
    except DockerException as exc:
        raise ImageError(f"building the {spec.name} image failed: {exc}") from None
    log(f"built {tag} ({toolchain})")
    return _info(spec, tag, final)


def stale_images(client: docker.DockerClient, spec: LanguageSpec) -> list[str]:
    """Tags of this language's images built from older inputs (none when the current one is unknown)."""
    current = find_image(client, spec)
    if current is None:  # base images missing: we cannot tell old from current
        return []
    repository = image_tag(spec, "").split(":")[0]
    stale = []
    for image in client.images.list(name=repository):
        stale += [tag for tag in image.tags if tag.split(":")[0] == repository and tag != current.tag]
    return sorted(stale)
