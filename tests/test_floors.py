"""Legibility floors: every text role's printed size, measured from the PDF's glyphs, not the CSS."""

from __future__ import annotations

import pytest
from test_check import findings_of, run_check

from conftest import REPO, Workspace
from leafpress.errors import LayoutError
from leafpress.floors import glyphs
from leafpress.layoutconfig import floors_of
from leafpress.layouts import LayoutLibrary

SHIPPED = [
    "leaflet-a5",
    "leaflet-a6",
    "poster-a3-demands",
    "photo-display-a3",
    "photo-display-a4-landscape",
]


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_layout_declares_floors_for_what_it_prints(name: str):
    roles = {floor.role for floor in floors_of(LayoutLibrary(REPO).get(name))}
    assert {"text", "contacts", "phones", "qr_label"} <= roles
    assert roles & {"body", "lead", "demands", "captions"}


def test_glyph_sizes_are_read_from_the_pdf_in_points(workspace: Workspace):
    code, output = workspace.build("--layout", "leaflet-a5", "--lang", "en")
    assert code == 0, output
    sizes = {round(g.pt, 1) for g in glyphs(workspace.pdf("en").read_bytes())[0]}
    # leaflet-a5's call to action is set at 13.5 pt and its contacts at 8.4 pt (style.css); the
    # story, copy-fitted, grows past its 9 pt on this short text.
    assert {13.5, 8.4} <= sizes and max(sizes) > 30  # and the 32 pt headline


def test_a_contact_shrunk_under_its_floor_is_an_error_naming_the_role(workspace: Workspace):
    style = workspace.root / "layouts" / "leaflet-a5" / "style.css"
    style.write_text(
        style.read_text(encoding="utf-8") + "\n.contacts, .contacts .tel { font-size: 5.5pt; }\n",
        encoding="utf-8",
    )
    code, output = run_check(workspace.root, "--json", "--layout", "leaflet-a5", "--lang", "en")
    assert code == 1
    errors = [f for f in findings_of(output) if f.check == "floors" and f.status == "error"]
    by_key = {f.key: f.message for f in errors}
    assert set(by_key) == {"floors.contacts", "floors.phones"}, by_key
    assert "printed at 5.5 pt" in by_key["floors.contacts"]
    assert "under its 7 pt floor" in by_key["floors.contacts"]
    assert errors[0].file.endswith("layout.toml")


def test_a_floor_without_a_size_names_the_key(workspace: Workspace):
    toml = workspace.root / "layouts" / "leaflet-a5" / "layout.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace(
            'contacts = { selector = ".contacts", pt = 7 }',
            'contacts = { selector = ".contacts", size = 7 }',
        ),
        encoding="utf-8",
    )
    with pytest.raises(LayoutError) as caught:
        floors_of(LayoutLibrary(workspace.root).get("leaflet-a5"))
    keys = {p.key for p in caught.value.problems}
    assert keys == {"floors.contacts.size", "floors.contacts.pt"}
