"""Templates get plain data and nothing with powers; known Jinja escapes fail as a layout's error."""

from __future__ import annotations

import datetime
import os
import types
from pathlib import Path
from typing import Any

import pytest
from markupsafe import Markup

from conftest import Workspace
from leafpress.compose import compose, template_context
from leafpress.content import load_campaign
from leafpress.errors import ContentError, LayoutError, LeafpressError
from leafpress.fonts import load_manifest
from leafpress.layouts import LayoutLibrary
from leafpress.photos import PreparedPhoto
from leafpress.sandbox import KEPT_GLOBALS

PLAIN = (str, int, float, bool, type(None), Markup)
# The only functions a template is given: they format a number or a date in its language.
FORMATTERS = {"number", "numbered", "date"}


def _walk(value: Any, where: str, found: list[str], depth: int = 0) -> None:
    """Every value reachable from `value` through items and instance attributes, checked."""
    assert depth < 20, f"{where} nests too deep to be data"
    if isinstance(value, PLAIN):
        return
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _walk(item, f"{where}[{i}]", found, depth + 1)
        return
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                found.append(f"{where} has a key of type {type(key).__name__}")
            _walk(item, f"{where}.{key}", found, depth + 1)
        # A dict subclass may carry attributes too: they are reachable the same way.
        for name, item in vars(value).items() if hasattr(value, "__dict__") else ():
            _walk(item, f"{where}.{name}", found, depth + 1)
        return
    found.append(f"{where} is a {type(value).__module__}.{type(value).__qualname__}")


def _context(ws: Workspace, layout_name: str, lang: str) -> dict[str, Any]:
    campaign = load_campaign(ws.campaign_dir, ws.root)
    layout = LayoutLibrary(ws.root).get(layout_name)
    return template_context(
        campaign, campaign.text(lang), layout, load_manifest(ws.root), [], {**layout.options}
    )


@pytest.mark.parametrize("layout", ["leaflet-a5", "leaflet-a6", "poster-a3-demands"])
def test_a_template_receives_only_plain_data(workspace: Workspace, layout: str):
    context = _context(workspace, layout, "kk")
    found: list[str] = []
    for name, value in context.items():
        if name in FORMATTERS:
            assert isinstance(value, types.FunctionType), name
            assert isinstance(value("2006-07-14" if name == "date" else 1234), str)
            continue
        _walk(value, name, found)
    assert found == []
    assert {"labels", "contact", "head", "body", "demands"} <= set(context)


def test_a_photo_layout_receives_only_plain_data(workspace: Workspace):
    workspace.append(
        "campaign.toml", '\n[[photos]]\nfile = "assets/street.jpg"\ncredit = "Archive"\n'
    )
    for lang in ("kk", "en"):
        workspace.append(f"{lang}.toml", '\n[captions]\nstreet = "A caption."\n')
    campaign = load_campaign(workspace.campaign_dir, workspace.root)
    layout = LayoutLibrary(workspace.root).get("photo-display-a3")
    prepared = PreparedPhoto("street", workspace.root / "out" / "street.jpg", 1200, 800)
    context = template_context(
        campaign, campaign.text("en"), layout, load_manifest(workspace.root), [prepared], {}
    )
    found: list[str] = []
    for name, value in context.items():
        if name not in FORMATTERS:
            _walk(value, name, found)
    assert found == []
    assert context["photos"][0]["src"].endswith("street.jpg")
    assert context["photos"][0]["captions"][0]["lang"] == "en"


def test_dates_in_options_reach_a_template_as_text(workspace: Workspace):
    campaign = load_campaign(workspace.campaign_dir, workspace.root)
    layout = LayoutLibrary(workspace.root).get("leaflet-a5")
    when = datetime.date(2006, 7, 14)
    options = {"since": when, "times": [datetime.time(9, 30)], "nested": {"at": when}}
    context = template_context(
        campaign, campaign.text("en"), layout, load_manifest(workspace.root), [], options
    )
    found: list[str] = []
    _walk(context["options"], "options", found)
    assert found == []
    assert context["options"]["since"] == "2006-07-14"
    assert context["options"]["times"] == ["09:30:00"]


def test_the_walker_finds_a_path_hidden_in_a_label(workspace: Workspace):
    """The test above must be able to fail: a Path like the one labels once carried is found."""
    found: list[str] = []
    _walk({"labels": {"demands": "Talaptar"}, "x": [{"file": Path("/etc")}]}, "ctx", found)
    assert found == ["ctx.x[0].file is a pathlib.PosixPath"]


def test_the_environment_keeps_only_jinjas_plain_helpers(workspace: Workspace):
    env = LayoutLibrary(workspace.root).get("leaflet-a5").environment
    assert set(env.globals) == set(KEPT_GLOBALS)
    assert "lipsum" not in env.globals


# Known ways out of a Jinja sandbox, each written as a layout author would.
ESCAPES = [
    '{{ labels.text_file.joinpath("/etc/passwd").read_text() }}',
    '{% set _ = labels.text_file.resolve().write_text("x") %}',
    "{{ labels._text_file }}",
    "{{ labels.__class__.__mro__ }}",
    "{{ labels.__missing__.__globals__ }}",
    "{{ labels.copy.__self__ }}",
    "{{ labels|attr('__class__') }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ ().__class__.__base__.__subclasses__() }}",
    "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{{ photos.__class__.__base__.__subclasses__() }}",
    "{{ '{0.__class__}'.format(labels) }}",
    "{{ cycler.__init__.__globals__.os }}",
    "{{ cycler().__class__.__init__.__globals__ }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ joiner()._last }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ namespace(a=1).__class__ }}",
    "{{ namespace(a=1)._Namespace__attrs }}",
    "{{ dict.mro() }}",
    "{{ dict.__subclasses__() }}",
    "{{ range.__globals__ }}",
    "{{ range(1000000)|length }}",
    "{{ lipsum.__globals__.os.popen('id').read() }}",
    "{{ lipsum(n=100000) }}",
    "{{ self.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ self.__dict__ }}",
    "{{ number.__globals__ }}",
    "{{ number.__code__ }}",
    "{{ date.__closure__ }}",
    "{{ head.__class__.__init__ }}",
    "{{ config.__class__ }}",
    "{{ request.application.__globals__ }}",
    "{{ environment.loader.searchpath }}",
    "{{ loader.get_source(none, 'x') }}",
    "{% include '/etc/passwd' %}",
    "{% include '../../../../../../etc/passwd' %}",
    "{% import '/etc/hostname' as h %}",
    "{% extends '../labels.toml' %}",
]


@pytest.mark.parametrize("payload", ESCAPES)
def test_a_jinja_escape_fails_as_a_template_error_naming_the_layout(
    workspace: Workspace, payload: str
):
    folder = workspace.root / "layouts" / "leaflet-a5"
    (folder / "template.html").write_text(f"<html><body>{payload}</body></html>\n")
    before = (workspace.campaign_dir / "en.toml").read_text()
    campaign = load_campaign(workspace.campaign_dir, workspace.root)
    layout = LayoutLibrary(workspace.root).get("leaflet-a5")
    with pytest.raises(LeafpressError) as raised:
        compose(campaign, campaign.text("en"), layout, load_manifest(workspace.root), [], {})
    problem = raised.value.first
    if "labels.text_file" in payload:  # no such label: its error names where labels are written
        assert isinstance(raised.value, ContentError)
        assert problem.key == "labels.text_file"
    else:
        assert isinstance(raised.value, LayoutError), raised.value
        assert str(problem.file).startswith(os.path.join("layouts", "leaflet-a5")), problem
    assert "root:" not in str(raised.value)  # nothing of /etc/passwd made it into the message
    assert (workspace.campaign_dir / "en.toml").read_text() == before


def _with(template: Path, include: str) -> str:
    """The template with `include` as the first thing its masthead prints."""
    text = template.read_text()
    assert "{% block masthead %}" in text
    return text.replace("{% block masthead %}", "{% block masthead %}" + include, 1)


def test_an_include_that_is_a_symlink_out_of_the_workspace_is_refused(
    workspace: Workspace, tmp_path_factory
):
    secret = tmp_path_factory.mktemp("home") / "diary.html"
    secret.write_text("<p>SECRET DIARY</p>")
    folder = workspace.root / "layouts" / "leaflet-a5"
    (folder / "diary.html").symlink_to(secret)
    template = folder / "template.html"
    template.write_text(_with(template, "{% include 'diary.html' %}"))
    campaign = load_campaign(workspace.campaign_dir, workspace.root)
    layout = LayoutLibrary(workspace.root).get("leaflet-a5")
    with pytest.raises(LayoutError) as raised:
        compose(campaign, campaign.text("en"), layout, load_manifest(workspace.root), [], {})
    assert "template 'diary.html'" in str(raised.value)
    assert "symlink to a place outside the workspace" in str(raised.value)
    assert raised.value.first.file == Path("layouts/leaflet-a5")


def test_an_include_that_is_a_symlink_inside_the_workspace_works(workspace: Workspace):
    folder = workspace.root / "layouts" / "leaflet-a5"
    (workspace.root / "assets" / "note.html").write_text("<p>NOTE FROM ASSETS</p>")
    (folder / "note.html").symlink_to(workspace.root / "assets" / "note.html")
    template = folder / "template.html"
    template.write_text(_with(template, "{% include 'note.html' %}"))
    campaign = load_campaign(workspace.campaign_dir, workspace.root)
    layout = LayoutLibrary(workspace.root).get("leaflet-a5")
    html = compose(campaign, campaign.text("en"), layout, load_manifest(workspace.root), [], {})
    assert "NOTE FROM ASSETS" in html.html


def test_jinjas_helpers_still_work_in_the_sandbox():
    import jinja2

    from leafpress.sandbox import sandboxed_environment

    env = sandboxed_environment(jinja2.DictLoader({}))
    template = (
        "{% set ns = namespace(a=1) %}{% set ns.a = 2 %}{{ ns.a }} "
        "{{ cycler('a', 'b').next() }} {{ range(3)|list }} {{ dict(a=1)['a'] }} "
        "{% set j = joiner(',') %}{{ j() }}x{{ j() }}y {{ 'abc'.upper() }}"
    )
    assert env.from_string(template).render() == "2 a [0, 1, 2] 1 x,y ABC"
