"""A damaged font file is refused by name, also after the same path was once found sound."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from leafpress.errors import FontError
from leafpress.fonts import SOUND_FONTS, FontFamily, FontManifest

SOUND = Path("/usr/share/fonts/truetype/paratype/PTS55F.ttf")


def _manifest(tmp_path: Path, font: Path) -> FontManifest:
    family = FontFamily("Body", "test", {"regular": font})
    return FontManifest(tmp_path / "fonts.toml", {"Body": family}, face_cache=tmp_path / "cache")


@pytest.fixture
def font(tmp_path: Path) -> Path:
    copy = tmp_path / "body.ttf"
    shutil.copyfile(SOUND, copy)
    return copy


def test_a_truncated_font_is_refused_naming_its_entry(tmp_path: Path, font: Path):
    font.write_bytes(SOUND.read_bytes()[:3000])
    with pytest.raises(FontError, match="cannot be used: it is damaged") as caught:
        _manifest(tmp_path, font).font_face_css(["Body"], tmp_path / "layout.toml")
    assert "families.Body.files.regular" in str(caught.value)


def test_a_font_found_sound_is_refused_once_it_is_damaged(tmp_path: Path, font: Path):
    manifest = _manifest(tmp_path, font)
    manifest.font_face_css(["Body"], tmp_path / "layout.toml")
    assert str(font) in (tmp_path / "cache" / SOUND_FONTS).read_text()
    # The same path, cut short: another size and time than the record of it as sound.
    font.write_bytes(SOUND.read_bytes()[:3000])
    os.utime(font, ns=(1, 1))
    with pytest.raises(FontError, match="cannot be used"):
        manifest.font_face_css(["Body"], tmp_path / "layout.toml")
