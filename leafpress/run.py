"""Run a planned build: every job through the pipeline, in worker processes, skipping what has not changed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import unexpected
from .findings import Finding
from .pipeline import Builder
from .plan import plan_build
from .records import BuildPlan, BuildReport, OutputJob, OutputResult, TargetOptions
from .workers import time_limit
from .write import remove_stale_folders, remove_stale_parts, scratch_dir


def run_build(
    plan: BuildPlan,
    on_result: Callable[[OutputResult], None] | None = None,
    *,
    force: bool = False,
    jobs: int = 1,
    incremental: bool = False,
    rebuild: bool = False,
) -> BuildReport:
    """Run every job of a plan, in `jobs` worker processes; failures of planning come first, then
    outputs in plan order. `incremental` skips outputs whose inputs did not change since they
    were written (see incremental.py); with `rebuild` too, every output is made again, but the
    campaign checks' recorded findings are still trusted and the outputs' records written."""
    results = list(plan.failures)
    remove_stale_parts(plan.out)
    remove_stale_folders(scratch_dir(plan.out))
    run = _run_incremental(plan, force, jobs, rebuild) if incremental else _run(plan, force, jobs)
    for result in run:
        results.append(result)
        if on_result:
            on_result(result)
    return BuildReport(results)


def _run(
    plan: BuildPlan,
    force: bool = False,
    jobs: int = 1,
    indices: list[int] | None = None,
    builder: Builder | None = None,
) -> Iterator[OutputResult]:
    """The results of the plan's jobs (those at `indices`, by default all), in plan order."""
    from .collector import rendering_batch

    builder = builder or Builder.for_plan(plan, force)
    indices = list(range(len(plan.jobs))) if indices is None else indices
    # Photos are prepared first, once per size and target (and decoded once for all sizes), so
    # that workers find them on disk instead of each preparing the same photo.
    builder.prepare_photos((plan.jobs[i] for i in indices), workers=jobs)
    groups = builder.document_groups(plan.jobs, indices)
    with rendering_batch():  # forked workers inherit the collector's settings
        if jobs > 1 and len(groups) > 1:
            from .workers import run_in_workers

            done = run_in_workers(builder, plan, jobs, groups)
        else:
            done = (builder.run_group([plan.jobs[i] for i in group]) for group in groups)
        yield from in_plan_order(indices, groups, done)


def in_plan_order(
    indices: list[int], groups: list[list[int]], results: Iterable[list[OutputResult]]
) -> Iterator[OutputResult]:
    """The results of groups (in the groups' order) as the results of `indices` in order, each
    as soon as those before it are in."""
    waiting: dict[int, OutputResult] = {}
    position = 0
    for group, group_results in zip(groups, results, strict=True):
        waiting.update(zip(group, group_results, strict=True))
        while position < len(indices) and indices[position] in waiting:
            yield waiting.pop(indices[position])
            position += 1


def _run_incremental(
    plan: BuildPlan, force: bool, jobs: int, rebuild: bool = False
) -> Iterator[OutputResult]:
    """Fingerprint every job here, before any worker starts, so unchanged outputs never reach
    one (unless `rebuild`); then run the others and record what each written PDF was made from."""
    from .incremental import Fingerprints

    builder = Builder.for_plan(plan, force)
    prints = Fingerprints(plan, builder, force)
    fingerprints = [prints.of(job) for job in plan.jobs]
    kept: list[OutputResult | None] = [None] * len(plan.jobs)
    if not rebuild:
        kept = [prints.unchanged(job, fp) for job, fp in zip(plan.jobs, fingerprints, strict=True)]
    todo = [i for i, result in enumerate(kept) if result is None]
    fresh = _run(plan, force, jobs, todo, builder)
    for i, job in enumerate(plan.jobs):
        result = kept[i]
        if result is None:
            result = next(fresh)
            prints.save(job, fingerprints[i], result)
        yield result


def build(
    root: Path,
    out: Path,
    campaign_dirs: list[Path] | None = None,
    languages: list[str] | None = None,
    layouts: list[str] | None = None,
    targets: list[str] | None = None,
    target_options: TargetOptions | None = None,
    *,
    force: bool = False,
    jobs: int = 1,
    incremental: bool = False,
) -> BuildReport:
    """Plan and run a build in one call, for scripts and tests."""
    plan = plan_build(root, out, campaign_dirs, languages, layouts, targets, target_options)
    return run_build(plan, force=force, jobs=jobs, incremental=incremental)


@dataclass
class CheckReport:
    findings: list[Finding] = field(default_factory=list)
    # Labels of the outputs whose findings were taken from a record made from the same inputs.
    reused: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(f.is_error for f in self.findings)

    def counts(self) -> Counter:
        return Counter(f.status for f in self.findings)


def run_checks(plan: BuildPlan, *, reuse: bool = True, jobs: int = 1) -> CheckReport:
    """Every check on every output of a plan, each output made as a build makes it, in memory:
    nothing is written to out/ but the records of what was found. With `reuse`, an output whose
    fingerprint and read files are those a build or an earlier check recorded (incremental.py)
    is not made again: its recorded findings stand, and `reused` names it. The others are made
    in `jobs` worker processes, grouped and prepared as a build's are."""
    from .incremental import Fingerprints

    report = CheckReport()
    for failure in plan.failures:
        report.findings += _as_findings(failure)
    builder = Builder.for_plan(plan)
    builder.collect = True
    prints = Fingerprints(plan, builder, force=False)
    campaign_findings: set[Finding] = set()
    for job in plan.jobs:
        if job.campaign.key not in {f.campaign for f in campaign_findings}:
            try:
                found = prints.campaign_findings(job.campaign)
            except Exception as exc:  # a check's failure is a finding, not the end of check
                error = unexpected(exc, "checking the campaign", job.campaign.shown_as)
                failed = OutputResult(job.campaign.key, None, None, None, error)
                found = _as_findings(failed)
            report.findings += [f for f in found if f not in campaign_findings]
            campaign_findings.update(found)
    fingerprints = [prints.of(job) for job in plan.jobs]
    found_for: dict[int, list[Finding]] = {}
    if reuse:
        for i, job in enumerate(plan.jobs):
            recorded = prints.checked(job, fingerprints[i])
            if recorded is not None:
                found_for[i] = recorded
                report.reused.append(job.label)
    todo = [i for i in range(len(plan.jobs)) if i not in found_for]
    for i, (result, made) in zip(todo, _check_outputs(builder, plan, todo, jobs), strict=True):
        if not made:  # it failed before any check could run: its failure is its finding
            found_for[i] = _as_findings(result)
            continue
        prints.save_checked(plan.jobs[i], fingerprints[i], result)
        found_for[i] = result.findings
        report.checked.append(plan.jobs[i].label)
    for i in range(len(plan.jobs)):
        report.findings += [f for f in found_for[i] if f not in campaign_findings]
    return report


def _check_outputs(
    builder: Builder, plan: BuildPlan, indices: list[int], jobs: int
) -> Iterator[tuple[OutputResult, bool]]:
    """Each job at `indices` made and checked in memory, in order, as a build makes it (photos
    prepared first, documents shared in groups, in workers): its result, and whether it was
    made far enough to be checked."""
    from .collector import rendering_batch

    if not indices:
        return
    builder.prepare_photos((plan.jobs[i] for i in indices), workers=jobs)
    groups = builder.document_groups(plan.jobs, indices)
    with rendering_batch():
        if jobs > 1 and len(groups) > 1:
            from .workers import run_in_workers

            done = run_in_workers(builder, plan, jobs, groups, run=check_group)
        else:
            done = (check_group(builder, [plan.jobs[i] for i in group]) for group in groups)
        yield from in_plan_order(indices, groups, done)


def check_group(builder: Builder, jobs: list[OutputJob]) -> list[tuple[OutputResult, bool]]:
    """Make and check jobs that may share a document one after another (as run_group does,
    writing nothing): each one's result, and whether it was made far enough to be checked."""
    from .collector import after_output

    done = []
    with builder.sharing_documents():
        for job in jobs:
            try:
                with time_limit(f"checking {job.label}"):
                    _, result = builder.make_output(job)
            except Exception as exc:  # one output's failure is its own finding
                error = unexpected(exc, "checking this output")
                result = OutputResult(job.campaign.key, job.lang, job.layout, job.path, error)
                done.append((result, False))
                continue
            done.append((result, True))
    after_output()
    return done


def _as_findings(failure: OutputResult) -> list[Finding]:
    problems = failure.error.problems if failure.error else []
    return [
        Finding(
            failure.campaign,
            failure.lang,
            failure.layout,
            "content",
            "error",
            p.message,
            str(p.file) if p.file is not None else None,
            p.key,
            p.line,
        )
        for p in problems
    ]
