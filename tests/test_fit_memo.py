"""A fit found once is kept on disk by its text: a later process lays the same text out once and writes the same PDF."""

from __future__ import annotations

from pathlib import Path

from conftest import Workspace
from leafpress.pipeline import Builder
from leafpress.plan import plan_build


def _make(workspace: Workspace, lang: str = "en") -> tuple[bytes, int]:
    """One A5 leaflet made by a new builder, as a new process would: its bytes and passes."""
    plan = plan_build(workspace.root, workspace.out, None, [lang], ["leaflet-a5"])
    data, result = Builder.for_plan(plan).make_output(plan.jobs[0])
    assert data is not None and result.scale is not None
    return data, result.passes


def _kept(workspace: Workspace) -> list[Path]:
    return sorted((workspace.out / ".cache" / "fits").glob("*.json"))


def test_a_new_process_lays_a_fitted_text_out_once_and_writes_the_same_pdf(workspace: Workspace):
    searched, passes = _make(workspace)
    assert passes >= 2, "the demo text should need a search for this test to mean anything"
    assert len(_kept(workspace)) == 1
    replayed, passes = _make(workspace)
    assert passes == 1
    assert replayed == searched


def test_an_edited_text_is_searched_for_again_and_ends_where_a_fresh_search_does(
    workspace: Workspace, tmp_path: Path
):
    _make(workspace)
    workspace.edit("en.toml", "Defend Shanyrak's residents", "Stand with Shanyrak now")
    edited, passes = _make(workspace)
    assert passes >= 2
    assert len(_kept(workspace)) == 2  # one for each text
    for kept in _kept(workspace):
        kept.unlink()
    fresh, _ = _make(workspace)
    assert edited == fresh


def test_a_damaged_kept_fit_is_ignored(workspace: Workspace):
    searched, _ = _make(workspace)
    for kept in _kept(workspace):
        kept.write_text('{"scale": "large", "digest": 3', "utf-8")
    again, passes = _make(workspace)
    assert passes >= 2 and again == searched
    # and a well-formed one that does not measure as recorded is not trusted
    for kept in _kept(workspace):
        kept.write_text(
            '{"scale": 0.8, "first_scale": 1.0, "budget": 1, "digest": "x", "protected": []}',
            "utf-8",
        )
    again, passes = _make(workspace)
    assert passes >= 2 and again == searched


def test_an_output_that_does_not_copy_fit_keeps_no_fit_unless_words_were_kept_whole():
    from leafpress.fit import FitResult, Measure
    from leafpress.refit import FoundFit

    measured = Measure(1.0, 1, 1, 900.0, 1000.0, 0.0, 0.0, None)
    plain = FitResult(None, 1.0, 1, True, 1, measure=measured)  # a layout without [fit]
    assert FoundFit.of(plain) is None  # replay would lay it out once anyway: nothing to keep
    protected = FitResult(None, 1.0, 2, True, 1, measure=measured, protected=frozenset({"word"}))
    assert FoundFit.of(protected) is not None
