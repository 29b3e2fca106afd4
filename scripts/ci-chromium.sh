#!/usr/bin/env bash
# Debian's chromium for the browser tests (tests/test_web_browser.py drives it with Playwright).
#
#   bash scripts/ci-chromium.sh        # installs the Debian package when /usr/bin/chromium is missing
#
# Never downloads a browser build of its own (no `playwright install`): the tests launch
# /usr/bin/chromium with executable_path. Needs root (apt-get) when chromium is not there yet;
# without it the browser tests are skipped, with the reason shown.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  echo "ci-chromium: $(/usr/bin/chromium --version 2>/dev/null | head -n1)" >&2
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "ci-chromium: /usr/bin/chromium is missing and we are not root: the browser tests will be skipped" >&2
  exit 0
fi
echo "ci-chromium: installing Debian's chromium" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq chromium >&2
echo "ci-chromium: $(/usr/bin/chromium --version 2>/dev/null | head -n1)" >&2
