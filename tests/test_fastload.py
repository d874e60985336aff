"""WeasyPrint's libraries load by their file names in a leafpress process, without ctypes' library search."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

# Counts ctypes.util.find_library calls while WeasyPrint is imported, and says which of its
# libraries loaded.
PROBE = """
import ctypes.util, json, sys
calls = []
real = ctypes.util.find_library
def counting(name):
    calls.append(name)
    return real(name)
ctypes.util.find_library = counting
if sys.argv[1] != "plain":
    import leafpress.fastload as fastload
    if sys.argv[1] == "missing":
        fastload.SONAMES = (*fastload.SONAMES, "libnot-a-library.so.9")
    fastload.install()
from weasyprint.text import ffi
loaded = {n: getattr(ffi, n) is not None for n in ("pango", "harfbuzz", "harfbuzz_subset",
          "harfbuzz_vector", "fontconfig", "pangoft2", "gobject")}
print(json.dumps({"calls": len(calls), "loaded": loaded,
                  "restored": ctypes.util.find_library is counting}))
"""


def _probe(mode: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, mode],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    return json.loads(done.stdout.splitlines()[-1])


def test_weasyprint_loads_the_same_libraries_without_searching_for_them():
    plain, quick = _probe("plain"), _probe("quick")
    assert plain["calls"] > 10  # what every plain WeasyPrint process pays
    assert quick["calls"] == 0
    assert quick["loaded"] == plain["loaded"]
    assert quick["restored"]  # the probe's own wrapper is back in place afterwards


def test_without_a_library_file_weasyprint_searches_as_it_always_did():
    missing = _probe("missing")
    assert missing["calls"] > 10
    assert missing["loaded"] == _probe("plain")["loaded"]
