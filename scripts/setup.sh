#!/usr/bin/env bash
# Installs what nianbao needs on a fresh Debian machine: Debian's packages (below),
# and the Python package with its dependencies in
# ./.venv; with --with-checkers also the independent archive checkers (pywb,
# wacz) in ./.venv-tools. Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

# chromium: pages that need a browser; LibreOffice (headless), antiword: DOC/WPS/XLS/ET;
# tesseract + chi_sim, poppler-utils: scanned reports (OCR); a CJK font for rendering test scans.
APT_PACKAGES=(chromium libreoffice-writer-nogui libreoffice-calc-nogui antiword tesseract-ocr tesseract-ocr-chi-sim
              poppler-utils fonts-wqy-microhei)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing Debian packages: ${missing[*]}" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv" >&2
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.nianbao-installed"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "setup: installing Python dependencies" >&2
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[dev]'
  echo "$want" > "$stamp"
fi

# Independent checkers for the archive tests (pywb replay, wacz validate). They
# pin old libraries (pywb wants redis 2.x), so they live in a venv of their own.
if [ "${1:-}" = "--with-checkers" ] && [ ! -x .venv-tools/bin/wayback ]; then
  echo "setup: installing pywb and wacz into .venv-tools" >&2
  "$PYTHON" -m venv .venv-tools
  .venv-tools/bin/python -m pip install -q --upgrade pip
  .venv-tools/bin/python -m pip install -q pywb wacz
fi

# ReplayWeb.page (ui.js, sw.js) for the replay test; fetched from the npm registry at setup time only.
RWP_VERSION=2.5.3
if [ "${1:-}" = "--with-checkers" ] && [ ! -f .venv-tools/replaywebpage/sw.js ]; then
  if ! command -v npm >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq npm >/dev/null
  fi
  echo "setup: fetching ReplayWeb.page $RWP_VERSION into .venv-tools/replaywebpage" >&2
  mkdir -p .venv-tools/replaywebpage
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "replaywebpage@$RWP_VERSION" >/dev/null)
  tar -xzf "$tmp/replaywebpage-$RWP_VERSION.tgz" -C .venv-tools/replaywebpage --strip-components=1 package/ui.js package/sw.js
  rm -rf "$tmp"
fi
