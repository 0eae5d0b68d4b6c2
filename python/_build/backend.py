"""A PEP 517 build backend with the standard library only, so the package installs offline
(pip's isolated build needs nothing downloaded). It builds a wheel of the three packages under
src/ (greenlight, approvals, indentapi), an sdist, and an editable wheel."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import tarfile
import zipfile
from typing import Any, Dict, List, Optional, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SRC = os.path.join(ROOT, "src")
PACKAGES = ("greenlight", "approvals", "indentapi")
TAG = "py3-none-any"


def _project() -> Dict[str, str]:
    """The plain `key = "value"` entries of pyproject.toml's [project] table."""
    with open(os.path.join(ROOT, "pyproject.toml"), encoding="utf-8") as file:
        text = file.read()
    table = re.search(r"^\[project\]\n(.*?)(?=^\[|\Z)", text, re.S | re.M)
    assert table, "pyproject.toml has no [project] table"
    return dict(re.findall(r'^([\w-]+)\s*=\s*"([^"]*)"', table.group(1), re.M))


def _names() -> Tuple[str, str, str]:
    project = _project()
    dist = re.sub(r"[-_.]+", "_", project["name"]).lower()
    return project["name"], dist, project["version"]


def _metadata() -> str:
    project = _project()
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {project['name']}",
        f"Version: {project['version']}",
        f"Summary: {project.get('description', '')}",
        f"Requires-Python: {project.get('requires-python', '>=3.9')}",
        f"License: {project.get('license', '')}",
        "Description-Content-Type: text/markdown",
        "",
    ]
    readme = os.path.join(ROOT, "README.md")
    body = open(readme, encoding="utf-8").read() if os.path.exists(readme) else ""
    return "\n".join(lines) + "\n" + body


def _package_files() -> List[Tuple[str, str]]:
    """(path in the wheel, path on disk) of every source file and py.typed marker."""
    files = []
    for package in PACKAGES:
        for folder, dirs, names in os.walk(os.path.join(SRC, package)):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(names):
                if name.endswith(".py") or name == "py.typed":
                    full = os.path.join(folder, name)
                    files.append((os.path.relpath(full, SRC).replace(os.sep, "/"), full))
    return files


def _record_line(path: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode("ascii")
    return f"{path},sha256={digest},{len(data)}"


def _write_wheel(directory: str, entries: List[Tuple[str, bytes]]) -> str:
    _, dist, version = _names()
    info = f"{dist}-{version}.dist-info"
    entries = entries + [
        (f"{info}/METADATA", _metadata().encode("utf-8")),
        (f"{info}/WHEEL", f"Wheel-Version: 1.0\nGenerator: greenlight-backend\nRoot-Is-Purelib: true\nTag: {TAG}\n".encode()),
        (f"{info}/top_level.txt", ("\n".join(PACKAGES) + "\n").encode()),
    ]
    record = [_record_line(path, data) for path, data in entries] + [f"{info}/RECORD,,"]
    filename = f"{dist}-{version}-{TAG}.whl"
    with zipfile.ZipFile(os.path.join(directory, filename), "w", zipfile.ZIP_DEFLATED) as wheel:
        for path, data in entries:
            wheel.writestr(zipfile.ZipInfo(path, (2020, 1, 1, 0, 0, 0)), data)
        wheel.writestr(zipfile.ZipInfo(f"{info}/RECORD", (2020, 1, 1, 0, 0, 0)), "\n".join(record) + "\n")
    return filename


def get_requires_for_build_wheel(config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    return []


def get_requires_for_build_sdist(config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    return []


def get_requires_for_build_editable(config_settings: Optional[Dict[str, Any]] = None) -> List[str]:
    return []


def build_wheel(wheel_directory: str, config_settings: Optional[Dict[str, Any]] = None, metadata_directory: Optional[str] = None) -> str:
    entries = []
    for path, full in _package_files():
        with open(full, "rb") as file:
            entries.append((path, file.read()))
    return _write_wheel(wheel_directory, entries)


def build_editable(wheel_directory: str, config_settings: Optional[Dict[str, Any]] = None, metadata_directory: Optional[str] = None) -> str:
    _, dist, _ = _names()
    return _write_wheel(wheel_directory, [(f"__editable__.{dist}.pth", (SRC + "\n").encode("utf-8"))])


def build_sdist(sdist_directory: str, config_settings: Optional[Dict[str, Any]] = None) -> str:
    _, dist, version = _names()
    base = f"{dist}-{version}"
    files = [("pyproject.toml", os.path.join(ROOT, "pyproject.toml")), ("README.md", os.path.join(ROOT, "README.md"))]
    files.append(("_build/backend.py", os.path.abspath(__file__)))
    files += [(f"src/{path}", full) for path, full in _package_files()]
    filename = f"{base}.tar.gz"
    with tarfile.open(os.path.join(sdist_directory, filename), "w:gz", format=tarfile.PAX_FORMAT) as sdist:
        for path, full in files:
            with open(full, "rb") as file:
                data = file.read()
            member = tarfile.TarInfo(f"{base}/{path}")
            member.size = len(data)
            member.mtime = 1577836800
            sdist.addfile(member, io.BytesIO(data))
        pkg_info = _metadata().encode("utf-8")
        member = tarfile.TarInfo(f"{base}/PKG-INFO")
        member.size = len(pkg_info)
        member.mtime = 1577836800
        sdist.addfile(member, io.BytesIO(pkg_info))
    return filename
