"""Fitting several elements in order: the headline to its lines, then the demands to the rest."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from conftest import Workspace
from leafpress.floors import role_sizes
from leafpress.layoutconfig import floors_of
from leafpress.pipeline import Builder
from leafpress.plan import plan_build
from leafpress.render import write_pdf

# The campaign of issue 15: a seven-word Kazakh headline and five demands of eight to ten words.
KK_HEADLINE = "Өзен жағасындағы саябақты құрылыс компаниясына сатуды тоқтатыңдар"
KK_DEMANDS = [
    "Саябақ жерін сату туралы шешімнің күшін дереу жою керек.",
    "Қала тұрғындарымен ашық тыңдау өткізіп, олардың пікірін құжатқа енгізу.",
    "Саябақтағы көне ағаштарды кесуге жол бермеу және оларды қорғауға алу.",
    "Жер сатуға қол қойған шенеуніктердің есімдерін көпшілікке жария ету.",
    "Саябақты қалалық табиғи аумақ деп тану туралы заң жобасын қабылдау.",
]


def _demands(items: list[str]) -> str:
    return "demands = [" + ", ".join(f'"{d}"' for d in items) + "]"


def _lay_out(workspace: Workspace, layout: str, lang: str):
    plan = plan_build(workspace.root, workspace.out, languages=[lang], layouts=[layout])
    builder = Builder.for_plan(plan)
    laid = builder.lay_out(plan.jobs[0])
    return laid, write_pdf(laid.laid_out, plan.jobs[0].label, laid.render_options).data


def test_a_long_kazakh_headline_shrinks_to_three_lines_so_the_demands_fit(workspace: Workspace):
    workspace.edit(
        "kk.toml", 'headline = "Шаңырақ тұрғындарын қорғаймыз"', f'headline = "{KK_HEADLINE}"'
    )
    workspace.edit(
        "kk.toml", 'demands = ["Үйлерді заңдастыру.", "Өтемақы төлеу."]', _demands(KK_DEMANDS)
    )
    laid, pdf = _lay_out(workspace, "poster-a3-demands", "kk")
    fitted = laid.fit
    assert fitted.fits, fitted.too_long_message("poster-a3-demands", "kk")
    assert fitted.first_scale < 1  # the headline gave way ...
    assert fitted.measure.lines <= 3  # ... to three lines at most
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    sizes = role_sizes(laid.laid_out.document, pdf, floors_of(laid.layout))
    assert not [s for s in sizes if s.under], sizes
    assert fitted.passes <= 6


def test_a_short_headline_keeps_its_full_size(workspace: Workspace):
    laid, _ = _lay_out(workspace, "poster-a3-demands", "en")
    assert laid.fit.fits and laid.fit.first_scale == 1.0


@pytest.mark.parametrize(("count", "fits"), [(5, True), (6, False)])
def test_demands_are_refused_only_with_the_headline_at_its_smallest(
    workspace: Workspace, count: int, fits: bool
):
    """Five doubled demands fit once the headline gives its room; six cannot fit at any size
    the layout allows, and are refused only after the headline and the demands reach their
    smallest."""
    demands = [" ".join([KK_DEMANDS[i % 5]] * 2) for i in range(count)]
    workspace.edit(
        "kk.toml", 'headline = "Шаңырақ тұрғындарын қорғаймыз"', f'headline = "{KK_HEADLINE}"'
    )
    workspace.edit(
        "kk.toml", 'demands = ["Үйлерді заңдастыру.", "Өтемақы төлеу."]', _demands(demands)
    )
    laid, _ = _lay_out(workspace, "poster-a3-demands", "kk")
    fitted = laid.fit
    assert fitted.fits is fits
    if not fits:
        assert fitted.first_scale == fitted.spec.first.min_scale
        assert fitted.text_pt <= fitted.spec.floor_pt + 0.05
        message = fitted.too_long_message("poster-a3-demands", "kk")
        # The sixth demand's lines, less what the fifth left free: a few per cent, not 1 %.
        assert 3 <= fitted.too_long_pct <= 10, message
        assert message.startswith("demands is about") and "at the 28 pt minimum" in message


def test_a_headline_one_line_too_long_shrinks_only_as_far_as_its_lines_need(
    workspace: Workspace,
):
    """Eleven English words take three lines of the A6's band at full size; two lines need
    about 85 % of it, not the layout's smallest 70 % (the line fill was once measured against
    WeasyPrint's line box, as wide as its text, so every line counted full)."""
    headline = "Street air wheat river freedom pasture bread open resident street bread!"
    workspace.edit(
        "en.toml", 'headline = "Defend Shanyrak\'s residents"', f'headline = "{headline}"'
    )
    laid, _ = _lay_out(workspace, "leaflet-a6", "en")
    fitted = laid.fit
    assert fitted.fits and fitted.measure.lines == 2
    assert fitted.spec.first.min_scale + 0.05 < fitted.first_scale < 0.95, fitted.first_scale
    # The headline's scale and the lead's are found in the same passes.
    assert fitted.passes <= 3, fitted.history
