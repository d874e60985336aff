"""Skip outputs whose inputs have not changed since their PDF was written: fingerprints in out/.cache."""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.util
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .errors import LeafpressError
from .findings import Finding
from .fonts import FontManifest
from .inputs import campaign_inputs, layout_inputs, prints_photos

if TYPE_CHECKING:
    from .build import Builder, BuildPlan, OutputJob, OutputResult
    from .content import Campaign

# Bumped when what a fingerprint covers changes, so older records are never trusted.
FINGERPRINT_VERSION = "1"
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
    h.update(f"{FINGERPRINT_VERSION}\0{__version__}\0".encode())
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

    Files are read once per build however many outputs share them: photos and text files by
    content, font files by path, size and modification time.
    """

    def __init__(self, plan: BuildPlan, builder: Builder, force: bool) -> None:
        self.plan = plan
        self.builder = builder
        self.force = force
        self.folder = plan.out / ".cache" / "fingerprints"
        self._digests: dict[Path, str] = {}
        self._layout_inputs: dict[str, set[Path]] = {}
        self._campaign_inputs: dict[tuple[str, str, bool], set[Path]] = {}
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

    def inputs(self, job: OutputJob) -> set[Path]:
        campaign = job.campaign
        if job.layout not in self._layout_inputs:
            self._layout_inputs[job.layout] = layout_inputs(
                job.layout, self.plan.root, self.builder.library, self._manifest()
            )
        found = set(self._layout_inputs[job.layout])
        with_photos = prints_photos(self.builder.library, job.layout)
        for lang in job.sides or (job.lang,):
            key = (campaign.key, lang, with_photos)
            if key not in self._campaign_inputs:
                self._campaign_inputs[key] = campaign_inputs(campaign, lang, with_photos)
            found |= self._campaign_inputs[key]
        return found

    def _manifest(self) -> FontManifest | None:
        try:
            return self.builder.fonts
        except LeafpressError:
            return None  # layout_inputs counts fonts.toml itself; rendering reports the error

    def _files(self, paths: Iterable[Path]) -> list[tuple[str, str]]:
        return sorted((self._name(p), self._digest(p)) for p in paths)

    def _name(self, path: Path) -> str:
        """The path as the record keeps it: relative to the workspace, so that a moved
        workspace keeps its records."""
        if path not in self._names:
            inside = path.is_relative_to(self.plan.root)
            self._names[path] = str(path.relative_to(self.plan.root)) if inside else str(path)
        return self._names[path]

    def of(self, job: OutputJob) -> str:
        """Everything that goes into the job's PDF, as one digest."""
        try:
            findings = [
                f.as_dict()
                for f in self.campaign_findings(job.campaign)
                if f.concerns(job.lang, job.layout)
            ]
        except LeafpressError as exc:
            findings = [str(exc)]
        # Campaign checks compare languages (same number of demands everywhere): an output whose
        # findings change is rebuilt even when its own files did not change.
        described = {
            "shared": self._shared,
            "campaign": job.campaign.key,
            "lang": job.lang,
            "sides": list(job.sides),
            "layout": job.layout,
            "target": job.target,
            "options": job.options,
            "path": str(job.path),
            "files": self._files(self.inputs(job)),
            "findings": findings,
        }
        text = json.dumps(described, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()

    def campaign_findings(self, campaign: Campaign) -> list[Finding]:
        """The campaign checks' findings, kept in out/.cache beside the fingerprints: the checks
        read every language and photo (faces), and a no-op rebuild must not run them again.
        They are recorded under a digest of every file of every output of the campaign, and
        of every language file and photo even when the build asks for fewer: the checks compare
        the languages."""
        if campaign.key in self._findings:
            return self._findings[campaign.key]
        inputs: set[Path] = set()
        for lang in campaign.languages:
            inputs |= campaign_inputs(campaign, lang, True)
        for job in self.plan.jobs:
            if job.campaign.key == campaign.key:
                inputs |= self.inputs(job)
        layouts = sorted({job.layout for job in self.plan.jobs if job.campaign.key == campaign.key})
        key = json.dumps([self._shared, campaign.key, layouts, self._files(inputs)])
        digest = hashlib.blake2b(key.encode(), digest_size=16).hexdigest()
        path = self.folder.parent / "findings" / f"{campaign.key}.json"
        try:
            record = json.loads(path.read_text("utf-8"))
            if record["digest"] == digest:
                found = [Finding(**f) for f in record["findings"]]
                # The outputs that do get rendered are checked against these, not found again.
                self.builder.remember_campaign_findings(campaign, found)
                self._findings[campaign.key] = found
                return found
        except (OSError, ValueError, KeyError, TypeError):
            pass
        found = self.builder.campaign_findings(campaign)
        _write_json(path, {"digest": digest, "findings": [f.as_dict() for f in found]})
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
            # Files the layout reached by itself while rendering (a logo in assets/, say).
            for name, digest in record.get("resources", {}).items():
                if self._digest(self.plan.root / name) != digest:
                    return None
            return _result_from(record["result"], job)
        except (OSError, ValueError, KeyError, TypeError):
            return None

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
        known = self.inputs(job)
        resources = dict(self._files(p for p in result.resources if p not in known))
        record = {
            "fingerprint": fingerprint,
            "size": size,
            "resources": resources,
            "result": _result_to(result),
        }
        _write_json(path, record)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    """Whole or absent: two builds into one out/ never leave a torn record."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), "utf-8")
    os.replace(tmp, path)


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
    from .build import OutputResult

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
