"""Plan a build: every output the command asks for, one job per campaign, language, layout and target."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from .constants import DEFAULT_TARGET
from .content import (
    Campaign,
    OutputSpec,
    find_campaigns,
    load_campaign,
    missing_requirement,
    relative_to_root,
    requirement_met,
)
from .errors import ContentError, LeafpressError, Problem, did_you_mean, unexpected
from .layouts import Layout, LayoutLibrary
from .records import BuildPlan, OutputJob, OutputResult, TargetOptions, output_path


def plan_build(
    root: Path,
    out: Path,
    campaign_dirs: list[Path] | None = None,
    languages: list[str] | None = None,
    layouts: list[str] | None = None,
    targets: list[str] | None = None,
    target_options: TargetOptions | None = None,
    library: LayoutLibrary | None = None,
) -> BuildPlan:
    """Every output the arguments ask for; what cannot be planned becomes a failed result.
    `library`, the layouts an earlier plan loaded, when no layout file changed since (serve)."""
    target_options = target_options or TargetOptions()
    root = root.resolve()
    out = out.resolve()
    library = library or LayoutLibrary(root)
    folders = [d.resolve() for d in campaign_dirs] if campaign_dirs else find_campaigns(root)
    jobs: list[OutputJob] = []
    failures: list[OutputResult] = []
    if not folders:
        failures.append(
            OutputResult(
                "",
                None,
                None,
                None,
                ContentError(
                    f"no campaign found: expected {root / 'leaflets'}/<campaign>/campaign.toml"
                ),
            )
        )
    for name in layouts or []:
        try:
            library.get(name, key="--layout")
        except Exception as exc:  # any bad layout fails its own outputs, never the plan
            failures.append(OutputResult("", None, name, None, unexpected(exc, "reading layout")))
            layouts = [n for n in layouts if n != name]
    targets, target_failures = _known_targets(targets)
    failures += target_failures
    if layouts == [] or targets == []:
        return BuildPlan(root, out, jobs, failures, target_options, library)
    for folder in folders:
        shown = relative_to_root(folder, root)
        try:
            campaign = load_campaign(folder, root)
        except Exception as exc:
            error = unexpected(exc, "reading the campaign", shown)
            failures.append(OutputResult(str(shown.name), None, None, None, error))
            continue
        chosen = campaign.languages
        if languages:
            unknown = [lang for lang in languages if lang not in campaign.languages]
            for lang in unknown:
                failures.append(
                    OutputResult(
                        campaign.key,
                        lang,
                        None,
                        None,
                        ContentError(
                            f"language '{lang}' is not one of the campaign's languages "
                            f"({', '.join(campaign.languages)}){did_you_mean(lang, campaign.languages)}",
                            file=campaign.shown_as,
                            key="languages",
                        ),
                    )
                )
            chosen = [lang for lang in campaign.languages if lang in languages]
        try:
            campaign_jobs, campaign_failures = _plan_campaign(
                campaign, library, chosen, layouts, out
            )
        except Exception as exc:  # a bug planning one campaign fails that campaign only
            error = unexpected(exc, "planning the campaign", campaign.shown_as)
            failures.append(OutputResult(campaign.key, None, None, None, error))
            continue
        jobs += with_targets(campaign_jobs, targets or campaign.targets or [DEFAULT_TARGET], out)
        failures += campaign_failures
    return BuildPlan(root, out, jobs, failures, target_options, library)


def _plan_campaign(
    campaign: Campaign,
    library: LayoutLibrary,
    languages: list[str],
    layouts: list[str] | None,
    out: Path,
) -> tuple[list[OutputJob], list[OutputResult]]:
    failures: list[OutputResult] = []
    loaded = []
    for lang in languages:
        try:
            loaded.append(campaign.text(lang))
        except Exception as exc:
            error = unexpected(exc, "reading the language file", campaign.language_file(lang))
            failures.append(OutputResult(campaign.key, lang, None, None, error))

    specs = campaign.outputs
    if specs is None:
        # No [[outputs]]: every layout whose requirements some language meets. A language that
        # lacks a field its siblings have is then reported, not silently left out.
        specs = []
        for name in library.names():
            try:
                layout = library.get(name)
            except Exception as exc:
                error = unexpected(exc, f"reading layout '{name}'")
                failures.append(OutputResult(campaign.key, None, name, None, error))
                continue
            if any(
                all(requirement_met(campaign, text, req) for req in layout.requires)
                for text in loaded
            ):
                specs.append(OutputSpec(name, None, {}, None))

    jobs: list[OutputJob] = []
    loaded_langs = [t.lang for t in loaded]
    for spec in specs:
        if layouts and spec.layout not in layouts:
            continue
        key = f"outputs[{spec.index}].layout" if spec.index is not None else None
        try:
            layout = library.get(spec.layout, wanted_by=campaign.shown_as, key=key)
            options = layout.option_values(
                spec.options, campaign.shown_as, f"outputs[{spec.index}].options"
            )
        except Exception as exc:
            error = unexpected(exc, f"reading layout '{spec.layout}'")
            failures.append(OutputResult(campaign.key, None, spec.layout, None, error))
            continue
        if layout.bilingual:
            job, failure = bilingual_job(campaign, layout, spec, options, loaded_langs, out)
            jobs += [job] if job else []
            failures += [failure] if failure else []
            continue
        for lang in spec.languages or campaign.languages:
            if lang in loaded_langs:
                path = output_path(out, campaign.key, lang, layout.name)
                jobs.append(OutputJob(campaign, lang, layout.name, options, spec, path))
    planned = {spec.layout for spec in specs}
    # A language file that failed is reported above; blaming the campaign for lacking its
    # fields as well would point at the wrong file.
    language_failed = len(loaded) < len(languages)
    for name in layouts or []:
        if name not in planned and not language_failed:
            if campaign.outputs is not None:
                error = ContentError(
                    f"layout '{name}' is not built for this campaign: campaign.toml's "
                    "[[outputs]] does not list it",
                    file=campaign.shown_as,
                )
            else:
                # Each language file that lacks what the layout prints, by key: that is the
                # file to fix, not campaign.toml.
                requires = library.get(name).requires
                error = ContentError(
                    problems=dict.fromkeys(
                        dataclasses.replace(
                            problem, message=f"{problem.message}; layout '{name}' prints it"
                        )
                        for text in loaded
                        for req in requires
                        if not requirement_met(campaign, text, req)
                        for problem in [missing_requirement(campaign, text, req)]
                    )
                    or [Problem(f"layout '{name}' needs: {', '.join(requires)}", campaign.shown_as)]
                )
            failures.append(OutputResult(campaign.key, None, name, None, error))
    return jobs, failures


def _known_targets(targets: list[str] | None) -> tuple[list[str] | None, list[OutputResult]]:
    from .targets import check_target

    if targets is None:
        return None, []
    failures, known = [], []
    for name in targets:
        try:
            known.append(check_target(name, key="--target"))
        except LeafpressError as exc:
            failures.append(OutputResult("", None, None, None, exc))
    return known, failures


def with_targets(jobs: list[OutputJob], targets: list[str], out: Path) -> list[OutputJob]:
    """Each planned output once per target, named `<layout>.<target>.pdf` (screen: `<layout>.pdf`)."""
    return [
        dataclasses.replace(
            job,
            target=target,
            path=output_path(out, job.campaign.key, job.lang, job.layout, target),
        )
        for job in jobs
        for target in dict.fromkeys(targets)
    ]


def bilingual_job(
    campaign: Campaign,
    layout: Layout,
    spec: OutputSpec,
    options: dict,
    chosen: list[str],
    out: Path,
) -> tuple[OutputJob | None, OutputResult | None]:
    """One output with a language per side: the spec's two languages, or the campaign's first two.

    It is built when both its languages are among those asked for.
    """
    sides = tuple(spec.languages or campaign.languages[:2])
    if len(sides) != 2:
        where = f"outputs[{spec.index}].languages" if spec.index is not None else "languages"
        error = ContentError(
            f"layout '{layout.name}' prints one language per side: expected two languages "
            f"(front, back), found {len(sides)}",
            file=campaign.shown_as,
            key=where,
        )
        return None, OutputResult(campaign.key, None, layout.name, None, error)
    if not all(lang in chosen for lang in sides):
        return None, None
    lang = "+".join(sides)
    path = output_path(out, campaign.key, lang, layout.name)
    return OutputJob(campaign, lang, layout.name, options, spec, path, sides=sides), None
