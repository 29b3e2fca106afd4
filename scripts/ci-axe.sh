#!/usr/bin/env bash
# axe-core for the browser tests (tests/test_web_browser.py injects it into every page with
# Playwright): installed from the npm registry, at a pinned version, into a cache folder the tests
# know (never fetched by sourcebook itself).  Prints the path of axe.min.js.
#
#   bash scripts/ci-axe.sh            # installs when missing
#   SOURCEBOOK_AXE_DIR=/somewhere bash scripts/ci-axe.sh
set -euo pipefail
VERSION="4.14.1"
DIR="${SOURCEBOOK_AXE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/sourcebook/axe-core-$VERSION}"
JS="$DIR/node_modules/axe-core/axe.min.js"
if [ ! -f "$JS" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >&2
    else
      echo "scripts/ci-axe.sh: npm is needed to install axe-core (apt-get install npm)" >&2
      exit 1
    fi
  fi
  mkdir -p "$DIR"
  npm install --prefix "$DIR" --no-audit --no-fund --no-save --silent "axe-core@$VERSION" >&2
fi
echo "$JS"
