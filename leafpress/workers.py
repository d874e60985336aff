"""Render a build's outputs in long-lived worker processes, each importing WeasyPrint once."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from . import constants
from .errors import LeafpressError, RenderError, unexpected

if TYPE_CHECKING:
    from .pipeline import Builder
    from .records import BuildPlan, OutputResult

# What a forked worker inherits from the parent: the plan, and the parent's Builder as it stands
# (the layouts, the photos prepared for the workers, the campaign checks' findings), which then
# keeps WeasyPrint's font configuration in each worker for every job it runs.
_PLAN: BuildPlan | None = None
_BUILDER: Builder | None = None
_TASKS: tuple[Callable[..., Any], list[tuple]] | None = None
# What a worker does with a group of jobs: Builder.run_group (build), or check's own.
_RUN: Callable[[Builder, list], list] | None = None


def default_jobs() -> int:
    """As many workers as cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def die_with_parent(parent: int) -> None:
    """Worker initializer: end this worker when the build that started it dies (killed with
    SIGKILL, it cannot stop its workers itself), so that no orphan goes on writing PDFs."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        # PR_SET_PDEATHSIG: the kernel sends us SIGKILL when the parent thread ends.
        watched = libc.prctl(1, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):  # not Linux
        watched = False
    if os.getppid() != parent:  # the parent died before the signal was asked for
        os._exit(1)
    if not watched:
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    import time

    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _pool(jobs: int) -> Any:
    """A pool of `jobs` forked workers that end with this process."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    return ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=multiprocessing.get_context("fork"),
        initializer=die_with_parent,
        initargs=(os.getpid(),),
    )


def _run_group(indices: list[int]) -> list[Any]:
    assert _PLAN is not None and _BUILDER is not None
    run = _RUN or type(_BUILDER).run_group
    return run(_BUILDER, [_PLAN.jobs[i] for i in indices])


def run_in_workers(
    builder: Builder,
    plan: BuildPlan,
    jobs: int,
    groups: list[list[int]],
    run: Callable[[Builder, list], list] | None = None,
) -> Iterator[list[OutputResult]]:
    """The results of each group of the plan's jobs (Builder.document_groups), in the groups'
    order whatever order the workers finish in; a group runs in one worker, with that worker's
    copy of `builder`, through `run(builder, jobs)` (by default Builder.run_group, which
    writes each output; `check` passes its own, which writes nothing)."""
    global _PLAN, _BUILDER, _RUN

    # fork, so workers inherit the plan and the builder as they are instead of re-reading every
    # file; the parent has only imported WeasyPrint by now and laid nothing out with Pango,
    # which is what makes forking safe (and workers never call OpenCV, whose threads it may
    # have started to mask faces).
    _PLAN, _BUILDER = plan, builder
    _RUN = run
    try:
        with _pool(min(jobs, len(groups))) as pool:
            yield from pool.map(_run_group, groups)
    finally:
        _PLAN = _BUILDER = _RUN = None


def _call(index: int) -> Any:
    assert _TASKS is not None
    function, items = _TASKS
    return call_keeping_errors(function, items[index])


def call_keeping_errors(function: Callable[..., Any], item: tuple) -> Any:
    """`function(*item)`, or the LeafpressError or OSError it raised; any other exception as a
    LeafpressError, so that one item's failure is its own and not the whole map's."""
    try:
        return function(*item)
    except (LeafpressError, OSError) as exc:
        return exc
    except Exception as exc:
        return unexpected(exc, "preparing")


def map_in_workers(
    function: Callable[..., Any],
    items: list[tuple],
    jobs: int,
    meanwhile: Callable[[], Any] | None = None,
) -> list[Any]:
    """`function(*item)` for every item, in the items' order: in up to `jobs` forked processes
    when there are several of both, else here. A LeafpressError or OSError an item raises is
    returned in its place. `meanwhile()` runs here while the workers work (first, when there
    are none), for what this process has to do anyway.

    For work that needs nothing the parent has not made yet (photos, before any output renders);
    what `function` returns must pickle."""
    global _TASKS

    _TASKS = (function, items)
    try:
        if jobs <= 1 or len(items) <= 1:
            if meanwhile is not None:
                meanwhile()
            return [_call(i) for i in range(len(items))]
        with _pool(min(jobs, len(items))) as pool:
            # map() submits every item, and a fork pool starts all its workers at the first.
            results = pool.map(_call, range(len(items)))
            if meanwhile is not None:
                meanwhile()
            return list(results)
    finally:
        _TASKS = None


class OutOfTime(RenderError):
    """Making an output took longer than constants.OUTPUT_TIME_LIMIT_S."""


@contextlib.contextmanager
def time_limit(what: str) -> Iterator[None]:
    """Stop the work inside after constants.OUTPUT_TIME_LIMIT_S seconds with an OutOfTime
    error naming `what`, in any thread: on the main thread a timer signal stops it (and
    interrupts a system call); a timer signal reaches no other thread (serve's rebuilds run
    beside its HTTP threads), so there a watchdog thread raises the error in it. Either way the
    error arrives between two Python steps: a template's endless loop is stopped, not a C call."""
    seconds = constants.OUTPUT_TIME_LIMIT_S
    if not seconds:
        yield
        return
    message = (
        f"{what} took longer than {seconds:g} s, the limit for one output; its text or "
        "layout asks for too much (a very long field, a huge table or page, a template loop?)"
    )
    if threading.current_thread() is threading.main_thread():
        with _signal_limit(seconds, message):
            yield
    else:
        with _watchdog_limit(seconds, message):
            yield


@contextlib.contextmanager
def _signal_limit(seconds: float, message: str) -> Iterator[None]:
    def stop(_signum: int, _frame: Any) -> None:
        raise OutOfTime(message)

    previous = signal.signal(signal.SIGALRM, stop)
    # Again every quarter second until the block ends: an error raised while Python runs an
    # object's finaliser (a collection that happens to run then) is printed and dropped, and
    # the work would go on past its limit.
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.25)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class _Expired(BaseException):
    """What the watchdog raises in a thread that ran out of time; a BaseException, so that no
    `except Exception` on the way (a template's, a library's) takes it for an ordinary error;
    time_limit turns it into OutOfTime."""


@contextlib.contextmanager
def _watchdog_limit(seconds: float, message: str) -> Iterator[None]:
    import ctypes

    thread_id = ctypes.c_ulong(threading.get_ident())
    lock = threading.Lock()
    state = {"done": False, "fired": False}

    def expire() -> None:
        with lock:
            if not state["done"]:
                state["fired"] = True
                ctypes.pythonapi.PyThreadState_SetAsyncExc(thread_id, ctypes.py_object(_Expired))

    watchdog = threading.Timer(seconds, expire)
    watchdog.daemon = True
    watchdog.start()
    try:
        try:
            yield
        finally:
            watchdog.cancel()
            with lock:
                state["done"] = True
                if state["fired"]:
                    # Fired as the work ended and not raised yet: it must not strike later code.
                    ctypes.pythonapi.PyThreadState_SetAsyncExc(thread_id, None)
    except _Expired:
        raise OutOfTime(message) from None
