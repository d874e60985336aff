"""Write files atomically: a PDF, a prepared photo or a record is whole or absent, never half."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import RenderError

PART_SUFFIX = ".part"


def write_atomic(path: Path, data: bytes, inside: Path | None = None) -> None:
    """Write through a temporary file beside `path` and a rename; on any failure, the file
    that was there stays as it was and no temporary file is left. With `inside`, refuse a
    path outside that folder."""
    path = path.resolve()
    if inside is not None and inside.resolve() not in path.parents:
        raise RenderError(f"refusing to write {path}: it is outside the output folder {inside}")
    path.parent.mkdir(parents=True, exist_ok=True)
    # The writer's process id in the name tells a later build whether the file is still being
    # written or was left by a process that died (remove_stale_parts).
    fd, tmp = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=PART_SUFFIX
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_stale_parts(folder: Path) -> list[Path]:
    """Remove the temporary files that writers which died (killed, power cut) left under
    `folder`; those of writers still running are left alone. Returns what was removed."""
    removed = []
    if not folder.is_dir():
        return removed
    for part in folder.rglob(f".*{PART_SUFFIX}"):
        pid = _writer_pid(part.name)
        if pid is not None and _alive(pid):
            continue
        part.unlink(missing_ok=True)
        removed.append(part)
    return removed


def scratch_dir(out: Path) -> Path:
    """Where a build's processes keep files only while they run (WeasyPrint's font copies),
    one folder each, named `<pid>-…`: in the output folder's cache, never the system's."""
    return out / ".cache" / "scratch"


def remove_stale_folders(folder: Path) -> list[Path]:
    """Remove the `<pid>-…` folders in `folder` whose process is gone (killed before it could
    remove its own); those of processes still running are left alone. Returns what was removed."""
    import shutil

    removed = []
    if not folder.is_dir():
        return removed
    for child in folder.iterdir():
        pid = child.name.split("-", 1)[0]
        if not child.is_dir() or child.is_symlink() or not pid.isdigit() or _alive(int(pid)):
            continue
        shutil.rmtree(child, ignore_errors=True)
        removed.append(child)
    return removed


def _writer_pid(name: str) -> int | None:
    # .<file name>.<pid>.<random>.part; the file name may hold dots itself.
    pieces = name[: -len(PART_SUFFIX)].split(".")
    return int(pieces[-2]) if len(pieces) >= 3 and pieces[-2].isdigit() else None


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True
