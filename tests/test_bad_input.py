"""Bad input: exit 1, a message that names the file and key (or line), no partial PDF, others still built."""

from __future__ import annotations

from PIL import Image

from conftest import Workspace


def _no_partial_files(ws: Workspace) -> None:
    leftovers = [p for p in ws.root.rglob("*") if p.name.endswith((".part", ".tmp"))]
    assert not leftovers, leftovers


def test_toml_syntax_error_names_line_and_column(workspace: Workspace):
    workspace.edit("kk.toml", 'qr_label = "Сканерлеңіз"', 'qr_label = "Сканерлеңіз')
    code, output = workspace.build()
    assert code == 1
    assert "leaflets/demo/kk.toml:7:" in output
    assert "is not valid TOML" in output
    assert not workspace.pdf("kk").exists()
    assert workspace.pdf("en").exists()
    _no_partial_files(workspace)


def test_syntax_error_in_campaign_file_fails_that_campaign_with_line(workspace: Workspace):
    workspace.edit("campaign.toml", 'kind = "url"', "kind = url")
    code, output = workspace.build()
    assert code == 1
    assert "leaflets/demo/campaign.toml:" in output and "is not valid TOML" in output
    assert workspace.pdfs() == []


def test_missing_required_key_for_a_layout_names_file_key_and_layout(workspace: Workspace):
    workspace.edit("en.toml", 'call_to_action = "Send your protest."\n', "")
    code, output = workspace.build()
    assert code == 1
    assert "leaflets/demo/en.toml: call_to_action: missing required key 'call_to_action'" in output
    assert "leaflet-a5" in output
    assert not workspace.pdf("en").exists()
    assert workspace.pdf("kk").exists()


def test_unknown_key_suggests_the_closest_known_one(workspace: Workspace):
    workspace.edit("en.toml", "call_to_action =", "call_to_acton =")
    code, output = workspace.build()
    assert code == 1
    assert "leaflets/demo/en.toml:" in output
    assert "unknown key 'call_to_acton' (did you mean 'call_to_action'?)" in output
    assert not workspace.pdf("en").exists()


def test_unknown_key_in_a_campaign_table_is_located(workspace: Workspace):
    workspace.edit("campaign.toml", 'phone = "+7', 'phonee = "+7')
    code, output = workspace.build()
    assert code == 1
    assert (
        "leaflets/demo/campaign.toml:5: contact.phonee: unknown key 'phonee' (did you mean 'phone'?)"
        in output
    )


def test_wrong_type_says_what_was_expected_and_found(workspace: Workspace):
    workspace.edit(
        "kk.toml", 'demands = ["Үйлерді заңдастыру.", "Өтемақы төлеу."]', 'demands = "Үйлер"'
    )
    code, output = workspace.build()
    assert code == 1
    assert "leaflets/demo/kk.toml:5: demands: expected a list of strings, found a string" in output
    assert not workspace.pdf("kk").exists()
    assert workspace.pdf("en").exists()


def test_all_errors_of_a_file_are_reported_at_once(workspace: Workspace):
    workspace.edit("en.toml", "headline =", "hedline =")
    workspace.edit("en.toml", "qr_label =", "qr_lable =")
    code, output = workspace.build()
    assert code == 1
    assert "'hedline'" in output and "'qr_lable'" in output


def test_unknown_layout_lists_the_known_ones(workspace: Workspace):
    workspace.append("campaign.toml", '\n[[outputs]]\nlayout = "leaflet-a55"\n')
    code, output = workspace.build()
    assert code == 1
    assert "leaflets/demo/campaign.toml" in output and "outputs[0].layout" in output
    assert "unknown layout 'leaflet-a55' (did you mean 'leaflet-a5'?)" in output
    assert "known layouts: " in output and "poster-a3-demands" in output


def test_unknown_layout_on_the_command_line(workspace: Workspace):
    code, output = workspace.build("--layout", "flyer")
    assert code == 1
    assert "unknown layout 'flyer'" in output and "leaflet-a5" in output
    assert workspace.pdfs() == []


def test_unknown_language_on_the_command_line(workspace: Workspace):
    code, output = workspace.build("--lang", "kz")
    assert code == 1
    assert (
        "language 'kz' is not one of the campaign's languages (kk, en) (did you mean 'kk'?)"
        in output
    )
    assert "leaflets/demo/campaign.toml" in output


def test_language_without_a_file_names_the_expected_file(workspace: Workspace):
    workspace.edit("campaign.toml", 'languages = ["kk", "en"]', 'languages = ["kk", "en", "ru"]')
    code, output = workspace.build()
    assert code == 1
    assert (
        "campaign.toml:1: languages: language 'ru' has no file; expected leaflets/demo/ru.toml"
        in output
    )


def test_invalid_language_code_is_refused(workspace: Workspace):
    workspace.edit("campaign.toml", 'languages = ["kk", "en"]', 'languages = ["kk", "English"]')
    code, output = workspace.build()
    assert code == 1
    assert "'English' is not a language code" in output


def test_kazakh_latin_code_is_accepted(workspace: Workspace):
    workspace.edit("campaign.toml", 'languages = ["kk", "en"]', 'languages = ["kk", "kk-Latn"]')
    workspace.edit(
        "campaign.toml", 'en = "Office', '"kk-Latn" = "Almaty qalasynyñ äkımdıgı", x = "Office'
    )
    workspace.edit("campaign.toml", ', x = "Office of the Mayor of Almaty"', "")
    (workspace.campaign_dir / "en.toml").rename(workspace.campaign_dir / "kk-Latn.toml")
    code, output = workspace.build("--layout", "leaflet-a5")
    assert code == 0, output
    assert (workspace.out / "demo" / "kk-Latn" / "leaflet-a5.pdf").exists()


def _add_photo_display(ws: Workspace, file: str) -> None:
    ws.append("campaign.toml", f'\n[[photos]]\nfile = "{file}"\ncredit = "Archive"\n')
    for lang in ("kk", "en"):
        ws.append(f"{lang}.toml", '\n[captions]\nstreet = "A caption."\n')


def test_missing_photo_names_the_campaign_file_and_key(workspace: Workspace):
    _add_photo_display(workspace, "assets/demo/street.jpg")
    code, output = workspace.build()
    assert code == 1
    assert (
        "leaflets/demo/campaign.toml:14: photos[0].file: photo 'assets/demo/street.jpg' not found"
        in output
    )
    assert not workspace.pdf("kk", "photo-display-a3").exists()
    assert workspace.pdf("kk", "leaflet-a5").exists()


def test_unreadable_photo_is_named(workspace: Workspace):
    (workspace.root / "assets" / "demo").mkdir()
    (workspace.root / "assets" / "demo" / "street.jpg").write_bytes(b"\xff\xd8 this is not a JPEG")
    _add_photo_display(workspace, "assets/demo/street.jpg")
    code, output = workspace.build()
    assert code == 1
    assert (
        "photos[0].file: photo 'assets/demo/street.jpg' is not an image leafpress can read"
        in output
    )
    assert not workspace.pdf("en", "photo-display-a3").exists()


def test_truncated_photo_is_named(workspace: Workspace):
    folder = workspace.root / "assets" / "demo"
    folder.mkdir()
    Image.new("RGB", (400, 300), "navy").save(folder / "street.jpg", quality=90)
    data = (folder / "street.jpg").read_bytes()
    (folder / "street.jpg").write_bytes(data[: len(data) // 2])
    _add_photo_display(workspace, "assets/demo/street.jpg")
    code, output = workspace.build()
    assert code == 1
    assert "photo 'assets/demo/street.jpg' is damaged or truncated" in output


def test_caption_for_an_unknown_photo_suggests_the_key(workspace: Workspace):
    folder = workspace.root / "assets" / "demo"
    folder.mkdir()
    Image.new("RGB", (400, 300), "navy").save(folder / "street.jpg")
    _add_photo_display(workspace, "assets/demo/street.jpg")
    workspace.edit("en.toml", 'street = "A caption."', 'streets = "A caption."')
    code, output = workspace.build()
    assert code == 1
    assert "captions.streets: no photo has the key 'streets' (did you mean 'street'?)" in output


def test_a_failed_rebuild_keeps_the_previous_pdf_whole(workspace: Workspace):
    assert workspace.build()[0] == 0
    before = workspace.pdf("en").read_bytes()
    workspace.edit("en.toml", "headline =", "hedline =")
    assert workspace.build()[0] == 1
    assert workspace.pdf("en").read_bytes() == before
    _no_partial_files(workspace)


def test_sources_are_untouched_by_a_build(workspace: Workspace):
    before = {p: p.read_bytes() for p in workspace.root.rglob("*") if p.is_file()}
    workspace.build()
    after = {p: p.read_bytes() for p in before}
    assert after == before


def test_text_too_long_for_the_page_fails_that_output_only(workspace: Workspace):
    long_body = "Ұзын мәтін. " * 900
    workspace.edit("kk.toml", 'body = "Бірінші абзац.', f'body = "{long_body}Бірінші абзац.')
    code, output = workspace.build()
    assert code == 1
    # Copy-fitting shrinks the story down to the 8 pt floor first; this is far beyond it.
    assert "demo/kk/leaflet-a5 failed" in output
    assert "too long for leaflet-a5 in kk at the 8 pt minimum" in output
    assert not workspace.pdf("kk").exists()
    assert workspace.pdf("en").exists()


def test_no_campaign_found_is_an_error(tmp_path):
    from click.testing import CliRunner

    from leafpress.cli import main

    result = CliRunner().invoke(main, ["build", "--root", str(tmp_path)])
    assert result.exit_code == 1
    assert "no campaign found" in result.output


def test_template_syntax_error_fails_that_layouts_outputs_with_file_and_line(
    workspace: Workspace, runner
):
    from leafpress.cli import main

    template = workspace.root / "layouts" / "leaflet-a6" / "a6.html"
    text = template.read_text("utf-8")
    template.write_text(text.replace("{% endblock %}", "{% endblok %}", 1), "utf-8")
    line = text[: text.index("{% endblock %}")].count("\n") + 1
    code, output = workspace.build("--layout", "leaflet-a5", "--layout", "leaflet-a6")
    assert code == 1
    assert f"layouts/leaflet-a6/a6.html:{line}:" in output and "template error" in output
    assert workspace.pdf("kk").exists() and workspace.pdf("en").exists()
    assert not workspace.pdf("kk", "leaflet-a6").exists()
    _no_partial_files(workspace)
    listed = runner.invoke(main, ["layouts", "--root", str(workspace.root)])
    assert listed.exit_code == 1
    assert f"layouts/leaflet-a6/a6.html:{line}:" in listed.output
