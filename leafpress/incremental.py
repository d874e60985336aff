"""Skip outputs whose inputs have not changed since their PDF was written: fingerprints in out/.cache."""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib.util
import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .constants import VERSION
from .errors import LeafpressError
from .findings import Finding
from .records import OutputResult
from .write import write_atomic

if TYPE_CHECKING:
    from .content import Campaign
    from .pipeline import Builder
    from .records import BuildPlan, OutputJob

# Bumped when what a fingerprint covers changes, so older records are never trusted.
FINGERPRINT_VERSION = "2"
# The libraries whose upgrade can change a PDF without any file of the workspace changing.
LIBRARIES = ("weasyprint", "pydyf", "fontTools", "pypdf", "PIL", "qrcode", "pyphen")
# Font files are large and never edited in place: their path, size and modification time stand
# for their content, so a no-op rebuild does not read megabytes of fonts.
FONT_SUFFIXES = (".ttf", ".otf", ".woff", ".woff2", ".ttc")
PACKAGE_DIR = Path(__file__).resolve().parent


def _stat_digest(path: Path) -> str:
    try:
        st = path.stat()
    except OSError:
        return "absent"
    return f"stat:{st.st_size}:{st.st_mtime_ns}"


def _content_digest(path: Path) -> str:
    try:
        return hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
    except OSError:
        return "absent"


def _engine_digest() -> str:
    """leafpress's version and its own files, and the files of the libraries that shape its PDFs:
    by size and time, so a developer's edit or an upgrade counts (pip writes every file anew)."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{FINGERPRINT_VERSION}\0{VERSION}\0".encode())
    for name in LIBRARIES:
        # find_spec locates a package without importing it; importlib.metadata would cost more
        # to import (~60 ms) than the rest of a no-op rebuild's checks of its files.
        spec = importlib.util.find_spec(name)
        origin = Path(spec.origin) if spec and spec.origin else None
        h.update(f"{name}={_stat_digest(origin) if origin else 'absent'}\0".encode())
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            h.update(f"{path.relative_to(PACKAGE_DIR)}={_stat_digest(path)}\0".encode())
    return h.hexdigest()


class Fingerprints:
    """Fingerprints of a plan's outputs, and the records of what each PDF was made from.

    An output's record keeps every file it read as it was made (reads.py), with its digest; it
    is unchanged while none of those files is, and its job and the build's settings are the
    same. Files are read once per build however many outputs share them: text files and photos
    by content, font files by path, size and modification time.
    """

    def __init__(self, plan: BuildPlan, builder: Builder, force: bool) -> None:
        self.plan = plan
        self.builder = builder
        self.force = force
        self.folder = plan.out / ".cache" / "fingerprints"
        self._digests: dict[Path, str] = {}
        self._names: dict[Path, str] = {}
        self._findings: dict[str, list[Finding]] = {}
        self._shared = self._shared_digest()

    def _shared_digest(self) -> str:
        options = self.plan.target_options
        try:
            icc = _stat_digest(options.icc_profile())
        except LeafpressError:
            icc = "absent"  # only print-shop output needs it, and it reports the error
        fields = {k: str(v) for k, v in dataclasses.asdict(options).items()}
        return json.dumps(
            [_engine_digest(), fields, icc, self.force], sort_keys=True, ensure_ascii=False
        )

    def _digest(self, path: Path) -> str:
        if path not in self._digests:
            if path.suffix.lower() in FONT_SUFFIXES:
                self._digests[path] = _stat_digest(path)
            else:
                self._digests[path] = _content_digest(path)
        return self._digests[path]

    def _files(self, paths: Iterable[Path]) -> dict[str, str]:
        return {self._name(p): self._digest(p) for p in sorted(set(paths))}

    def _same_files(self, recorded: dict[str, str]) -> bool:
        return all(self._digest(self._path(name)) == digest for name, digest in recorded.items())

    def _name(self, path: Path) -> str:
        """The path as the record keeps it: relative to the workspace, so that a moved
        workspace keeps its records."""
        if path not in self._names:
            inside = path.is_relative_to(self.plan.root)
            self._names[path] = str(path.relative_to(self.plan.root)) if inside else str(path)
        return self._names[path]

    def _path(self, name: str) -> Path:
        return self.plan.root / name  # an absolute name stays itself

    def of(self, job: OutputJob) -> str:
        """The job and the build's settings as one digest; the files it reads are compared
        apart (`unchanged`), as the record of its last making names them."""
        try:
            findings = [
                f.as_dict()
                for f in self.campaign_findings(job.campaign)
                if f.concerns(job.lang, job.layout)
            ]
        except LeafpressError as exc:
            findings = [str(exc)]
        # Campaign checks compare languages (same number of demands everywhere): an output whose
        # findings change is rebuilt even when nothing it reads changed.
        described = {
            "shared": self._shared,
            "campaign": job.campaign.key,
            "lang": job.lang,
            "sides": list(job.sides),
            "layout": job.layout,
            "target": job.target,
            "options": job.options,
            "path": str(job.path),
            "findings": findings,
        }
        text = json.dumps(described, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()

    def campaign_findings(self, campaign: Campaign) -> list[Finding]:
        """The campaign checks' findings, kept in out/.cache beside the fingerprints: the checks
        read every language and photo (faces), and a no-op rebuild must not run them again.
        They are kept with the files the checks read and the layouts of the build."""
        if campaign.key in self._findings:
            return self._findings[campaign.key]
        layouts = sorted({job.layout for job in self.plan.jobs if job.campaign.key == campaign.key})
        key = json.dumps([self._shared, campaign.key, layouts])
        path = self.folder.parent / "findings" / f"{campaign.key}.json"
        try:
            record = json.loads(path.read_text("utf-8"))
            if record["key"] == key and self._same_files(record["reads"]):
                found = [Finding(**f) for f in record["findings"]]
                # The outputs that do get rendered are checked against these, not found again.
                self.builder.remember_campaign_findings(campaign, found)
                self._findings[campaign.key] = found
                return found
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass
        found = self.builder.campaign_findings(campaign)
        read = self.builder.campaign_reads.get(campaign.key, set())
        record = {
            "key": key,
            "reads": self._files(read),
            "findings": [f.as_dict() for f in found],
        }
        write_json(path, record)
        self._findings[campaign.key] = found
        return found

    def record_path(self, job: OutputJob) -> Path:
        relative = job.path.resolve().relative_to(self.plan.out)
        return self.folder / relative.with_name(relative.name + ".json")

    def unchanged(self, job: OutputJob, fingerprint: str) -> OutputResult | None:
        """The recorded result when the job's PDF is there as written from these same inputs."""
        try:
            record = json.loads(self.record_path(job).read_text("utf-8"))
            if record["fingerprint"] != fingerprint:
                return None
            if job.path.stat().st_size != record["size"]:
                return None
            if not self._same_files(record["reads"]):
                return None
            return _result_from(record["result"], job)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def checked_path(self, job: OutputJob) -> Path:
        relative = job.path.resolve().relative_to(self.plan.out)
        return self.folder.parent / "checked" / relative.with_name(relative.name + ".json")

    def checked(self, job: OutputJob, fingerprint: str) -> list[Finding] | None:
        """What the checks found about the job when these same inputs were last checked: by a
        build that wrote it (its record) or by `check` (its own record), or None. The findings
        describe the inputs, so the PDF need not still be there."""
        for path in (self.record_path(job), self.checked_path(job)):
            try:
                record = json.loads(path.read_text("utf-8"))
                if record["fingerprint"] != fingerprint or not self._same_files(record["reads"]):
                    continue
                saved = record["result"]["findings"] if "result" in record else record["findings"]
                return [Finding(**f) for f in saved]
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                continue
        return None

    def save_checked(self, job: OutputJob, fingerprint: str, result: OutputResult) -> None:
        """Record what `check` found about a job, with the files it read to find it."""
        record = {
            "fingerprint": fingerprint,
            "reads": self._files(result.reads),
            "findings": [f.as_dict() for f in result.findings],
        }
        write_json(self.checked_path(job), record)

    def save(self, job: OutputJob, fingerprint: str, result: OutputResult) -> None:
        """Record a written output; a failed one loses its record, so it is always tried again."""
        path = self.record_path(job)
        if not result.ok or result.path is None:
            path.unlink(missing_ok=True)
            return
        try:
            size = job.path.stat().st_size
        except OSError:
            return
        record = {
            "fingerprint": fingerprint,
            "size": size,
            "reads": self._files(result.reads),
            "result": _result_to(result),
        }
        write_json(path, record)


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Whole or absent: two builds into one out/ never leave a torn record. A record is only a
    cache: when it cannot be written (a full disk, a read-only folder) the old one goes too, so
    that what it described is made again next time, and the build goes on."""
    try:
        write_atomic(path, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    except OSError:
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def _result_to(result: OutputResult) -> dict[str, Any]:
    return {
        "pages": result.pages,
        "page_size_pt": list(result.page_size_pt) if result.page_size_pt else None,
        "size_bytes": result.size_bytes,
        "warnings": result.warnings,
        "scale": result.scale,
        "passes": result.passes,
        "findings": [f.as_dict() for f in result.findings],
        "notes": result.notes,
    }


def _result_from(saved: dict[str, Any], job: OutputJob) -> OutputResult:
    size = saved["page_size_pt"]
    return OutputResult(
        job.campaign.key,
        job.lang,
        job.layout,
        job.path,
        pages=saved["pages"],
        page_size_pt=(size[0], size[1]) if size else None,
        size_bytes=saved["size_bytes"],
        warnings=list(saved["warnings"]),
        scale=saved["scale"],
        passes=saved["passes"],
        findings=[Finding(**f) for f in saved["findings"]],
        notes=list(saved["notes"]),
        target=job.target,
        skipped=True,
    )
