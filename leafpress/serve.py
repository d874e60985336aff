"""A local preview server: page images of every output, rebuilt as files change, pushed to the browser."""

from __future__ import annotations

import ipaddress
import json
import posixpath
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from . import collector
from .errors import LeafpressError
from .pipeline import Builder
from .plan import plan_build
from .preview import DEFAULT_DPI, page_png_path, write_page_pngs
from .records import BuildPlan, OutputJob
from .workers import OutOfTime, time_limit
from .write import write_atomic

WATCHED = ("leaflets", "layouts", "fonts", "assets")
# The longest the watcher groups a burst of saves (an editor writes several files) for, and
# the quiet that ends a burst: an editor's save (a write, or a write and a rename) takes a ms
# or two, so a save is rebuilt about 8 ms after it (a 15 ms quiet took 20-30 ms). A save whose
# writes spread wider is rebuilt twice, the second time from the whole file.
DEBOUNCE_MS = 50
QUIET_MS = 5
# Keep-alive comments stop proxies and browsers from closing a quiet event stream.
HEARTBEAT_S = 15.0
# A connection that sends nothing for this long is closed, so that idle or stalled clients do
# not hold a thread each; the event stream writes a heartbeat well within it.
IDLE_TIMEOUT_S = 30.0
# Open connections served at once; more are closed at once. A browser tab holds two or three.
MAX_CONNECTIONS = 32
# The page shows a page image at most 70 % of the window's height (PAGE's CSS): more pixels
# than that on a tall screen are never seen, and an A3 page at 72 dpi would take 1191.
PAGE_MAX_PX = 900


@dataclass
class OutputState:
    """What the page shows for one output: its page images, or the error in their place."""

    campaign: str
    lang: str | None
    layout: str | None
    pages: list[str] = field(default_factory=list)  # URLs of the page images
    error: str | None = None
    warnings: list[str] = field(default_factory=list)
    fit_scale: float | None = None
    findings: list[str] = field(default_factory=list)
    version: int = 0
    # The first page shown is a sketch at the last fit's scale; the output's own fit follows.
    fitting: bool = False

    @property
    def label(self) -> str:
        return "/".join(p for p in (self.campaign, self.lang, self.layout) if p)


class PreviewSession:
    """The engine side of `serve`: plans, rebuilds what a change affects, and keeps the state."""

    def __init__(
        self,
        root: Path,
        out: Path,
        campaign_dirs: list[Path] | None = None,
        languages: list[str] | None = None,
        layouts: list[str] | None = None,
        dpi: int = DEFAULT_DPI,
    ) -> None:
        self.root = root.resolve()
        self.out = out.resolve()
        self.campaign_dirs = campaign_dirs
        self.languages = languages
        self.layouts = layouts
        self.dpi = dpi
        self.version = 0
        self.outputs: dict[str, OutputState] = {}
        # What each output read the last time it was made (reads.py): what a change touches.
        self._reads: dict[str, set[Path]] = {}
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._rebuilding = threading.Lock()
        self._builder: Builder | None = None
        # The digest of each page image's pixels as written: a page that looks the same after
        # a save is not encoded and written again.
        self._page_digests: dict[Path, str] = {}

    def rebuild(self, changed: Iterable[Path] | None = None) -> list[str]:
        """Rebuild the outputs `changed` files affect (every output when None); their labels.
        Each rebuilt output is shown as soon as it is made, before the others are."""
        changed = [Path(p) for p in changed] if changed is not None else None
        with self._rebuilding:
            # Planning reads the campaign files again (a few ms), so an edited text is seen;
            # the layouts, when only campaign text changed, are those read last time.
            text_only = self._text_only(changed)
            library = self._builder.library if text_only and self._builder else None
            plan = plan_build(
                self.root,
                self.out,
                self.campaign_dirs,
                self.languages,
                self.layouts,
                library=library,
            )
            builder = self._warm_builder(plan, text_only)
            shown: dict[str, OutputState | None] = {}
            for failure in plan.failures:
                state = OutputState(failure.campaign, failure.lang, failure.layout)
                state.error = str(failure.error)
                shown[state.label or "build"] = state
            planned_failures = list(shown)
            todo = []
            for job in plan.jobs:
                previous = self.outputs.get(job.label)
                if (
                    changed is None
                    or previous is None
                    or previous.error is not None
                    or is_affected(self._reads.get(job.label, set()), changed)
                ):
                    todo.append(job)
                shown[job.label] = previous  # until it is made again
            if planned_failures or set(shown) != set(self.outputs):
                # Outputs that went or came, and planning's errors, are shown at once.
                self._publish(shown, planned_failures)
            for job in todo:

                def show(state: OutputState, label: str = job.label) -> None:
                    shown[label] = state
                    self._publish(shown, [label])

                show(self._build(builder, job, show))
            return [job.label for job in todo]

    def _text_only(self, changed: list[Path] | None) -> bool:
        """Whether only campaign text files changed: fonts, layouts and images still hold."""
        return changed is not None and all(
            p.suffix == ".toml" and (self.root / "leaflets") in p.resolve().parents for p in changed
        )

    def _warm_builder(self, plan: BuildPlan, text_only: bool) -> Builder:
        """The builder of the last rebuild, when only campaign text files changed since (its
        fonts, layouts and images still hold); a new one otherwise."""
        if self._builder is None or not text_only:
            self._builder = Builder.for_plan(plan)
        else:
            self._builder.forget_content(plan.jobs)
        return self._builder

    def _publish(self, outputs: dict[str, OutputState | None], changed: Iterable[str]) -> None:
        """Show `outputs` in their order (one not made yet is left out) as a new version, in
        which the `changed` outputs are new."""
        with self._changed:
            self.version += 1
            for label in changed:
                state = outputs.get(label)
                if state is not None:
                    state.version = self.version
            self.outputs = {k: v for k, v in outputs.items() if v is not None}
            self._changed.notify_all()

    def _build(
        self,
        builder: Builder,
        job: OutputJob,
        show: Callable[[OutputState], None] | None = None,
    ) -> OutputState:
        """Make one output as build does, write it, and its page images; its state. `show`
        is given the state as soon as the first page's image is written (before the checks
        where the rendered PDF is the output), the other pages still those of the last making
        (the last call is the caller's, with every page)."""
        state = OutputState(job.campaign.key, job.lang, job.layout)
        previous = self.outputs.get(job.label)
        shown_early = False

        def rendered(pdf: bytes, fitting: bool = False) -> None:
            nonlocal shown_early
            # The first page is shown as soon as it is rendered, before the output's checks (a
            # few tens of ms) end; its findings follow with the rest. An output they refuse
            # then shows its error in place of the page. Before it, a sketch: the edited text
            # laid out once at the last fit's scale, while the fit is searched for.
            if show is None:
                return
            (png,) = self._page_images(job, pdf, first_only=True)
            others = previous.pages[1:] if previous is not None and not previous.error else []
            pages = [self._url(png), *others]
            show(replace(previous or state, pages=pages, error=None, fitting=fitting))
            shown_early = True

        def sketched(pdf: bytes) -> None:
            rendered(pdf, fitting=True)

        try:
            # Exactly what `leafpress build` writes, finished for the output's target, within
            # the same time limit, whichever thread rebuilds.
            with time_limit(f"making {job.label}"):
                data, result = builder.make_output(job, rendered, sketched)
            assert data is not None  # the builder refuses, not collects
            write_atomic(job.path, data, self.out)
            state.warnings = list(result.warnings)
            state.fit_scale = result.scale
            state.findings = [
                f"{f.status}: {f.check}: {f.message}" for f in result.findings if f.status != "ok"
            ]

            def first_page(number: int, png: Path) -> None:
                if number == 1 and show is not None and result.pages > 1 and not shown_early:
                    later = [page_png_path(job.path, n) for n in range(2, result.pages + 1)]
                    pages = [png, *(p for p in later if p.exists())]
                    show(replace(state, pages=[self._url(p) for p in pages]))

            pngs = self._page_images(job, data, on_page=first_page)
        except OutOfTime as exc:
            # Stopped anywhere in the middle: what the builder keeps may be half made.
            self._builder = None
            return OutputState(job.campaign.key, job.lang, job.layout, error=str(exc))
        except LeafpressError as exc:
            return OutputState(job.campaign.key, job.lang, job.layout, error=str(exc))
        except OSError as exc:
            error = f"cannot write {job.path}: {exc.strerror}"
            return OutputState(job.campaign.key, job.lang, job.layout, error=error)
        except Exception as exc:  # a long-running server must outlive one bad output
            error = f"unexpected error while rendering: {exc!r}"
            return OutputState(job.campaign.key, job.lang, job.layout, error=error)
        self._reads[job.label] = set(result.reads)
        state.pages = [self._url(p) for p in pngs]
        return state

    def _page_images(self, job: OutputJob, pdf: bytes, **options: Any) -> list[Path]:
        """The output's page images, from its PDF's bytes, as large as the page shows them."""
        return write_page_pngs(
            job.path,
            self.out,
            self.dpi,
            fast=True,
            data=pdf,
            max_px=PAGE_MAX_PX,
            digests=self._page_digests,
            **options,
        )

    def _url(self, png: Path) -> str:
        return "/pages/" + png.relative_to(self.out).as_posix()

    def snapshot(self) -> dict:
        with self._lock:
            return {
                "version": self.version,
                "outputs": [vars(s) | {"label": s.label} for s in self.outputs.values()],
            }

    def wait_for_change(self, seen: int, timeout: float) -> int:
        """Block until the state is newer than `seen` (or the timeout); the current version."""
        with self._changed:
            self._changed.wait_for(lambda: self.version != seen, timeout)
            return self.version

    def wake(self) -> None:
        """Release every event stream waiting for a change, e.g. to let the server stop."""
        with self._changed:
            self._changed.notify_all()

    def image_file(self, url_path: str) -> Path | None:
        """The page image a /pages/… URL names, or None for anything else: no listing, no escape."""
        relative = url_path.removeprefix("/pages/")
        if relative == url_path or not relative.endswith(".png"):
            return None
        parts = relative.split("/")
        if any(part in ("", ".", "..") or "\\" in part or "\x00" in part for part in parts):
            return None
        path = (self.out / posixpath.join(*parts)).resolve()
        if self.out not in path.parents or not path.is_file():
            return None
        return path


class PreviewServer:
    """The HTTP server and the file watcher around a PreviewSession, each on its own thread."""

    def __init__(self, session: PreviewSession, host: str = "127.0.0.1", port: int = 8000) -> None:
        self.session = session
        self.stop_event = threading.Event()
        self.httpd = _BoundedServer((host, port), _handler_for(session, self.stop_event))
        self.httpd.daemon_threads = True
        self._threads: list[threading.Thread] = []
        self.on_rebuild: Callable[[list[str]], None] | None = None
        self._frozen = False  # whether start() froze the first build's state (collector)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self, watch: bool = True) -> None:
        # Daemon threads: stop() ends them, and a process that is told to quit never waits on one
        # that is stuck (a rebuild in the middle of a slow layout).
        serve = threading.Thread(
            target=self.httpd.serve_forever, name="leafpress-serve", daemon=True
        )
        self._threads.append(serve)
        if watch:
            self._threads.append(
                threading.Thread(target=self._watch, name="leafpress-watch", daemon=True)
            )
            collector.keep_warm()
            self._frozen = True
        for thread in self._threads:
            thread.start()

    def _watch(self) -> None:
        from watchfiles import DefaultFilter, watch

        # Editors' swap and backup files, .git and caches are not inputs; skip them.
        ignored = DefaultFilter()
        folders = [self.session.root / name for name in WATCHED]
        for folder in folders:
            folder.mkdir(exist_ok=True)
        out = self.session.out
        for changes in watch(
            *folders,
            stop_event=self.stop_event,
            debounce=DEBOUNCE_MS,
            step=QUIET_MS,
            rust_timeout=500,
            yield_on_timeout=False,
            watch_filter=lambda change, path: (
                ignored(change, path) and out not in Path(path).parents
            ),
        ):
            with collector.while_waited_for():
                rebuilt = self.session.rebuild({Path(path) for _change, path in changes})
            if self.on_rebuild:
                self.on_rebuild(rebuilt)
            collector.when_idle()

    def stop(self) -> None:
        self.stop_event.set()
        self.session.wake()
        self.httpd.shutdown()
        self.httpd.server_close()
        # A watcher in the middle of a rebuild finishes it; past a few seconds, the daemon
        # threads end with the process.
        deadline = time.monotonic() + 5
        for thread in self._threads:
            thread.join(timeout=max(0.1, deadline - time.monotonic()))
        if self._frozen:
            collector.thaw()

    def __enter__(self) -> PreviewServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _BoundedServer(ThreadingHTTPServer):
    """A thread per connection, up to MAX_CONNECTIONS at once; errors of one connection (a
    client that went away) end that connection without a word, as the engine never prints."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._slots = threading.BoundedSemaphore(MAX_CONNECTIONS)

    def process_request(self, request, client_address) -> None:
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request, client_address) -> None:
        pass


def _handler_for(session: PreviewSession, stop: threading.Event) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "leafpress"
        sys_version = ""
        timeout = IDLE_TIMEOUT_S

        def log_message(self, format: str, *args: object) -> None:
            pass  # the engine never prints; the CLI reports rebuilds

        def do_GET(self) -> None:
            if not self._host_allowed():
                self._send(HTTPStatus.FORBIDDEN, "text/plain; charset=utf-8", b"unknown host")
                return
            path = unquote(urlsplit(self.path).path)
            if path == "/":
                self._send(HTTPStatus.OK, "text/html; charset=utf-8", PAGE.encode())
            elif path == "/state.json":
                body = json.dumps(session.snapshot(), ensure_ascii=False).encode()
                self._send(HTTPStatus.OK, "application/json; charset=utf-8", body)
            elif path == "/events":
                self._events()
            else:
                file = session.image_file(path)
                if file is None:
                    self._send(HTTPStatus.NOT_FOUND, "text/plain; charset=utf-8", b"not found")
                else:
                    self._send(HTTPStatus.OK, "image/png", file.read_bytes())

        # No other method is handled: http.server answers 501, so nothing can be written.

        def _host_allowed(self) -> bool:
            """On loopback, answer only to loopback names: a web page that rebinds its own
            domain to 127.0.0.1 must not read the previews of a campaign not yet public."""
            host, port = self.server.server_address[:2]
            if not _is_loopback(str(host)):
                return True
            hosts = self.headers.get_all("Host") or []
            if len(hosts) != 1:  # two Host headers: servers and proxies may read either one
                return False
            given = hosts[0].lower()
            names = ("127.0.0.1", "localhost", "[::1]", str(host))
            return given in {f"{name}:{port}" for name in names} | set(names)

        def _send(self, status: HTTPStatus, kind: str, body: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            if self.command != "HEAD":
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client went away: nothing to tell

        def _events(self) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            seen = -1
            try:
                while not stop.is_set():
                    version = session.wait_for_change(seen, HEARTBEAT_S)
                    if stop.is_set():
                        break
                    if version != seen:
                        self.wfile.write(f"event: state\ndata: {version}\n\n".encode())
                        seen = version
                    else:
                        self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True

    return Handler


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


# A fixed page: nothing from a request or a file is interpolated into it; the script builds the
# view from /state.json with text nodes only.
PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>leafpress preview</title>
<style>
body { font-family: sans-serif; margin: 1.5rem; background: #e9e6df; color: #16181d; }
h1 { font-size: 1.2rem; margin: 0 0 1rem; }
h2 { font-size: 1rem; margin: 1.5rem 0 0.5rem; border-bottom: 1px solid #aaa; }
.row { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
.output { background: #fff; padding: 0.6rem; box-shadow: 0 1px 3px #0003; max-width: 100%; }
.output h3 { font-size: 0.9rem; margin: 0 0 0.4rem; }
.pages { display: flex; gap: 0.5rem; flex-wrap: wrap; }
.pages img { max-height: 70vh; max-width: 100%; border: 1px solid #ccc; }
.error { color: #8f0b20; background: #f6e3e3; white-space: pre-wrap; padding: 0.6rem;
         max-width: 40rem; font-family: monospace; }
.notes { font-size: 0.8rem; color: #4b5161; margin: 0.4rem 0 0; padding-left: 1.2rem; }
#status { font-size: 0.8rem; color: #4b5161; }
</style>
</head>
<body>
<h1>leafpress preview <span id="status">connecting…</span></h1>
<div id="outputs"></div>
<script>
"use strict";
const shown = new Map();  // label -> version on screen, so unchanged outputs are not redrawn

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  for (const child of children) node.append(child);
  return node;
}

function card(o) {
  const box = el("div", {class: "output", "data-label": o.label, "data-version": o.version});
  box.append(el("h3", {}, [o.lang, o.layout].filter(Boolean).join(" · ") || "build"));
  if (o.error) {
    box.append(el("pre", {class: "error"}, o.error));
  } else {
    const pages = el("div", {class: "pages"});
    o.pages.forEach((src, i) =>
      pages.append(el("img", {src: src + "?v=" + o.version, alt: o.label + " page " + (i + 1)})));
    box.append(pages);
  }
  const notes = [];
  if (o.fitting) notes.push("fitting the edited text…");
  else if (o.fit_scale !== null) notes.push("copy-fit scale " + Math.round(o.fit_scale * 100) + " %");
  for (const f of o.findings) notes.push(f);
  for (const w of o.warnings) notes.push("warning: " + w);
  if (notes.length) box.append(el("ul", {class: "notes"}, ...notes.map(n => el("li", {}, n))));
  return box;
}

async function refresh() {
  const state = await (await fetch("/state.json", {cache: "no-store"})).json();
  const root = document.getElementById("outputs");
  const groups = new Map();
  for (const o of state.outputs) {
    const key = (o.campaign || "build") + (o.lang ? " / " + o.lang : "");
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(o);
  }
  const fresh = document.createDocumentFragment();
  for (const [key, outputs] of groups) {
    const row = el("div", {class: "row"});
    for (const o of outputs) {
      const old = root.querySelector(`[data-label="${CSS.escape(o.label)}"]`);
      row.append(old && Number(old.dataset.version) === o.version ? old : card(o));
    }
    fresh.append(el("h2", {}, key), row);
  }
  root.replaceChildren(fresh);
  document.getElementById("status").textContent = "version " + state.version;
  document.body.dataset.version = state.version;
}

const events = new EventSource("/events");
events.addEventListener("state", refresh);
events.onerror = () => { document.getElementById("status").textContent = "reconnecting…"; };
</script>
</body>
</html>
"""


def is_affected(reads: set[Path], changed: Iterable[Path]) -> bool:
    """Whether any changed path is a file an output read, or a folder that holds one."""
    for path in changed:
        path = path.resolve()
        if path in reads or any(path in p.parents for p in reads):
            return True
    return False
