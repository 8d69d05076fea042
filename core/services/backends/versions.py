"""What a training machine must share with the server: the `core/` sources and the pinned packages.

A Dask worker whose fingerprint differs is refused, with a message that names
the difference; it never trains with other code.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import platform
import re
from functools import cache
from pathlib import Path

from core.messages import Message

CORE_DIR = Path(__file__).resolve().parents[2]
REQUIREMENTS = CORE_DIR.parent / "requirements.txt"
_ALIASES = {"tensorflow-cpu": "tensorflow"}  # Linux pins tensorflow-cpu, macOS tensorflow: the same code


def core_hash(folder: Path = CORE_DIR) -> str:
    """SHA-256 over every `core/**/*.py` file's relative path and bytes (12 hex digits)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.py")):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]


def pinned_names(requirements: Path = REQUIREMENTS) -> list[str]:
    names = []
    for line in requirements.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\s*([A-Za-z0-9_.-]+)\s*==", line)
        if match:
            names.append(match.group(1).lower())
    return sorted(set(names))


def installed(name: str) -> str | None:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


@cache
def fingerprint() -> dict:
    """`{"core": hash, "python": "3.11", "packages": {name: version}}` of this process's machine."""
    packages = {}
    for name in pinned_names():
        version = installed(name)
        if version is not None:
            packages[_ALIASES.get(name, name)] = version
    return {"core": core_hash(), "python": ".".join(platform.python_version_tuple()[:2]), "packages": packages}


def differences(server: dict, worker: dict) -> list[Message]:
    """What keeps a worker from training, as sentences (names and versions); empty when it may train."""
    found = []
    if server.get("core") != worker.get("core"):
        found.append(Message("differs_core", {"server": server.get("core"), "worker": worker.get("core")}))
    if server.get("python") != worker.get("python"):
        found.append(Message("differs_python", {"server": server.get("python"), "worker": worker.get("python")}))
    theirs = worker.get("packages") or {}
    for name, version in sorted((server.get("packages") or {}).items()):
        if theirs.get(name) != version:
            found.append(
                Message("differs_package", {"name": name, "server": version, "worker": theirs.get(name) or "–"})
            )
    return found
