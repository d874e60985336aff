"""Render a build's outputs in long-lived worker processes, each importing WeasyPrint once."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .build import Builder, BuildPlan, OutputResult

# What a forked worker inherits from the parent: the plan, and then its own Builder, which keeps
# WeasyPrint's font configuration, the layouts and the prepared photos for every job it runs.
_PLAN: BuildPlan | None = None
_FORCE = False
_BUILDER: Builder | None = None


def default_jobs() -> int:
    """As many workers as cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _start_worker() -> None:
    global _BUILDER
    from .build import Builder

    assert _PLAN is not None
    _BUILDER = Builder.for_plan(_PLAN, _FORCE)


def _run_one(index: int) -> OutputResult:
    assert _PLAN is not None and _BUILDER is not None
    return _BUILDER.run_job(_PLAN.jobs[index])


def run_in_workers(
    plan: BuildPlan, jobs: int, force: bool = False, indices: list[int] | None = None
) -> Iterator[OutputResult]:
    """Results of the plan's jobs (those at `indices`, by default all) in plan order, whatever
    order the workers finish in."""
    global _PLAN, _FORCE
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    indices = list(range(len(plan.jobs))) if indices is None else indices
    # fork, so workers inherit the plan as it is instead of re-reading every file; the parent has
    # not started WeasyPrint, Pango or any thread by now, which is what makes forking safe.
    context = multiprocessing.get_context("fork")
    _PLAN, _FORCE = plan, force
    try:
        with ProcessPoolExecutor(
            max_workers=min(jobs, len(indices)), mp_context=context, initializer=_start_worker
        ) as pool:
            yield from pool.map(_run_one, indices)
    finally:
        _PLAN = None
